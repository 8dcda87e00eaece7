"""Round trip: values put into a fillable PDF (with pypdf) and into a browser-saved file come back exactly."""
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from generator.data.extract import collect, table_bytes
from generator.forms_pdf import PdfJob, render_job
from generator.model import load_project

FIXTURES = Path(__file__).parent / "fixtures" / "data"
ROOT = Path(__file__).parent.parent

# One value for every data field of the fixture form, which has every field kind.
VALUES = {
    "agency_case_number": "00012345", "government_case_number": "2026000123",
    "client_name": "ស្រីពៅ Sok", "caseworker_name": "Chan Thida",
    "story": "She came on Monday.\nSecond line.", "met_on": "2026-11-03", "age": "16", "phone_code": "0123",
    "agreed": "yes", "sex": "other", "sex_other": "self-described", "needs": "safety education other",
    "needs_other": "housing", "detail": "at the office", "consent_share": "yes",
    "client_signature_name": "Sok", "client_signature_date": "2026-11-04",
    "status_health": "2", "status_health_comment": "sleeps badly", "status_school": "3", "status_school_comment": "",
    "plan_1_need": "school place", "plan_1_by_when": "2026-12-01", "plan_1_cost": "12.5", "plan_1_done": "no",
    "plan_1_area": "education", "plan_2_need": "", "plan_2_by_when": "", "plan_2_cost": "", "plan_2_done": "yes",
    "plan_2_area": "safety",
}


@pytest.fixture(scope="module")
def project():
    return load_project(FIXTURES / "project")


@pytest.fixture(scope="module")
def fillable(project):
    return render_job(project, PdfJob("kinds", "en", "fillable", "a4")).pdf


def pdf_field_values(form, values: dict) -> dict:
    """Data values as PDF fields: one tick box per option of a multi-choice, '/on' for a ticked box."""
    fields = {}
    for d in form.data_fields:
        value = values.get(d.name, "")
        if d.widget == "checkboxes":
            fields.update({f"{d.name}__{v}": "/on" for v in value.split()})
        elif d.widget == "checkbox":
            if value == "yes":
                fields[d.name] = "/on"
        elif value:
            fields[d.name] = value
    return fields


def fill_with_pypdf(pdf: bytes, fields: dict) -> bytes:
    """What a PDF viewer does when someone fills the form. Radio groups are set by hand: pypdf's
    high-level call leaves them unchanged (tooling notes), so the group /V and every widget's /AS are set."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    fields = dict(fields)
    for ref in writer._root_object["/AcroForm"]["/Fields"]:
        group = ref.get_object()
        if "/Opt" not in group or group.get("/T") not in fields or "/Parent" in group:
            continue
        state = NameObject(f"/{[str(o) for o in group['/Opt']].index(fields.pop(group['/T']))}")
        group[NameObject("/V")] = state
        for kid in group["/Kids"]:
            widget = kid.get_object()
            widget[NameObject("/AS")] = state if state in widget["/AP"]["/N"] else NameObject("/Off")
    writer.update_page_form_field_values(None, fields, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_every_field_kind_comes_back_from_a_filled_pdf(project, fillable, tmp_path):
    form = project.forms["kinds"]
    assert set(VALUES) == {d.name for d in form.data_fields}
    path = tmp_path / "filled.pdf"
    path.write_bytes(fill_with_pypdf(fillable, pdf_field_values(form, VALUES)))
    found, table, problems = collect(project, [path])
    assert problems == []
    assert found.id == "kinds"
    [row] = table
    assert {k: row[k] for k in VALUES} == VALUES
    assert (row["_form"], row["_version"], row["_language"]) == ("kinds", "1.2", "en")


def test_a_date_written_as_on_paper_is_stored_as_a_date(project, fillable, tmp_path):
    path = tmp_path / "filled.pdf"
    path.write_bytes(fill_with_pypdf(fillable, {"client_name": "Dara", "met_on": "3/11/2026"}))
    _, [row], problems = collect(project, [path])
    assert problems == [] and row["met_on"] == "2026-11-03"


def test_every_field_kind_comes_back_from_a_browser_file(project, tmp_path):
    path = tmp_path / "saved.json"
    path.write_text(json.dumps({"form": "kinds", "version": "1.2", "language": "en", "values": VALUES}), encoding="utf-8")
    _, [row], problems = collect(project, [path])
    assert problems == []
    assert {k: row[k] for k in VALUES} == VALUES


def test_the_table_reads_back_as_written(project, tmp_path):
    path = tmp_path / "saved.json"
    path.write_text(json.dumps({"form": "kinds", "version": "1.2", "language": "en", "values": VALUES}), encoding="utf-8")
    form, table, _ = collect(project, [path])
    csv_path = tmp_path / "table.csv"
    csv_path.write_bytes(table_bytes(form, table, ".csv"))
    from generator.data.values import read_rows
    [row] = read_rows(csv_path)
    assert {k: row.values[k] for k in VALUES} == VALUES
    assert json.loads(table_bytes(form, table, ".json"))[0]["story"] == VALUES["story"]


def test_the_real_referral_form_round_trips(tmp_path):
    project = load_project(ROOT)
    form = project.forms["referral"]
    values = {"agency_case_number": "00000042", "client_name": "ស្រីពៅ", "sex": "female",
              "exploitation_types": "trafficking_labour other", "exploitation_types_other": "fishing",
              "services_requested_2_urgency": "within_1_day", "risk_level": "high", "consent_share": "yes",
              "referral_date": "2026-11-03", "referring_agency": "A", "referring_contact": "B",
              "referring_phone": "012", "receiving_agency": "C", "age": "16", "referral_reason": "school",
              "consent_form": "written", "consent_expires": "2027-02-01"}
    pdf = render_job(project, PdfJob("referral", "km", "fillable", "a4")).pdf
    path = tmp_path / "referral.pdf"
    path.write_bytes(fill_with_pypdf(pdf, pdf_field_values(form, values)))
    _, [row], problems = collect(project, [path])
    assert problems == []
    assert {k: v for k, v in row.items() if v and not k.startswith("_")} == values
    assert row["_language"] == "km"


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "generator", "--root", str(FIXTURES / "project"), *args],
                          cwd=cwd, capture_output=True, text=True)


def test_extract_reports_files_of_another_form_or_version(tmp_path):
    for name, form, version in (("good.json", "kinds", "1.2"), ("old.json", "kinds", "1.1"), ("other.json", "intake", "1.0")):
        (tmp_path / name).write_text(json.dumps({"form": form, "version": version, "language": "en",
                                                 "values": {"client_name": "Dara", "met_on": "2026-11-03"}}))
    (tmp_path / "notes.json").write_text('{"client_name": "Dara"}')
    args = ["extract", "good.json", "old.json", "other.json", "notes.json", "-o", "table.csv"]
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: old.json: this file is version 1.1 of form 'kinds'; the definition here is version 1.2",
        "error: other.json: this file is form 'intake', not 'kinds'; extract it into its own table",
        "error: notes.json: not a form saved from the browser (a JSON file with form, version, language and values)",
        "3 problem(s) found; nothing was written.",
    ]
    assert not (tmp_path / "table.csv").exists()
    result = run(*args, "--keep-going", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "3 problem(s) found; wrote 1 of 4."
    [row] = list(csv_rows(tmp_path / "table.csv"))
    assert row["client_name"] == "Dara" and row["_file"] == "good.json"


def csv_rows(path):
    import csv
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)
