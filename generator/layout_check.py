"""Where things land on paper, read back from a PDF's own drawing (pdfplumber): what a user would see.

A PDF's text can be complete while half a table is drawn below the paper's edge, so this check looks
at glyphs, lines, boxes and form widgets, page by page, and names every problem with its file, page
and position in mm from the page's top-left corner. Margins and bands come from generator/papers.py,
the table the stylesheet uses.

How the drawing is read:
- Text: glyphs in runs (same baseline and size, in drawing order). A run set in a bold face, or at
  11.5 pt or more, is a heading or a caption (section headings, field captions, table headers).
  Text in the field font (CasekitField) is a value written into the form (sample fills): it is
  checked for size and place, but does not count as a form's own layout above a writing line.
- WeasyPrint paints a border as one even-odd path of two rectangles (outer, inner); the check pairs
  them back to sides. A border with only its bottom side, under an empty box, is a writing line
  (`.rule`); under text it is an underline. An empty table cell at least 20 mm wide is a writing space.
- A square box drawn on all four sides is a tick box.
- Placement: the form's own content stays in the content box; the header band may hold anything (the
  running header); the footer band holds text and at most a rule across the page (form reference, page
  number). Content that runs past the bottom of the content box straddles its edge, so it is caught even
  where its rows lie wholly in the band. Problems of one kind that read alike on a page are one line.
  The alignment marks and QR code of casekit scan (generator/scan/marks.py) have their own places.
- A page's use is how far down its content box the lowest drawn thing reaches.
Handwriting: 7 mm above a writing line for Latin script, 8 mm where the page is in Khmer (layouts
whose first language is km, including km+en): Khmer stacks subscripts and vowels above and below the
line, so handwriting needs a taller line than Latin script at the same letter size.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from .i18n import WESTERN_DIGITS
from .papers import EDGE, PAPERS, STYLES, PageStyle, paper_of_size
from .scan.marks import scan_areas

MM = 25.4 / 72  # one PDF point in mm
SLACK = 0.5  # mm: half a collapsed border may lie outside its box; rounding

# One table of the problem kinds: the name printed in totals, and what it means.
KINDS = {
    "paper-edge": "drawn beyond or cut by the paper edge",
    "outside": "drawn outside the content box (in a margin)",
    "band": "content in the footer band, or running between a band and the content box",
    "overlap": "text overlapping text",
    "widget-off-page": "form widget not fully on the page",
    "lonely-heading": "heading or caption with nothing of its body after it on the page",
    "underused": "page less than half used (not the last page, nor before a page that must start fresh)",
    "last-page": "last page less than a quarter used",
    "small-text": "printed text under the minimum size",
    "line-space": "writing line with too little space above it",
    "small-tick": "tick box smaller than the minimum",
    "small-widget": "fillable widget smaller than the minimum",
}
MIN_TEXT_PT = 9.0
MIN_WRITING_MM = {"latin": 7.0, "khmer": 8.0}
MIN_TICK_MM = 4.0
MIN_WRITING_CELL_MM = 20.0  # an empty table cell at least this wide is for writing
MIN_WIDGET_MM = {"tick": 4.0, "text": 6.0}  # tick: width and height; text: height
MIN_PAGE_USE = 0.5
MIN_LAST_PAGE_USE = 0.25
HEADING_PT = 11.5  # this size or larger is a heading even when not bold
TITLE_PT = 15.0  # a title this large at the top of a page starts a chapter (the workshop pack)


@dataclass(frozen=True)
class LayoutProblem:
    file: str
    page: int  # 1-based
    x: float  # mm from the left edge
    y: float  # mm from the top edge
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.page}: {self.x:.0f},{self.y:.0f} mm: {self.message}"


@dataclass
class Shape:
    """One drawn thing, in mm from the page's top-left corner."""

    kind: str  # text, box, hline, vline, rule, fill, image, widget, graphic
    x0: float
    top: float
    x1: float
    bottom: float
    text: str = ""
    size: float = 0.0  # text: font size in pt
    heading: bool = False
    value: bool = False  # text in the field font: a value written in, not the form's own layout
    widget: str = ""  # tick or text
    baseline: float = 0.0  # text
    ink_top: float = 0.0  # text: where its glyphs have ink (see _ink), for overlaps
    ink_bottom: float = 0.0
    holder: tuple = ()  # a rule: the box whose bottom border it is (text in it makes it an underline)

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def label(self) -> str:
        if self.kind == "text":
            text = self.text.strip()
            return f"text '{text[:40]}{'…' if len(text) > 40 else ''}'"
        return {"box": "a box", "hline": "a line", "vline": "a line", "rule": "a writing line", "fill": "a shaded area",
                "image": "an image", "widget": f"a fillable {self.widget} field", "graphic": "a drawing"}[self.kind]


