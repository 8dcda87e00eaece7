"""The review page of a scanned form: the browser form itself (one template for fill and review), opened with
the ticks read from the paper, each crop of the paper beside its input, and every question that needs a person
framed and labelled "To check" (in words and by a dashed frame, so it shows in black and white). The clerk
types what the handwriting says, checks each framed question against its picture and saves the file that
`casekit extract` reads.

Nothing leaves the device: script and styles are inline, and the fonts and crops are files in the scan's
output folder, referenced by relative path, so the folder still works when copied to another computer and
opened from disk. The crops are files already (a person may open them alone), so the pages stay small.
"""
from __future__ import annotations

import struct
from urllib.parse import quote

from ..data.browser import browser_form
from ..data.fill import print_values
from ..files import cache_dir
from ..fontfaces import faces, web_languages, woff2
from ..layout import Layout
from ..model import Form, Project
from .read import RES
from .scan import tick_keys

REVIEW_FOLDER = "review"  # OUT/review/<form>-<n>.html
FONT_FOLDER = "fonts"  # OUT/review/fonts/
# What the clerk is asked to do, by the kind of review item scan.py writes
TASKS = {"writing": "type", "digits": "type", "uncertain": "uncertain", "corrected": "corrected",
         "several": "several", "off-paper": "unread"}


def review_files(project: Project, copies: list[tuple[str, dict]], files: dict[str, bytes]) -> dict[str, bytes]:
    """A review page for each scanned form (its name, and the JSON saved for it), and the web fonts they use;
    `files`: what the scan writes, crops included, by path relative to OUT."""
    pages = {f"{REVIEW_FOLDER}/{name}.html": review_page(project, name, saved, files).encode("utf-8")
             for name, saved in copies}
    if pages:
        cache = cache_dir(project.root) / "webfonts"
        pages.update({f"{REVIEW_FOLDER}/{FONT_FOLDER}/{face.web_name}": woff2(face.path, cache)
                      for face in faces(project.settings, web_languages(project.settings))})
    return pages


def review_page(project: Project, name: str, saved: dict, files: dict[str, bytes]) -> str:
    form = project.forms[saved["form"]]
    scan = saved["scan"]
    marks, groups = review_marks(form, scan["review"], files)
    return browser_form(project, form, Layout.load(project.root, saved["language"]), scan["sheet"].split("/")[-1], {
        "filled": print_values(form, saved["values"], date_boxes=False),
        "scan_marks": marks, "scan_groups": groups, "font_root": f"{FONT_FOLDER}/",
        "review": {"name": name, "sources": list(scan["pages"].values()), "missing": scan["missing_pages"],
                   "warnings": scan["warnings"], "scan": scan},
    })


def review_marks(form: Form, items: list[dict], files: dict[str, bytes]) -> tuple[dict[str, dict], dict[str, list[str]]]:
    """({input key: its mark and crop}, {question id: what to do there}), as the template looks them up: an input
    by its name (writing, digit boxes) or `name=value` (a tick box); a question by its field id, or by the case
    number's name."""
    fields = {d.name: d for d in form.data_fields}
    marks: dict[str, dict] = {}
    groups: dict[str, list[str]] = {}
    for item in items:
        data_field = fields[item["field"]]
        slots = {option: slot for slot, option in tick_keys(data_field)}
        options = item.get("options") or ([item["option"]] if item.get("option") else [])
        mark = {"kind": item["kind"]}
        if item.get("crop"):
            width_px = struct.unpack(">I", files[item["crop"]][16:20])[0]  # a PNG's width, in its header
            mark.update(crop=item["crop"], crop_src="../" + quote(item["crop"]), width_mm=round(width_px / RES, 1))
        for key in [f"{slots[o]}={o}" for o in options] or [data_field.name]:
            marks[key] = mark
        tasks = groups.setdefault(data_field.source.id if data_field.source else data_field.name, [])
        if TASKS[item["kind"]] not in tasks:
            tasks.append(TASKS[item["kind"]])
    return marks, groups
