"""Filled forms back into a table: fillable PDFs (AcroForm fields), files saved by the browser form, and
CSV exports of KoboToolbox and ODK Central (generator/data/submissions.py).

The form id and version come from the file itself (PDF metadata, or the saved JSON), never from
the file name; a file of another form or version than the table's is reported, not mixed in.
"""
from __future__ import annotations

import csv
import io
import json
import logging
from pathlib import Path

from pypdf import PdfReader

from ..errors import InputError, Problem, display_path
from ..model import Form, Project
from ..model.source import read_bytes
from .submissions import read_export
from .values import (FILE_COLUMN, FORM_COLUMN, LANGUAGE_COLUMN, MAX_DATA_BYTES, META_COLUMNS, VERSION_COLUMN,
                     DataFileError, Row, check_row, protect_cell, read_rows)

RADIO_FLAG = 1 << 15  # PDF field flag: the button field is a radio group


def pdf_row(path: Path, project: Project) -> Row:
    """The values of a filled fillable PDF as data fields: radio groups decoded, tick boxes regrouped."""
    name = display_path(path)
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # WeasyPrint's radio widgets make pypdf chatty
    try:
        data = read_bytes(Path(path), name, MAX_DATA_BYTES)
    except InputError as error:
        raise DataFileError(error.problems) from None
    if not data.startswith(b"%PDF-"):
        raise DataFileError([Problem(name, "this file is not a PDF (it does not start with %PDF-); "
                                           "give the fillable PDF, or the .json file saved from the browser")])
    try:
        reader = PdfReader(io.BytesIO(data))
        meta = reader.metadata or {}
        fields = _acroform_values(reader)
    except Exception as error:  # noqa: BLE001 — a damaged or hostile PDF makes pypdf raise many kinds of error
        raise DataFileError([Problem(name, f"cannot read this PDF ({type(error).__name__}: {error}); "
                                           "is it a complete fillable PDF from casekit?")]) from None
    if not meta.get("/casekitform"):
        raise DataFileError([Problem(name, "not a casekit form: the PDF has no form id in its metadata")])
    if not fields:
        raise DataFileError([Problem(name, "the PDF has no form fields; only fillable PDFs and forms saved "
                                           "from the browser hold values")])
    info = {FORM_COLUMN: str(meta["/casekitform"]), VERSION_COLUMN: str(meta.get("/casekitversion") or ""),
            LANGUAGE_COLUMN: str(meta.get("/casekitlanguage") or "")}
    form = project.forms.get(info[FORM_COLUMN])
    if form is None or form.version != info[VERSION_COLUMN]:
        return Row(name, None, info)  # reported by collect(), which knows which form the table is for
    values = {}
    for field in form.data_fields:
        names = [f"{field.name}__{o.value}" for o in field.options] if field.widget == "checkboxes" else [field.name]
        absent = [n for n in names if n not in fields]
        if absent:
            raise DataFileError([Problem(name, f"field '{absent[0]}' is not in this PDF, though its version matches; "
                                               "was the form changed without a new version?")])
        if field.widget == "checkboxes":
            values[field.name] = " ".join(o.value for o, n in zip(field.options, names) if fields[n] == "on")
        elif field.widget == "checkbox":
            values[field.name] = "yes" if fields[field.name] == "on" else ""
        else:
            values[field.name] = fields[field.name]
    return Row(name, None, {**values, **info})