@dataclass
class Page:
    number: int
    width: float
    height: float
    shapes: list[Shape] = field(default_factory=list)


# -- reading ---------------------------------------------------------------------------------------

def _is_white(color) -> bool:
    if color is None:
        return True
    values = color if isinstance(color, (tuple, list)) else (color,)
    try:
        numbers = [float(v) for v in values]
    except (TypeError, ValueError):
        return False
    if len(numbers) == 4:  # CMYK
        return all(v <= 0.01 for v in numbers)
    return all(v >= 0.99 for v in numbers)


def _box(obj) -> tuple[float, float, float, float]:
    return obj["x0"] * MM, obj["top"] * MM, obj["x1"] * MM, obj["bottom"] * MM


def _text_runs(chars, page_height_pt: float) -> list[Shape]:
    runs: list[Shape] = []
    current = None
    last = None
    for char in chars:
        if not char.get("upright", True):
            continue
        size = round(float(char["size"]), 2)
        baseline = page_height_pt - float(char["matrix"][5])  # from the top, in pt
        x0, top, x1, bottom = _box(char)
        font = char.get("fontname", "")
        joins = (current is not None and abs(baseline - last[0]) < 0.5 and abs(size - current.size) < 0.05
                 and last[2] == font and current.x0 - size * MM <= x0 <= last[1] + size * MM)
        if not joins:
            flat = font.lower().replace("-", "")
            current = Shape("text", x0, top, x1, bottom, size=size,
                            heading="bold" in flat or size >= HEADING_PT, value="casekitfield" in flat,
                            baseline=baseline * MM)
            runs.append(current)
        if joins and x0 - last[1] > 0.2 * size * MM and not current.text.endswith(" "):
            current.text += " "  # a word space that the PDF leaves out (moved by the pen, not drawn)
        current.text += char["text"]
        if not char["text"].isspace():
            if current.text.strip() == char["text"]:  # first visible glyph of the run sets its box
                current.x0, current.x1 = x0, x1
            current.x0, current.x1 = min(current.x0, x0), max(current.x1, x1)
            current.top, current.bottom = min(current.top, top), max(current.bottom, bottom)
        last = (baseline, x1, font)
    return [_ink(run) for run in runs if run.text.strip()]


KHMER_BELOW = "\u17d2"  # coeng: a subscript consonant follows
KHMER_ABOVE = set("\u17b7\u17b8\u17b9\u17ba\u17be\u17c6\u17c9\u17ca\u17cb\u17cc\u17cd\u17ce\u17cf\u17d0\u17d1\u17dd")


def _ink(run: Shape) -> Shape:
    """Where a run's glyphs have ink, from its baseline: Noto Sans reaches 0.76 em up and 0.24 em down; Khmer
    vowels and signs above the consonant reach 0.93 em, subscripts 0.49 em (measured on the fonts we ship)."""
    baseline, em = run.baseline, run.size * MM
    khmer = any("\u1780" <= c <= "\u17ff" for c in run.text)
    up = 0.93 if khmer and KHMER_ABOVE.intersection(run.text) else 0.76
    down = 0.49 if khmer and KHMER_BELOW in run.text else 0.24
    run.ink_top, run.ink_bottom = baseline - up * em, baseline + down * em
    return run


def _contains(outer, inner) -> bool:
    return (inner[0] >= outer[0] - 0.01 and inner[1] >= outer[1] - 0.01 and inner[2] <= outer[2] + 0.01
            and inner[3] <= outer[3] + 0.01 and inner != outer)


