"""One scanned or photographed page: found by its QR code, straightened by its marks, its tick boxes scored.

The QR code says which page of which printed sheet this is, and where its four corners lie gives a
first estimate of the page's position; the four corner marks, searched near where that estimate puts
them, fix rotation, scale and perspective. The page is then redrawn straight at RES pixels per mm with
the paper's light evened out, so every box of the layout map is read where it was printed.

A tick box is scored as SDAPS does, by the ink inside it: darkness (black counts fully, grey in part)
averaged over the box less a rim, after the box is aligned on its own printed border (a box whose border
is not found there is sent to review). Between empty and ticked lies a band sent to review. A marked
box is ticked while paper shows between its strokes (a tick, a cross, a scribble, hatching); a box
filled in completely, no paper showing, is a correction (the forms' way to cancel an answer): read as
not ticked, and flagged. Between the two, a box is sent to review.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .marks import PageId, mark_boxes, qr_box

RES = 8.0  # px per mm of the straightened page (203 dpi)
BORDER_MM = 0.3  # printed border of tick and digit boxes (form.css .tick, .digit)
RIM_MM = 0.45  # left out inside a tick box's border: a border misread by a pixel is not ink
EMPTY_BELOW = 0.03  # darkness score: below is empty,
TICKED_FROM = 0.07  # from here ticked (between: uncertain), if paper still shows in the box:
PAPER_BELOW = 0.4  # darkness of a pixel of paper between strokes;
PAPER_TICKED = 0.02  # a marked box with at least this share of paper showing is ticked,
PAPER_CORRECTED = 0.012  # one with less than this is filled in completely: the answer cancelled (a correction)
BORDER_SEEN = 0.25  # darkness of a tick box's printed border below which the box is not seen
SURE_MARKS = 2  # corner marks found for a page's ticks to be read without review (with the QR code: an affine map)
ALIGN_MM = 0.9  # how far a box is moved onto its printed border
REFINE_MM = 4.0  # how far the printed boxes of a page are looked for, to correct its straightening
MARK_SEARCH_MM = 20.0  # how far from where the QR code puts it a corner mark is looked for
# a mark further than this from where the code and the three other marks put it is not the page's; three
# marks and the small code fix a photo's perspective to within about 2.5 mm at the fourth corner
MARK_AGREE_MM = 3.5


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
    seen: bool = True  # its printed border was found where the layout map puts it


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
    """Page mm -> image px: turn and scale from the QR code and at most one mark (the code's own perspective
    is too small to measure, and points bunched in one corner cannot tell shear), an affine map from two
    marks, perspective from three."""
    import cv2
    source, target = np.array(page_points, dtype=np.float64), np.array(image_points, dtype=np.float64)
    if marks >= 3:
        return cv2.findHomography(source, target, 0)[0]
    x, y = source[:, 0], source[:, 1]
    one, zero = np.ones_like(x), np.zeros_like(x)
    if marks == 2:  # affine: six unknowns
        a = np.vstack([np.column_stack([x, y, one, zero, zero, zero]), np.column_stack([zero, zero, zero, x, y, one])])
        p = np.linalg.lstsq(a, np.concatenate([target[:, 0], target[:, 1]]), rcond=None)[0]
        return np.array([[p[0], p[1], p[2]], [p[3], p[4], p[5]], [0, 0, 1]])
    # turn, scale and shift: four unknowns, u = a x - b y + c, v = b x + a y + d
    a = np.vstack([np.column_stack([x, -y, one, zero]), np.column_stack([y, x, zero, one])])
    p = np.linalg.lstsq(a, np.concatenate([target[:, 0], target[:, 1]]), rcond=None)[0]
    return np.array([[p[0], -p[1], p[2]], [p[1], p[0], p[3]], [0, 0, 1]])


def _find_mark(gray: np.ndarray, centre: np.ndarray, px_per_mm: float, reach_mm: float) -> np.ndarray | None:
    """The centre of the filled square nearest `centre`: of the mark's size, square, solid. Ink is what is
    much darker than the paper near it, so a corner in shadow (a phone photo) is read like the rest."""
    import cv2
    radius = int(reach_mm * px_per_mm)
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
        if not (0.6 * expected <= area <= 1.7 * expected) or not (0.6 <= w / max(h, 1) <= 1.65):
            continue
        if area / (w * h) < 0.62:  # a solid square, even turned 45°  (a QR finder pattern is a ring)
            continue
        point = centroids[index] + (x0, y0)
        distance = float(np.hypot(*(point - centre)))
        if best is None or distance < best_distance:
            best, best_distance = point, distance
    return best


def locate(gray: np.ndarray, corners: np.ndarray, paper_mm: tuple[float, float]):
    """The homography from page mm to image px, and how many corner marks it rests on.

    Each mark is looked for where the QR code puts it, then again, closer, where the marks found put it.
    Of four marks, one that disagrees with the others by more than MARK_AGREE_MM is dropped: something square and
    black that is not this page's mark (the corner of another sheet lying over this one)."""
    width, height = paper_mm
    qx, qy, size, _ = qr_box(width, height)
    code_points = [(qx, qy), (qx + size, qy), (qx + size, qy + size), (qx, qy + size)]
    code_image = [tuple(c) for c in corners]
    px_per_mm = float(np.hypot(*(corners[1] - corners[0])) + np.hypot(*(corners[3] - corners[0]))) / (2 * size)
    centres = {corner: np.array([x + w / 2, y + side / 2]) for corner, (x, y, w, side) in mark_boxes(width, height).items()}

    def fit(found: dict) -> np.ndarray:
        return _fit(code_points + [tuple(centres[c]) for c in found], code_image + [tuple(p) for p in found.values()],
                    len(found))

    def search(corners: list[str], estimate: np.ndarray, reach: float) -> dict:
        points = {c: _find_mark(gray, _project(estimate, centres[c][None])[0], px_per_mm, reach) for c in corners}
        return {c: point for c, point in points.items() if point is not None}

    found = search(list(centres), fit({}), MARK_SEARCH_MM)
    found.update(search([c for c in centres if c not in found], fit(found), MARK_SEARCH_MM / 3))
    if len(found) == 4:  # the mark the others disagree with most, if it does by much
        misses = {c: float(np.hypot(*(_project(fit({k: v for k, v in found.items() if k != c}), centres[c][None])[0]
                                      - found[c]))) / px_per_mm for c in found}
        worst = max(misses, key=misses.get)
        if misses[worst] > MARK_AGREE_MM:
            del found[worst]
    return fit(found), len(found)


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


