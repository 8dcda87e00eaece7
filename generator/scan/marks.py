"""Alignment marks and a QR code on every printed page of a form, so a scan of it can be read back.

Four filled squares sit in the corners, EDGE mm from the paper's edges (office printers print there;
photocopies keep it); the QR code sits in the binding margin above the bottom-left mark, below the
lowest hole of ISO (4-hole) and US (3-hole) punches. It names the form, version, layout, paper and
page, so a scan is read against exactly the layout that was printed. The same table of places is
used to draw them (here), to let them pass the layout check, and to find them in a scan.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..papers import EDGE

MARK_MM = 5.0  # side of an alignment mark
QR_MM = 11.0  # side of the QR code's modules (its quiet zone is the white paper around it)
QR_GAP_MM = 3.0  # between the QR code and the bottom-left mark: the code's quiet zone
PREFIX = "CASEKIT"
CORNERS = ("top-left", "top-right", "bottom-right", "bottom-left")
MM_PER_PX = 25.4 / 96  # CSS px
PT_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class PageId:
    """What the QR code of one printed page says."""

    form: str
    version: str
    layout: str
    paper: str
    page: int  # 1-based

    @property
    def sheet(self) -> str:
        """The key of the layout map: one printed layout of one form version."""
        return f"{self.form}/{self.version}/{self.layout}/{self.paper}"

    def payload(self) -> str:
        """Upper case, `-` for `_`: the QR code's alphanumeric mode, the smallest code (ids never hold `-`)."""
        return " ".join([PREFIX, self.form.replace("_", "-"), self.version, self.layout, self.paper,
                         str(self.page)]).upper()

    @classmethod
    def parse(cls, text: str) -> "PageId | None":
        parts = text.strip().split(" ")
        if len(parts) != 6 or parts[0] != PREFIX or not parts[5].isdigit():
            return None
        form, version, layout, paper = (p.lower() for p in parts[1:5])
        return cls(form.replace("-", "_"), version, layout, paper, int(parts[5]))


def mark_boxes(width: float, height: float) -> dict[str, tuple[float, float, float, float]]:
    """(x, y, width, height) in mm from the page's top-left, of each corner's mark."""
    far_x, far_y = width - EDGE - MARK_MM, height - EDGE - MARK_MM
    return {"top-left": (EDGE, EDGE, MARK_MM, MARK_MM), "top-right": (far_x, EDGE, MARK_MM, MARK_MM),
            "bottom-right": (far_x, far_y, MARK_MM, MARK_MM), "bottom-left": (EDGE, far_y, MARK_MM, MARK_MM)}


def qr_box(width: float, height: float) -> tuple[float, float, float, float]:
    return EDGE, height - EDGE - MARK_MM - QR_GAP_MM - QR_MM, QR_MM, QR_MM


def scan_areas(width: float, height: float) -> list[tuple[float, float, float, float]]:
    """Everything this module draws, for the layout check."""
    return [*mark_boxes(width, height).values(), qr_box(width, height)]


def qr_matrix(page: PageId) -> list[list[bool]]:
    import segno
    code = segno.make_qr(page.payload(), error="m")  # boosted to the best level the smallest code holds
    return [[bool(module) for module in row] for row in code.matrix]


def _rect(x: float, y: float, w: float, h: float, height: float) -> str:
    """A filled rectangle in PDF points (origin bottom-left), from mm measured from the top-left."""
    return f"{x * PT_PER_MM:.3f} {(height - y - h) * PT_PER_MM:.3f} {w * PT_PER_MM:.3f} {h * PT_PER_MM:.3f} re"


def page_drawing(page: PageId, width: float, height: float) -> bytes:
    """PDF operators for the marks and QR code of one page; runs of dark modules are one rectangle each."""
    rects = [_rect(*box, height) for box in mark_boxes(width, height).values()]
    matrix = qr_matrix(page)
    x0, y0, size, _ = qr_box(width, height)
    module = size / len(matrix)
    for row, modules in enumerate(matrix):
        column = 0
        while column < len(modules):
            if not modules[column]:
                column += 1
                continue
            start = column
            while column < len(modules) and modules[column]:
                column += 1
            rects.append(_rect(x0 + start * module, y0 + row * module, (column - start) * module, module, height))
    return ("q 0 g\n" + "\n".join(rects) + "\nf\nQ").encode()


def finisher(document):
    """A WeasyPrint finisher that draws each page's marks and QR code, or None for a page that is not a form's."""
    custom = document.metadata.custom or {}
    if not custom.get("casekit-form") or not document.pages:
        return None
    from ..papers import paper_of_size
    first = document.pages[0]
    width, height = first.width * MM_PER_PX, first.height * MM_PER_PX
    paper = paper_of_size(width, height)
    if paper is None:
        return None

    def draw(_, pdf) -> None:
        import pydyf
        numbers = pdf.pages["Kids"][0::3]  # pydyf lists each page as: number, 0, R
        for index, number in enumerate(numbers):
            page = pdf.objects[number]
            page_id = PageId(custom["casekit-form"], custom.get("casekit-version", ""),
                             custom.get("casekit-language", ""), paper, index + 1)
            save = pydyf.Stream([b"q"])
            marks = pydyf.Stream([b"Q\n" + page_drawing(page_id, width, height)], compress=True)
            pdf.add_object(save)
            pdf.add_object(marks)
            page["Contents"] = pydyf.Array([save.reference, page["Contents"], marks.reference])
    return draw
