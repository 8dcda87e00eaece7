"""HTML -> PDF with WeasyPrint; metadata comes from the form, so builds are byte-identical.

casekit relies on a few WeasyPrint internals (and one of pypdf's). They are checked, and the Khmer
patch applied, when rendering starts (`prepare`), not when this module is imported: a version that
lacks one fails with a message naming the versions we test, instead of a traceback or a feature
silently missing.
"""
from __future__ import annotations

import hashlib
import re
from contextlib import contextmanager
from functools import lru_cache

from .errors import InputError, Problem
from .render import PACKAGE_DIR
from .scan.marks import finisher as scan_marks
from .slots import slot_table, slots_of

# Keep in step with pyproject.toml (tests/test_pdf_pipeline.py checks): the versions the hooks below are tested on.
SUPPORTED = {"weasyprint": ">=66,<71", "pypdf": ">=4,<8"}
COMPLEX_SCRIPT = re.compile("[\u1780-\u17ff\u19e0-\u19ff]")  # Khmer and Khmer symbols
# A piece of markup (group 1), or a text node. Markup is not printed text: tags (their attributes: tooltips,
# field values) and elements whose content is no line of the page (stylesheets, the document title, a text
# field's default value).
MARKUP_OR_TEXT = re.compile(r"(<(style|script|title|textarea)\b.*?</\2\s*>|<!--.*?-->|<[^>]*>)|[^<]+", re.S | re.I)
WORD_BREAK = "\u200b"  # zero-width space: where a line of Khmer may break
SCRIPT_LANGUAGE = "km"  # the language whose script COMPLEX_SCRIPT finds, and whose segmenter breaks it
PAGE_LANGUAGE = re.compile(r'<html\b[^>]*\blang="([^"]*)"', re.I)


def _with_actual_text(draw_first_line):
    """Mark each drawn line of Khmer with its real text (PDF /ActualText).

    WeasyPrint's ToUnicode map gives a glyph the text of the first cluster it was drawn in, and Khmer
    reuses glyphs across clusters (subscripts, split vowels), so copied or extracted Khmer came out
    garbled. Readers that honour ActualText (poppler and PDFium, tested) now get the exact text;
    the drawing itself is untouched."""
    import pydyf

    def draw(stream, textbox, *args, **kwargs):
        if not COMPLEX_SCRIPT.search(textbox.text):
            return draw_first_line(stream, textbox, *args, **kwargs)
        text = textbox.text.replace(WORD_BREAK, "")  # the words as written: the breaks are ours, for layout
        stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(text)}))
        try:
            return draw_first_line(stream, textbox, *args, **kwargs)
        finally:
            stream.end_marked_content()
    draw.casekit_actual_text = True
    return draw


def missing_hooks() -> list[str]:
    """The internals casekit uses that the installed WeasyPrint, pydyf and pypdf do not have."""
    import pydyf
    import pypdf
    import weasyprint.document
    import weasyprint.draw.text
    import weasyprint.pdf.stream
    page_attributes = weasyprint.document.Page.__init__.__code__.co_names  # set on each page, not on the class
    stream_attributes = weasyprint.pdf.stream.Stream.__init__.__code__.co_names
    needed = {
        "weasyprint.draw.text.draw_first_line (Khmer /ActualText)": hasattr(weasyprint.draw.text, "draw_first_line"),
        "pydyf.Stream.begin_marked_content": hasattr(pydyf.Stream, "begin_marked_content"),
        "weasyprint Page.forms (print and fillable from one layout)": "forms" in page_attributes,
        "weasyprint Page._page_box (where boxes landed, for casekit fill)": "_page_box" in page_attributes,
        "weasyprint Page.paint, Stream._resources, _images, _tags (a page drawn once for print and fillable)":
            hasattr(weasyprint.document.Page, "paint") and {"_resources", "_images", "_tags"} <= set(stream_attributes),
        "pypdf PdfWriter._add_object (values stamped onto a form)": hasattr(pypdf.PdfWriter, "_add_object"),
    }
    return [name for name, present in needed.items() if not present]


@lru_cache(maxsize=1)
def prepare() -> None:
    """Check the hooks and patch WeasyPrint for Khmer, once per process, before the first render."""
    import weasyprint
    import weasyprint.draw.text
    missing = missing_hooks()
    if missing:
        import pypdf
        raise InputError([Problem(
            f"WeasyPrint {weasyprint.__version__}, pypdf {pypdf.__version__}",
            "this version lacks what casekit's PDFs rely on (" + "; ".join(missing) + "). casekit supports "
            + ", ".join(f"{name}{versions}" for name, versions in SUPPORTED.items())
            + ": pip install " + " ".join(f"'{name}{versions}'" for name, versions in SUPPORTED.items()))])
    if not getattr(weasyprint.draw.text.draw_first_line, "casekit_actual_text", False):
        weasyprint.draw.text.draw_first_line = _with_actual_text(weasyprint.draw.text.draw_first_line)


@lru_cache(maxsize=4)
def _parsed(stylesheet: str):
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration
    fonts = FontConfiguration()
    return fonts, CSS(string=stylesheet, base_url=str(PACKAGE_DIR) + "/", font_config=fonts)


@lru_cache(maxsize=4096)
def _words_marked(text: str) -> str:
    """A text node repeats across the matrix (papers, variants, layouts): segmented once per process."""
    from .site.khmer_search import segment
    return segment(text)


