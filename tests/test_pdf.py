"""The PDFs as a user gets them: fields, text, pages, manifest, reproducibility."""
import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from conftest import FIXTURES, ROOT, run_casekit

FORMS = ROOT / "site" / "forms"


@pytest.fixture(scope="session")
def manifest(built_site):  # the whole build: a forms-only build here would drop the pack from the site's manifest
    return json.loads((FORMS / "manifest.json").read_text())


def entry(manifest, form, language, variant, paper="a4"):
    return next(e for e in manifest["files"] if (e["form"], e["language"], e["variant"], e["paper"]) ==
                (form, language, variant, paper))


def page_texts(path: Path) -> list[str]:
    """pdftotext (poppler), in reading order: a label that wraps in a column of half a line stays in one piece."""
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def expected_fields(form) -> dict[str, str]:
    names = {}
    for data in form.data_fields:
        if data.widget == "checkboxes":
            names.update({f"{data.name}__{o.value}": "checkbox" for o in data.options})
        else:
            names[data.name] = data.widget
    return names


def test_manifest_matches_files_on_disk(manifest, project):
    forms = [e for e in manifest["files"] if e["form"] in project.forms and e["path"].startswith("pdf/")]  # not samples
    assert len(forms) == len(project.forms) * 3 * 2 * 2
    for e in manifest["files"]:
        data = (FORMS / e["path"]).read_bytes()
        assert len(data) == e["bytes"]
        assert hashlib.sha256(data).hexdigest() == e["sha256"]
        assert len(pypdf.PdfReader(FORMS / e["path"]).pages) == e["pages"]
        assert e["version"] and e["language"] in ("en", "km", "km+en")
    for bundle in manifest["bundles"]:
        assert (FORMS / bundle["path"]).stat().st_size == bundle["bytes"]


@pytest.mark.parametrize("form_id", ["intake", "assessment", "case_plan", "review", "referral", "closure"])
def test_fillable_has_one_field_per_definition_field(manifest, project, form_id):
    form = project.forms[form_id]
    reader = pypdf.PdfReader(FORMS / entry(manifest, form_id, "en", "fillable")["path"])
    fields = {name: f for name, f in reader.get_fields().items() if "." not in name}  # pypdf's phantom radio kids
    expected = expected_fields(form)
    assert set(fields) == set(expected)
    for name, widget in expected.items():
        field, flags = fields[name], int(fields[name].get("/Ff", 0))
        if widget in ("text", "multiline"):
            assert field["/FT"] == "/Tx", name
            assert bool(flags & 4096) == (widget == "multiline"), name
        else:
            assert field["/FT"] == "/Btn", name
            assert bool(flags & 32768) == (widget == "radio"), name


def test_radio_groups_carry_the_list_values(manifest, project):
    reader = pypdf.PdfReader(FORMS / entry(manifest, "intake", "en", "fillable")["path"])
    fields = reader.get_fields()
    assert list(fields["risk_level"]["/Opt"]) == [o.value for o in project.lists["risk_level"].options]
    assert list(fields["interviewed_person"]["/Opt"])[-1] == "other"
    assert list(fields["sex"]["/Opt"]) == ["female", "male", "other", "not_said"]


def squeeze(text: str) -> str:
    """Without spaces and line breaks: a label may wrap over two lines of the page."""
    return re.sub(r"[\s\u200b]+", "", text)


def pdfium_text(path: Path) -> str:
    import pypdfium2
    document = pypdfium2.PdfDocument(path)
    try:
        return "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def content_order_text(path: Path) -> str:
    """pdftotext in the order the page was drawn: a label wrapped in a narrow column stays in one piece even
    where the reading-order guess interleaves it with the column beside it."""
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout


def as_printed(label: str) -> str:
    """A pattern for the label as a PDF may print it: a line may end only between its words (at a space or
    where the segmenter marked a word, generator/pdf.py), never inside one."""
    from generator.pdf import with_word_breaks
    return r"\s*".join(re.escape(word) for word in re.split(r"[\s\u200b]+", with_word_breaks(label).strip()) if word)