def _border_shapes(rects) -> list[Shape]:
    """Pair WeasyPrint's outer/inner border rectangles (next to each other, either order) into boxes and lines."""
    shapes: list[Shape] = []
    visible = [r for r in rects if (r.get("fill") or r.get("stroke")) and not _is_white(
        r.get("non_stroking_color") if r.get("fill") else r.get("stroking_color"))]
    i = 0
    while i < len(visible):
        rect = visible[i]
        box = _box(rect)
        if rect.get("stroke") and not rect.get("fill"):
            shapes.append(Shape("box", *box))
            i += 1
            continue
        nxt = visible[i + 1] if i + 1 < len(visible) else None
        outer = inner = None
        if nxt is not None and nxt.get("fill") and nxt.get("non_stroking_color") == rect.get("non_stroking_color"):
            other = _box(nxt)
            if _contains(box, other):
                outer, inner = box, other
            elif _contains(other, box):
                outer, inner = other, box
        if inner is None:
            shapes.append(Shape("fill", *box))
            i += 1
            continue
        i += 2
        left, top, right, bottom = (inner[0] - outer[0], inner[1] - outer[1], outer[2] - inner[2], outer[3] - inner[3])
        sides = [s > 0.02 for s in (left, top, right, bottom)]
        if all(sides):
            shapes.append(Shape("box", *outer))
        elif sides == [False, False, False, True]:
            shapes.append(Shape("rule", outer[0], outer[3] - bottom, outer[2], outer[3], holder=outer))
        else:
            if sides[1]:
                shapes.append(Shape("hline", outer[0], outer[1], outer[2], outer[1] + top))
            if sides[3]:
                shapes.append(Shape("hline", outer[0], outer[3] - bottom, outer[2], outer[3]))
            if sides[0]:
                shapes.append(Shape("vline", outer[0], outer[1], outer[0] + left, outer[3]))
            if sides[2]:
                shapes.append(Shape("vline", outer[2] - right, outer[1], outer[2], outer[3]))
    return shapes


def _widget_type(annot) -> str:
    from pdfminer.pdftypes import resolve1
    data = annot.get("data") or {}
    kind = data.get("FT")
    parent = data.get("Parent")
    while kind is None and parent is not None:
        parent = resolve1(parent)
        kind, parent = parent.get("FT"), parent.get("Parent")
    name = getattr(kind, "name", str(kind or ""))
    return "tick" if name == "Btn" else "text"


def read_pages(path: Path) -> list[Page]:
    return read_pdf(path)[1]


def read_pdf(path: Path) -> tuple[dict, list[Page]]:
    """What the PDF says about itself (casekit writes the form id and layout into its metadata), and its pages."""
    import pdfplumber
    pages = []
    with pdfplumber.open(path) as pdf:
        meta = {k: v.decode("utf-8", "replace") if isinstance(v, bytes) else v for k, v in (pdf.metadata or {}).items()}
        for number, page in enumerate(pdf.pages, start=1):
            out = Page(number, float(page.width) * MM, float(page.height) * MM)
            out.shapes += _text_runs(page.chars, float(page.height))
            out.shapes += _border_shapes(page.rects)
            for line in page.lines:
                if _is_white(line.get("stroking_color")):
                    continue
                x0, top, x1, bottom = _box(line)
                width = float(line.get("linewidth") or 0) * MM / 2
                kind = "hline" if x1 - x0 >= bottom - top else "vline"
                if kind == "hline":
                    out.shapes.append(Shape(kind, x0, top - width, x1, bottom + width))
                else:
                    out.shapes.append(Shape(kind, x0 - width, top, x1 + width, bottom))
            for curve in page.curves:
                color = curve.get("non_stroking_color") if curve.get("fill") else curve.get("stroking_color")
                if not _is_white(color):
                    out.shapes.append(Shape("graphic", *_box(curve)))
            for image in page.images:
                out.shapes.append(Shape("image", *_box(image)))
            for annot in page.annots:
                if str((annot.get("data") or {}).get("Subtype", "")).strip("/'") .endswith("Widget"):
                    out.shapes.append(Shape("widget", *_box(annot), widget=_widget_type(annot)))
            pages.append(out)
    return meta, pages


