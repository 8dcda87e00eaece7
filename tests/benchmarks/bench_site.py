"""Site weight and rebuild time. Run: python -m pytest tests/benchmarks/bench_site.py --benchmark-only -p no:cacheprovider"""
import functools
import http.server
import threading

from conftest import ROOT, run_casekit


def test_rebuild_with_nothing_changed(benchmark):
    run_casekit("build", check=True)
    benchmark.pedantic(lambda: run_casekit("build", check=True), rounds=3, iterations=1)


def test_home_page_weight(benchmark):
    """Bytes of the home page and everything it loads, uncompressed (what a slow connection pays)."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(ROOT / "site"))
    handler.log_message = lambda *a: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    weights = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        for page_path in ("index.html", "km/index.html"):
            page = browser.new_page()
            sizes = {}
            page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body())) if r.ok else None)
            page.goto(f"{url}/{page_path}", wait_until="networkidle")
            weights[page_path] = sum(sizes.values())
            page.close()
        browser.close()
    httpd.shutdown()
    benchmark.extra_info.update({f"{k}_kb": v // 1024 for k, v in weights.items()})
    benchmark(lambda: None)
