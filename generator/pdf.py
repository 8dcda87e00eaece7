"""HTML -> PDF with WeasyPrint; metadata comes from the form, so builds are byte-identical."""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache

import pydyf
import weasyprint.draw.text
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from .render import PACKAGE_DIR

COMPLEX_SCRIPT = re.compile("[\u1780-\u17ff\u19e0-\u19ff]")  # Khmer and Khmer symbols


def _with_actual_text(draw_first_line):
    """Mark each drawn line of Khmer with its real text (PDF /ActualText).

    WeasyPrint's ToUnicode map gives a glyph the text of the first cluster it was drawn in, and Khmer
    reuses glyphs across clusters (subscripts, split vowels), so copied or extracted Khmer came out
    garbled. Readers that honour ActualText (poppler and PDFium, tested) now get the exact text;
    the drawing itself is untouched."""
    def draw(stream, textbox, *args, **kwargs):
        if not COMPLEX_SCRIPT.search(textbox.text):
            return draw_first_line(stream, textbox, *args, **kwargs)
        stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(textbox.text)}))
        try:
            return draw_first_line(stream, textbox, *args, **kwargs)
        finally:
            stream.end_marked_content()
    draw.casekit_actual_text = True
    return draw


if not getattr(weasyprint.draw.text.draw_first_line, "casekit_actual_text", False):
    weasyprint.draw.text.draw_first_line = _with_actual_text(weasyprint.draw.text.draw_first_line)


@lru_cache(maxsize=4)
def _parsed(stylesheet: str) -> tuple[FontConfiguration, CSS]:
    fonts = FontConfiguration()
    return fonts, CSS(string=stylesheet, base_url=str(PACKAGE_DIR) + "/", font_config=fonts)


def render_document(html: str, fillable: bool, stylesheet: str | None = None):
    """The laid-out pages, for callers that also need to know where things landed.

    A stylesheet given apart is parsed, and its fonts loaded, once per process: the hundreds of
    small documents of a mail merge share it, which halves their time."""
    if stylesheet is None:
        return HTML(string=html, base_url=str(PACKAGE_DIR) + "/").render(pdf_forms=fillable)
    fonts, css = _parsed(stylesheet)
    return HTML(string=html, base_url=str(PACKAGE_DIR) + "/").render(
        pdf_forms=fillable, stylesheets=[css], font_config=fonts)


def document_pdf(document, html: str, fillable: bool) -> bytes:
    """The PDF identifier is a hash of the HTML, not random."""
    identifier = hashlib.md5(html.encode("utf-8")).hexdigest().encode()
    # custom_metadata keeps <meta name="casekit-form"> etc. in the PDF, so `casekit extract` knows the form
    return document.write_pdf(pdf_forms=fillable, pdf_identifier=identifier, custom_metadata=True)


def html_to_pdf(html: str, fillable: bool) -> tuple[bytes, int]:
    """The PDF and its page count."""
    document = render_document(html, fillable)
    return document_pdf(document, html, fillable), len(document.pages)
