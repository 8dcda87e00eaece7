"""The browser form: same template as the PDFs, nothing leaves the device, save/open round trip, print."""
import functools
import http.server
import json
import threading
from pathlib import Path

import pytest

from generator.data.browser import browser_forms
from generator.data.extract import collect
from generator.fontfaces import web_files
from generator.model import load_project

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # the browser tests skip, the others run
    expect = sync_playwright = None

ROOT = Path(__file__).parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT)


@pytest.fixture(scope="module")
def pages(project):
    return browser_forms(project)


def test_one_page_per_form_and_layout(project, pages):
    assert sorted(pages) == sorted(f"fill/{form}-{layout.replace('+', '-')}.html"
                                   for form in project.forms for layout in project.layouts)


def test_pages_load_nothing_from_elsewhere_and_store_nothing(pages):
    for name, data in pages.items():
        html = data.decode("utf-8")
        assert "variant-browser" in html and 'autocomplete="off"' in html
        assert "default-src 'none'" in html and "form-action 'none'" in html  # the browser enforces it
        for forbidden in ("https://", "http://", "file://", "localStorage", "sessionStorage", "indexedDB",
                          "fetch(", "XMLHttpRequest", "sendBeacon", "WebSocket", "document.cookie"):
            assert forbidden not in html, (name, forbidden)
        assert "fonts/NotoSans-Regular.ttf" not in html  # faces the site does not ship are left out


def test_each_web_font_is_declared_once_on_every_page(project, pages):
    """The site's web fonts (every language but the source one, from forms/settings.yaml): each face once."""
    from generator.fontfaces import faces, web_languages
    expected = [f'url("../../assets/fonts/{face.web_name}")' for face in faces(project.settings, web_languages(project.settings))]
    assert 'url("../../assets/fonts/NotoSansKhmer-Regular.woff2")' in expected
    for name, data in pages.items():
        html = data.decode("utf-8")
        assert [html.count(url) for url in expected] == [1] * len(expected), name
        assert html.count("@font-face") == len(expected), name


def test_the_fields_are_those_of_the_pdf(project, pages):
    html = pages["fill/referral-km.html"].decode("utf-8")
    for d in project.forms["referral"].data_fields:
        names = [f"{d.name}__{o.value}" for o in d.options] if d.widget == "checkboxes" else [d.name]
        for name in names:
            assert f'name="{name}"' in html, name


@pytest.fixture(scope="module")
def site(project, pages, tmp_path_factory):
    """The pages as the site ships them (forms/fill/ and assets/fonts/), served on this machine only."""
    root = tmp_path_factory.mktemp("site")
    for name, data in pages.items():
        (root / "forms" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "forms" / name).write_bytes(data)
    for name, data in web_files(project.settings, tmp_path_factory.mktemp("webfonts")).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    if sync_playwright is None:
        pytest.skip("needs playwright (pip install playwright)")
    if not Path(CHROMIUM).exists():
        pytest.skip("needs Chromium at /usr/bin/chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def watched_page(browser, requests):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    context.on("request", lambda request: requests.append(request.url))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return context, page, errors


TYPED = {"agency_case_number": "00012345", "client_name": "ស្រីពៅ Sok", "age": "16",
         "case_summary": "កុមារីបានមកដល់អង្គការយើង។\nSecond line.", "travel_date": "03/11/2026",
         "referral_reason": "school", "consent_expires": "01/02/2027"}


@pytest.mark.browser
def test_fill_save_reload_open_print(browser, site, project, tmp_path):
    root, base = site
    requests = []
    context, page, errors = watched_page(browser, requests)
    url = base + "forms/fill/referral-km.html"
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.fonts.check('16px \"Noto Sans Khmer\"', 'ក')")

    for name, value in TYPED.items():
        page.fill(f'[name="{name}"]', value)
    page.check('[name="sex"][value="female"]')
    page.check('[name="exploitation_types__neglect"]')
    page.check('[name="exploitation_types__other"]')
    page.fill('[name="exploitation_types_other"]', "fishing boat")
    page.check('[name="consent_share"]')
    page.check('[name="services_requested_1_urgency"][value="within_1_day"]')
    page.check('[name="risk_level"][value="high"]')
    page.check('[name="consent_form"][value="written"]')
    page.keyboard.press("Enter")  # would submit the form, and put the values in the address, if allowed

    with page.expect_download() as download:
        page.click("#casekit-save")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("referral-00012345-") and saved.suffix == ".json"
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert (data["form"], data["version"], data["language"]) == ("referral", project.forms["referral"].version, "km")
    expected = {**TYPED, "sex": "female", "exploitation_types": "neglect other", "exploitation_types_other": "fishing boat",
                "consent_share": "yes", "services_requested_1_urgency": "within_1_day", "risk_level": "high",
                "consent_form": "written"}
    assert {k: v for k, v in data["values"].items() if v} == expected

    # the saved file reads back through casekit extract, the date as a date
    _, table, problems = collect(project, [saved])
    assert problems == []
    assert table[0]["travel_date"] == "2026-11-03" and table[0]["client_name"] == "ស្រីពៅ Sok"

    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.input_value('[name="client_name"]') == ""  # nothing kept by the browser
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert context.cookies() == []

    page.set_input_files("#casekit-file", str(saved))
    # (expect() waits outside the page: a wait_for_function would need eval, which the page's policy forbids)
    expect(page.locator('[name="client_name"]')).to_have_value(TYPED["client_name"])
    for name, value in TYPED.items():
        assert page.input_value(f'[name="{name}"]') == value
    assert page.is_checked('[name="sex"][value="female"]') and page.is_checked('[name="consent_share"]')
    assert page.is_checked('[name="exploitation_types__neglect"]')
    assert not page.is_checked('[name="exploitation_types__violence"]')
    assert page.is_checked('[name="services_requested_1_urgency"][value="within_1_day"]')

    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    (tmp_path / "printed.pdf").write_bytes(pdf)

    assert errors == []
    assert requests and all(r.startswith(base) for r in requests), requests
    assert not any("?" in r for r in requests)  # no form submission
    context.close()


@pytest.mark.browser
def test_a_file_of_another_form_or_version_is_refused(browser, site, project, tmp_path):
    root, base = site
    version = project.forms["referral"].version
    requests = []
    context, page, errors = watched_page(browser, requests)
    page.goto(base + "forms/fill/referral-en.html")
    page.fill('[name="client_name"]', "Dara")
    for name, form, version, message in (
            ("intake.json", "intake", "2.0", "This file holds the form “intake”, not “referral”."),
            ("old.json", "referral", "0.9", f"This file was saved from version 0.9 of this form; this page is version {version}.")):
        path = tmp_path / name
        path.write_text(json.dumps({"form": form, "version": version, "language": "en", "values": {"client_name": "X"}}))
        page.set_input_files("#casekit-file", str(path))
        expect(page.locator("#casekit-status")).to_contain_text(message)
        assert page.input_value('[name="client_name"]') == "Dara"  # nothing replaced
        page.evaluate("document.getElementById('casekit-status').textContent = ''")
    assert errors == [] and all(r.startswith(base) for r in requests)
    context.close()


@pytest.mark.browser
def test_the_page_works_from_a_file(browser, site):
    root, _ = site
    requests = []
    context, page, errors = watched_page(browser, requests)
    page.goto((root / "forms" / "fill" / "intake-km-en.html").as_uri())
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.fonts.check('16px \"Noto Sans Khmer\"', 'ក')")
    assert page.is_visible("#casekit-save") and page.is_visible(".shared-warning")
    radio = '[name="sex"][value="female"]'
    page.click(radio)
    assert page.is_checked(radio)
    page.click(radio)  # a second click clears the answer, as on paper
    assert not page.is_checked(radio)
    page.fill('[name="client_name"]', "Dara")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#casekit-clear")
    assert page.input_value('[name="client_name"]') == ""
    page.emulate_media(media="print")
    assert not page.is_visible(".shared-warning")  # the warning and buttons are not printed
    assert errors == []
    assert all(r.startswith("file://" + str(root)) for r in requests), requests
    context.close()


LONG_KHMER = "\n\n".join(
    f"កថាខណ្ឌទី{n}៖ " + "កុមារីម្នាក់បានមកដល់ការិយាល័យរបស់យើងជាមួយម្តាយរបស់នាង។ នាងបាននិយាយថា "
    "នាងចង់ត្រឡប់ទៅរៀនវិញ ហើយត្រូវការជំនួយផ្លូវចិត្ត។ " * 6 + f"ចប់កថាខណ្ឌទី{n}។" for n in (1, 2, 3))


def _page_texts(pdf: Path) -> list[str]:
    """Each page's text as poppler reads it, spaces left out (Khmer extracts right once they are)."""
    import subprocess
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))
    return ["".join(subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
                                   text=True, check=True).stdout.split()) for n in range(1, pages + 1)]