# -- checking --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Frame:
    """The content box and the bands of one page, in mm from the top-left corner."""

    width: float
    height: float
    left: float
    top: float
    right: float
    bottom: float
    header_top: float
    footer_bottom: float

    @classmethod
    def of(cls, style: PageStyle, width: float, height: float) -> "Frame":
        return cls(width, height, style.left, style.top, width - style.right, height - style.bottom, EDGE, height - EDGE)

    def inside(self, s: Shape) -> bool:
        return (s.x0 >= self.left - SLACK and s.x1 <= self.right + SLACK and s.top >= self.top - SLACK
                and s.bottom <= self.bottom + SLACK)

    def on_paper(self, s: Shape) -> bool:
        return s.x0 >= -SLACK and s.top >= -SLACK and s.x1 <= self.width + SLACK and s.bottom <= self.height + SLACK

    def scan_mark(self, s: Shape) -> bool:
        return any(s.x0 >= x - SLACK and s.x1 <= x + w + SLACK and s.top >= y - SLACK and s.bottom <= y + h + SLACK
                   for x, y, w, h in scan_areas(self.width, self.height))

    def in_header(self, s: Shape) -> bool:
        return (s.x0 >= self.left - SLACK and s.x1 <= self.right + SLACK and s.top >= self.header_top - SLACK
                and s.bottom <= self.top + SLACK)

    def in_footer(self, s: Shape) -> bool:
        return (s.x0 >= self.left - SLACK and s.x1 <= self.right + SLACK and s.top >= self.bottom - SLACK
                and s.bottom <= self.footer_bottom + SLACK)


def _where(frame: Frame, s: Shape) -> str:
    sides = []
    if s.top < frame.header_top - SLACK:
        sides.append(f"top {EDGE:g} mm of the paper")
    if s.bottom > frame.footer_bottom + SLACK:
        sides.append(f"bottom {EDGE:g} mm of the paper")
    if s.x0 < frame.left - SLACK:
        sides.append("left margin")
    if s.x1 > frame.right + SLACK:
        sides.append("right margin")
    return " and ".join(sides) or "margin"


def _place(frame: Frame, page: Page) -> tuple[list[Shape], list[tuple[str, Shape, str]]]:
    """The page's own content (inside the content box), and the shapes that are where they must not be."""
    content, wrong = [], []
    for s in page.shapes:
        if frame.inside(s):
            content.append(s)
        elif s.kind == "widget" and not frame.on_paper(s):
            wrong.append(("widget-off-page", s, f"{s.label()} is not fully on the page"))
        elif not frame.on_paper(s):
            entirely = s.top > frame.height or s.x0 > frame.width or s.bottom < 0 or s.x1 < 0
            wrong.append(("paper-edge", s, f"{s.label()} is {'beyond' if entirely else 'cut by'} the paper edge"))
        elif frame.scan_mark(s):
            continue  # an alignment mark or the QR code, for casekit scan
        elif frame.in_header(s):
            continue  # the running header
        elif frame.in_footer(s):
            # the footer is text, perhaps under a rule across the page: anything else there ran past the content box
            rule = s.kind in ("hline", "rule") and s.width >= 0.9 * (frame.right - frame.left)
            if s.kind != "text" and not rule:
                wrong.append(("band", s, f"{s.label()} is drawn inside the footer band"))
        elif s.top < frame.bottom - SLACK and s.bottom > frame.bottom + SLACK and s.bottom <= frame.footer_bottom + SLACK \
                and s.x0 >= frame.left - SLACK and s.x1 <= frame.right + SLACK:
            wrong.append(("band", s, f"{s.label()} runs from the content box into the footer band"))
        elif s.top < frame.top - SLACK and s.bottom > frame.top + SLACK and s.x0 >= frame.left - SLACK \
                and s.x1 <= frame.right + SLACK and s.top >= frame.header_top - SLACK:
            wrong.append(("band", s, f"{s.label()} runs from the header band into the content box"))
        else:
            wrong.append(("outside", s, f"{s.label()} is outside the content box, in the {_where(frame, s)}"))
    return content, wrong


