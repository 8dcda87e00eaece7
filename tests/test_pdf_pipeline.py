"""The PDF pipeline: one layout gives the print and fillable PDFs; WeasyPrint is checked before use and not
loaded by commands that make no PDF; the cache is keyed by content and by every file that shapes a PDF."""
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT
from generator.errors import InputError
from generator.forms_pdf import PdfCache, all_jobs, cache_key, code_digest, code_files, render_all, render_sheet
from generator.layout import Layout
from generator.model import load_project

PROJECT = Path(__file__).parent / "fixtures" / "data" / "project"  # one form with every field kind, en, A4
MM = 72 / 25.4
PX = 0.75  # PDF points per CSS px


@pytest.fixture(scope="module")
def kinds():
    project = load_project(PROJECT)
    pdfs = {r.job.variant: PdfReader(io.BytesIO(r.pdf)) for r in render_sheet(project, "kinds", "en", "a4")}
    return project, pdfs


def widgets(reader):
    """(page, name, export value or None, kind, rectangle) of every field widget."""
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            rectangle = [float(v) for v in widget["/Rect"]]
            if "/Parent" in widget:  # a radio button: its group holds the name and the values
                group = widget["/Parent"].get_object()
                index = [kid.idnum for kid in group["/Kids"]].index(annotation.idnum)
                yield number, str(group["/T"]), str(group["/Opt"][index]), "/Btn", rectangle
            else:
                yield number, str(widget["/T"]), None, str(widget["/FT"]), rectangle


def test_print_and_fillable_are_the_same_page(kinds):
    _, pdfs = kinds
    printed, fillable = pdfs["print"], pdfs["fillable"]
    assert len(printed.pages) == len(fillable.pages)
    for a, b in zip(printed.pages, fillable.pages):
        assert a.get_contents().get_data() == b.get_contents().get_data()  # the same drawing, byte for byte
    assert "/AcroForm" not in printed.trailer["/Root"] and not any(p.get("/Annots") for p in printed.pages)
    assert len(list(widgets(fillable))) > 30


def test_every_field_lies_on_its_printed_box_or_line(kinds):
    """Where `casekit fill` stamps a value (the print layout's boxes and lines) is where the field is."""
    from generator.data.stamp import blank_sheet
    project, pdfs = kinds
    sheet = blank_sheet(project, project.forms["kinds"], Layout.load(project.root, "en"), "a4")
    height = float(pdfs["fillable"].pages[0].mediabox.height)
    names = set()
    for page, name, value, kind, (x0, y0, x1, y1) in widgets(pdfs["fillable"]):
        names.add(name)
        if kind == "/Btn":
            assert min(abs(x1 - x0), abs(y1 - y0)) >= 4 * MM - 0.01, name
        else:
            assert abs(y1 - y0) >= 6 * MM - 0.01, name
        # a line or box, or the row of a date's or number's digit boxes
        boxes = [s for (slot, v), found in sheet.slots.items() for s in found
                 if slot == name and s.page == page and (value is None or v == value)]
        left, top = min(s.x for s in boxes), min(s.y for s in boxes)
        right, bottom = max(s.x + s.width for s in boxes), max(s.y + s.height for s in boxes)
        x, y = (x0 + x1) / 2 / PX, (height - (y0 + y1) / 2) / PX
        assert left - 1 <= x <= right + 1 and top - 1 <= y <= bottom + 1, (name, value)
    for d in project.forms["kinds"].data_fields:  # every value has its field; a multi-choice, a box per option
        assert ({f"{d.name}__{o.value}" for o in d.options} if d.widget == "checkboxes" else {d.name}) <= names, d.name


def test_each_page_is_drawn_once_for_both_variants(monkeypatch):
    """The fillable PDF reuses the print PDF's drawing of every page (drawing is most of writing a PDF)."""
    import weasyprint.document
    drawn, draw_page = [], weasyprint.document.draw_page
    monkeypatch.setattr(weasyprint.document, "draw_page", lambda box, stream: (drawn.append(box), draw_page(box, stream)))
    results = render_sheet(load_project(PROJECT), "kinds", "en", "a4")
    assert len(results) == 2 and len(drawn) == results[0].pages


