"""The layout check (generator/layout_check.py): it finds each kind of defect, agrees with a second PDF
reader about what lies off the page, and finds nothing on the PDFs that `casekit build` writes."""
from __future__ import annotations

import ctypes
import re
import shutil
import subprocess
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium
import pytest
from weasyprint import HTML

from conftest import FIXTURES, ROOT, run_casekit
from generator.layout_check import KINDS, MM, check_pages, check_pdf, default_pdfs, read_pages
from generator.papers import EDGE, PAPERS, STYLES, page_css

FONTS = ROOT / "generator" / "fonts"


# -- each kind, on a page written for it ------------------------------------------------------------

def page_pdf(tmp_path: Path, body: str, name: str = "case", fillable: bool = False, lang: str = "en") -> Path:
    """A one-off document with the forms' paper, margins and fonts, and the marks of a casekit form."""
    html = f"""<html lang="{lang}"><head><meta name="casekit-form" content="{name}">
    <meta name="casekit-language" content="{lang}"><style>
    @font-face {{ font-family: "Noto Sans"; src: url({(FONTS / 'NotoSans-Regular.ttf').as_uri()}); }}
    @font-face {{ font-family: "Noto Sans"; src: url({(FONTS / 'NotoSans-Bold.ttf').as_uri()}); font-weight: bold; }}
    @font-face {{ font-family: "Noto Sans Khmer"; src: url({(FONTS / 'NotoSansKhmer-Regular.ttf').as_uri()}); }}
    @page {{ {page_css("form", "a4")} }}
    html {{ font-family: "Noto Sans", "Noto Sans Khmer"; font-size: 10pt; }} body {{ margin: 0; }}
    h2 {{ font-size: 12pt; margin: 0; }} .cap {{ font-weight: bold; margin: 0; }}
    .rule {{ display: block; height: 8mm; border-bottom: 0.2mm solid #000; }}
    .tick {{ display: inline-block; width: 4mm; height: 4mm; border: 0.3mm solid #000; box-sizing: border-box; }}
    .at {{ position: absolute; }}
    </style></head><body>{body}</body></html>"""
    path = tmp_path / f"{name}.pdf"
    HTML(string=html).write_pdf(path, pdf_forms=fillable, custom_metadata=True)
    return path


FULL = '<p class="cap">Notes</p>' + '<span class="rule"></span>' * 22  # a page 3/4 used: 22 lines of 8 mm

CASES = {  # kind -> (body of the page, fillable)
    "paper-edge": (FULL + '<div class="at" style="top: 270mm; left: 10mm">This sentence is cut by the paper edge</div>', False),
    "outside": (FULL + '<div class="at" style="top: 10mm; left: 168mm; white-space: nowrap">Margin</div>', False),
    "band": (FULL + '<div class="at" style="top: 256mm; left: 0; width: 60mm; height: 4mm; border: 0.3mm solid #000"></div>', False),
    "overlap": (FULL + '<div class="at" style="top: 215mm; left: 0">Text under</div><div class="at" style="top: 215.5mm; left: 2mm">text over</div>', False),
    "widget-off-page": (FULL + '<input class="at" style="top: 267mm; left: 0; width: 40mm; height: 7mm; border: 0; background: none" name="lost">', True),
    "lonely-heading": ('<div style="height: 230mm"><p class="cap">Filler</p>' + '<span class="rule"></span>' * 27
                       + '</div><h2>Heading left behind</h2><div style="break-before: page">' + FULL + '</div>', False),
    "underused": ('<p class="cap">Short page</p><span class="rule"></span><div style="break-before: page">' + FULL + "</div>", False),
    "last-page": (FULL + '<div style="break-before: page"><p class="cap">End</p><span class="rule"></span></div>', False),
    "small-text": (FULL + '<p class="at" style="top: 215mm; left: 120mm; font-size: 8pt">Small print</p>', False),
    "line-space": (FULL + '<p class="at" style="top: 215mm; left: 120mm; width: 50mm">Other: <span class="rule" style="height: 5mm"></span></p>', False),
    "small-tick": (FULL + '<span class="at tick" style="top: 215mm; left: 150mm; width: 3mm; height: 3mm"></span>', False),
    "small-widget": (FULL + '<input class="at" type="checkbox" name="tick" style="top: 215mm; left: 150mm; width: 3mm; height: 3mm">', True),
}


