"""The built site in headless Chromium, as a trainer sees it on a projector: no request leaves the site."""
import functools
import http.server
import re
import threading
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def server(built_site):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    handler.log_message = lambda *a: None
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-quic"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server, built_site):
    """A page that records every request and every console error."""
    context = browser.new_context()
    page = context.new_page()
    page.requests, page.errors = [], []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    inside = (server, "data:", "blob:", "about:", built_site.resolve().as_uri())
    outside = [u for u in page.requests if not u.startswith(inside)]
    assert outside == [], outside
    assert page.errors == []
    context.close()


def test_home_pages_render_in_both_languages(page, server):
    page.goto(f"{server}/index.html")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").first.is_visible()
    page.goto(f"{server}/km/index.html")
    assert page.locator("html").get_attribute("lang") == "km"
    assert re.search(r"[\u1780-\u17ff]", page.locator("h1").first.inner_text())


def test_switcher_stays_on_the_same_page(page, server):
    page.goto(f"{server}/process/assessment.html")
    page.locator("a.md-select__link[lang='km']").first.dispatch_event("click")
    page.wait_for_url(re.compile(r"/km/process/assessment\.html"))
    page.locator("a.md-select__link[lang='en']").first.dispatch_event("click")
    page.wait_for_url(re.compile(r"^http://[^/]+/process/assessment\.html$"))


def _search(page, url: str, query: str) -> list[str]:
    """Type as a person does; a query typed before the search worker has its index is typed again."""
    page.goto(url)
    page.locator(".md-search__input").first.click()
    for _ in range(20):
        page.locator(".md-search__input").fill("")
        page.keyboard.type(query, delay=20)
        try:
            page.wait_for_selector(".md-search-result__item", timeout=3000)
            break
        except Exception:
            continue
    return page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.href)")


def test_search_finds_an_english_word(page, server):
    hits = _search(page, f"{server}/index.html", "reintegration")
    assert any("process/" in h for h in hits)


def test_search_finds_a_khmer_word(page, server):
    hits = _search(page, f"{server}/km/index.html", "ការបញ្ជូនបន្ត")
    assert any("/km/" in h for h in hits), hits


def test_site_works_from_a_folder(page, built_site):
    """Opened from a USB stick (file://): pages, styles, the Khmer web font and the language switch work,
    and the offline search index is loaded into the page (searching there is a known limit, see README)."""
    page.goto((built_site / "km" / "index.html").as_uri())
    assert "Noto Sans Khmer" in page.evaluate("() => getComputedStyle(document.querySelector('.md-typeset')).fontFamily")
    assert page.evaluate("() => document.fonts.check('16px \"Noto Sans Khmer\"', 'ក')")
    assert page.evaluate("() => typeof __index === 'object' && __index.docs.length > 100")
    page.locator("a.md-select__link[lang='en']").first.dispatch_event("click")
    page.wait_for_url(re.compile(r"^file://.*/site/index\.html$"))
    assert page.locator("html").get_attribute("lang") == "en"


def test_every_download_link_answers(page, server):
    for lang in ("", "km/"):
        for form in ("index", "intake", "assessment", "case_plan", "review", "referral", "closure"):
            page.goto(f"{server}/{lang}forms/{form}.html")
            links = page.locator("a[href$='.pdf'], a[href$='.zip']").evaluate_all("els => els.map(e => e.href)")
            assert links
            for link in links:
                assert page.request.get(link).status == 200, link


@pytest.mark.parametrize("path", ["index.html", "forms/index.html", "forms/referral.html",
                                  "km/index.html", "km/forms/index.html", "km/forms/referral.html"])
def test_no_serious_accessibility_violations(page, server, path):
    page.goto(f"{server}/{path}")
    page.add_script_tag(content=AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []
