"""Page budgets (issue 11): what an agency prints and a caseworker carries. Pages come from
site/forms/manifest.json, as the site and the README table report them; the reply slip is checked
on the PDFs' own pages. Table for the README: python tests/benchmarks/page_table.py"""
from __future__ import annotations

import json

import pytest

from conftest import FIXTURES, ROOT
from generator.i18n import WESTERN_DIGITS
from generator.model.forms import CASE_NUMBERS
from generator.layout_check import STYLES, Frame, first_text, read_pages

FORMS = ROOT / "site" / "forms"
STANDARD = ("intake", "assessment", "case_plan", "review", "referral", "closure")
SET_BUDGET = {"en": 24, "km+en": 34}  # the six forms together, A4
FORM_BUDGET = {"en": 5}  # any one of the six
NEW_FORM_BUDGET = {"en": 3, "km+en": 4}  # a form an agency adds
REFERRAL_BUDGET = {"en": 4}


@pytest.fixture(scope="module")
def manifest(project, built_site):
    data = json.loads((FORMS / "manifest.json").read_text())
    files = [e for e in data["files"] if e["form"] in project.forms]
    assert files and all(isinstance(e.get("pages"), int) and e["pages"] >= 1 for e in files)
    return files


def pages(manifest, form, layout, variant, paper="a4") -> int:
    return next(e["pages"] for e in manifest if (e["form"], e["language"], e["variant"], e["paper"]) ==
                (form, layout, variant, paper))


@pytest.mark.parametrize("variant", ["print", "fillable"])
@pytest.mark.parametrize("layout", sorted(SET_BUDGET))
def test_the_six_forms_together(manifest, project, layout, variant):
    assert set(STANDARD) <= set(project.forms)
    counts = {form: pages(manifest, form, layout, variant) for form in STANDARD}
    assert sum(counts.values()) <= SET_BUDGET[layout], counts


def test_no_english_form_over_five_pages(manifest, project):
    over = {(e["form"], e["variant"], e["paper"]): e["pages"] for e in manifest
            if e["language"] == "en" and e["form"] in STANDARD and e["pages"] > FORM_BUDGET["en"]}
    assert not over, over


def test_forms_an_agency_adds(manifest, project, tmp_path):
    """Every form beyond the six, and the seventh form of the fixtures (rendered here), within its budget."""
    import shutil
    from generator.forms_pdf import PdfJob, render_job
    from generator.model import load_project
    over = {(e["form"], e["language"], e["variant"], e["paper"]): e["pages"] for e in manifest
            if e["form"] not in STANDARD and e["language"] in NEW_FORM_BUDGET
            and e["pages"] > NEW_FORM_BUDGET[e["language"]]}
    for name in ("forms", "translations"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(FIXTURES / "forms" / "home_visit.yaml", tmp_path / "forms" / "home_visit.yaml")
    copy = load_project(tmp_path)
    for layout, budget in NEW_FORM_BUDGET.items():
        result = render_job(copy, PdfJob("home_visit", layout, "print", "a4"))
        if result.pages > budget:
            over[("home_visit", layout, "print", "a4")] = result.pages
    assert not over, over


def test_referral_with_its_reply_slip(manifest):
    over = {(e["variant"], e["paper"]): e["pages"] for e in manifest
            if e["form"] == "referral" and e["language"] in REFERRAL_BUDGET and e["pages"] > REFERRAL_BUDGET[e["language"]]}
    assert not over, over


def first_texts(path):
    """Per page, the first text inside the content box (under the running header)."""
    out = []
    for page in read_pages(path):
        frame = Frame.of(STYLES["form"], page.width, page.height)
        first = first_text([s for s in page.shapes if frame.inside(s)])
        out.append(first.text.strip().translate(WESTERN_DIGITS) if first else "")  # ៦. is 6.
    return out


def test_sections_that_start_a_page_fill_exactly_their_own(manifest, project):
    """A `new_page` section (the referral's reply slip) begins its page, so it can be detached, and takes one
    sheet: the next section, or the end of the form, is on the next page. Headings are found by their
    number ("6."), so every language is checked."""
    checked, wrong = 0, []
    for e in manifest:
        form = project.forms[e["form"]]
        if e["variant"] != "print":
            continue
        firsts = first_texts(FORMS / e["path"])
        for index, section in enumerate(form.sections):
            if not section.new_page:
                continue
            mark = f"{index + 1}."
            checked += 1
            starts = [n for n, text in enumerate(firsts, start=1) if text.startswith(mark)]
            if not starts:
                wrong.append(f"{e['path']}: section {mark} does not begin a page")
                continue
            after = f"{index + 2}."
            ends = [n for n, text in enumerate(firsts, start=1) if text.startswith(after)]
            following = ends[0] if index + 1 < len(form.sections) and ends else len(firsts) + 1
            if following - starts[0] != 1:
                wrong.append(f"{e['path']}: section {mark} takes {following - starts[0]} pages")
    assert checked >= 6, "no new_page section found: the referral's reply slip should be one"
    assert not wrong, wrong


@pytest.fixture(scope="module")
def printed_slots(project, built_site):
    """Per built sheet (form/version/layout/paper), the page of every writing line, box and tick of each field,
    from the layout map the build writes beside the manifest (what `casekit fill` and `scan` place by)."""
    sheets = json.loads((FORMS / "layout-map.json").read_text())["sheets"]
    assert sheets
    return sheets


def test_a_split_table_keeps_two_rows_on_each_page(project, printed_slots):
    """A table broken by a page keeps at least two rows on each side: a single row under a repeated header
    reads as another table, and its writer turns the page for one line."""
    stranded = {}
    for key, sheet in printed_slots.items():
        form = project.forms[key.split("/")[0]]
        for field in form.fields:
            if field.kind != "table":
                continue
            rows_on = {}
            for name, _, _, page, *_ in sheet["slots"]:
                row = next((r for r in field.row_keys if name.startswith(f"{field.id}_{r}_")), None)
                if row is not None:
                    rows_on.setdefault(page, set()).add(row)
            if len(rows_on) > 1 and min(len(rows) for rows in rows_on.values()) < 2:
                stranded[key, field.id] = {page: len(rows) for page, rows in sorted(rows_on.items())}
    assert not stranded, stranded


def test_no_page_holds_a_signature_alone(project, printed_slots):
    """A signature comes with the line before it: a sheet with one signature box and nothing else (the case
    plan's last page once held just that) is a page someone signs without seeing what they sign. A page of
    several signatures, the sign-off of a long form, is allowed."""
    alone = {}
    for key, sheet in printed_slots.items():
        form = project.forms[key.split("/")[0]]
        parts = {f"{f.id}_{part}": f.id for f in form.fields if f.kind == "signature" for part in ("date", "name")}
        header = {number.name for number in CASE_NUMBERS}
        for page in range(1, sheet["pages"] + 1):
            names = {slot[0] for slot in sheet["slots"] if slot[3] == page} - header
            if names and names <= parts.keys() and len({parts[name] for name in names}) == 1:
                alone[key, page] = sorted(names)
    assert not alone, alone
