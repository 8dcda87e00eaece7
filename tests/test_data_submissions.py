"""Tablet data comes back: a KoboToolbox or ODK Central CSV export of the XLSForm's submissions gives, through
`casekit extract`, exactly the table that paper (a filled fillable PDF) of the same records gives.

The exports are written here from the XLSForm's own sheets (names, groups, repeats, choices), in the
shapes the platforms write: KoboToolbox with `/` group paths and `;` (legacy CSV: repeats in numbered
columns), KoboToolbox without groups in the headers, and ODK Central with `-` paths, `,` and each
repeat in its own file joined by PARENT_KEY.
"""
import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

from conftest import run_casekit
from generator.data.extract import collect, table_bytes
from generator.forms_pdf import PdfJob, render_job
from generator.model import load_project
from generator.model.schema import FIELD_KINDS
from generator.xlsform import instance_name, workbook
from test_data_roundtrip import VALUES, fill_with_pypdf, pdf_field_values

FIXTURE = Path(__file__).parent / "fixtures" / "data" / "project"


@pytest.fixture(scope="module")
def project():
    return load_project(FIXTURE)


@pytest.fixture(scope="module")
def records(project):
    """One record per field kind (with the values its section requires), and one with every field filled."""
    form = project.forms["kinds"]
    base = {k: VALUES[k] for k in ("agency_case_number", "client_name", "met_on", "consent_share")}
    out = []
    for kind in FIELD_KINDS:
        record = dict(base)
        for field in form.fields:
            if field.kind == kind:
                record.update({d.name: VALUES[d.name] for d in field.data_fields()})
        if record.get("agreed") == "yes":
            record["detail"] = VALUES["detail"]
        out.append(record)
    return out + [dict(VALUES)]


@pytest.fixture(scope="module")
def paper_table(project, records, tmp_path_factory):
    """What paper gives: each record typed into the fillable PDF, then extracted."""
    folder = tmp_path_factory.mktemp("paper")
    form = project.forms["kinds"]
    pdf = render_job(project, PdfJob("kinds", "en", "fillable", "a4")).pdf
    paths = []
    for number, record in enumerate(records):
        paths.append(folder / f"record-{number:02}.pdf")
        paths[-1].write_bytes(fill_with_pypdf(pdf, pdf_field_values(form, record)))
    _, table, problems = collect(project, paths)
    assert problems == [] and len(table) == len(records)
    return table


def survey_sheet(project):
    """(type, name, groups, repeat_count) of each survey row and the choices per list, read from the .xlsx."""
    book = openpyxl.load_workbook(io.BytesIO(workbook(project, project.forms["kinds"])))
    rows = list(book["survey"].iter_rows(values_only=True))
    header = rows[0]
    col = {name: header.index(name) for name in ("type", "name", "repeat_count")}
    open_groups, out = [], []
    for row in rows[1:]:
        kind, name = row[col["type"]], row[col["name"]]
        if kind.startswith("end_"):
            open_groups.pop()
            continue
        out.append((kind, name, tuple(open_groups), row[col["repeat_count"]]))
        if kind.startswith("begin_"):
            open_groups.append((name, row[col["repeat_count"]]))
    choices = {}
    for list_name, value, *_ in list(book["choices"].iter_rows(values_only=True))[1:]:
        choices.setdefault(list_name, []).append(value)
    return out, choices


def export_value(kind: str, name: str, record: dict) -> str:
    if kind == "acknowledge":
        return "OK" if record.get(name) == "yes" else ""
    if kind == "image":
        return "signature-1.png"
    return record.get(name, "")


