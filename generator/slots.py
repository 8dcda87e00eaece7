"""Where the boxes and writing lines of a laid-out form landed: the template marks each with `data-slot`.

One reading of one layout serves `casekit fill` (values stamped into the boxes of the blank form) and
the layout map of the build, which `casekit scan` reads scanned pages against.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

MM_PER_PX = 25.4 / 96  # CSS px
SLOT_KINDS = {"tick": "tick", "digit": "digit", "lines": "lines", "rule": "line"}  # template class -> kind


@dataclass(frozen=True)
class Slot:
    """Where a box or writing line is: page number and content box in CSS px from the page's top-left."""

    page: int
    x: float
    y: float
    width: float
    height: float
    kind: str  # tick, digit, line or lines


def boxes(box):
    """A layout box and every box inside it."""
    yield box
    for child in getattr(box, "children", ()):
        yield from boxes(child)


def _slot_kind(element) -> str:
    classes = element.get("class", "").split()
    return next(kind for css_class, kind in SLOT_KINDS.items() if css_class in classes)


def slots_of(document) -> dict[tuple[str, str | None], list[Slot]]:
    """Key: (slot name, tick value or digit index or None) -> its places, in page order."""
    slots = defaultdict(list)
    for number, page in enumerate(document.pages):
        seen = set()  # anonymous boxes share their parent's element: keep the element's own (first) box
        for box in boxes(page._page_box):
            element = box.element
            if element is None or id(element) in seen or not element.get("data-slot"):
                continue
            seen.add(id(element))
            key = (element.get("data-slot"), element.get("data-value") or element.get("data-index"))
            slots[key].append(Slot(number, box.content_box_x(), box.content_box_y(), box.width, box.height,
                                   _slot_kind(element)))
    return dict(slots)


def slot_table(slots: dict[tuple[str, str | None], list[Slot]]) -> tuple[tuple, ...]:
    """The slots as rows of the layout map: name, key, kind, page (1-based), x, y, width, height in mm."""
    return tuple((name, key, s.kind, s.page + 1, *(round(v * MM_PER_PX, 2) for v in (s.x, s.y, s.width, s.height)))
                 for (name, key), places in slots.items() for s in places)
