"""Paper sizes and page margins, defined once: the stylesheet takes its @page rules from here and the
layout check (generator/layout_check.py) measures every PDF against the same numbers.

All lengths are millimetres. The content box is the paper less the margins: the form's own content
stays inside it. The running header is drawn in the header band, the top margin less the strip of
EDGE mm along the paper's edge; the form reference and page number in the footer band, the bottom
margin less that strip. Nothing is drawn in the side margins or nearer than EDGE to any edge:
office printers cannot print there and photocopies cut it off.
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError, Problem


@dataclass(frozen=True)
class Paper:
    css: str  # the CSS `size` keyword
    width: float
    height: float


PAPERS = {
    "a4": Paper("A4", 210.0, 297.0),
    "letter": Paper("letter", 215.9, 279.4),
}


@dataclass(frozen=True)
class PageStyle:
    """The margins of one kind of document; the running header and footer use the top and bottom ones."""

    top: float
    right: float
    bottom: float
    left: float

    def margin_css(self) -> str:
        return f"{self.top:g}mm {self.right:g}mm {self.bottom:g}mm {self.left:g}mm"

    def content_box(self, paper: Paper) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) from the paper's top-left corner."""
        return self.left, self.top, paper.width - self.right, paper.height - self.bottom


# The forms: a wide inner margin for punching and binders; the header holds agency, title and case numbers.
# The workshop pack: a page number only, bottom right. The monitoring report: one page, no header or footer.
STYLES = {
    "form": PageStyle(top=24, right=14, bottom=15, left=22),
    "pack": PageStyle(top=20, right=16, bottom=18, left=22),
    "report": PageStyle(top=18, right=16, bottom=16, left=20),
}
EDGE = 6.0  # nothing printed nearer than this to the paper's edge


def page_css(style: str, paper: str) -> str:
    """The @page size and margin declarations, for a template's <style>."""
    return f"size: {paper_named(paper).css}; margin: {STYLES[style].margin_css()};"


def paper_named(name: str) -> Paper:
    if name not in PAPERS:
        raise InputError([Problem(name, "no such paper; choose one of: " + ", ".join(PAPERS))])
    return PAPERS[name]


def paper_of_size(width: float, height: float, tolerance: float = 1.0) -> str | None:
    """The paper name of a page of this size in mm, or None."""
    for name, paper in PAPERS.items():
        if abs(paper.width - width) <= tolerance and abs(paper.height - height) <= tolerance:
            return name
    return None
