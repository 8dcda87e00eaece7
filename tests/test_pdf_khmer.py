"""Khmer on the printed page: lines break between words (generator/pdf.py, with_word_breaks), never inside a
letter cluster nor before ។, every line stays inside its column and the page's content box, and the text
copied from the page is the text as written."""
from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from conftest import ROOT
from generator.pdf import WORD_BREAK, render_document, with_word_breaks

KHMER = re.compile("[\u1780-\u17ff\u19e0-\u19ff]")
MM = 25.4 / 96  # one CSS pixel (WeasyPrint's unit) in mm
# A break before one of these would split a cluster (a sign, or the letter after a coeng ្) or start a line
# with a sign that ends a word or a sentence (។ ៕ ៖ ៗ …).
NO_BREAK_BEFORE = re.compile(WORD_BREAK + "[\u17b4-\u17dd]|\u17d2" + WORD_BREAK)


def khmer_catalog() -> list[str]:
    with (ROOT / "translations" / "km" / "LC_MESSAGES" / "casekit.po").open("rb") as po:
        return [m.string for m in read_po(po) if m.id and m.string and KHMER.search(m.string)]


def test_breaks_fall_between_words_only():
    """Every Khmer text of the catalog: breaks where the segmenter found words, none inside a cluster or
    before ។, and the text itself unchanged."""
    texts = khmer_catalog()
    marked = [with_word_breaks(text) for text in texts]
    assert [m.replace(WORD_BREAK, "") for m in marked] == texts
    assert not [m for m in marked if NO_BREAK_BEFORE.search(m)]
    long_ones = [m for t, m in zip(texts, marked) if len(KHMER.findall(t)) > 30 and " " not in t]
    assert long_ones and all(WORD_BREAK in m for m in long_ones)  # a long label can wrap
    assert with_word_breaks("ការវាយតម្លៃហានិភ័យ។") == "ការវាយតម្លៃ" + WORD_BREAK + "ហានិភ័យ។"


def test_only_the_printed_text_gets_breaks():
    """Tags, attributes (tooltips, field values), the title, stylesheets and a text field's default value
    are not lines of the page: they stay as written."""
    word = "ការវាយតម្លៃហានិភ័យ"
    html = (f'<html><head><title>{word}</title><style>p::after {{ content: "{word}" }}</style></head>'
            f'<body><p title="{word}">{word} &amp; Risk</p><input value="{word}"><textarea>{word}</textarea></body></html>')
    marked = with_word_breaks(html)
    assert marked.replace(WORD_BREAK, "") == html
    assert marked.count(WORD_BREAK) == 1 and f">ការវាយតម្លៃ{WORD_BREAK}ហានិភ័យ &amp; Risk<" in marked
    assert with_word_breaks("<p>Risk assessment</p>") == "<p>Risk assessment</p>"


def test_khmer_on_a_page_in_another_language_is_marked_as_khmer():
    """Khmer words on an English page are set at Khmer's line height (the font table's, for [lang=km]):
    at the Latin one their wrapped lines touch. On a Khmer page the text is left as it is."""
    english = with_word_breaks('<html lang="en"><body><p>Risk: ការវាយតម្លៃហានិភ័យ</p></body></html>')
    assert f'<p><span lang="km">Risk: ការវាយតម្លៃ{WORD_BREAK}ហានិភ័យ</span></p>' in english
    khmer = with_word_breaks('<html lang="km"><body><p>ការវាយតម្លៃហានិភ័យ</p></body></html>')
    assert "<span" not in khmer


def text_boxes(box, container=None, line=None, margin=False, out=None):
    """Every text box of a page in drawing order: (box, its containing block, its line, in a page margin)."""
    from weasyprint.formatting_structure import boxes
    out = [] if out is None else out
    if isinstance(box, boxes.LineBox):
        line = box
    elif isinstance(box, boxes.TextBox):
        out.append((box, container, line, margin))
        return out
    elif isinstance(box, boxes.BlockContainerBox):
        container, margin = box, margin or isinstance(box, boxes.MarginBox)
    for child in getattr(box, "children", ()):
        text_boxes(child, container, line, margin, out)
    return out


@pytest.mark.parametrize("form_id", ["referral", "assessment", "case_plan", "closure", "consent_release"])
@pytest.mark.parametrize("layout, paper", [("km", "a4"), ("km+en", "letter")])
def test_every_khmer_line_stays_in_its_column(project, form_id, layout, paper):
    """The form laid out as the build lays it out: each line of Khmer lies inside the block that holds it
    (a field, a table cell, a column of the instructions) and inside the page's content box, and where a
    Khmer text goes on to the next line, it does so between words."""
    from generator.layout import Layout
    from generator.render import form_html, stylesheet
    html = form_html(project, project.forms[form_id], Layout.load(ROOT, layout), "fillable", paper, css_apart=True)
    document = render_document(html, True, str(stylesheet()))
    over, split = [], []
    for number, page in enumerate(document.pages, 1):
        page_box = page._page_box
        content = (page_box.content_box_x(), page_box.content_box_x() + page_box.width)
        found = text_boxes(page_box)
        for box, container, _, margin in found:
            if not KHMER.search(box.text):
                continue
            left, right = container.content_box_x(), container.content_box_x() + container.width
            if not margin:  # the running header and footer sit in the page's margins
                left, right = max(left, content[0]), min(right, content[1])
            if box.position_x < left - 0.5 or box.position_x + box.width > right + 0.5:
                over.append((number, box.text.replace(WORD_BREAK, "")[:40],
                             round((box.position_x + box.width - right) * MM, 1)))
        for (a, _, line_a, _), (b, _, line_b, _) in zip(found, found[1:]):
            whole = "".join(a.element.itertext()) if a.element is not None else ""
            if (a.element is b.element and line_a is not line_b and a.text and b.text and KHMER.match(a.text[-1])
                    and KHMER.match(b.text[0]) and a.text + b.text in whole):
                split.append((number, a.text[-12:], b.text[:12]))
    assert not over, f"Khmer past its column (page, text, mm over): {over[:5]}"
    assert not split, f"a line broke inside a Khmer word: {split[:5]}"


# Where Khmer text lands, for the layout check (generator/layout_check.py): text in a margin, past the paper or
# over other text, and writing lines with too little room above for Khmer handwriting (8 mm).
KHMER_TEXT_KINDS = ("paper-edge", "outside", "band", "overlap", "line-space")


def test_built_khmer_pdfs_keep_their_text_on_the_page(built_site, project):
    """Every Khmer and bilingual print PDF `casekit build` writes (both papers; the fillable variant is the
    same page) and the Khmer sample fill. The workshop pack's worksheets are trainers' tables, short of room
    in English too: only where its text lands counts here."""
    from generator.layout_check import check_pdf, default_pdfs
    paths = [p for p in default_pdfs(ROOT) if re.search(r"-km(-en)?[-.]", p.name) and "-fillable-" not in p.name]
    assert len(paths) >= 2 * 2 * len(project.forms)
    problems = [problem for path in paths for problem in check_pdf(path, project, label=path.name)
                if problem.kind in KHMER_TEXT_KINDS and not (path.name.startswith("workshop_pack")
                                                             and problem.kind == "line-space")]
    assert not problems, "\n".join(map(str, problems[:20]))