def kinds_found(path: Path, **options) -> dict[str, list]:
    found: dict[str, list] = {}
    for problem in check_pdf(path, **options):
        found.setdefault(problem.kind, []).append(problem)
    return found


def test_every_kind_has_a_case():
    assert set(CASES) == set(KINDS)


def test_a_clean_page_has_no_problems(tmp_path):
    assert check_pdf(page_pdf(tmp_path, FULL, fillable=True)) == []


@pytest.mark.parametrize("kind", sorted(CASES))
def test_finds_each_kind(tmp_path, kind):
    body, fillable = CASES[kind]
    found = kinds_found(page_pdf(tmp_path, body, fillable=fillable))
    assert set(found) == {kind}, found
    problem = found[kind][0]
    assert str(problem).startswith(f"{tmp_path / 'case.pdf'}:{problem.page}: ") and " mm: " in str(problem)


def test_positions_are_mm_from_the_top_left(tmp_path):
    body = FULL + '<div class="at" style="top: 267mm; left: 10mm">Cut here</div>'
    problem, = check_pdf(page_pdf(tmp_path, body))
    style = STYLES["form"]
    assert (problem.page, round(problem.x)) == (1, style.left + 10)
    assert abs(problem.y - (style.top + 267)) < 1.5  # the glyphs' top, a little under the box's top


def test_khmer_handwriting_needs_8_mm(tmp_path):
    """A line 7.5 mm under the one above it serves Latin handwriting, not Khmer (see generator/layout_check.py)."""
    body = FULL.replace('<span class="rule"></span>', '<span class="rule" style="height: 7.5mm"></span>', 1)
    assert kinds_found(page_pdf(tmp_path, body, lang="en")) == {}
    assert set(kinds_found(page_pdf(tmp_path, body, name="km", lang="km"))) == {"line-space"}


@pytest.mark.parametrize("first, gap, overlaps", [("ការចុះបញ្ជី", "0", True), ("ការចុះបញ្ជី", "3mm", False),
                                                  ("Intake", "0", False)])
def test_khmer_subscripts_reach_the_line_below(tmp_path, first, gap, overlaps):
    """Khmer subscript consonants reach further below the baseline than Latin letters: Khmer set as tight as
    Latin text touches the English line beneath it, as the forms' bilingual titles did."""
    body = (f'<p class="at" style="top: 215mm; font-size: 11pt; line-height: 1; margin: 0">{first}<br>'
            f'<span style="font-size: 10pt; display: inline-block; margin-top: {gap}">Registration</span></p>')
    found = kinds_found(page_pdf(tmp_path, FULL + body))
    assert set(found) == ({"overlap"} if overlaps else set()), found


def test_a_page_before_a_section_that_starts_fresh_may_be_short(tmp_path):
    body = ('<p class="cap">Short page</p><span class="rule"></span><div style="break-before: page"><h2>2. Reply slip</h2>'
            + FULL + "</div>")
    pages = read_pages(page_pdf(tmp_path, body))
    assert [p.kind for p in check_pages(pages, "x")] == ["underused"]
    assert check_pages(pages, "x", fresh_sections=("2.",)) == []


# -- the broken fixture form, through the project's renderer ---------------------------------------