def write_export(project, records, folder: Path, style: str, version: str = "1.2") -> Path:
    """A synthetic export of the records, in one platform's shape."""
    rows, choices = survey_sheet(project)
    sep = {"kobo": "/", "kobo-plain": "/", "odk": "-"}[style]
    main_header, main_rows, repeat_files = ["start", "end"], [], {}
    for number, record in enumerate(records, start=1):
        record = {**record, "casekit_form": "kinds", "casekit_version": version}
        cells = {"start": "2026-11-03T09:00:00.000+07:00", "end": "2026-11-03T09:30:00.000+07:00"}
        for kind, name, groups, _ in rows:
            if kind.startswith("begin_") or kind == "note":
                continue
            names = [g for g, _ in groups]
            repeat = next(((g, int(count)) for g, count in groups if count), None)
            path = sep.join((names if style != "kobo-plain" else []) + [name])
            if repeat and style == "odk":
                for index in range(1, repeat[1] + 1):
                    file_rows = repeat_files.setdefault(repeat[0], {})
                    key = f"uuid:{number}/{repeat[0]}[{index}]"
                    file_rows.setdefault(key, {"PARENT_KEY": f"uuid:{number}", "KEY": key})[name] = \
                        record.get(instance_name(repeat[0], name, index), "")
                continue
            if repeat:  # KoboToolbox legacy CSV: the repeat's instances in numbered columns
                for index in range(1, repeat[1] + 1):
                    prefix = [g for g in names[:names.index(repeat[0])]] if style == "kobo" else []
                    column = "/".join(prefix + [f"{repeat[0]}[{index}]", name])
                    cells[column] = record.get(instance_name(repeat[0], name, index), "")
                continue
            cells[path] = export_value(kind.split()[0], name, record)
            if kind.startswith("select_multiple"):
                for option in choices[kind.split()[1]]:
                    cells[sep.join([path, option])] = "1" if option in record.get(name, "").split() else "0"
            if kind == "image":
                cells[path + "_URL"] = "https://kf.kobotoolbox.org/media/signature-1.png"
        if style == "odk":
            cells.update({"KEY": f"uuid:{number}", "SubmissionDate": "2026-11-03T02:31:00.000Z",
                          "meta-instanceID": f"uuid:{number}"})
        else:
            cells.update({"_id": str(number), "_uuid": f"uuid-{number}", "_submission_time": "2026-11-03T02:31:00",
                          "__version__": "vAbCdEf", "meta/instanceID": f"uuid:{number}", "_index": str(number)})
        if style == "kobo":  # the legacy CSV: n/a where a question was not shown or left empty
            cells = {k: v if v != "" else "n/a" for k, v in cells.items()}
            cells["formhub/uuid"] = "0a1b2c3d"
        main_header += [c for c in cells if c not in main_header]
        main_rows.append(cells)
    delimiter = "," if style == "odk" else ";"
    main = folder / f"kinds_{style}.csv"
    _write_csv(main, main_header, main_rows, delimiter)
    for repeat, by_key in repeat_files.items():
        instances = list(by_key.values())
        _write_csv(folder / f"{main.stem}-{repeat}.csv", list(instances[0]), instances, delimiter)
    return main


def _write_csv(path: Path, header: list, rows: list[dict], delimiter: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, header, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)


def table_of(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def fields_only(row: dict) -> dict:
    return {k: v for k, v in row.items() if k not in ("_file", "_language")}


@pytest.mark.parametrize("style", ["kobo", "kobo-plain", "odk"])
def test_an_export_gives_exactly_what_paper_gives(project, records, paper_table, style, tmp_path):
    export = write_export(project, records, tmp_path, style)
    result = run_casekit("--root", str(FIXTURE), "extract", str(export), "-o", str(tmp_path / "table.csv"))
    assert result.returncode == 0, result.stderr
    assert f"{len(records)} row(s) of form kinds version 1.2" in result.stdout
    tablet = table_of(tmp_path / "table.csv")
    paper = table_of(_written(project, paper_table, tmp_path / "paper.csv"))
    assert [fields_only(r) for r in tablet] == [fields_only(r) for r in paper]
    assert tablet[-1]["plan_2_area"] == "safety" and tablet[-1]["needs"] == "safety education other"


def _written(project, table, path: Path) -> Path:
    path.write_bytes(table_bytes(project.forms["kinds"], table, ".csv"))
    return path


def test_per_option_columns_stand_in_for_a_missing_summary_column(project, records, tmp_path):
    export = write_export(project, records[-1:], tmp_path, "kobo")
    header, *rows = list(csv.reader(io.StringIO(export.read_text(encoding="utf-8")), delimiter=";"))
    keep = [i for i, h in enumerate(header) if h != "basics/needs"]
    with export.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, delimiter=";").writerows([[r[i] for i in keep] for r in [header, *rows]])
    _, [row], problems = collect(project, [export])
    assert problems == [] and row["needs"] == "safety education other"