def _overlaps(texts: list[Shape]) -> list[tuple[Shape, Shape]]:
    found = []
    ordered = sorted(texts, key=lambda s: s.ink_top)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b.ink_top >= a.ink_bottom:
                break
            width = min(a.x1, b.x1) - max(a.x0, b.x0)
            height = min(a.ink_bottom, b.ink_bottom) - max(a.ink_top, b.ink_top)
            if width > 0.3 and height > 0.3:
                found.append((a, b))
    return found


def _heading_parts(content: list[Shape], headings: list[Shape]) -> set[int]:
    """Boxes, shading and borders drawn around a heading belong to it, not to its body."""
    parts = set()
    for s in content:
        if s.kind in ("text", "widget"):
            continue
        for h in headings:
            if (s.x0 <= h.x1 and s.x1 >= h.x0 and s.top >= h.top - 3.0 and s.bottom <= h.bottom + 3.0):
                parts.add(id(s))
                break
    return parts


def _lonely_headings(content: list[Shape], text_is_body: bool) -> Shape | None:
    """On a form a heading's body is something to write in or tick (an intro or hint alone is not enough);
    in a text document such as the workshop pack, a paragraph is."""
    headings = [s for s in content if s.kind == "text" and s.heading and not s.value]
    if not headings:
        return None
    parts = _heading_parts(content, headings)
    body = [s for s in content if id(s) not in parts and (
        s.kind != "text" or (text_is_body and not s.heading))]
    last_body = max((s.bottom for s in body), default=0.0)
    after = [h for h in headings if h.top >= last_body - 0.2]
    return min(after, key=lambda h: (h.top, h.x0)) if after else None


def _above_overlap(s: Shape, line: Shape) -> bool:
    """Is `s` over the line (not just touching its end): 2 mm in common, or half of the narrower of the two."""
    common = min(s.x1, line.x1) - max(s.x0, line.x0)
    return common > 0.1 and common >= min(2.0, line.width / 2, s.width / 2)


def _space_above(line: Shape, content: list[Shape]) -> float | None:
    """mm of free space above a writing line, up to the nearest thing drawn above it."""
    nearest = None
    for s in content:
        if s is line or s.kind in ("vline", "widget") or s.value or s.bottom > line.top + 0.1:
            continue  # a fillable field lies over its own line: it is not in the way of the pen
        if not _above_overlap(s, line):
            continue
        nearest = s.bottom if nearest is None else max(nearest, s.bottom)
    return None if nearest is None else line.top - nearest


def _writing_lines(content: list[Shape]) -> list[Shape]:
    """Bottom borders of empty boxes; the bottom border of a box with text in it (a heading) underlines it."""
    texts = [s for s in content if s.kind == "text" and not s.value]
    lines = []
    for rule in (s for s in content if s.kind == "rule"):
        x0, top, x1, bottom = rule.holder
        if not any(x0 <= (t.x0 + t.x1) / 2 <= x1 and top <= (t.ink_top + t.ink_bottom) / 2 <= bottom for t in texts):
            lines.append(rule)
    return lines


def _empty_cells(content: list[Shape]) -> list[tuple[Shape, float]]:
    """Table cells with nothing in them, wide enough to write in: a horizontal border whose nearest thing above is
    another border. (A narrower empty cell takes a tick or one digit.)"""
    found = []
    hlines = [s for s in content if s.kind == "hline" and s.width >= MIN_WRITING_CELL_MM]
    for line in hlines:
        above = [s for s in content if s is not line and s.kind != "vline" and not s.value and s.bottom <= line.top + 0.1
                 and _above_overlap(s, line)]
        if not above:
            continue
        nearest = max(above, key=lambda s: s.bottom)
        # Khmer glyph boxes reach below a header cell's border, so look for text centred inside the cell too
        holds_text = any(s.kind == "text" and nearest.bottom < (s.top + s.bottom) / 2 < line.top and _above_overlap(s, line)
                         for s in content)
        if nearest.kind == "hline" and line.top - nearest.bottom > 1.0 and not holds_text:
            found.append((line, line.top - nearest.bottom))
    return found


def _used(frame: Frame, content: list[Shape]) -> float:
    if not content:
        return 0.0
    return (max(s.bottom for s in content) - frame.top) / (frame.bottom - frame.top)


