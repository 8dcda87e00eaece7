"""HTML -> PDF with WeasyPrint; metadata comes from the form, so builds are byte-identical."""
from __future__ import annotations

import hashlib
import logging

from weasyprint import HTML

from .render import PACKAGE_DIR

# WeasyPrint warns about CSS it ignores (e.g. appearance) on every render; keep our log readable.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def html_to_pdf(html: str, fillable: bool) -> tuple[bytes, int]:
    """The PDF and its page count; the PDF identifier is a hash of the HTML, not random."""
    identifier = hashlib.md5(html.encode("utf-8")).hexdigest().encode()
    document = HTML(string=html, base_url=str(PACKAGE_DIR) + "/").render(pdf_forms=fillable)
    return document.write_pdf(pdf_forms=fillable, pdf_identifier=identifier), len(document.pages)
