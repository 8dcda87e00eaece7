"""One scanned or photographed page: found by its QR code, straightened by its marks, its tick boxes scored.

The QR code says which page of which printed sheet this is, and where its four corners lie gives a
first estimate of the page's position; the four corner marks, searched near where that estimate puts
them, fix rotation, scale and perspective. The page is then redrawn straight at RES pixels per mm with
the paper's light evened out, so every box of the layout map is read where it was printed.

A tick box is scored as SDAPS does, by the ink inside it: darkness (black counts fully, grey in part)
averaged over the box less a rim, after the box is aligned on its own printed border. Between empty
and ticked lies a band sent to review; a box almost filled with ink is a correction (a tick blacked
out), read as not ticked and flagged.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .marks import PageId, mark_boxes, qr_box

RES = 8.0  # px per mm of the straightened page (203 dpi)
BORDER_MM = 0.3  # printed border of tick and digit boxes (form.css .tick, .digit)
RIM_MM = 0.45  # left out inside a tick box's border: a border misread by a pixel is not ink
EMPTY_BELOW = 0.03  # darkness score: below is empty,
TICKED_FROM = 0.07  # from here ticked (between: uncertain),
CORRECTED_FROM = 0.95  # from here the box is blacked out: a correction
MARK_SEARCH_MM = 18.0  # how far from its expected place a corner mark is looked for


@dataclass
class Page:
    """A page read: what it is, or why it could not be read."""

    source: str  # file, and page within it
    page_id: PageId | None = None
    image: np.ndarray | None = None  # straightened, evened out, at RES px per mm
    problem: str | None = None
    marks: int = 0  # corner marks found
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Tick:
    state: str  # ticked, empty, uncertain or corrected
    score: float
    confidence: float


def find_code(gray: np.ndarray):
    """(PageId or None, text of the first QR code seen or None, its corners in image px or None)."""
    import cv2
    import zxingcpp
    attempts = [gray]
    if max(gray.shape) > 2600:
        attempts.append(cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA))
    attempts.append(cv2.adaptiveThreshold(cv2.GaussianBlur(gray, (3, 3), 0), 255, cv2.ADAPTIVE_THRESH_MEAN_C,
                                          cv2.THRESH_BINARY, 51, 15))
    other = None
    for image in attempts:
        factor = gray.shape[0] / image.shape[0]
        for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
            page_id = PageId.parse(code.text)
            if page_id is None:
                other = other or code.text
                continue
            p = code.position
            corners = np.array([[c.x, c.y] for c in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)],
                               dtype=np.float64) * factor
            return page_id, code.text, corners
    return None, other, None


def _project(h: np.ndarray, points_mm: np.ndarray) -> np.ndarray:
    ones = np.hstack([points_mm, np.ones((len(points_mm), 1))])
    mapped = ones @ h.T
    return mapped[:, :2] / mapped[:, 2:3]


def _fit(page_points: list, image_points: list, marks: int) -> np.ndarray:
    """Page mm -> image px: turn and scale from the QR code alone (its own perspective is too small to
    measure), an affine map once a mark is found, perspective once three marks span the page."""
    import cv2
    source, target = np.array(page_points, dtype=np.float64), np.array(image_points, dtype=np.float64)
    if marks >= 3:
        return cv2.findHomography(source, target, 0)[0]
    x, y = source[:, 0], source[:, 1]
    one, zero = np.ones_like(x), np.zeros_like(x)
    if marks:  # affine: six unknowns
        a = np.vstack([np.column_stack([x, y, one, zero, zero, zero]), np.column_stack([zero, zero, zero, x, y, one])])
        p = np.linalg.lstsq(a, np.concatenate([target[:, 0], target[:, 1]]), rcond=None)[0]
        return np.array([[p[0], p[1], p[2]], [p[3], p[4], p[5]], [0, 0, 1]])
    # turn, scale and shift: four unknowns, u = a x - b y + c, v = b x + a y + d
    a = np.vstack([np.column_stack([x, -y, one, zero]), np.column_stack([y, x, zero, one])])
    p = np.linalg.lstsq(a, np.concatenate([target[:, 0], target[:, 1]]), rcond=None)[0]
    return np.array([[p[0], -p[1], p[2]], [p[1], p[0], p[3]], [0, 0, 1]])


def _find_mark(gray: np.ndarray, centre: np.ndarray, px_per_mm: float) -> np.ndarray | None:
    """The centre of the filled square nearest `centre`: of the mark's size, square, solid. Ink is what is
    much darker than the paper near it, so a corner in shadow (a phone photo) is read like the rest."""
    import cv2
    radius = int(MARK_SEARCH_MM * px_per_mm)
    x0, y0 = max(0, int(centre[0]) - radius), max(0, int(centre[1]) - radius)
    area = gray[y0:max(0, int(centre[1]) + radius), x0:max(0, int(centre[0]) + radius)]
    if area.size == 0:
        return None
    window = (area < 0.55 * np.percentile(area, 90)).astype(np.uint8)
    count, _, stats, centroids = cv2.connectedComponentsWithStats(window, connectivity=8)
    expected = (5.0 * px_per_mm) ** 2
    best, best_distance = None, None
    for index in range(1, count):
        x, y, w, h, area = stats[index]
        if not (0.45 * expected <= area <= 1.9 * expected) or not (0.6 <= w / max(h, 1) <= 1.65):
            continue
        if area / (w * h) < 0.62:  # a solid square, even turned 45°  (a QR finder pattern is a ring)
            continue
        point = centroids[index] + (x0, y0)
        distance = float(np.hypot(*(point - centre)))
        if best is None or distance < best_distance:
            best, best_distance = point, distance
    return best


def locate(gray: np.ndarray, corners: np.ndarray, paper_mm: tuple[float, float]):
    """The homography from page mm to image px, and how many corner marks were found."""
    width, height = paper_mm
    qx, qy, size, _ = qr_box(width, height)
    page_points = [(qx, qy), (qx + size, qy), (qx + size, qy + size), (qx, qy + size)]
    image_points = [tuple(c) for c in corners]
    h = _fit(page_points, image_points, 0)
    px_per_mm = float(np.hypot(*(corners[1] - corners[0])) + np.hypot(*(corners[3] - corners[0]))) / (2 * size)
    boxes = mark_boxes(width, height)
    found = 0
    for corner in ("bottom-left", "top-left", "bottom-right", "top-right"):  # nearest the code first
        x, y, w, side = boxes[corner]
        centre_mm = np.array([[x + w / 2, y + side / 2]])
        point = _find_mark(gray, _project(h, centre_mm)[0], px_per_mm)
        if point is None:
            continue
        found += 1
        page_points.append(tuple(centre_mm[0]))
        image_points.append(tuple(point))
        h = _fit(page_points, image_points, found)
    return h, found


def straighten(gray: np.ndarray, h: np.ndarray, paper_mm: tuple[float, float]) -> np.ndarray:
    """The page redrawn upright at RES px per mm, its paper evened to white (uneven light, grey scans)."""
    import cv2
    scale = np.diag([1 / RES, 1 / RES, 1.0])  # output px -> page mm
    size = (int(round(paper_mm[0] * RES)), int(round(paper_mm[1] * RES)))
    page = cv2.warpPerspective(gray, h @ scale, size, flags=cv2.WARP_INVERSE_MAP | cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=255)
    small = cv2.resize(page, (size[0] // 8, size[1] // 8), interpolation=cv2.INTER_AREA)
    paper = cv2.GaussianBlur(cv2.dilate(small, np.ones((7, 7), np.uint8)), (0, 0), 3)
    paper = cv2.resize(paper, size, interpolation=cv2.INTER_LINEAR).astype(np.float32)
    return np.clip(page.astype(np.float32) * 255.0 / np.maximum(paper, 40.0), 0, 255).astype(np.uint8)


def read_page(gray: np.ndarray, source: str, sheets: dict) -> Page:
    """Identify and straighten one page; a page that is not a known casekit page says why."""
    page_id, text, corners = find_code(gray)
    if page_id is None:
        if text is not None:
            return Page(source, problem=f"its QR code ('{text[:40]}') is not a casekit page's")
        ink = float((gray < 128).mean())
        what = "a blank sheet" if ink < 0.002 else "no casekit page, or one whose QR code cannot be read"
        return Page(source, problem=f"{what}: no casekit QR code found (bottom-left corner, in the binding margin); "
                                    "scan it again, flat and whole, or type it in")
    sheet = sheets.get(page_id.sheet)
    if sheet is None:
        known = sorted({key.rsplit("/", 2)[0] for key in sheets if key.split("/")[0] == page_id.form})
        why = (f"version {page_id.version} of form '{page_id.form}' is not in the layout map (it has: "
               + ", ".join(k.split("/")[1] for k in known) + ")") if known else \
            f"form '{page_id.form}' is not in the layout map"
        return Page(source, page_id, problem=f"{why} ({page_id.layout}, {page_id.paper}); scan it with the project "
                                            "and build that printed it")
    if page_id.page > sheet["pages"]:
        return Page(source, page_id, problem=f"page {page_id.page} of {page_id.sheet}, which has {sheet['pages']} pages")
    paper = tuple(sheet["paper_mm"])
    h, marks = locate(gray, corners, paper)
    page = Page(source, page_id, straighten(gray, h, paper), marks=marks)
    if marks < 4:
        page.warnings.append(f"{4 - marks} of the 4 corner marks not found (is the page whole in the picture?)"
                             + ("; every tick box of this page is sent to review" if marks < 3 else ""))
    return page


def _darkness(pixels: np.ndarray) -> np.ndarray:
    """0 for paper, 1 for ink; grey pencil counts in part."""
    return np.clip((235.0 - pixels.astype(np.float32)) / 125.0, 0.0, 1.0)


def _aligned(page: np.ndarray, x: float, y: float, w: float, h: float) -> tuple[int, int, int, int]:
    """The box's content in px, moved onto its printed border (a small error of the straightening)."""
    import cv2
    border, reach = BORDER_MM * RES, int(round(0.9 * RES))
    left, top = int(round((x - BORDER_MM) * RES)), int(round((y - BORDER_MM) * RES))
    outer_w, outer_h = int(round((w + 2 * BORDER_MM) * RES)), int(round((h + 2 * BORDER_MM) * RES))
    ring = np.ones((outer_h, outer_w), np.float32)
    b = max(1, int(round(border)))
    ring[b:-b, b:-b] = 0
    window = page[max(0, top - reach):top + outer_h + reach, max(0, left - reach):left + outer_w + reach]
    dx = dy = 0
    if window.shape[0] >= outer_h and window.shape[1] >= outer_w:
        score = cv2.matchTemplate(_darkness(window), ring, cv2.TM_CCORR)
        _, _, _, (bx, by) = cv2.minMaxLoc(score)
        dx, dy = bx - min(reach, left), by - min(reach, top)
    cx, cy = int(round(x * RES)) + dx, int(round(y * RES)) + dy
    return cx, cy, int(round(w * RES)), int(round(h * RES))


