"""Filled, printed and scanned pages without a printer, for the scan test and benchmark.

The print PDF of a form is rasterized as a scanner would see it; marks are drawn into its tick boxes
(ticks, crosses, scribbles, light grey, small, over the border, shaded; and corrections: boxes filled in
completely, the forms' way to cancel an answer), handwriting-like strokes onto its writing lines and into
its digit boxes; then the page is degraded like a real scan or phone photo: turned, scaled, shifted, put
in perspective, blurred, lit unevenly, noised, a second sheet lying over one edge, and saved as JPEG.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

import cv2
import numpy as np

from generator.files import cache_dir
from generator.forms_pdf import PdfCache, PdfJob, render_all
from generator.scan.layout_map import layout_map
from generator.scan.scan import slot_index, tick_keys

# "shaded": a box hatched over, meant as a tick; paper shows between the strokes (about 1 mm apart), which
# tells it from the cancel mark, a box filled in completely (CORRECTED). Shading so dense that no paper
# shows cannot be told from that mark at 200 dpi, and the forms say not to.
TICK_STYLES = ("tick", "cross", "scribble", "grey", "small", "over-border", "shaded")
CORRECTED = "corrected"


@dataclass
class Condition:
    """How a page is scanned or photographed."""

    name: str
    dpi: int = 200
    rotation: float = 0.0  # degrees, at most; each page draws its own
    scale: float = 0.0  # share, at most
    shift_mm: float = 0.0
    perspective: float = 0.0  # share of the page's width the far corners move by
    blur: float = 0.0  # Gaussian sigma in px
    noise: float = 0.0  # standard deviation in grey levels
    light: float = 0.0  # how much darker the darkest corner is, as a share
    jpeg: int | None = None
    upside_down: bool = False
    overlap_mm: float = 0.0  # at most: another sheet lies over one edge of the page by up to this much,
    overlap_sides: tuple[str, ...] = ("top", "right", "bottom", "left")  # over one of these, drawn at random


def printed_sheets(project, forms, layouts, paper="a4"):
    """{sheet key: (print PDF bytes, layout map entry)} and the map, rendered (or reused from the cache)."""
    jobs = [PdfJob(form, layout, "print", paper) for form in forms for layout in layouts]
    results = render_all(project, jobs, PdfCache(cache_dir(project.root) / "pdf"))
    sheets = layout_map(project, results)["sheets"]
    by_key = {}
    for result in results:
        form = project.forms[result.job.form_id]
        key = f"{form.id}/{form.version}/{result.job.layout}/{paper}"
        by_key[key] = (result.pdf, sheets[key])
    return by_key, {"generator": "casekit", "format": 1, "sheets": sheets}


def rasterize(pdf: bytes, dpi: int) -> list[np.ndarray]:
    import pypdfium2 as pdfium
    document = pdfium.PdfDocument(pdf)
    pages = []
    for page in document:
        bitmap = page.render(scale=dpi / 72, grayscale=True).to_numpy()
        pages.append(np.ascontiguousarray(bitmap if bitmap.ndim == 2 else bitmap[..., 0]))
    return pages


def random_values(form, rng: random.Random) -> dict[str, str]:
    """A value for every tick-box field: some left empty, as on real forms."""
    values = {}
    for data_field in form.data_fields:
        options = [option for _, option in tick_keys(data_field)]
        if not options or rng.random() < 0.25:
            continue
        if data_field.widget == "checkboxes":
            chosen = [o for o in options if rng.random() < 0.4]
            if chosen:
                values[data_field.name] = " ".join(chosen)
        elif data_field.widget == "checkbox":
            values[data_field.name] = "yes"
        else:
            values[data_field.name] = rng.choice(options)
    return values


def _line(image, points, px, thickness, grey=20):
    pts = np.array([[int(x * px), int(y * px)] for x, y in points], np.int32)
    cv2.polylines(image, [pts], False, grey, max(1, int(round(thickness * px))), cv2.LINE_AA)


def draw_tick(image, x, y, w, h, px, style, rng: random.Random):
    """A mark in the box at (x, y, w, h) mm, on an image of `px` px per mm."""
    j = lambda: rng.uniform(-0.25, 0.25)  # a hand is not a plotter
    if style == "small":
        x, y, w, h = x + w * 0.25, y + h * 0.25, w * 0.5, h * 0.5
    elif style == "over-border":
        x, y, w, h = x - w * 0.3, y - h * 0.35, w * 1.6, h * 1.5
    if style == "shaded":
        for step in np.arange(-0.8, 1.0, 0.4):  # strokes at 45°, about 1 mm apart, hatching the box over
            _line(image, [(x + max(0, step) * w + j() / 3, y + max(0, -step) * h + j() / 3),
                          (x + min(1, 1 + step) * w + j() / 3, y + min(1, 1 - step) * h + j() / 3)], px, 0.35)
        return
    grey = 160 if style == "grey" else 20
    pen = 0.45 if style != "grey" else 0.35
    if style == "cross":
        _line(image, [(x + 0.1 * w + j(), y + 0.1 * h + j()), (x + 0.9 * w + j(), y + 0.9 * h + j())], px, pen, grey)
        _line(image, [(x + 0.9 * w + j(), y + 0.1 * h + j()), (x + 0.1 * w + j(), y + 0.9 * h + j())], px, pen, grey)
    elif style == "scribble":
        points = [(x + (0.1 if i % 2 else 0.9) * w + j(), y + (0.15 + 0.7 * i / 3) * h) for i in range(4)]
        _line(image, points, px, pen, grey)
    else:
        _line(image, [(x + 0.15 * w + j(), y + 0.5 * h + j()), (x + 0.42 * w + j(), y + 0.85 * h + j()),
                      (x + 0.95 * w + j(), y + 0.05 * h + j())], px, pen, grey)


def draw_correction(image, x, y, w, h, px):
    """A box filled in completely: the writer cancels the answer (a tick under it or not)."""
    cv2.rectangle(image, (int((x + 0.05 * w) * px), int((y + 0.05 * h) * px)),
                  (int((x + 0.95 * w) * px), int((y + 0.95 * h) * px)), 25, -1)


def draw_writing(image, x, y, w, h, px, rng: random.Random, text=None):
    """Strokes on a writing line or in a digit box, in the lower part of its space."""
    text = text or "".join(rng.choice("abcdefghkmnoprstuvw ") for _ in range(max(1, int(w / 3))))[:40]
    size = min(h * 0.55, 5.0) * px / 22
    thickness = max(1, int(0.35 * px))
    while len(text) > 1 and cv2.getTextSize(text, cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, size, thickness)[0][0] > (w - 1) * px:
        text = text[:-1]  # a writer stops at the end of the line, short of the boxes beside it
    cv2.putText(image, text, (int((x + 0.5) * px), int((y + h * 0.85) * px)), cv2.FONT_HERSHEY_SCRIPT_SIMPLEX,
                size, 30, thickness, cv2.LINE_AA)


@dataclass
class Filled:
    pages: list[np.ndarray]
    boxes: list[tuple[str, str, int, bool, str]]  # slot name, option, page, meant ticked, mark ("" for none)


def fill(pdf: bytes, sheet: dict, form, values: dict[str, str], dpi: int, rng: random.Random,
         styles=TICK_STYLES, corrections: float = 0.05) -> Filled:
    """The print form at `dpi` with `values` ticked; some of the other boxes are cancelled (filled in)."""
    px = dpi / 25.4
    pages = rasterize(pdf, dpi)
    slots = slot_index(sheet)
    boxes = []
    for data_field in form.data_fields:
        keys = tick_keys(data_field)
        chosen = set(values.get(data_field.name, "").split())
        for slot_name, option in keys:
            for row in slots.get((slot_name, option), [])[:1]:
                page, box = row[3], row[4:8]
                ticked, mark = option in chosen, ""
                if ticked:
                    mark = rng.choice(styles)
                    draw_tick(pages[page - 1], *box, px, mark, rng)
                elif rng.random() < corrections:
                    mark = CORRECTED
                    draw_correction(pages[page - 1], *box, px)
                boxes.append((slot_name, option, page, ticked, mark))
        if not keys:
            rows = [r for (name, _), found in slots.items() if name == data_field.name for r in found]
            for row in rows:
                if row[2] == "digit":
                    draw_writing(pages[row[3] - 1], *row[4:8], px, rng, text=str(rng.randint(0, 9)))
                elif rng.random() < 0.5:
                    draw_writing(pages[row[3] - 1], *row[4:8], px, rng)
    return Filled(pages, boxes)


def overlap(page: np.ndarray, other: np.ndarray, sides: tuple[str, ...], most_mm: float, px: float,
            rng: random.Random) -> np.ndarray:
    """`page` with `other` (another printed sheet) lying over one of its edges by up to `most_mm`, a little
    askew, its edge casting a thin shadow: two sheets fed together or laid on the glass carelessly."""
    height, width = page.shape
    side = rng.choice(sides)
    depth, tilt = rng.uniform(0.3, 1.0) * most_mm * px, np.radians(rng.uniform(-1.5, 1.5))
    turns = {"top": 2, "right": 3, "bottom": 0, "left": 1}[side]  # the covered edge turned to the bottom
    turned, cover = np.rot90(page, turns).copy(), np.rot90(other, turns)
    h, w = turned.shape
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    edge = h - depth + (xs - w / 2) * np.tan(tilt)  # where the upper sheet begins, per column
    under = ys >= edge
    shifted = np.roll(cover, int(-h + depth), axis=0)  # the top of the other sheet's page over the bottom strip
    turned[under] = shifted[under]
    shadow = (ys < edge) & (ys > edge - 0.6 * px)
    turned[shadow] = (turned[shadow] * 0.75).astype(np.uint8)
    return np.rot90(turned, -turns).copy()


def degrade(page: np.ndarray, condition: Condition, rng: random.Random, other: np.ndarray | None = None) -> bytes:
    """The page as a scanner or phone delivers it, encoded (JPEG when the condition says so, else PNG);
    `other`, a sheet of the same size, lies over an edge when the condition says so."""
    height, width = page.shape
    px = condition.dpi / 25.4
    if condition.overlap_mm and other is not None and other.shape == page.shape:
        page = overlap(page, other, condition.overlap_sides, condition.overlap_mm, px, rng)
    angle = rng.uniform(-condition.rotation, condition.rotation) + (180 if condition.upside_down else 0)
    scale = 1 + rng.uniform(-condition.scale, condition.scale)
    margin = int(20 * px)  # the scanner bed or the table around the sheet: the page stays whole in the picture
    canvas_w, canvas_h = width + 2 * margin, height + 2 * margin
    centre = np.array([width / 2, height / 2])
    m = cv2.getRotationMatrix2D(tuple(centre), angle, scale)
    m[:, 2] += [margin + rng.uniform(-1, 1) * condition.shift_mm * px, margin + rng.uniform(-1, 1) * condition.shift_mm * px]
    corners = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    moved = cv2.transform(corners[None], m)[0]
    if condition.perspective:
        d = condition.perspective * width
        moved += np.array([[rng.uniform(0, d), rng.uniform(0, d)], [-rng.uniform(0, d), rng.uniform(0, d)],
                           [rng.uniform(0, d) * 0.3, 0], [-rng.uniform(0, d) * 0.3, 0]], np.float32)
    h = cv2.getPerspectiveTransform(corners, moved.astype(np.float32))
    background = 200 if condition.perspective else 255
    image = cv2.warpPerspective(page, h, (canvas_w, canvas_h), flags=cv2.INTER_LINEAR,
                                borderMode=cv2.BORDER_CONSTANT, borderValue=background).astype(np.float32)
    if condition.light:
        ys, xs = np.mgrid[0:canvas_h, 0:canvas_w].astype(np.float32)
        gx, gy = rng.choice([(1, 1), (1, -1), (-1, 1), (-1, -1)])
        ramp = ((xs / canvas_w - 0.5) * gx + (ys / canvas_h - 0.5) * gy + 1) / 2
        image *= 1 - condition.light * ramp
    if condition.blur:
        image = cv2.GaussianBlur(image, (0, 0), condition.blur)
    if condition.noise:
        image += np.random.default_rng(rng.randrange(1 << 30)).normal(0, condition.noise, image.shape).astype(np.float32)
    image = np.clip(image, 0, 255).astype(np.uint8)
    if condition.jpeg:
        return cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, condition.jpeg])[1].tobytes()
    return cv2.imencode(".png", image)[1].tobytes()
