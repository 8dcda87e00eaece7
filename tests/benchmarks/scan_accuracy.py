"""Benchmark: how well `casekit scan` reads tick boxes, per kind of scan or photo, and how fast.

Filled pages are made without a printer (tests/scan_pages.py): every form in en, km and km+en, A4 and
Letter in turn, with random answers marked in several styles and some other boxes cancelled (filled in),
rasterized and degraded per condition. Each page is then read as `casekit scan` reads it. A box counts
as what the person meant: ticked (any mark, hatching included), or not ticked (left empty, or filled in
completely, the forms' way to cancel). Per condition: tick boxes read right (as meant, with no flag, or a
cancelled box read as a correction, which is flagged for review), wrong (read otherwise without a flag:
a box meant as ticked read as empty is wrong), and flagged (sent to review: uncertain, or a tick read as a
correction), pages identified, pages reported (not identified, but named in the problems, never
guessed), and pages per second on one core (decoding the image, finding and straightening the page,
reading its boxes), as the median over the pages; `casekit scan` reads one page after another.

    python tests/benchmarks/scan_accuracy.py            # prints a Markdown table for the README
    CASEKIT_BENCH_FORMS=intake,referral python tests/benchmarks/scan_accuracy.py
    CASEKIT_BENCH_MISREAD=1 python tests/benchmarks/scan_accuracy.py    # and each box not read right, why
"""
from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from generator.model import load_project  # noqa: E402
from generator.scan.read import read_page  # noqa: E402
from generator.scan.scan import Copy, page_ticks, slot_index  # noqa: E402
from scan_pages import CORRECTED, Condition, degrade, fill, printed_sheets, random_values  # noqa: E402

CONDITIONS = [
    Condition("scanner 300 dpi, ±1°", dpi=300, rotation=1, noise=4, blur=0.5),
    Condition("scanner 200 dpi, ±2°, noise", dpi=200, rotation=2, scale=0.01, shift_mm=3, noise=8, blur=0.6),
    Condition("scanner 200 dpi, upside down", dpi=200, rotation=2, noise=6, upside_down=True),
    Condition("scanner 150 dpi, ±4°, scale ±3%", dpi=150, rotation=4, scale=0.03, shift_mm=3, noise=8, blur=0.6),
    Condition("photocopier 200 dpi, JPEG q50", dpi=200, rotation=2, noise=6, blur=0.8, jpeg=50),
    Condition("phone photo: perspective, uneven light, blur, JPEG q50", dpi=200, rotation=4, scale=0.03,
              perspective=0.04, blur=1.0, noise=10, light=0.4, jpeg=50),
    Condition("scanner 200 dpi, ±2°, another sheet over the top, right or bottom edge (≤ 12 mm)", dpi=200,
              rotation=2, noise=6, blur=0.6, overlap_mm=12, overlap_sides=("top", "right", "bottom")),
    Condition("scanner 200 dpi, ±2°, another sheet over the left edge, its QR code (≤ 12 mm)", dpi=200,
              rotation=2, noise=6, blur=0.6, overlap_mm=12, overlap_sides=("left",)),
]
LAYOUTS = ("en", "km", "km+en")


def tally(meant_ticked: bool, mark: str, state: str) -> str:
    """right, wrong or flagged: a box read against what the person meant by the mark in it."""
    if state == "uncertain":
        return "flagged"
    if mark == CORRECTED:  # cancelled: a correction read as one (flagged, as it should be) or as empty is right
        return "right" if state in ("corrected", "empty") else "wrong"
    if meant_ticked:
        return "right" if state == "ticked" else "flagged" if state == "corrected" else "wrong"
    return "right" if state == "empty" else "flagged" if state == "corrected" else "wrong"


def run(condition: Condition, project, printed: dict, rng: random.Random, misread: list | None = None) -> dict:
    """The tally of one condition; `misread` collects (sheet, page, box, mark, state, score) of what was not right."""
    counts = {"right": 0, "wrong": 0, "flagged": 0}
    pages = identified = reported = 0
    seconds = []
    sheets = {key: sheet for key, (_, sheet) in printed.items()}
    for key, (pdf, sheet) in printed.items():
        form = project.forms[key.split("/")[0]]
        filled = fill(pdf, sheet, form, random_values(form, rng), condition.dpi, rng)
        slots = slot_index(sheet)
        for number, image in enumerate(filled.pages, start=1):
            other = filled.pages[number % len(filled.pages)] if len(filled.pages) > 1 else None
            data = degrade(image, condition, rng, other)
            pages += 1
            start = time.perf_counter()
            gray = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
            page = read_page(gray, f"{key} {number}", sheets)
            ticks = {}
            if not page.problem and page.page_id.sheet == key and page.page_id.page == number:
                identified += 1
                ticks = page_ticks(Copy(form, key, page.page_id.layout, {number: page}), sheet)
            elif page.problem and page.page_id is None:
                reported += 1  # named as unreadable, not taken for another page
            seconds.append(time.perf_counter() - start)
            for slot_name, option, on_page, meant, mark in filled.boxes:
                if on_page == number:
                    # a page not read, or placed without enough marks, and a box off the paper go to review
                    tick = ticks.get(tuple(slots[slot_name, option][0]))
                    verdict = tally(meant, mark, tick.state if tick else "uncertain")
                    counts[verdict] += 1
                    if verdict != "right" and misread is not None:
                        misread.append((key, number, slot_name, option, mark or "-", tick.state if tick else "unread",
                                        round(tick.score, 3) if tick else None))
    boxes = sum(counts.values())
    return {"condition": condition.name, "pages": pages, "identified": identified, "reported": reported,
            "boxes": boxes, **{k: 100 * v / boxes for k, v in counts.items()},
            "pages_per_second": 1 / statistics.median(seconds)}


def main() -> int:
    project = load_project(ROOT)
    forms = os.environ.get("CASEKIT_BENCH_FORMS", ",".join(project.forms)).split(",")
    printed = {}
    for paper in ("a4", "letter"):
        sheets, _ = printed_sheets(project, forms, LAYOUTS, paper)
        # A4 and Letter in turn: each form × layout once per condition
        printed.update({k: v for i, (k, v) in enumerate(sorted(sheets.items())) if i % 2 == (paper == "letter")})
    lines = ["| condition | pages identified (+ reported) | tick boxes | right | wrong | flagged | pages/s (1 core) |",
             "|---|---|---|---|---|---|---|"]
    for condition in CONDITIONS:
        misread = []
        r = run(condition, project, printed, random.Random(17), misread)
        lines.append(f"| {r['condition']} | {r['identified']}/{r['pages']}" + (f" (+{r['reported']})" if r["reported"] else "")
                     + f" | {r['boxes']} | {r['right']:.2f}% | {r['wrong']:.2f}% | {r['flagged']:.2f}% | "
                     f"{r['pages_per_second']:.1f} |")
        print(lines[-1], file=sys.stderr, flush=True)
        if os.environ.get("CASEKIT_BENCH_MISREAD"):  # what was not right, to see why
            for item in misread:
                print("   ", *item, file=sys.stderr)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
