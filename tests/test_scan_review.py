"""The review page `casekit scan` writes for each scanned form: the browser form opened with the ticks read from
paper, each crop of the paper beside its input, what needs a person framed and labelled; a clerk types what the
handwriting says, checks, saves, and `casekit extract` reads the saved file. It works from a copy of the output
folder opened from disk, and asks nothing of any server."""
from __future__ import annotations

import json
import random
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import run_casekit
from generator.data.values import missing_required
from generator.layout import Layout
from generator.scan.scan import tick_keys
from scan_pages import Condition, degrade, fill, printed_sheets, random_values

SHEETS = (("referral", "km+en"), ("intake", "en"), ("assessment", "km"))  # dates, tables, a rating grid
SCAN = Condition("200 dpi, ±2°, noise", dpi=200, rotation=2, scale=0.01, shift_mm=2, noise=8, blur=0.6, jpeg=80)
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def scanned(project, tmp_path_factory):
    """The output folder of `casekit scan` over filled pages of three forms, one layout each."""
    folder = tmp_path_factory.mktemp("scan-review")
    printed = {}
    for form_id, layout in SHEETS:
        printed.update(printed_sheets(project, [form_id], [layout])[0])
    maps = {"generator": "casekit", "format": 1, "sheets": {k: sheet for k, (_, sheet) in printed.items()}}
    (folder / "layout-map.json").write_text(json.dumps(maps))
    rng = random.Random(5)
    files = []
    for key, (pdf, sheet) in printed.items():
        form = project.forms[key.split("/")[0]]
        for number, image in enumerate(fill(pdf, sheet, form, random_values(form, rng), SCAN.dpi, rng).pages, 1):
            files.append(folder / f"{key.replace('/', '_')}-{number}.jpg")
            files[-1].write_bytes(degrade(image, SCAN, rng))
    result = run_casekit("scan", *map(str, files), "-o", str(folder / "out"), "--map", str(folder / "layout-map.json"))
    assert result.returncode == 0, result.stderr
    return folder / "out"


class Elements(HTMLParser):
    """Every element of a page in document order, with its attributes, parent and text."""

    VOID = {"input", "img", "meta", "link", "br", "hr", "col", "source", "wbr"}

    def __init__(self, text: str):
        super().__init__()
        self.all: list[dict] = []
        self.open: list[dict] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "parent": self.open[-1] if self.open else None, "text": ""}
        self.all.append(element)
        if tag not in self.VOID:
            self.open.append(element)

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth]["tag"] == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        for element in self.open:
            element["text"] += data

    def inputs(self, name: str) -> list[dict]:
        return [e for e in self.all if e["tag"] in ("input", "textarea") and e["attrs"].get("name") == name]

    def next_to(self, element: dict) -> list[dict]:
        """The elements just before and just after it, among its parent's children."""
        siblings = [e for e in self.all if e["parent"] is element["parent"]]
        at = next(i for i, e in enumerate(siblings) if e is element)
        return siblings[max(0, at - 1):at] + siblings[at + 1:at + 2]

    @staticmethod
    def ancestors(element: dict):
        while element["parent"] is not None:
            element = element["parent"]
            yield element


def classes(element: dict) -> list[str]:
    return (element["attrs"].get("class") or "").split()


def scanned_forms(out: Path):
    for path in sorted((out / "forms").glob("*.json")):
        saved = json.loads(path.read_text(encoding="utf-8"))
        page = out / "review" / f"{path.stem}.html"
        yield path.stem, saved, page


def test_each_scanned_form_has_its_review_page_in_the_language_it_was_printed_in(scanned, project):
    found = list(scanned_forms(scanned))
    assert sorted((s["form"], s["language"]) for _, s, _ in found) == sorted(SHEETS)
    for name, saved, page in found:
        html = page.read_text(encoding="utf-8")
        layout = Layout.load(project.root, saved["language"])
        assert f'<html lang="{layout.lang}"' in html and f'<meta name="casekit-language" content="{saved["language"]}">' in html
        assert layout.text("I have checked this answer against the paper") in html
        assert layout.text("Save to a file") in html and 'id="casekit-clear"' not in html
        for url in re.findall(r'url\("([^"]+)"\)', html):  # the web fonts, beside the page
            assert (page.parent / url).is_file(), url
        assert "default-src 'none'" in html and not re.search(r"https?://|//[a-z]", html.replace("http-equiv", ""))


