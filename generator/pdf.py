"""HTML -> PDF with WeasyPrint; metadata comes from the form, so builds are byte-identical."""
from __future__ import annotations

import hashlib

from weasyprint import HTML

from .render import PACKAGE_DIR



def html_to_pdf(html: str, fillable: bool) -> tuple[bytes, int]:
    """The PDF and its page count; the PDF identifier is a hash of the HTML, not random."""
    identifier = hashlib.md5(html.encode("utf-8")).hexdigest().encode()
    document = HTML(string=html, base_url=str(PACKAGE_DIR) + "/").render(pdf_forms=fillable)
    # custom_metadata keeps <meta name="casekit-form"> etc. in the PDF, so `casekit extract` knows the form
    pdf = document.write_pdf(pdf_forms=fillable, pdf_identifier=identifier, custom_metadata=True)
    return pdf, len(document.pages)
