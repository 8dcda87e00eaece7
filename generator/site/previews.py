"""A PNG of each form's first page (print, on the first paper of the settings) for its handbook page, cached by the PDF's hash."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from ..forms_pdf import PdfResult
from ..model import Project

PREVIEW_WIDTH = 640  # pixels: sharp at 320 CSS pixels on a projector or a phone


def _first_page_png(pdf: bytes) -> bytes:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    page = document[0]
    image = page.render(scale=PREVIEW_WIDTH / page.get_width()).to_pil().convert("L")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def preview_files(project: Project, results: list[PdfResult], cache: Path) -> dict[str, bytes]:
    files = {}
    for result in results:
        job = result.job
        if job.variant != "print" or job.paper != project.settings.papers[0] or job.layout not in project.settings.languages:
            continue
        key = cache / "previews" / (hashlib.sha256(result.pdf).hexdigest() + ".png")
        if not key.exists():
            key.parent.mkdir(parents=True, exist_ok=True)
            key.write_bytes(_first_page_png(result.pdf))
        files[f"preview/{job.form_id}-{job.layout}.png"] = key.read_bytes()
    return files
