"""`casekit fill` with values too long for their box: the whole form is laid out with them, in every field kind,
and on the rendered page no value runs over other text or off the paper. Dates in table cells keep separators."""
import re
from pathlib import Path

import pypdfium2
import pytest

from generator.data.fill import filled_pdf, print_values
from generator.data.stamp import blank_sheet, stamp
from generator.layout import Layout
from generator.model import load_project

PROJECT = Path(__file__).parent / "fixtures" / "data" / "project"  # the form `kinds`: every field kind
LONG = " ".join(f"v{n:02d}" for n in range(1, 61))  # 60 numbered words: each must reach the page
MM = 72 / 25.4


@pytest.fixture(scope="module")
def kinds():
    project = load_project(PROJECT)
    return project, blank_sheet(project, project.forms["kinds"], Layout.load(project.root, "en"), "a4")


def glyphs(pdf: bytes):
    """Per page: its size and the box (left, bottom, right, top) and character of every drawn glyph."""
    document = pypdfium2.PdfDocument(pdf)
    for page in document:
        text = page.get_textpage()
        boxes = [(text.get_charbox(i), text.get_text_range(i, 1), i) for i in range(text.count_chars())]
        yield page.get_size(), [item for item in boxes if item[1].strip()], text.get_text_range()


def overlapping(boxes):
    """Pairs of glyphs that cover each other by more than a quarter of the smaller one
    (neighbours in the text are left out: a ligature such as "fi" is one glyph for two characters)."""
    found = []
    ordered = sorted(boxes, key=lambda item: item[0][0])
    for i, ((l1, b1, r1, t1), c1, n1) in enumerate(ordered):
        for (l2, b2, r2, t2), c2, n2 in ordered[i + 1:]:
            if l2 >= r1:
                break
            if abs(n1 - n2) <= 2:
                continue
            width, height = min(r1, r2) - max(l1, l2), min(t1, t2) - max(b1, b2)
            smaller = min((r1 - l1) * (t1 - b1), (r2 - l2) * (t2 - b2))
            if width > 0 and height > 0 and width * height > 0.25 * smaller:
                found.append((c1, c2, round(l1), round(b1)))
    return found


KINDS = {  # field kind -> a value of it that cannot fit its box on the blank form (and text in the row below)
    "text": {"caseworker_name": LONG},
    "long_text": {"story": " ".join([LONG] * 3)},
    "choice other": {"sex": "other", "sex_other": LONG},
    "multi-choice other": {"needs": "other", "needs_other": LONG},
    "signature name": {"client_signature_name": LONG},
    "grid comment": {"status_health": "2", "status_health_comment": LONG, "status_school_comment": "next row"},
    "table cell": {"plan_1_need": LONG, "plan_2_need": "next row"},
}


@pytest.mark.parametrize("kind", KINDS)
def test_a_value_too_long_for_its_box_gets_the_whole_form_layout(kinds, kind):
    project, sheet = kinds
    form = project.forms["kinds"]
    values = {"client_name": "Dara", "met_on": "2026-11-03", **KINDS[kind]}
    assert stamp(sheet, print_values(form, values)) is None  # does not fit the blank form's box
    pdf = filled_pdf(project, "kinds", "en", values, "a4", sheet)
    words = set()
    for (width, height), boxes, text in glyphs(pdf):
        assert not overlapping(boxes), (kind, overlapping(boxes)[:5])
        assert all(5 * MM <= l and r <= width - 5 * MM and 5 * MM <= b and t <= height - 5 * MM
                   for (l, b, r, t), _, _ in boxes), kind  # on the paper, clear of its edge
        words |= set(re.findall(r"v\d\d", text))
    assert words == set(LONG.split()), kind  # every word of the value is on the page


def test_the_check_finds_a_value_run_over_other_text(kinds):
    """The overlap check above can fail: two values stamped into one box overlap."""
    project, sheet = kinds
    form = project.forms["kinds"]
    pdf = stamp(sheet, print_values(form, {"client_name": "Dara Dara", "phone_code": "1234"}))
    boxes = [b for _, page, _ in glyphs(pdf) for b in page]
    shifted = [((l + 1, b, r + 1, t), c, n + 1000) for (l, b, r, t), c, n in boxes[:20]]
    assert overlapping(boxes[:20] + shifted)


def test_a_date_in_a_table_keeps_its_separators(kinds):
    project, sheet = kinds
    form = project.forms["kinds"]
    values = {"client_name": "Dara", "met_on": "2026-11-03", "plan_1_by_when": "2026-12-20"}
    for pdf in (stamp(sheet, print_values(form, values)),
                filled_pdf(project, "kinds", "en", {**values, "plan_2_need": LONG}, "a4", sheet)):  # both ways onto the page
        text = "".join(page_text for _, _, page_text in glyphs(pdf))
        assert "20/12/2026" in "".join(text.split())
        assert "20122026" not in "".join(text.split())
