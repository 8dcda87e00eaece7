"""The layout map: for every printed sheet (form, version, layout, paper), where each box and writing line
is on which page, taken from the one layout that printed it (generator/slots.py). It travels with the
build beside the manifest, so a scan is read against exactly what was printed."""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import InputError, Problem, display_path
from ..papers import PAPERS
from .marks import PageId

FILE_NAME = "layout-map.json"
FORMAT = 1


def layout_map(project, results) -> dict:
    """From the print PDFs of a build (the fillable ones share their layout)."""
    sheets = {}
    for result in results:
        form = project.forms.get(result.job.form_id)
        if form is None or result.job.variant != "print":
            continue
        paper = PAPERS[result.job.paper]
        key = PageId(form.id, form.version, result.job.layout, result.job.paper, 1).sheet
        sheets[key] = {"pages": result.pages, "paper_mm": [paper.width, paper.height],
                       "slots": [list(row) for row in result.slots]}
    return {"generator": "casekit", "format": FORMAT, "sheets": dict(sorted(sheets.items()))}


def map_bytes(data: dict) -> bytes:
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def read_map(path: Path) -> dict:
    name = display_path(path)
    if not path.is_file():
        raise InputError([Problem(name, "no layout map here: run `casekit build` first, or give the "
                                        f"{FILE_NAME} of the build that printed the forms with --map")])
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError([Problem(name, f"not a layout map ({error}); give the {FILE_NAME} a build wrote")]) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("sheets"), dict):
        raise InputError([Problem(name, f"not a layout map of this casekit (format {FORMAT}); "
                                        "run `casekit build` again")])
    return data["sheets"]