@pytest.mark.browser
def test_printing_keeps_every_word_and_the_header_on_every_page(browser, site, project, tmp_path):
    """A case summary of three long Khmer paragraphs, printed from the fill page (Chromium's PDF): every word is
    on paper (the box on screen shows only some lines), and agency, form, version and case numbers head every
    page, as in the PDFs."""
    root, base = site
    requests = []
    context, page, errors = watched_page(browser, requests)
    page.goto(base + "forms/fill/referral-km.html")
    page.fill('[name="case_summary"]', LONG_KHMER)
    page.fill('[name="agency_case_number"]', "00012345")
    page.fill('[name="client_name"]', "ស្រីពៅ " * 30 + "Sok")  # longer than its box
    pdf = tmp_path / "printed.pdf"
    pdf.write_bytes(page.pdf(format="A4"))
    pages = _page_texts(pdf)
    assert len(pages) > 2
    everything = "".join(pages)
    missing = [word for word in LONG_KHMER.split() + ["ស្រីពៅ", "Sok"] if word not in everything]
    assert missing == []
    assert everything.count("ចប់កថាខណ្ឌទី") == 3 and everything.count("ស្រីពៅ") >= 30
    from generator.i18n import KHMER_DIGITS
    from generator.layout import Layout
    form = project.forms["referral"]  # a Khmer page names the agency and the form in Khmer, in Khmer digits
    header = [project.settings.agency_name_in("km"), Layout.load(project.root, "km").text(form.title),
              form.version.translate(KHMER_DIGITS), "00012345"]
    assert [n for n, text in enumerate(pages, 1) if not all("".join(h.split()) in text for h in header)] == []
    assert errors == [] and all(r.startswith(base) for r in requests)
    context.close()


@pytest.mark.browser
def test_every_field_has_a_label_and_the_form_is_the_main_content(browser, site):
    root, base = site
    context, page, errors = watched_page(browser, [])
    page.goto(base + "forms/fill/intake-km-en.html")
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('#casekit-form input, #casekit-form textarea')]
        .filter(e => !e.labels.length || ![...e.labels].some(l => l.textContent.trim())).map(e => e.name)""")
    assert unlabelled == []
    assert page.locator("main #casekit-form").count() == 1 and page.locator("main").count() == 1
    assert page.locator(".handbook-link").get_attribute("href") == "../../km/forms/intake.html"
    assert errors == []
    context.close()