@pytest.mark.parametrize("layout", ["km", "km+en"])
def test_khmer_pdfs_contain_khmer_labels(manifest, project, layout):
    """Copying or extracting Khmer from the page gives the exact text (ActualText, see generator/pdf.py), in
    poppler and in PDFium: the title, every section title and every field label, on both papers; words are
    whole (a line breaks between them), no zero-width space comes along, and no line starts with ។."""
    from generator.layout import Layout
    khmer = Layout.load(ROOT, "km")
    for form in project.forms.values():
        for paper in ("a4", "letter"):
            path = FORMS / entry(manifest, form.id, layout, "print", paper)["path"]
            assert pypdf.PdfReader(path).metadata["/Title"] == khmer.text(form.title)
            expected = [khmer.text(form.title)] + [khmer.text(s.title) for s in form.sections] + [
                khmer.text(f.label) for s in form.sections for f in s.fields if f.label]
            if layout == "km+en":
                expected.append(form.title)
            for reader, text in (("pdftotext", content_order_text(path)), ("pdfium", pdfium_text(path))):
                missing = [label for label in expected if not re.search(as_printed(label), text)]
                assert not missing, (path.name, reader, missing[:3])
                assert "\u200b" not in text, (path.name, reader)
                assert not [line for line in text.splitlines() if line.lstrip().startswith(("។", "៕"))], (path.name, reader)


@pytest.mark.parametrize("layout", ["en", "km", "km+en"])
def test_every_page_has_form_name_version_and_page_x_of_y(manifest, project, layout):
    """English footers name the form by its id; Khmer footers by its Khmer title, version in Khmer digits."""
    from generator.layout import Layout
    e = entry(manifest, "assessment", layout, "print")
    pages = page_texts(FORMS / e["path"])
    assert len(pages) == e["pages"] > 1
    translator = Layout.load(ROOT, layout)
    for number, text in enumerate(pages, start=1):
        flat = text.replace(" ", "")
        digits = translator.primary.digits
        version = project.forms["assessment"].version
        if layout == "en":
            assert "assessment" in text and version in text
        else:
            assert squeeze(translator.primary.gettext(project.forms["assessment"].title)) in squeeze(text)
            assert digits(version) in text and version not in text
        words = translator.text("Page {page} of {pages}").replace(" ", "")
        expected = words.replace("{page}", digits(str(number))).replace("{pages}", digits(str(len(pages))))
        assert squeeze(expected) in flat, (number, expected)


def test_letter_and_a4_sizes(manifest):
    a4 = pypdf.PdfReader(FORMS / entry(manifest, "closure", "en", "print", "a4")["path"]).pages[0].mediabox
    letter = pypdf.PdfReader(FORMS / entry(manifest, "closure", "en", "print", "letter")["path"]).pages[0].mediabox
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)


def test_fonts_are_embedded_and_subset(manifest):
    out = subprocess.run(["pdffonts", str(FORMS / entry(manifest, "intake", "km+en", "print")["path"])],
                         capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows and all(re.search(r"\byes\s+yes\s+yes\b", row) for row in rows), out
    assert any("Khmer" in row for row in rows)


def test_conditions_print_in_plain_words(manifest, project):
    """A condition points to the printed number of the question it depends on, and that number is printed."""
    form = project.forms["intake"]
    text = re.sub(r"\s+", " ", "".join(page_texts(FORMS / entry(manifest, "intake", "en", "print")["path"])))
    conditional = [f for f in form.fields if f.show_if]
    assert conditional
    for f in conditional:
        target = form.numbers[f.show_if.field]
        assert f"{form.numbers[f.id]} {f.label}" in text
        assert f"Only if {target} is" in text or f"is ticked in {target}" in text
        assert f"{target} {form.field(f.show_if.field).label}" in text


def test_same_sources_give_byte_identical_pdfs(project):
    from generator.forms_pdf import PdfJob, render_job
    job = PdfJob("referral", "km+en", "fillable", "letter")
    assert render_job(project, job).pdf == render_job(project, job).pdf


def test_a_seventh_form_needs_no_code_change(project_copy):
    shutil.copy(FIXTURES / "forms" / "home_visit.yaml", project_copy / "forms" / "home_visit.yaml")
    run_casekit("--root", str(project_copy), "build", "--forms-only", check=True)
    manifest = json.loads((project_copy / "site" / "forms" / "manifest.json").read_text())
    mine = [e for e in manifest["files"] if e["form"] == "home_visit"]
    assert len(mine) == 12
    reader = pypdf.PdfReader(project_copy / "site" / "forms" / next(e["path"] for e in mine if e["variant"] == "fillable"))
    assert {"visit_date", "client_present", "concerns__safety", "concerns__other", "concerns_other", "notes"} <= set(reader.get_fields())


def test_pdf_command_writes_one_file(tmp_path):
    out = tmp_path / "referral.pdf"
    result = run_casekit("pdf", "referral", "--lang", "km", "--variant", "print", "--paper", "a4", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert pypdf.PdfReader(out).metadata["/casekitform"] == "referral"
    bad = run_casekit("pdf", "no_such_form", "-o", str(tmp_path / "x.pdf"))
    assert bad.returncode == 1 and "no such form" in bad.stderr and not (tmp_path / "x.pdf").exists()