def test_a_page_with_an_image_is_drawn_for_each_variant():
    """An image is an object each PDF holds itself, so its page is drawn again: both PDFs show it."""
    import base64
    from PIL import Image
    from generator.pdf import print_and_fillable
    png = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(png, "PNG")
    html = (f'<img src="data:image/png;base64,{base64.b64encode(png.getvalue()).decode()}" style="width: 20mm">'
            '<input name="case_number">')
    printed, fillable, _, _ = print_and_fillable(html, "")
    for pdf in (printed, fillable):
        images = [x.get_object() for x in PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/XObject"].values()]
        assert [x["/Subtype"] for x in images] == ["/Image"]


def test_a_filled_copy_starts_from_the_print_pdf(kinds):
    """`casekit fill` stamps values onto exactly the blank print PDF of the matrix."""
    from generator.data.stamp import blank_sheet
    from generator.forms_pdf import PdfJob, render_job
    project, _ = kinds
    sheet = blank_sheet(project, project.forms["kinds"], Layout.load(project.root, "en"), "a4")
    assert sheet.pdf == render_job(project, PdfJob("kinds", "en", "print", "a4")).pdf


def test_supported_versions_are_the_declared_ones():
    from generator.pdf import SUPPORTED
    declared = (ROOT / "pyproject.toml").read_text()
    for name, versions in SUPPORTED.items():
        assert f'"{name}{versions}"' in declared, name


def test_a_weasyprint_without_the_hooks_fails_with_the_supported_versions(monkeypatch):
    import weasyprint.draw.text
    from generator import pdf
    monkeypatch.delattr(weasyprint.draw.text, "draw_first_line")
    pdf.prepare.cache_clear()
    try:
        with pytest.raises(InputError) as error:
            pdf.render_document("<p>x</p>", fillable=False)
    finally:
        pdf.prepare.cache_clear()
    message = str(error.value)
    assert "draw_first_line" in message and "weasyprint>=66,<71" in message


@pytest.mark.parametrize("command", [["check"], ["schema"], ["i18n", "status"]])
def test_commands_that_make_no_pdf_do_not_load_weasyprint(command):
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "generator", *command], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode in (0, 1), result.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "generator.model" in imported or command == ["schema"]  # the check below looks at real output
    assert not {"weasyprint", "pypdf", "pydyf", "generator.pdf"} & imported


def test_patching_waits_for_the_first_render():
    result = subprocess.run([sys.executable, "-c", "import generator.pdf, weasyprint.draw.text as t; "
                             "print(getattr(t.draw_first_line, 'casekit_actual_text', False))"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "False", result.stderr


# The cache ------------------------------------------------------------------------------------------

@pytest.fixture
def rendered(tmp_path):
    """The fixture project, copied, rendered once into its own cache."""
    root = tmp_path / "first"
    shutil.copytree(PROJECT, root)
    render_all(load_project(root), all_jobs(load_project(root)), PdfCache(root / ".cache"), workers=1)
    return root


def _fail(*args):
    raise AssertionError("rendered, although every PDF is in the cache")


def test_a_copied_project_is_all_cache_hits(rendered, tmp_path, monkeypatch):
    moved = tmp_path / "elsewhere" / "project"
    shutil.copytree(rendered, moved)
    monkeypatch.setattr("generator.forms_pdf.render_sheet", _fail)
    monkeypatch.chdir(tmp_path)
    for root in (moved, Path("elsewhere/./project"), Path("elsewhere/../elsewhere/project")):  # spelled three ways
        project = load_project(root)
        cache = PdfCache(root / ".cache")
        render_all(project, all_jobs(project), cache, workers=1)
        assert (cache.hits, cache.misses) == (len(all_jobs(project)), 0)


def test_a_build_with_nothing_changed_renders_nothing(rendered, monkeypatch):
    monkeypatch.setattr("generator.forms_pdf.render_sheet", _fail)
    project = load_project(rendered)
    cache = PdfCache(rendered / ".cache")
    results = render_all(project, all_jobs(project), cache, workers=1)
    assert cache.misses == 0 and {r.job.variant for r in results} == {"print", "fillable"}


def test_an_edited_definition_renders_again(rendered):
    path = rendered / "forms" / "kinds.yaml"
    text = path.read_text()
    path.write_text(text.replace("label: Caseworker name", "label: Name of the caseworker"))
    assert path.read_text() != text
    project = load_project(rendered)
    cache = PdfCache(rendered / ".cache")
    render_all(project, all_jobs(project), cache, workers=1)
    assert cache.hits == 0


def test_the_code_files_are_found_not_listed():
    names = {path.relative_to(ROOT / "generator").as_posix() for path in code_files()}
    # what the key once left out, and what a PDF is made of
    assert {"templates/condition.j2", "templates/form.html.j2", "templates/form.css", "templates/form-fields.css",
            "i18n/__init__.py", "model/forms.py", "render.py", "layout.py", "pdf.py", "data/stamp.py",
            "fonts/CasekitField-Regular.ttf"} <= names
    assert not any(name.startswith(("site/mkdocs", "site/plugin", "templates/site")) for name in names)


def test_editing_any_code_file_renders_again(tmp_path, monkeypatch):
    """Every template, stylesheet, font and module that shapes a PDF changes every key."""
    package = tmp_path / "generator"
    shutil.copytree(ROOT / "generator", package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr("generator.forms_pdf.PACKAGE_DIR", package)
    project = load_project(PROJECT)
    job = all_jobs(project)[0]
    before = cache_key(project, job, code_digest())
    for path in code_files():
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert cache_key(project, job, code_digest()) != before, path
        path.write_bytes(original)
    assert cache_key(project, job, code_digest()) == before