def with_word_breaks(html: str) -> str:
    """Khmer printed text with a break opportunity between words (WORD_BREAK), found by the segmenter the
    site uses: Khmer has no spaces between words and Pango finds no breaks in it, so a long label could
    not wrap. None before ។ and no break inside a letter cluster (see khmer_search.segment). Only the text
    WeasyPrint lays out changes, not tags, attributes or the title, nor any catalog, page of the site or
    saved data; /ActualText drops the breaks again, so copied text is as written.

    On a page in another language, Khmer text is also marked as Khmer, so it gets its script's line height
    from the font table (fontfaces.pdf_css): at a Latin line height its wrapped lines would touch."""
    if not COMPLEX_SCRIPT.search(html):
        return html
    page = PAGE_LANGUAGE.search(html)
    foreign = page is not None and page.group(1) != SCRIPT_LANGUAGE  # a fragment has no line height of its own
    return MARKUP_OR_TEXT.sub(lambda m: m.group(0) if m.group(1) or not COMPLEX_SCRIPT.search(m.group(0))
                              else _marked_as_khmer(_words_marked(m.group(0))) if foreign
                              else _words_marked(m.group(0)), html)


def _marked_as_khmer(text: str) -> str:
    return f'<span lang="{SCRIPT_LANGUAGE}">{text}</span>'


def render_document(html: str, fillable: bool, stylesheet: str | None = None):
    """The laid-out pages, for callers that also need to know where things landed.

    A stylesheet given apart is parsed, and its fonts loaded, once per process: the hundreds of
    small documents of a mail merge share it, which halves their time."""
    prepare()
    html = with_word_breaks(html)
    from weasyprint import HTML
    if stylesheet is None:
        return HTML(string=html, base_url=str(PACKAGE_DIR) + "/").render(pdf_forms=fillable)
    fonts, css = _parsed(stylesheet)
    return HTML(string=html, base_url=str(PACKAGE_DIR) + "/").render(
        pdf_forms=fillable, stylesheets=[css], font_config=fonts)


@contextmanager
def _without_fields(document):
    """The pages with no form fields: what the print variant is, laid out exactly as the fillable one."""
    kept = [page.forms for page in document.pages]
    for page in document.pages:
        page.forms = {None: []}
    try:
        yield document
    finally:
        for page, forms in zip(document.pages, kept):
            page.forms = forms


# Resources a page's drawing may add besides fonts and plain graphics states: each PDF must own these objects.
OWNED_RESOURCES = ("XObject", "Pattern", "Shading")


@contextmanager
def _painted_once(document):
    """Every write of the document inside reuses each page's drawing from the first write.

    Drawing is most of a write (about 80 %), and the print and fillable PDFs of a sheet draw the same
    pages: the fields are annotations beside the drawing, not in it. A page is reused only if its drawing
    referred to nothing but fonts (the document's, shared by every write) and graphics states that are
    plain values (opacity); a page with images, masks, patterns or shadings, or a tagged PDF, is drawn again."""
    for page in document.pages:
        page.paint = _painting_once(page.paint)
    try:
        yield document
    finally:
        for page in document.pages:
            del page.paint  # the class's own method again


def _painting_once(paint):
    drawn = None  # scale, operators, graphics states

    def paint_once(stream, scale=1):
        nonlocal drawn
        if drawn is not None and drawn[0] == scale and stream._tags is None:  # tags are recorded while drawing
            stream.stream.extend(drawn[1])
            stream._resources["ExtGState"].update(drawn[2])
            return
        start = len(stream.stream)
        paint(stream, scale)
        resources, states = stream._resources, stream._resources.get("ExtGState", {})
        owned = stream._images or any(resources.get(kind) for kind in OWNED_RESOURCES)
        if stream._tags is None and not owned and not any("SMask" in state for state in states.values()):
            drawn = scale, stream.stream[start:], dict(states)
    return paint_once


def _fields_once(document) -> None:
    """Each field placed once, where it first appears (the case numbers repeat in every page's header).

    The fields are also taken out of their <form>: a form's fields are named for viewers by a search of
    every <label> of the form for each field, and ours carry that name in their title anyway."""
    seen = set()
    for page in document.pages:
        kept = []
        for box, rectangle in (item for inputs in page.forms.values() for item in inputs):
            key = (box.element.get("name"), box.element.get("value"))
            if key not in seen:
                seen.add(key)
                kept.append((box, rectangle))
        page.forms = {None: kept}


def document_pdf(document, html: str, fillable: bool) -> bytes:
    """The PDF identifier is a hash of the HTML and variant, not random."""
    identifier = hashlib.md5((html + ("fillable" if fillable else "print")).encode("utf-8")).hexdigest().encode()
    # custom_metadata keeps <meta name="casekit-form"> etc. in the PDF, so `casekit extract` knows the form;
    # the same names go into each page's QR code, drawn with the alignment marks (casekit scan reads them)
    marks = scan_marks(document)
    if fillable:
        _fields_once(document)
        return document.write_pdf(pdf_forms=True, pdf_identifier=identifier, custom_metadata=True, finisher=marks)
    with _without_fields(document):
        return document.write_pdf(pdf_identifier=identifier, custom_metadata=True, finisher=marks)


def print_and_fillable(html: str, stylesheet: str) -> tuple[bytes, bytes, int, tuple]:
    """Both variants from one layout of the fillable HTML, its pages drawn once: the print PDF is its pages
    without the fields; and where its boxes and writing lines are (the layout map, for casekit scan).

    Print is written first: the fillable write embeds the field font whole, and that must not reach print."""
    document = render_document(html, True, stylesheet)
    slots = slot_table(slots_of(document))
    with _painted_once(document):
        return document_pdf(document, html, False), document_pdf(document, html, True), len(document.pages), slots


def html_to_pdf(html: str, fillable: bool) -> tuple[bytes, int]:
    """The PDF and its page count."""
    document = render_document(html, fillable)
    return document_pdf(document, html, fillable), len(document.pages)