def first_text(content: list[Shape]) -> Shape | None:
    """The first run of text on the page: leftmost on the top line (by baseline, as Khmer glyphs rise higher),
    with the runs that touch it on that line (a section number "៦." is two runs: the Khmer font has no full stop)."""
    texts = [s for s in content if s.kind == "text"]
    if not texts:
        return None
    line = min(s.baseline for s in texts)
    on_line = sorted((s for s in texts if s.baseline - line < 1.0), key=lambda s: s.x0)
    first = on_line[0]
    for run in on_line[1:]:
        if run.x0 - first.x1 > 0.5:
            break
        first = replace(first, x1=max(first.x1, run.x1), text=first.text + run.text)
    return first


def _starts_fresh(content: list[Shape], fresh_sections: tuple[str, ...]) -> bool:
    """The page begins with a title (a chapter) or with a section that must start on a new page."""
    first = first_text(content)
    if first is None:
        return False
    if first.size >= TITLE_PT:
        return True
    number = first.text.strip().translate(WESTERN_DIGITS)  # section numbers print in the layout's digits
    return first.heading and any(number.startswith(prefix) for prefix in fresh_sections)


def check_pages(pages: list[Page], file: str, style: str = "form", khmer: bool = False,
                fresh_sections: tuple[str, ...] = ()) -> list[LayoutProblem]:
    """Every problem on these pages. `fresh_sections`: how the heading of each section that must start on
    its own page begins (e.g. "5."), so that the page before it may be short. Problems of one kind on one
    page that read alike are reported once, at the first of them, with a count."""
    found: dict[tuple, list] = {}

    def report(page: Page, kind: str, shape: Shape, message: str, alike: str | None = None) -> None:
        key = (page.number, kind, alike or message)
        found.setdefault(key, []).append((shape, message))

    contents = []
    for page in pages:
        frame = Frame.of(STYLES[style], page.width, page.height)
        content, wrong = _place(frame, page)
        contents.append((frame, content))
        for kind, shape, message in wrong:
            report(page, kind, shape, message, alike=message.split(" is ", 1)[-1].split(" runs ", 1)[-1])
        texts = [s for s in page.shapes if s.kind == "text" and frame.on_paper(s)]
        for a, b in _overlaps(texts):
            report(page, "overlap", b, f"{b.label()} overlaps {a.label()}")
        heading = _lonely_headings(content, text_is_body=style != "form")
        if heading is not None:
            report(page, "lonely-heading", heading,
                   f"heading {heading.label()} is the last thing on the page; what it heads is on the next page")
        for s in page.shapes:
            if s.kind == "text" and s.size < MIN_TEXT_PT - 0.05:
                report(page, "small-text", s, f"{s.label()} is printed at {s.size:g} pt, under {MIN_TEXT_PT:g} pt",
                       alike="small")
        need = MIN_WRITING_MM["khmer" if khmer else "latin"]
        writing = [(s, _space_above(s, content)) for s in _writing_lines(content)] + _empty_cells(content)
        for s, space in writing:
            if space is not None and space < need - 0.1:
                report(page, "line-space", s, f"writing line {s.width:.0f} mm wide has {space:.1f} mm above it; "
                       f"handwriting needs {need:g} mm", alike="line")
        for s in content:
            if s.kind == "box" and abs(s.width - s.height) < 0.3 and s.width < MIN_TICK_MM - 0.05:
                report(page, "small-tick", s, f"tick box is {s.width:.1f} mm, under {MIN_TICK_MM:g} mm", alike="tick")
        for s in page.shapes:
            if s.kind == "widget" and s.widget == "tick" and min(s.width, s.height) < MIN_WIDGET_MM["tick"] - 0.05:
                report(page, "small-widget", s, f"fillable tick box is {s.width:.1f} × {s.height:.1f} mm, "
                       f"under {MIN_WIDGET_MM['tick']:g} mm", alike="tick")
            elif s.kind == "widget" and s.widget == "text" and s.height < MIN_WIDGET_MM["text"] - 0.05:
                report(page, "small-widget", s, f"fillable text field is {s.height:.1f} mm tall, "
                       f"under {MIN_WIDGET_MM['text']:g} mm", alike="text")
    for index, (frame, content) in enumerate(contents):
        page, top = pages[index], Shape("graphic", frame.left, frame.top, frame.right, frame.top)
        used = _used(frame, content)
        if index == len(pages) - 1:
            if used < MIN_LAST_PAGE_USE:
                report(page, "last-page", top, f"last page is {used:.0%} used (under {MIN_LAST_PAGE_USE:.0%})")
        elif used < MIN_PAGE_USE and not _starts_fresh(contents[index + 1][1], fresh_sections):
            report(page, "underused", top, f"page is {used:.0%} used (under {MIN_PAGE_USE:.0%}), "
                   "and the next page is not one that must start on its own")
    problems = []
    for (number, kind, _), items in found.items():
        items.sort(key=lambda item: (item[0].kind != "text", item[0].top, item[0].x0))
        shape, message = items[0]
        if len(items) > 1:
            message += f" (and {len(items) - 1} more like it on this page)"
        problems.append(LayoutProblem(file, number, max(shape.x0, 0.0), max(shape.top, 0.0), kind, message))
    problems.sort(key=lambda p: (p.page, p.y, p.x))
    return problems