def _acroform_values(reader: PdfReader) -> dict[str, str]:
    """Field name -> value. Radio groups: the chosen export value, through /Opt (WeasyPrint exports /0, /1 …)."""
    root = reader.trailer["/Root"]
    if "/AcroForm" not in root:
        return {}
    out = {}
    for ref in root["/AcroForm"].get("/Fields", []):
        field = ref.get_object()
        if "/Parent" in field:  # WeasyPrint also lists each radio widget here, beside its group
            continue
        name = str(field.get("/T", ""))
        kind = field.get("/FT")
        if kind == "/Tx":
            value = field.get("/V", "")
            value = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
            out[name] = value.replace("\r\n", "\n").replace("\r", "\n")  # viewers end lines with CR
        elif kind == "/Btn":
            state = _button_state(field)
            if int(field.get("/Ff", 0)) & RADIO_FLAG:
                options = [str(o) for o in field.get("/Opt", [])]
                out[name] = _radio_value(state, options)
            else:
                out[name] = "on" if state else ""
        elif kind in ("/Ch",):
            value = field.get("/V", "")
            out[name] = str(value[0] if isinstance(value, list) and value else value)
    return out


def _button_state(field) -> str:
    """The button's state without the slash, '' when off; a widget's /AS when a viewer did not set /V."""
    states = [str(field.get("/V", "/Off"))] + [str(w.get_object().get("/AS", "/Off"))
                                               for w in [field, *field.get("/Kids", [])]]
    return next((s.lstrip("/") for s in states if s not in ("/Off", "", "None")), "")


def _radio_value(state: str, options: list[str]) -> str:
    if not state:
        return ""
    if state.isdigit() and int(state) < len(options):
        return options[int(state)]
    return state  # a viewer that exports the option value itself


def collect(project: Project, paths: list[Path], form_id: str | None = None):
    """(form, rows, problems): one checked row per file, all of one form and version.

    The form is `form_id`, or the form of the first readable file; the version must be the
    project's current version of that form, the definition the values are checked against.
    """
    form, table, problems = None, [], []
    for row in _rows(project, paths, problems):
        found_form, found_version = row.values[FORM_COLUMN], row.values.get(VERSION_COLUMN, "")
        if form is None:
            form = project.forms.get(form_id or found_form)
            if form is None:
                return None, [], problems + [row.problem(f"form '{form_id or found_form}' is not defined in this "
                                                         "project; choose one of: " + ", ".join(project.forms))]
        if found_form != form.id:
            problems.append(row.problem(f"this file is form '{found_form}', not '{form.id}'; extract it into its own table"))
        elif found_version != form.version:
            problems.append(row.problem(f"this file is version {found_version or '(none)'} of form '{form.id}'; "
                                        f"the definition here is version {form.version}"))
        else:
            values, found = check_row(form, row)
            problems += found
            if not found:
                table.append({**values, FORM_COLUMN: form.id, VERSION_COLUMN: form.version,
                              LANGUAGE_COLUMN: row.values.get(LANGUAGE_COLUMN, ""), FILE_COLUMN: row.file})
    return form, table, problems


def _rows(project: Project, paths: list[Path], problems: list[Problem]):
    """The filled forms in the files: one per PDF or saved form, one per submission of a CSV export."""
    for path in map(Path, paths):
        try:
            if path.suffix.lower() == ".pdf":
                yield pdf_row(path, project)
            elif path.suffix.lower() == ".csv":
                yield from read_export(path, project)
            else:
                yield _saved_form(path)
        except DataFileError as error:
            problems += error.problems


def _saved_form(path: Path) -> Row:
    rows = read_rows(path)
    if len(rows) != 1 or FORM_COLUMN not in rows[0].values:
        raise DataFileError([Problem(display_path(path), "not a form saved from the browser "
                                                         "(a JSON file with form, version, language and values)")])
    return rows[0]


def columns(form: Form) -> list[str]:
    """The field ids in the form's order, then the columns about the file (as KoboToolbox puts them last)."""
    return [d.name for d in form.data_fields] + list(META_COLUMNS)


def table_bytes(form: Form, table: list[dict], suffix: str) -> bytes:
    if suffix == ".json":
        return (json.dumps(table, indent=2, ensure_ascii=False) + "\n").encode()
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, columns(form), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({key: protect_cell(str(value)) for key, value in row.items()} for row in table)
    return ("\ufeff" + out.getvalue()).encode()  # the BOM makes spreadsheet programs read Khmer as UTF-8