def test_one_input_per_field_with_the_ticks_read_from_paper(scanned, project):
    for name, saved, page in scanned_forms(scanned):
        elements = Elements(page.read_text(encoding="utf-8"))
        form = project.forms[saved["form"]]
        for data_field in form.data_fields:
            read = saved["values"][data_field.name]
            keys = tick_keys(data_field)
            if not keys:
                assert len(elements.inputs(data_field.name)) == 1, (name, data_field.name)
                continue
            chosen = set(read.split())
            for slot, option in keys:
                box = [e for e in elements.inputs(slot) if e["attrs"].get("value") == option]
                assert len(box) == 1, (name, slot, option)
                assert ("checked" in box[0]["attrs"]) == (option in chosen), (name, slot, option, read)
            names = {slot for slot, _ in keys}
            assert sum(len(elements.inputs(slot)) for slot in names) == len(keys), (name, data_field.name)


def test_every_crop_is_beside_its_input_and_is_a_file_in_the_folder(scanned, project):
    counted = {"writing": 0, "digits": 0, "tick": 0}
    for name, saved, page in scanned_forms(scanned):
        elements = Elements(page.read_text(encoding="utf-8"))
        form = project.forms[saved["form"]]
        layout = Layout.load(project.root, saved["language"])
        fields = {d.name: d for d in form.data_fields}
        for item in saved["scan"]["review"]:
            if "crop" not in item:
                continue
            data_field = fields[item["field"]]
            if item.get("option"):
                slot = dict((o, s) for s, o in tick_keys(data_field))[item["option"]]
                inputs = [e for e in elements.inputs(slot) if e["attrs"].get("value") == item["option"]]
                counted["tick"] += 1
            else:
                inputs = elements.inputs(data_field.name)
                counted[item["kind"]] += 1
            assert len(inputs) == 1 and "scan-flagged" in classes(inputs[0]), (name, item)
            crops = [e for e in elements.next_to(inputs[0]) if e["tag"] == "img" and "scan-crop" in classes(e)]
            assert [e["attrs"]["src"] for e in crops] == [f"../{item['crop']}"], (name, item)
            assert (page.parent / crops[0]["attrs"]["src"]).is_file() and crops[0]["attrs"]["alt"]
            question = next(e for e in elements.ancestors(inputs[0]) if "scan-review" in classes(e))
            check = [e for e in elements.all if question in elements.ancestors(e) and "scan-check" in classes(e)]
            assert len(check) == 1 and layout.text("To check") in check[0]["text"], (name, item)
    assert all(counted.values()), counted  # writing lines, digit boxes and unsure ticks were all among them


def test_a_form_with_pages_missing_says_which_on_its_page(scanned, project, tmp_path):
    """Only the first page of a form scanned: its page names the pages to type from the paper."""
    first = next(scanned.parent.glob("intake_*_en_a4-1.jpg"))
    result = run_casekit("scan", str(first), "-o", str(tmp_path / "out"), "--map", str(scanned.parent / "layout-map.json"))
    assert result.returncode == 0, result.stderr
    missing = json.loads((tmp_path / "out" / "forms" / "intake-1.json").read_text())["scan"]["missing_pages"]
    assert missing and 1 not in missing
    html = (tmp_path / "out" / "review" / "intake-1.html").read_text(encoding="utf-8")
    assert Layout.load(project.root, "en").text("Pages missing from the scans: {pages}. Their answers are empty: type "
                                                "them from the paper.", pages=", ".join(map(str, missing))) in html


# In headless Chromium -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("needs Chromium at /usr/bin/chromium")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run"])
        yield chromium
        chromium.close()


TYPED = {"text": "ស្រីពៅ Sok", "date": "03/11/2026", "number": "3", "digits": "00012345"}


def _save(page, folder: Path) -> Path:
    """Click "Save to a file" and keep the download."""
    with page.expect_download() as download:
        page.click("#casekit-save")
    path = folder / download.value.suggested_filename
    download.value.save_as(path)
    return path


