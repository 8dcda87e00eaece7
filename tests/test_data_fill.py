"""`casekit fill`: values printed into the page (Khmer shaped by WeasyPrint), one PDF per CSV row, bad rows refused."""
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

FIXTURES = Path(__file__).parent / "fixtures" / "data"
ROOT = Path(__file__).parent.parent


def casekit(*args, cwd=FIXTURES, root=FIXTURES / "project"):
    return subprocess.run([sys.executable, "-m", "generator", "--root", str(root), *args],
                          cwd=cwd, capture_output=True, text=True, timeout=300)


def pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def squeeze(text: str) -> str:
    """Without spaces and line breaks: a value may wrap over lines of the page."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def khmer_pdf(tmp_path_factory):
    out = tmp_path_factory.mktemp("fill") / "referral-km.pdf"
    result = casekit("fill", "referral", str(FIXTURES / "khmer-referral.yaml"), "-o", str(out), "--lang", "km",
                     root=ROOT)
    assert result.returncode == 0, result.stderr
    return out


KHMER_VALUES = ("អង្គការជំនួយកុមារ", "មន្ទីរសង្គមកិច្ចខេត្តបាត់ដំបង", "ការសិក្សានិងការស្វែងរកគ្រួសារ",
                "កុមារីបានមកដល់អង្គការយើងនៅខែតុលាក្រោយពីត្រូវបានជួយសង្គ្រោះពីការងារបម្រើតាមផ្ទះ។")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_values_are_page_text(khmer_pdf):
    reader = PdfReader(khmer_pdf)
    assert reader.metadata["/casekitform"] == "referral"
    assert "/AcroForm" not in reader.trailer["/Root"]  # printed into the page, not into fields
    text = squeeze(pdftotext(khmer_pdf))
    # one digit per box: the case number, the date of referral (03/11/2026), the age typed in Khmer digits
    for value in ("00012345", "03/11/2026", "01/02/2027", "012345678", "16"):
        assert value in text, value
    assert "00012345" in squeeze("".join(page.extract_text() for page in reader.pages))


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_khmer_values_are_found_in_the_text(khmer_pdf, tmp_path):
    """Every Khmer value comes back exactly from the page text, and none of them is on the blank form."""
    blank = tmp_path / "blank.pdf"
    result = casekit("pdf", "referral", "--lang", "km", "-o", str(blank), root=ROOT)
    assert result.returncode == 0, result.stderr
    filled, empty = squeeze(pdftotext(khmer_pdf)), squeeze(pdftotext(blank))
    for value in ("ស្រីពៅ", *KHMER_VALUES):
        assert value in filled, value
        assert value not in empty, value


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs poppler-utils")
def test_a_filled_khmer_page_renders(khmer_pdf, tmp_path):
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", str(khmer_pdf), str(tmp_path / "page")], check=True)
    [png] = tmp_path.glob("page*.png")
    assert png.stat().st_size > 20_000


def test_bad_rows_are_reported_and_nothing_is_written(tmp_path):
    result = casekit("fill", "kinds", "bad-rows.csv", "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: bad-rows.csv:3: field 'met_on': '2026-13-03' is not a date; write it as YYYY-MM-DD",
        "error: bad-rows.csv:4: field 'age': 'abc' is not a number; write digits, such as 12 or 2.5",
        "error: bad-rows.csv:4: field 'sex': 'f' is not an option; use one of: female, male, other",
        "error: bad-rows.csv:5: field 'client_name' is required but empty",
        "error: bad-rows.csv:6: field 'needs': 'food' is not an option; use any of: safety, physical_health, education, other",
        "5 problem(s) found; nothing was written.",
    ]
    assert not (tmp_path / "out").exists()


def test_keep_going_writes_the_good_rows_only(tmp_path):
    result = casekit("fill", "kinds", "bad-rows.csv", "-o", str(tmp_path / "out"), "--keep-going")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "5 problem(s) found; wrote 1 of 5."
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["kinds-00000001.pdf"]


def test_an_unknown_field_is_reported_at_its_line(tmp_path):
    result = casekit("fill", "kinds", "unknown-field.yaml", "-o", str(tmp_path / "one.pdf"))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "error: unknown-field.yaml:4: unknown field 'agee' for form 'kinds' (did you mean 'age'?)"
    assert not (tmp_path / "one.pdf").exists()


def test_one_pdf_per_csv_row(tmp_path):
    result = casekit("fill", "kinds", "good-rows.csv", "-o", str(tmp_path / "out"), "--lang", "en", "--paper", "a4")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    # a case number names the file; twice the same number, or none, adds the row
    assert names == ["kinds-00000011-row-2.pdf", "kinds-00000011-row-3.pdf", "kinds-row-4.pdf"]  # spreadsheet rows
    text = squeeze(pdftotext(tmp_path / "out" / "kinds-row-4.pdf"))
    assert "Thida" in text and "03/11/2026" in text
    assert "the second one." in pdftotext(tmp_path / "out" / "kinds-00000011-row-2.pdf")


def test_a_bilingual_layout_and_a_json_list(tmp_path):
    data = tmp_path / "rows.json"
    data.write_text('[{"client_name": "Dara", "met_on": "2026-11-03", "needs": ["safety"]}]', encoding="utf-8")
    result = casekit("fill", "referral", str(data), "-o", str(tmp_path / "out"), "--lang", "km+en", root=ROOT)
    assert result.returncode == 1  # the referral has no field met_on
    assert "unknown field 'met_on' for form 'referral'" in result.stderr
    data.write_text('[{"client_name": "Dara", "age": "16", "referral_date": "2026-11-03", "referring_agency": "A",'
                    ' "referring_contact": "B", "referring_phone": "1", "receiving_agency": "C",'
                    ' "exploitation_types": "neglect"}]', encoding="utf-8")
    result = casekit("fill", "referral", str(data), "-o", str(tmp_path / "out"), "--lang", "km+en", root=ROOT)
    assert result.returncode == 0, result.stderr
    [pdf] = (tmp_path / "out").iterdir()
    assert PdfReader(pdf).metadata["/casekitlanguage"] == "km+en"


def test_sample_fills_for_the_trainers_kit(project_copy):
    from generator.data.fill import sample_fills
    from generator.errors import InputError
    from generator.model import load_project

    project = load_project(project_copy)
    samples = dict(sample_fills(project))
    assert sorted(samples) == ["samples/referral-chanthy-en.pdf", "samples/referral-chanthy-km.pdf"]
    km = samples["samples/referral-chanthy-km.pdf"]
    assert (km.job.form_id, km.job.layout, km.job.variant) == ("referral", "km", "sample")
    assert PdfReader(io.BytesIO(km.pdf)).metadata["/casekitlanguage"] == "km"
    assert "Chanthy" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(samples["samples/referral-chanthy-en.pdf"].pdf)).pages)
    assert dict(sample_fills(project))["samples/referral-chanthy-km.pdf"].pdf == km.pdf  # from the cache

    (project_copy / "forms" / "examples" / "visit-one.csv").write_text("client_name\nDara\n")
    with pytest.raises(InputError) as error:
        sample_fills(project)
    assert "name example files <form id>-<name>.csv" in str(error.value)


def page_texts(path: Path) -> list[str]:
    return [squeeze(page) for page in pdftotext(path).split("\f")[:-1]]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_values_that_fit_are_stamped_onto_the_blank_form(khmer_pdf, tmp_path):
    """The filled form has the blank form's pages: same count, each blank page's text on the same page,
    and the agency case number in the header of every page."""
    blank = tmp_path / "blank.pdf"
    assert casekit("pdf", "referral", "--lang", "km", "-o", str(blank), root=ROOT).returncode == 0
    filled, empty = page_texts(khmer_pdf), page_texts(blank)
    assert len(filled) == len(empty)
    compared = 0
    for filled_page, blank_page in zip(filled, empty):
        assert "00012345" in filled_page
        headings = re.findall(r"\d\.[^\d/]{3,12}", blank_page)  # numbered section titles
        assert all(heading in filled_page for heading in headings)
        compared += len(headings)
    assert compared >= 5  # the referral's sections were found on the blank pages at all


def body_text(path: Path) -> str:
    """The text inside each page's content box, pages joined: what runs over a page break reads on, without
    the running header and footer in between."""
    import pdfplumber

    from generator.layout_check import STYLES, Frame
    mm = 72 / 25.4
    with pdfplumber.open(path) as pdf:
        frames = [(page, Frame.of(STYLES["form"], page.width / mm, page.height / mm)) for page in pdf.pages]
        return "\n".join(page.crop((f.left * mm, f.top * mm, f.right * mm, f.bottom * mm)).extract_text()
                         for page, f in frames)


def test_a_value_too_long_for_its_box_gets_the_whole_form_laid_out(tmp_path):
    """A case summary longer than its printed lines is not cut: the form grows, as with an extra sheet."""
    values = (FIXTURES / "khmer-referral.yaml").read_text(encoding="utf-8")
    story = " ".join(f"Sentence {n} of a long account that needs more lines than the form prints." for n in range(40))
    data = tmp_path / "long.yaml"
    data.write_text(re.sub(r"(?m)^case_summary:.*$", f"case_summary: {story}", values), encoding="utf-8")
    out = tmp_path / "long.pdf"
    result = casekit("fill", "referral", str(data), "-o", str(out), "--lang", "km", root=ROOT)
    assert result.returncode == 0, result.stderr
    text = squeeze(body_text(out))
    assert all(squeeze(f"Sentence {n} of a long account that needs more lines than the form prints.") in text
               for n in range(40))
    blank = tmp_path / "blank.pdf"
    assert casekit("pdf", "referral", "--lang", "km", "-o", str(blank), root=ROOT).returncode == 0
    assert len(PdfReader(out).pages) > len(PdfReader(blank).pages)


def test_stamping_is_the_way_for_values_that_fit():
    """The fast way of a mail merge is taken when every value fits its box, and refused when one does not."""
    from generator.data.fill import print_values
    from generator.data.stamp import blank_sheet, stamp
    from generator.data.values import check_row, read_rows
    from generator.layout import Layout
    from generator.model import load_project

    project = load_project(ROOT)
    form = project.forms["referral"]
    values, problems = check_row(form, read_rows(FIXTURES / "khmer-referral.yaml")[0])
    assert not problems
    sheet = blank_sheet(project, form, Layout.load(ROOT, "km"), "a4")
    stamped = stamp(sheet, print_values(form, values))
    assert stamped is not None and len(PdfReader(io.BytesIO(stamped)).pages) == sheet.pages
    assert stamp(sheet, print_values(form, {**values, "referring_phone": "0" * 200})) is None
    assert stamp(sheet, print_values(form, {**values, "case_summary": "ក " * 2000})) is None