def test_an_export_of_another_version_is_refused_with_its_row(project, records, tmp_path):
    export = write_export(project, records[:1], tmp_path, "kobo", version="1.1")
    result = run_casekit("--root", str(FIXTURE), "extract", str(export), "-o", str(tmp_path / "t.csv"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == (f"error: {export}:2: this file is version 1.1 of form 'kinds'; "
                                             "the definition here is version 1.2")
    assert not (tmp_path / "t.csv").exists()


def test_a_label_header_is_reported_with_what_to_do(project, records, tmp_path):
    export = write_export(project, records[:1], tmp_path, "kobo")
    text = export.read_text(encoding="utf-8").replace("basics/client_name", "Client's name", 1)
    export.write_text(text, encoding="utf-8")
    _, _, problems = collect(project, [export])
    assert [p.message for p in problems] == ["column 'Client's name' is not a question of form 'kinds' version 1.2; "
                                             "export with 'XML values and headers'"]


def test_a_mixed_folder_gives_one_table_and_one_report(project, records, tmp_path):
    """Paper, browser and tablet records of the same form, together (the repeat file of the export too)."""
    form = project.forms["kinds"]
    pdf = render_job(project, PdfJob("kinds", "en", "fillable", "a4")).pdf
    (tmp_path / "paper.pdf").write_bytes(fill_with_pypdf(pdf, pdf_field_values(form, {**records[0], "agency_case_number": "00000001"})))
    (tmp_path / "browser.json").write_text(json.dumps({"form": "kinds", "version": "1.2", "language": "en",
                                                       "values": {**records[1], "agency_case_number": "00000002"}}))
    export = write_export(project, [{**records[-1], "agency_case_number": "00000003"}], tmp_path, "odk")
    files = [str(tmp_path / name) for name in ("paper.pdf", "browser.json", export.name, f"{export.stem}-plan.csv")]
    result = run_casekit("--root", str(FIXTURE), "extract", *files, "-o", str(tmp_path / "all.csv"))
    assert result.returncode == 0, result.stderr
    assert [r["agency_case_number"] for r in table_of(tmp_path / "all.csv")] == ["00000001", "00000002", "00000003"]
    report = run_casekit("--root", str(FIXTURE), "report", *files)
    assert report.returncode == 0, report.stderr
    assert report.stdout.splitlines()[0].split() == ["Cases", "3"]


def test_an_export_without_the_rows_of_a_table_is_refused(project, records, tmp_path):
    """KoboToolbox's current CSV export leaves repeats out; the table would look empty, so it is refused."""
    export = write_export(project, records[-1:], tmp_path, "odk")
    (tmp_path / f"{export.stem}-plan.csv").unlink()
    _, table, problems = collect(project, [export])
    assert table == [] and [p.message for p in problems] == [
        "the export has no rows of table 'plan' (KoboToolbox's CSV export leaves tables out): export 'CSV (legacy)', "
        "or from ODK Central with kinds_odk-plan.csv beside it"]


def test_a_csv_that_is_not_an_export_is_refused_by_extract(project, tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("client_name,met_on\nDara,2026-11-03\n", encoding="utf-8")
    _, table, problems = collect(project, [path])
    assert table == [] and [p.message for p in problems] == [
        "not an export of a casekit XLSForm (no casekit_form column); a CSV file here must be a KoboToolbox or "
        "ODK Central export of the form that `casekit xlsform` wrote"]