# -- files -----------------------------------------------------------------------------------------

def check_pdf(path: Path, project=None, label: str | None = None) -> list[LayoutProblem]:
    """Check one PDF. With the project, sections marked `new_page` are known, so the page before them may be short."""
    path = Path(path)
    meta, pages = read_pdf(path)
    facts = {"form": meta.get("casekitform"), "language": meta.get("casekitlanguage")}
    if not pages:
        return []
    paper = paper_of_size(pages[0].width, pages[0].height)
    if paper is None:
        return [LayoutProblem(label or str(path), 1, 0, 0, "paper-edge",
                              f"page is {pages[0].width:.0f} × {pages[0].height:.0f} mm, not one of: {', '.join(PAPERS)}")]
    fresh: tuple[str, ...] = ()
    if project is not None and facts["form"] in getattr(project, "forms", {}):
        form = project.forms[facts["form"]]
        fresh = tuple(f"{number}." for number, section in enumerate(form.sections, start=1) if section.new_page)
    language = facts["language"] or ""
    return check_pages(pages, label or str(path), style="form" if facts["form"] else "pack",
                       khmer=language.split("+")[0] == "km", fresh_sections=fresh)


def default_pdfs(root: Path) -> list[Path]:
    """Every PDF `casekit build` wrote: the matrix and the workshop pack (site/forms/pdf), and the sample fills."""
    forms = Path(root) / "site" / "forms"
    return sorted(forms.glob("pdf/*.pdf")) + sorted(forms.glob("samples/*.pdf"))


def totals(problems: list[LayoutProblem]) -> dict[str, int]:
    counts = {kind: 0 for kind in KINDS}
    for p in problems:
        counts[p.kind] += 1
    return counts


def run(root: Path, paths: list[str]) -> int:
    """`casekit check --layout [PDF…]`: one line per problem, totals per kind, exit 1 if any."""
    import sys

    from .errors import InputError, Problem, display_path
    from .model import load_project
    project = load_project(root) if (Path(root) / "forms").is_dir() else None  # new_page sections, if known
    files = [Path(p) for p in paths] or default_pdfs(root)
    missing = [Problem(str(p), "no such PDF") for p in files if not p.is_file()]
    if missing:
        raise InputError(missing)
    if not files:
        raise InputError([Problem(str(Path(root) / "site" / "forms"), "no PDFs here; run `casekit build` first, or name the PDFs")])
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException
    problems, unreadable = [], []
    for path in files:
        try:
            problems += check_pdf(path, project, label=display_path(path))
        except (PdfminerException, PDFSyntaxError) as error:
            unreadable.append(Problem(display_path(path), f"not a readable PDF ({error})"))
    if unreadable:
        raise InputError(unreadable)
    for problem in problems:
        print(problem)
    counts = {kind: n for kind, n in totals(problems).items() if n}
    summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    print(f"{len(files)} PDF(s) checked: {len(problems)} layout problem(s){': ' + summary if summary else ''}.",
          file=sys.stderr)
    return 1 if problems else 0