def refine(image: np.ndarray, boxes: list) -> np.ndarray:
    """The straightened page moved so that its printed boxes sit where the layout map puts them.

    Corner marks and the QR code leave a few tenths of a mm (a few mm where a mark was taken from another
    sheet); the tick and digit boxes, found by their borders, are many more points spread over the page.
    A perspective correction agreed by most of them (RANSAC) is applied; without such agreement the
    page stays as it was, and each box is checked on its own when it is read."""
    import cv2
    expected, found = [], []
    for x, y, w, box_h in boxes:
        cx, cy, _, _, seen = _aligned(image, x, y, w, box_h, REFINE_MM)
        if seen >= 0.6:
            expected.append((x * RES, y * RES))
            found.append((cx, cy))
    if len(found) < 8:
        return image
    correction, inliers = cv2.findHomography(np.array(expected, np.float64), np.array(found, np.float64),
                                             cv2.RANSAC, 0.2 * RES)
    if correction is None or inliers.sum() < 0.6 * len(found):
        return image
    return cv2.warpPerspective(image, correction, (image.shape[1], image.shape[0]),
                               flags=cv2.WARP_INVERSE_MAP | cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                               borderValue=255)


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
    boxes = [row[4:8] for row in sheet["slots"] if row[3] == page_id.page and row[2] in ("tick", "digit")]
    image = refine(straighten(gray, h, paper), boxes)
    page = Page(source, page_id, image, marks=marks)
    if marks < 4:
        page.warnings.append(f"{4 - marks} of the 4 corner marks not found (is the page whole in the picture?)"
                             + ("; every tick box of this page is sent to review" if marks < SURE_MARKS else ""))
    return page


def _darkness(pixels: np.ndarray) -> np.ndarray:
    """0 for paper, 1 for ink; grey pencil counts in part."""
    return np.clip((235.0 - pixels.astype(np.float32)) / 125.0, 0.0, 1.0)