@pytest.mark.browser
def test_a_clerk_types_checks_and_saves_and_extract_reads_it(browser, scanned, project, tmp_path):
    """From a copy of the folder on another computer: the crops and the Khmer font load from it and nothing else
    is asked for; the clerk types the name the picture shows, fills what the form requires, checks every question,
    saves; the saved file opens again with its checks, and `casekit extract` gives the typed name back."""
    copy = tmp_path / "usb" / "scanned"
    shutil.copytree(scanned, copy)
    name, saved, _ = next(s for s in scanned_forms(copy) if s[1]["form"] == "referral")
    form = project.forms["referral"]
    context = browser.new_context(accept_downloads=True)
    requests, errors = [], []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto((copy / "review" / f"{name}.html").as_uri())
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.fonts.check('16px \"Noto Sans Khmer\"', 'ក')")
    assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    assert page.locator("img.scan-crop").count() == sum("crop" in item for item in saved["scan"]["review"])
    for data_field in form.data_fields:  # the ticks the page opens with are those read from paper
        for slot, option in tick_keys(data_field):
            box = page.locator(f'[name="{slot}"][value="{option}"]')
            assert box.is_checked() == (option in saved["values"][data_field.name].split()), (slot, option)

    page.fill('[name="client_name"]', TYPED["text"])
    answered = set()
    for _ in range(4):  # what the form requires and the paper left empty (a required answer may lead to another)
        values = json.loads(_save(page, tmp_path).read_text(encoding="utf-8"))["values"]
        missing = missing_required(form, values)
        if not missing:
            break
        for data_field in missing:
            answered.add(data_field.name)
            if data_field.widget == "radio":
                page.check(f'[name="{data_field.name}"][value="{data_field.options[0].value}"]')
            elif data_field.widget in ("checkbox", "checkboxes"):
                page.check(f'[name="{tick_keys(data_field)[0][0]}"]')
            else:
                page.fill(f'[name="{data_field.name}"]', TYPED.get(data_field.kind, "Dara")[:data_field.max_length or None])
    assert not missing
    questions = page.locator("input.scan-confirm")
    assert questions.count() == page.locator(".scan-review").count() > 0
    layout = Layout.load(project.root, "km+en")
    for index in range(questions.count()):
        questions.nth(index).check()
    assert page.locator(".scan-review:not(.scan-checked)").count() == 0
    assert page.locator("#casekit-status").inner_text() == layout.text("Every answer marked “To check” is checked.")
    reviewed = _save(page, tmp_path)
    data = json.loads(reviewed.read_text(encoding="utf-8"))
    assert reviewed.name == f"{name}-reviewed.json"
    assert (data["form"], data["version"], data["language"]) == ("referral", form.version, "km+en")
    assert data["values"]["client_name"] == TYPED["text"]
    assert sorted(data["scan"]["checked"]) == sorted(q.get_attribute("data-group") for q in questions.all())
    assert data["scan"]["pages"] == saved["scan"]["pages"]

    page.reload()  # what was typed is gone until the file is opened again, with its checks
    assert page.input_value('[name="client_name"]') == ""
    page.set_input_files("#casekit-file", str(reviewed))
    page.locator(".scan-review.scan-checked").first.wait_for()
    assert page.input_value('[name="client_name"]') == TYPED["text"]
    assert page.locator(".scan-review:not(.scan-checked)").count() == 0
    other = tmp_path / "other.json"  # the file of another scanned copy of the same form is refused
    other.write_text(json.dumps({**data, "scan": {**data["scan"], "pages": {"1": "another.jpg"}}}), encoding="utf-8")
    page.set_input_files("#casekit-file", str(other))
    page.locator("#casekit-status.error").wait_for()
    assert page.locator("#casekit-status").inner_text().startswith(layout.text(
        "This file was saved from another scanned form ({file}). Open it on the page of that scanned form.").split(" (")[0])

    assert errors == []
    assert requests and all(url.startswith((copy.as_uri(), "blob:", "data:")) for url in requests), requests
    context.close()

    table = tmp_path / "referral-table.json"
    result = run_casekit("extract", str(reviewed), "-o", str(table))
    assert result.returncode == 0, result.stderr
    row = json.loads(table.read_text(encoding="utf-8"))[0]
    assert row["client_name"] == TYPED["text"]
    for data_field in form.data_fields:  # ticks nobody touched stay as read from the paper
        if tick_keys(data_field) and data_field.name not in answered:
            assert row[data_field.name] == saved["values"][data_field.name], data_field.name