@pytest.fixture(scope="module")
def stress_pdfs(tmp_path_factory) -> tuple[object, list[Path]]:
    """The fixture form (30-row table, seven-option choice column, 80-character Khmer label) under a
    120-character agency name, rendered by casekit: English print and bilingual fillable."""
    from generator.forms_pdf import PdfJob, render_job
    from generator.model import load_project
    root = tmp_path_factory.mktemp("stress")
    for name in ("forms", "translations"):
        shutil.copytree(ROOT / name, root / name)
    for form in (root / "forms").glob("*.yaml"):
        if form.name != "lists.yaml":
            form.unlink()
    for name in ("settings.yaml", "layout_stress.yaml"):
        shutil.copy(FIXTURES / "layout" / name, root / "forms" / name)
    project = load_project(root)
    paths = []
    for layout, variant in (("en", "print"), ("km+en", "fillable")):
        result = render_job(project, PdfJob("layout_stress", layout, variant, "a4"))
        path = root / result.job.file_name
        path.write_bytes(result.pdf)
        paths.append(path)
    return project, paths


def visible_path(obj) -> bool:
    """A path painted in something other than white (white paint is paper)."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill), ctypes.byref(stroke))
    for painted, get in ((fill.value, pdfium.FPDFPageObj_GetFillColor), (bool(stroke.value), pdfium.FPDFPageObj_GetStrokeColor)):
        rgba = [ctypes.c_uint() for _ in range(4)]
        if painted and get(obj.raw, *(ctypes.byref(c) for c in rgba)) and rgba[3].value and min(c.value for c in rgba[:3]) < 250:
            return True
    return False


def misplaced_per_pdfium(path: Path) -> set[int]:
    """Pages where PDFium (another reader than the check's) sees ink off the paper, within EDGE of its edge,
    in a side margin, or a drawing or a field in the footer band."""
    style, pages = STYLES["form"], set()
    document = pypdfium2.PdfDocument(path)
    try:
        for index, page in enumerate(document):
            width, height = page.get_size()
            paper = next(p for p in PAPERS.values() if abs(p.width - width * MM) < 1)
            boxes = [(obj.type, obj.get_bounds()) for obj in page.get_objects(max_depth=5)
                     if obj.type in (pdfium.FPDF_PAGEOBJ_TEXT, pdfium.FPDF_PAGEOBJ_IMAGE)
                     or (obj.type == pdfium.FPDF_PAGEOBJ_PATH and visible_path(obj))]
            for i in range(pdfium.FPDFPage_GetAnnotCount(page)):
                annot, rect = pdfium.FPDFPage_GetAnnot(page, i), pdfium.FS_RECTF()
                if pdfium.FPDFAnnot_GetSubtype(annot) == pdfium.FPDF_ANNOT_WIDGET and pdfium.FPDFAnnot_GetRect(annot, rect):
                    boxes.append(("widget", (rect.left, min(rect.bottom, rect.top), rect.right, max(rect.bottom, rect.top))))
                pdfium.FPDFPage_CloseAnnot(annot)
            for kind, (left, bottom, right, top) in boxes:
                x0, x1, y0, y1 = left * MM, right * MM, (height - top) * MM, (height - bottom) * MM
                if x1 - x0 < 0.01 and y1 - y0 < 0.01:
                    continue
                slack = 1.0
                off = (y0 < EDGE - slack or y1 > paper.height - EDGE + slack or x0 < style.left - slack
                       or x1 > paper.width - style.right + slack)
                in_footer = kind != pdfium.FPDF_PAGEOBJ_TEXT and y1 > paper.height - style.bottom + slack
                if off or in_footer:
                    pages.add(index + 1)
    finally:
        document.close()
    return pages


PLACEMENT = {"paper-edge", "outside", "band", "widget-off-page"}


def test_stress_form_placement_agrees_with_a_second_reader(stress_pdfs):
    """Whatever the layout does with the fixture form, the check reports a misplacement on exactly the pages
    where PDFium sees one (today: the lost table rows and fields, the agency name against the top edge)."""
    project, paths = stress_pdfs
    for path in paths:
        reported = {p.page for p in check_pdf(path, project) if p.kind in PLACEMENT}
        assert reported == misplaced_per_pdfium(path), path.name


def khmer_label_overlaps(path: Path) -> bool:
    """Poppler's word boxes (PDFium has no glyph boxes for Khmer drawn with ActualText): does a Khmer word
    overlap a word of another script? Poppler's boxes are the fonts' whole ascent and descent, taller than a
    line set at 1.25: on lines next to each other they meet by about 1 pt with no ink touching, so a real
    overlap must be more than 2 pt deep (a word drawn over another one is several)."""
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for page in out.split("<page ")[1:]:
        words = [(tuple(float(v) for v in m.groups()[:4]), m.group(5)) for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page)]
        khmer = [box for box, text in words if re.search("[\u1780-\u17ff]", text)]
        other = [box for box, text in words if not re.search("[\u1780-\u17ff]", text)]
        for a in khmer:
            for b in other:
                if min(a[2], b[2]) - max(a[0], b[0]) > 1 and min(a[3], b[3]) - max(a[1], b[1]) > 2:
                    return True
    return False


def test_stress_form_overlap_agrees_with_a_second_reader(stress_pdfs):
    project, paths = stress_pdfs
    for path in paths:
        found = any(p.kind == "overlap" and "ការ" in p.message for p in check_pdf(path, project))
        assert found == khmer_label_overlaps(path), path.name


# -- every PDF that `casekit build` writes ----------------------------------------------------------

def test_every_built_pdf_passes_the_layout_check(built_site):
    """The matrix, the workshop pack and the sample fills: nothing lost off the paper, nothing cramped."""
    project_pdfs = default_pdfs(ROOT)
    names = [p.name for p in project_pdfs]
    assert any(n.startswith("workshop_pack") for n in names) and any("samples" in str(p) for p in project_pdfs)
    assert len(project_pdfs) >= 72
    from generator.model import load_project
    project = load_project(ROOT)
    problems = [p for path in project_pdfs for p in check_pdf(path, project, label=str(path.relative_to(ROOT / "site" / "forms")))]
    counts: dict[str, int] = {}
    for p in problems:
        counts[p.kind] = counts.get(p.kind, 0) + 1
    assert not problems, f"{len(problems)} layout problems {counts}; the first:\n" + "\n".join(map(str, problems[:25]))


def test_command_prints_file_page_position_and_fails(tmp_path):
    body, _ = CASES["paper-edge"]
    bad, good = page_pdf(tmp_path, body, name="bad"), page_pdf(tmp_path, FULL, name="good")
    result = run_casekit("check", "--layout", str(bad), str(good))
    assert result.returncode == 1, result.stderr
    line, = result.stdout.splitlines()
    assert line.startswith(f"{bad}:1: 32,295 mm: ") and "paper edge" in line
    assert "2 PDF(s) checked: 1 layout problem(s)" in result.stderr
    assert run_casekit("check", "--layout", str(good)).returncode == 0
    missing = run_casekit("check", "--layout", str(tmp_path / "nope.pdf"))
    assert missing.returncode == 1 and "no such PDF" in missing.stderr and "Traceback" not in missing.stderr


@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_the_forms_use_the_margins_of_generator_papers(project, paper, tmp_path):
    """One definition of the page: a form's text starts at the left margin and its header ends above the
    content box that generator/papers.py gives (the check measures against the same numbers)."""
    from generator.forms_pdf import PdfJob, render_job
    from generator.layout_check import Frame
    result = render_job(project, PdfJob("intake", "en", "print", paper))
    path = tmp_path / "intake.pdf"
    path.write_bytes(result.pdf)
    page = read_pages(path)[0]
    assert (round(page.width, 1), round(page.height, 1)) == (round(PAPERS[paper].width, 1), round(PAPERS[paper].height, 1))
    frame = Frame.of(STYLES["form"], page.width, page.height)
    texts = [s for s in page.shapes if s.kind == "text"]
    assert abs(min(s.x0 for s in texts) - frame.left) < 0.6
    title = next(s for s in texts if s.size >= 15)
    assert frame.top - 0.5 <= title.top < frame.top + 6
    header = [s for s in page.shapes if s.bottom <= frame.top + 0.5]
    assert header and all(s.top >= 0 for s in header)