def _aligned(page: np.ndarray, x: float, y: float, w: float, h: float,
             reach_mm: float = ALIGN_MM) -> tuple[int, int, int, int, float]:
    """The box's content in px, moved onto its printed border (a small error of the straightening), and
    how dark that border is there: low when the border is not where the layout map puts it (covered by
    another sheet, cut off, or the page placed wrong), 0 when the best match is as far as it was looked for."""
    import cv2
    border, reach = BORDER_MM * RES, int(round(reach_mm * RES))
    left, top = int(round((x - BORDER_MM) * RES)), int(round((y - BORDER_MM) * RES))
    outer_w, outer_h = int(round((w + 2 * BORDER_MM) * RES)), int(round((h + 2 * BORDER_MM) * RES))
    ring = np.ones((outer_h, outer_w), np.float32)
    b = max(1, int(round(border)))
    ring[b:-b, b:-b] = 0
    window = page[max(0, top - reach):top + outer_h + reach, max(0, left - reach):left + outer_w + reach]
    dx = dy = 0
    seen = 0.0
    if window.shape[0] >= outer_h and window.shape[1] >= outer_w:
        score = cv2.matchTemplate(_darkness(window), ring, cv2.TM_CCORR)
        _, best, _, (bx, by) = cv2.minMaxLoc(score)
        dx, dy, seen = bx - min(reach, left), by - min(reach, top), best / float(ring.sum())
        if max(abs(dx), abs(dy)) >= reach:  # best at the edge of the search: the border is further, if anywhere
            seen = 0.0
    cx, cy = int(round(x * RES)) + dx, int(round(y * RES)) + dy
    return cx, cy, int(round(w * RES)), int(round(h * RES)), seen


def read_tick(page: np.ndarray, x: float, y: float, w: float, h: float) -> Tick:
    """Ticked, empty, corrected or uncertain, by how much ink is in the box and how much paper still shows."""
    cx, cy, cw, ch, seen = _aligned(page, x, y, w, h)
    rim = int(round(RIM_MM * RES))
    darkness = _darkness(page[cy + rim:cy + ch - rim, cx + rim:cx + cw - rim])
    if darkness.size == 0 or seen < BORDER_SEEN:  # not the printed box: nothing in it can be trusted
        return Tick("uncertain", float(darkness.mean()) if darkness.size else 0.0, 0.0, seen=False)
    score, paper = float(darkness.mean()), float((darkness < PAPER_BELOW).mean())
    if score < EMPTY_BELOW:
        return Tick("empty", score, min(1.0, 0.5 + (EMPTY_BELOW - score) / EMPTY_BELOW / 2))
    if score < TICKED_FROM:
        middle = (EMPTY_BELOW + TICKED_FROM) / 2
        return Tick("uncertain", score, 0.5 - abs(score - middle) / (TICKED_FROM - EMPTY_BELOW))
    if paper >= PAPER_TICKED:  # a tick, a cross, a scribble, hatching: paper shows between the strokes
        return Tick("ticked", score, min(1.0, 0.5 + (score - TICKED_FROM) / TICKED_FROM / 2))
    if paper < PAPER_CORRECTED:
        return Tick("corrected", score, min(1.0, 0.5 + (PAPER_CORRECTED - paper) / PAPER_CORRECTED / 2))
    return Tick("uncertain", score, 0.0)  # nearly filled in: a dense scribble, or a cancelled box


def read_ticks(page: Page, boxes: list[tuple[float, float, float, float]]) -> list[Tick]:
    """Every tick box of one page, (x, y, w, h) in mm. A page placed from fewer than SURE_MARKS corner
    marks, or on which many boxes are not where the layout map puts them, sends them all to review."""
    ticks = [read_tick(page.image, *box) for box in boxes]
    if page.marks < SURE_MARKS or sum(not t.seen for t in ticks) > max(2, len(ticks) // 4):
        return [Tick("uncertain", t.score, 0.0, t.seen) for t in ticks]
    return ticks


def crop(page: np.ndarray, x: float, y: float, w: float, h: float, margin: float = 1.5) -> np.ndarray:
    """The box or writing line with a little of what surrounds it, for a person to read."""
    top, left = max(0, int((y - margin) * RES)), max(0, int((x - margin) * RES))
    return page[top:int((y + h + margin) * RES), left:int((x + w + margin) * RES)]

