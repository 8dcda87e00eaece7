"""Benchmark: how well `casekit scan` reads tick boxes, per kind of scan or photo, and how fast.

Filled pages are made without a printer (tests/scan_pages.py): every form in en, km and km+en, A4 and
Letter in turn, with random answers marked in several styles and some boxes blacked out as corrections,
rasterized and degraded per condition. Each page is then read as `casekit scan` reads it. Per
condition: tick boxes read right, wrong (without a flag), flagged uncertain, and ticked by filling the box
in whole (read as a correction, so flagged for review, not counted right), pages identified, and
pages per second on one core (decoding the image, finding and straightening the page, reading its
boxes), as the median over the pages; `casekit scan` reads one page after another, on one core.

    python tests/benchmarks/scan_accuracy.py            # prints a Markdown table for the README
    CASEKIT_BENCH_FORMS=intake,referral python tests/benchmarks/scan_accuracy.py
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
from generator.scan.read import read_page, read_tick  # noqa: E402
from generator.scan.scan import SURE_MARKS, _on_paper, slot_index  # noqa: E402
from scan_pages import Condition, degrade, fill, printed_sheets, random_values  # noqa: E402

CONDITIONS = [
    Condition("scanner 300 dpi, ±1°", dpi=300, rotation=1, noise=4, blur=0.5),
    Condition("scanner 200 dpi, ±2°, noise", dpi=200, rotation=2, scale=0.01, shift_mm=3, noise=8, blur=0.6),
    Condition("scanner 200 dpi, upside down", dpi=200, rotation=2, noise=6, upside_down=True),
    Condition("scanner 150 dpi, ±4°, scale ±3%", dpi=150, rotation=4, scale=0.03, shift_mm=3, noise=8, blur=0.6),
    Condition("photocopier 200 dpi, JPEG q50", dpi=200, rotation=2, noise=6, blur=0.8, jpeg=50),
    Condition("phone photo: perspective, uneven light, blur, JPEG q50", dpi=200, rotation=4, scale=0.03,
              perspective=0.04, blur=1.0, noise=10, light=0.4, jpeg=50),
]
LAYOUTS = ("en", "km", "km+en")


def tally(expected: bool, corrected: bool, state: str) -> str:
    """right, wrong or uncertain: a box read against what was marked in it."""
    if state == "uncertain":
        return "uncertain"
    if expected:  # a box filled in whole is read as a correction: flagged, so a person looks
        return "right" if state == "ticked" else "filled in" if state == "corrected" else "wrong"
    if corrected:
        return "right" if state in ("corrected", "empty") else "wrong"
    if state == "corrected":
        return "uncertain"  # flagged for review
    return "right" if state == "empty" else "wrong"


def run(condition: Condition, project, printed: dict, rng: random.Random) -> dict:
    counts = {"right": 0, "wrong": 0, "uncertain": 0, "filled in": 0}
    pages = identified = 0
    seconds = []
    sheets = {key: sheet for key, (_, sheet) in printed.items()}
    for key, (pdf, sheet) in printed.items():
        form = project.forms[key.split("/")[0]]
        filled = fill(pdf, sheet, form, random_values(form, rng), condition.dpi, rng)
        slots = slot_index(sheet)
        for number, image in enumerate(filled.pages, start=1):
            data = degrade(image, condition, rng)
            pages += 1
            start = time.perf_counter()
            gray = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
            page = read_page(gray, f"{key} {number}", sheets)
            states = {}
            if not page.problem and page.page_id.sheet == key and page.page_id.page == number:
                identified += 1
                for slot_name, option, on_page, _ in filled.boxes:
                    row = slots[slot_name, option][0]
                    if on_page == number and page.marks >= SURE_MARKS and _on_paper(row, sheet["paper_mm"]):
                        states[slot_name, option] = read_tick(page.image, *row[4:8]).state
            seconds.append(time.perf_counter() - start)
            for slot_name, option, on_page, ticked in filled.boxes:
                if on_page == number:
                    # a page not read, or placed without enough marks, and a box off the paper go to review
                    state = states.get((slot_name, option), "uncertain")
                    counts[tally(ticked, (slot_name, option) in filled.corrections, state)] += 1
    boxes = sum(counts.values())
    return {"condition": condition.name, "pages": pages, "identified": identified, "boxes": boxes,
            **{k: 100 * v / boxes for k, v in counts.items()},
            "pages_per_second": 1 / statistics.median(seconds)}


def main() -> int:
    project = load_project(ROOT)
    forms = os.environ.get("CASEKIT_BENCH_FORMS", ",".join(project.forms)).split(",")
    printed = {}
    for paper in ("a4", "letter"):
        sheets, _ = printed_sheets(project, forms, LAYOUTS, paper)
        # A4 and Letter in turn: each form × layout once per condition
        printed.update({k: v for i, (k, v) in enumerate(sorted(sheets.items())) if i % 2 == (paper == "letter")})
    lines = ["| condition | pages identified | tick boxes | right | wrong | uncertain | ticked by filling in (flagged) "
             "| pages/s (1 core) |", "|---|---|---|---|---|---|---|---|"]
    for condition in CONDITIONS:
        r = run(condition, project, printed, random.Random(17))
        lines.append(f"| {r['condition']} | {r['identified']}/{r['pages']} | {r['boxes']} | {r['right']:.2f}% | "
                     f"{r['wrong']:.2f}% | {r['uncertain']:.2f}% | {r['filled in']:.2f}% | {r['pages_per_second']:.1f} |")
        print(lines[-1], file=sys.stderr, flush=True)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