def read_tick(page: np.ndarray, x: float, y: float, w: float, h: float) -> Tick:
    cx, cy, cw, ch = _aligned(page, x, y, w, h)
    rim = int(round(RIM_MM * RES))
    inner = page[cy + rim:cy + ch - rim, cx + rim:cx + cw - rim]
    score = float(_darkness(inner).mean()) if inner.size else 0.0
    if score < EMPTY_BELOW:
        return Tick("empty", score, min(1.0, 0.5 + (EMPTY_BELOW - score) / EMPTY_BELOW / 2))
    if score < TICKED_FROM:
        middle = (EMPTY_BELOW + TICKED_FROM) / 2
        return Tick("uncertain", score, 0.5 - abs(score - middle) / (TICKED_FROM - EMPTY_BELOW))
    if score < CORRECTED_FROM:
        return Tick("ticked", score, min(1.0, 0.5 + (score - TICKED_FROM) / TICKED_FROM / 2))
    return Tick("corrected", score, min(1.0, 0.5 + (score - CORRECTED_FROM) / (1 - CORRECTED_FROM) / 2))


def crop(page: np.ndarray, x: float, y: float, w: float, h: float, margin: float = 1.5) -> np.ndarray:
    """The box or writing line with a little of what surrounds it, for a person to read."""
    top, left = max(0, int((y - margin) * RES)), max(0, int((x - margin) * RES))
    return page[top:int((y + h + margin) * RES), left:int((x + w + margin) * RES)]

