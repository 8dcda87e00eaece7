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
    """Type as a person does; a query typed before the search worker has its index is typed again.

    Material reads the query on keyup. Playwright inserts Khmer characters without key events (it has no
    Khmer layout, a Khmer keyboard has), so End, which changes nothing, stands in for the last key.
    Results show while typing: wait for those of the whole query (their links highlight it: ?h=QUERY).
    """
    page.goto(url)
    page.locator(".md-search__input").first.click()
    for _ in range(20):
        page.locator(".md-search__input").fill("")
        page.keyboard.type(query, delay=20)
        page.keyboard.press("End")
        try:
            page.wait_for_function("""q => [...document.querySelectorAll('.md-search-result__item a')]
                .some(a => new URL(a.href).searchParams.get('h') === q)""", arg=query, timeout=3000)
            break
        except Exception:
            continue
    return page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.href)")


def _open_a_result(page, hits: list[str], pattern: str) -> None:
    """Every result link answers; the first one opens its page, as a click on it does."""
    for hit in hits:
        assert page.request.get(hit).status == 200, hit
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_url(re.compile(pattern))


def test_search_finds_an_english_word(page, server):
    hits = _search(page, f"{server}/index.html", "reintegration")
    assert any("process/" in h for h in hits)
    assert hits and not any("/km/" in h for h in hits), hits
    _open_a_result(page, hits, rf"^{re.escape(server)}/[\w/-]+\.html")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "reintegration" in page.locator("article").inner_text().lower()


def test_search_finds_a_khmer_word(page, server):
    hits = _search(page, f"{server}/km/index.html", "ការបញ្ជូនបន្ត")
    assert hits and all(h.startswith(f"{server}/km/") for h in hits), hits
    _open_a_result(page, hits, rf"^{re.escape(server)}/km/[\w/-]+\.html")
    assert page.locator("html").get_attribute("lang") == "km"
    assert "ការបញ្ជូនបន្ត" in page.locator("article").inner_text().replace("\u200b", "")


@pytest.mark.parametrize("path", ["index.html", "km/index.html"])
def test_the_search_index_loads_when_search_is_opened(page, server, path):
    """Most of a page's weight is the search index: a page does not fetch it until search is opened, and a
    query typed at once, before the index has arrived, gets its results without being typed again."""
    page.goto(f"{server}/{path}", wait_until="networkidle")
    assert not any("search_index" in url for url in page.requests)
    page.locator(".md-search__input").first.click()
    page.keyboard.type("reintegration", delay=5)
    page.wait_for_function("""() => [...document.querySelectorAll('.md-search-result__item a')]
        .some(a => new URL(a.href).searchParams.get('h') === 'reintegration')""", timeout=15000)
    index = "km/search/search_index.json" if path.startswith("km/") else "/search/search_index.json"
    assert [url for url in page.requests if "search_index" in url] == [f"{server}/{index.lstrip('/')}"]


def test_site_works_from_a_folder(page, built_site):
    """Opened from a USB stick (file://): pages, styles, the Khmer web font, the language switch and search
    (from the Khmer pages' own offline index) work."""
    page.goto((built_site / "km" / "index.html").as_uri())
    assert "Noto Sans Khmer" in page.evaluate("() => getComputedStyle(document.querySelector('.md-typeset')).fontFamily")
    assert page.evaluate("() => document.fonts.check('16px \"Noto Sans Khmer\"', 'ក')")
    # the Khmer pages' own index: Khmer docs only, located from the km/ folder
    assert page.evaluate("""() => typeof __index === 'object' && __index.docs.length > 100
        && __index.docs.every(d => /[\u1780-\u17ff]/.test(d.title + d.text) && !d.location.startsWith('km/'))""")
    page.locator("a.md-select__link[lang='en']").first.dispatch_event("click")
    page.wait_for_url(re.compile(r"^file://.*/site/index\.html$"))
    assert page.locator("html").get_attribute("lang") == "en"
    hits = _search(page, (built_site / "km" / "index.html").as_uri(), "ការបញ្ជូនបន្ត")
    assert hits and all(h.startswith((built_site / "km").as_uri() + "/") for h in hits), hits


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
