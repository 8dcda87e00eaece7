"""`casekit scan`: scanned PDFs and photos of filled forms -> the records `casekit extract` writes.

Every page is identified by its own QR code (any order, several forms mixed, upside down), read
against the layout map of the build that printed it, and grouped with the other pages of its filled
form: pages follow each other in the stack, so a page of a form joins the open copy of that form
unless that copy already has a page of its number. Tick boxes become values; what needs a person —
writing, digit boxes (case numbers, dates), uncertain ticks and corrections — gets an image crop and
a line in the review list. Nothing is guessed: a page that cannot be identified is reported.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, Problem, display_path
from ..model import Form, Project
from ..model.source import read_bytes
from .read import Page, crop, read_page, read_ticks

log = logging.getLogger("casekit")

PDF_DPI = 200  # scanned PDFs are redrawn at this resolution
MAX_SCAN_BYTES = 200 * 1024 * 1024
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp")
FORMS_FOLDER, CROPS_FOLDER, REPORT = "forms", "crops", "scan-report.json"


@dataclass
class Copy:
    """The pages of one filled form found in the stack."""

    form: Form
    sheet: str
    language: str
    pages: dict[int, Page] = field(default_factory=dict)


def images(path: Path):
    """(source name, grey image) for every page of a PDF or an image file; InputError saying why not."""
    import cv2
    import numpy as np
    name = display_path(path)
    data = read_bytes(path, name, MAX_SCAN_BYTES)
    suffix = path.suffix.lower()
    if data.startswith(b"%PDF-"):
        import pypdfium2 as pdfium
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            raise InputError([Problem(name, f"cannot read this PDF ({error}); is the file complete?")]) from None
        if len(document) == 0:
            raise InputError([Problem(name, "this PDF has no pages")])
        for number in range(len(document)):
            bitmap = document[number].render(scale=PDF_DPI / 72, grayscale=True).to_numpy()
            yield f"{name} page {number + 1}", bitmap if bitmap.ndim == 2 else bitmap[..., 0]
        return
    if suffix not in IMAGE_SUFFIXES and suffix != ".pdf":
        raise InputError([Problem(name, "give scanned PDFs or photos (.pdf, .jpg, .png, .tif)")])
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE) if data else None
    if image is None:
        kind = "a PDF" if suffix == ".pdf" else "an image"
        raise InputError([Problem(name, f"cannot read this file as {kind}; is it complete, and {kind}?")])
    yield name, image


def slot_index(sheet: dict) -> dict[tuple[str, str | None], list[list]]:
    index: dict[tuple[str, str | None], list[list]] = {}
    for row in sheet["slots"]:
        index.setdefault((row[0], row[1]), []).append(row)
    return index


def tick_keys(data_field) -> list[tuple[str, str]]:
    """The tick boxes of a value, as the template marks them: (slot name, option)."""
    if data_field.widget == "checkboxes":
        return [(f"{data_field.name}__{o.value}", o.value) for o in data_field.options]
    if data_field.widget == "checkbox":
        return [(data_field.name, "yes")]
    if data_field.widget == "radio":
        return [(data_field.name, o.value) for o in data_field.options]
    return []


def _on_paper(row: list, paper_mm: list) -> bool:
    x, y, w, h = row[4:8]
    return x >= 0 and y >= 0 and x + w <= paper_mm[0] and y + h <= paper_mm[1]


def group(pages: list[Page], project: Project) -> list[Copy]:
    copies, open_copies = [], {}
    for page in pages:
        if page.problem:
            continue
        key = page.page_id.sheet
        copy = open_copies.get(key)
        if copy is None or page.page_id.page in copy.pages:
            copy = Copy(project.forms[page.page_id.form], key, page.page_id.layout)
            copies.append(copy)
            open_copies[key] = copy
        copy.pages[page.page_id.page] = page
    return copies


def page_ticks(copy: Copy, sheet: dict) -> dict:
    """{layout map row: Tick} of every tick box printed whole on the pages found, read page by page."""
    by_page: dict[int, list[tuple]] = {}
    for row in sheet["slots"]:
        if row[2] == "tick" and row[3] in copy.pages and _on_paper(row, sheet["paper_mm"]):
            by_page.setdefault(row[3], []).append(tuple(row))
    ticks = {}
    for number, rows in by_page.items():
        ticks.update(zip(rows, read_ticks(copy.pages[number], [row[4:8] for row in rows])))
    return ticks


def read_copy(copy: Copy, sheet: dict, name: str) -> tuple[dict[str, str], list[dict], dict[str, bytes]]:
    """(values, review items, crops by relative path) of one filled form."""
    import cv2
    slots = slot_index(sheet)
    values, review, crops = {}, [], {}
    ticks = page_ticks(copy, sheet)

    def add_crop(item: dict, rows: list[list]) -> None:
        page = copy.pages[rows[0][3]]
        x0, y0 = min(r[4] for r in rows), min(r[5] for r in rows)
        x1, y1 = max(r[4] + r[6] for r in rows), max(r[5] + r[7] for r in rows)
        relative = f"{CROPS_FOLDER}/{name}/{item['field']}{'-' + item['option'] if item.get('option') else ''}.png"
        crops[relative] = cv2.imencode(".png", crop(page.image, x0, y0, x1 - x0, y1 - y0))[1].tobytes()
        item.update(crop=relative, page=rows[0][3])
        review.append(item)

    for data_field in copy.form.data_fields:
        keys = tick_keys(data_field)
        if not keys:  # written by hand: a person reads it from its crop
            rows = [r for (slot, _), found in slots.items() if slot == data_field.name for r in found]
            first_page = min((r[3] for r in rows if r[3] in copy.pages), default=None)
            values[data_field.name] = ""
            if first_page is not None:
                kind = "digits" if rows[0][2] == "digit" else "writing"
                add_crop({"field": data_field.name, "kind": kind}, [r for r in rows if r[3] == first_page])
            continue
        ticked = []
        for slot_name, option in keys:
            rows = [r for r in slots.get((slot_name, option), []) if r[3] in copy.pages]
            if not rows:
                continue
            row = rows[0]
            if not _on_paper(row, sheet["paper_mm"]):  # a layout fault: the box was never printed whole
                review.append({"field": data_field.name, "option": option, "kind": "off-paper", "page": row[3]})
                continue
            tick = ticks[tuple(row)]
            if tick.state == "ticked":
                ticked.append(option)
            if tick.state in ("uncertain", "corrected"):
                add_crop({"field": data_field.name, "option": option, "kind": tick.state,
                          "score": round(tick.score, 3), "confidence": round(tick.confidence, 2)}, [row])
        if data_field.widget == "radio" and len(ticked) > 1:
            review.append({"field": data_field.name, "kind": "several", "options": ticked})
            ticked = []
        values[data_field.name] = " ".join(ticked) if data_field.widget != "checkbox" else ("yes" if ticked else "")
    return values, review, crops


def scan(project: Project, sheets: dict, paths: list[Path]):
    """(files to write by relative path, summary lines, problems, pages read)."""
    from ..data.extract import table_bytes
    from ..data.values import FILE_COLUMN, FORM_COLUMN, LANGUAGE_COLUMN, VERSION_COLUMN, Row, check_row
    from .review import review_files
    problems, pages = [], []
    for path in paths:
        try:
            for source, gray in images(path):
                pages.append(read_page(gray, source, sheets))
                log.debug("%s: %s", source, pages[-1].problem or pages[-1].page_id.payload())
        except InputError as error:
            problems += error.problems
    for page in pages:
        if page.problem:
            problems.append(Problem(page.source, page.problem))
        elif page.page_id.form not in project.forms or project.forms[page.page_id.form].version != page.page_id.version:
            page.problem = (f"form '{page.page_id.form}' version {page.page_id.version} is in the layout map, but "
                            "this project defines " + (f"version {project.forms[page.page_id.form].version}"
                                                       if page.page_id.form in project.forms else "no such form"))
            problems.append(Problem(page.source, page.problem))
    files, summary, tables, reviewed = {}, [], {}, []
    counts: dict[str, int] = {}
    for copy in group(pages, project):
        sheet = sheets[copy.sheet]
        counts[copy.form.id] = counts.get(copy.form.id, 0) + 1
        name = f"{copy.form.id}-{counts[copy.form.id]}"
        values, review, crops = read_copy(copy, sheet, name)
        missing = [n for n in range(1, sheet["pages"] + 1) if n not in copy.pages]
        for number in missing:
            problems.append(Problem(f"{name} ({copy.sheet})", f"page {number} of {sheet['pages']} is missing "
                                                               "from the scans; its values are left empty"))
        warnings = [f"{p.source}: {w}" for p in copy.pages.values() for w in p.warnings]
        saved = {"form": copy.form.id, "version": copy.form.version, "language": copy.language, "values": values,
                 "scan": {"sheet": copy.sheet, "pages": {str(n): p.source for n, p in sorted(copy.pages.items())},
                          "missing_pages": missing, "review": review, "warnings": warnings}}
        relative = f"{FORMS_FOLDER}/{name}.json"
        files[relative] = (json.dumps(saved, indent=2, ensure_ascii=False) + "\n").encode()
        reviewed.append((name, saved))
        files.update(crops)
        row = Row(relative, None, {**values, FORM_COLUMN: copy.form.id, VERSION_COLUMN: copy.form.version,
                                   LANGUAGE_COLUMN: copy.language})
        checked, _ = check_row(copy.form, row, required=False)
        tables.setdefault(copy.form.id, []).append({**checked, FORM_COLUMN: copy.form.id, VERSION_COLUMN: copy.form.version,
                                                    LANGUAGE_COLUMN: copy.language, FILE_COLUMN: relative})
        summary.append(f"{relative}: {copy.form.id} {copy.form.version} {copy.language}, {len(copy.pages)} of "
                       f"{sheet['pages']} page(s); {len(review)} to review" + (f", {len(warnings)} warning(s)" if warnings else ""))
    for form_id, table in tables.items():
        for suffix in (".csv", ".json"):
            files[f"{form_id}{suffix}"] = table_bytes(project.forms[form_id], table, suffix)
    files.update(review_files(project, reviewed, files))
    report = {"pages": [{"source": p.source, "page": p.page_id.payload() if p.page_id else None,
                         "marks": p.marks, "problem": p.problem, "warnings": p.warnings} for p in pages],
              "problems": [str(p) for p in problems]}
    files[REPORT] = (json.dumps(report, indent=2, ensure_ascii=False) + "\n").encode()
    return files, summary, problems, sum(1 for p in pages if not p.problem)
