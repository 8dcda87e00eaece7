"""Submissions exported from KoboToolbox or ODK Central as CSV, read back into the columns of paper forms.

What is read (the XLSForm written by `casekit xlsform` names every question after its data column,
and its calculated `casekit_form` and `casekit_version` questions say which form and version a
submission is):
- headers as "XML values and headers", with group paths in any separator (`identity/client_name`,
  `identity-client_name`, `identity.client_name`) or without groups (`client_name`);
- comma or semicolon separated (KoboToolbox writes `;` by default, ODK Central `,`);
- select_multiple as one column of space-separated values; the extra column per option
  (`needs/safety` = 1 or 0) is used only where the summary column is missing;
- repeats: KoboToolbox's legacy CSV flattens them into numbered columns (`plan[2]/plan_need`);
  ODK Central and Briefcase put each repeat in a file beside the main one (`FORM-plan.csv`,
  rows joined to their submission by PARENT_KEY = KEY), which is read with the main file.
KoboToolbox's current CSV export leaves repeats out (its XLSX export has them on separate sheets, which
is not read here); such an export is refused rather than read as empty tables: export a form with a
table as KoboToolbox's "CSV (legacy)", or from ODK Central.
Labels as headers or values are not read: the message asks for "XML values and headers".
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ..errors import Problem, display_path
from ..model import Form, Project
from ..xlsform import FORM_NAME, VERSION_NAME, Survey, instance_name, signature_image, survey
from .values import FORM_COLUMN, LANGUAGE_COLUMN, VERSION_COLUMN, DataFileError, Row

_TOKEN = re.compile(r"([A-Za-z0-9_]+)(?:\[(\d+)\])?")
# Columns the platforms add about a submission (KoboToolbox marks its own with a leading "_").
PLATFORM_COLUMNS = {"start", "end", "today", "deviceid", "KEY", "PARENT_KEY", "SubmissionDate", "SubmitterID",
                    "SubmitterName", "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState",
                    "DeviceID", "Edits", "FormVersion", "instanceID", "meta", "isValidated", "formhub"}
EMPTY = {"", "n/a"}  # KoboToolbox's legacy CSV writes n/a for a question that was not shown
TICKED = {"1", "true", "True", "TRUE"}  # a per-option column of a select_multiple
ACKNOWLEDGED = {"OK", "ok", "yes", "1", "true", "True"}  # an acknowledge question, as Collect and Enketo store it


def _table(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    name = display_path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise DataFileError([Problem(name, f"cannot read this export ({error}); save it as UTF-8 CSV")]) from None
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";" if first.count(";") > first.count(",") else ",")
    header = next(reader, [])
    rows = [(number, cells) for number, cells in enumerate(reader, start=2) if any(c.strip() for c in cells)]
    return [h.strip() for h in header], rows


def _tokens(column: str) -> list[tuple[str, int | None]]:
    return [(name, int(index) if index else None) for name, index in _TOKEN.findall(column)]


def _names_form(header: list[str]) -> bool:
    return any(_tokens(h) and _tokens(h)[-1][0] in (FORM_NAME, VERSION_NAME) for h in header)


def is_export(path: Path) -> bool:
    """A CSV export of a casekit XLSForm (a column ends in casekit_form or casekit_version), or its repeat file."""
    header, _ = _table(path)
    return _names_form(header) or "PARENT_KEY" in header


def read_export(path: Path, project: Project) -> list[Row]:
    """One Row per submission, keyed by data columns, with the form and version the submission names."""
    path = Path(path)
    name = display_path(path)
    header, rows = _table(path)
    if "PARENT_KEY" in header and not _names_form(header):
        main = path.with_name(path.stem.rsplit("-", 1)[0] + path.suffix)
        if main.exists():
            return []  # a repeat file of ODK Central, read with its main file
        raise DataFileError([Problem(name, f"this is the file of a repeat; give its main export ({main.name}) instead")])
    if not _names_form(header):
        raise DataFileError([Problem(name, f"not an export of a casekit XLSForm (no {FORM_NAME} column); a CSV "
                                           "file here must be a KoboToolbox or ODK Central export of the form "
                                           "that `casekit xlsform` wrote")])
    columns = {h: _tokens(h) for h in header}
    form_column = next((h for h, t in columns.items() if t and t[-1][0] == FORM_NAME), None)
    version_column = next((h for h, t in columns.items() if t and t[-1][0] == VERSION_NAME), None)
    out, problems = [], []
    known: dict[str, tuple[Survey, dict]] = {}  # form id -> its survey and repeat files, made once
    for number, cells in rows:
        raw = dict(zip(header, cells))
        form = project.forms.get(raw.get(form_column, "").strip())
        info = {FORM_COLUMN: raw.get(form_column, "").strip(), VERSION_COLUMN: raw.get(version_column, "").strip(),
                LANGUAGE_COLUMN: ""}
        row = Row(name, number, info)
        if form is None or form.version != info[VERSION_COLUMN]:
            out.append(row)  # reported by the caller, which knows which form and version the table is for
            continue
        if form.id not in known:
            s = survey(form)
            known[form.id] = s, {r: _repeat_file(path, r) for r in s.repeats}
            problems += _missing_repeats(form, s, columns, known[form.id][1], name)
        s, files = known[form.id]
        values, found = _values(form, s, raw, columns, name, number)
        if "KEY" in raw:
            for repeat, (repeat_name, by_parent) in files.items():
                for index, (line, instance) in enumerate(by_parent.get(raw["KEY"], []), start=1):
                    more, more_found = _instance_values(form, s, repeat, index, instance, repeat_name, line)
                    values.update(more)
                    found += more_found
        problems += found
        out.append(Row(name, number, {**values, **info}))
    if problems:
        raise DataFileError(problems)
    return out


def _missing_repeats(form: Form, s: Survey, columns: dict, files: dict, file: str) -> list[Problem]:
    """A table whose rows are in neither numbered columns nor a repeat file was left out by the export."""
    indexed = {name for tokens in columns.values() for name, index in tokens if index}
    return [Problem(file, f"the export has no rows of table '{repeat}' (KoboToolbox's CSV export leaves tables "
                          f"out): export 'CSV (legacy)', or from ODK Central with {Path(files[repeat][0]).name} beside it")
            for repeat in s.repeats if repeat not in indexed and not files[repeat][1]]


def _values(form: Form, s: Survey, raw: dict, columns: dict, file: str, line: int):
    """Data column -> value for one submission of the main file."""
    data = {d.name: d for d in form.data_fields}
    multi = {d.name for d in data.values() if d.widget == "checkboxes"}
    ignored = {FORM_NAME, VERSION_NAME} | set(s.names) - set(data) - set(s.repeat_of)
    images = {signature_image(f) for f in form.fields if f.kind == "signature"}
    values, ticked, problems = {}, {}, []
    for column, tokens in columns.items():
        if not tokens or tokens[0][0].startswith("_") or tokens[0][0] in PLATFORM_COLUMNS:
            continue
        last, index = tokens[-1][0], next((i for _, i in tokens if i), None)
        value = raw.get(column, "")
        if len(tokens) > 1 and tokens[-2][0] in multi:
            ticked.setdefault(tokens[-2][0], []).append((last, value.strip() in TICKED))
        elif last in ignored or (last.endswith("_URL") and last[:-4] in images):
            continue
        elif last in s.repeat_of and index:
            target = instance_name(s.repeat_of[last], last, index)
            if target in data:
                values[target] = value
            elif value.strip() not in EMPTY:
                problems.append(Problem(file, f"column '{column}': table '{s.repeat_of[last]}' has "
                                              f"{s.repeats[s.repeat_of[last]]} rows on paper", line))
        elif last in data:
            values[last] = value
        else:
            problems.append(Problem(file, f"column '{column}' is not a question of form '{form.id}' version "
                                          f"{form.version}; export with 'XML values and headers'", 1))
    for field, options in ticked.items():  # per-option columns, where the summary column is missing
        if not values.get(field):
            values[field] = " ".join(option for option, on in options if on)
    return _convert(data, values), problems


def _instance_values(form: Form, s: Survey, repeat: str, index: int, raw: dict, file: str, line: int):
    data = {d.name: d for d in form.data_fields}
    values, problems = {}, []
    for column, value in raw.items():
        tokens = _tokens(column)
        if not tokens or tokens[-1][0] in PLATFORM_COLUMNS or tokens[0][0].startswith("_"):
            continue
        if s.repeat_of.get(tokens[-1][0]) != repeat:
            problems.append(Problem(file, f"column '{column}' is not a question of table '{repeat}'", 1))
            continue
        target = instance_name(repeat, tokens[-1][0], index)
        if target not in data:
            problems.append(Problem(file, f"table '{repeat}' has {s.repeats[repeat]} rows on paper; "
                                          f"this submission has more", line))
            continue
        values[target] = value
    return _convert(data, values), problems


def _convert(data: dict, values: dict) -> dict:
    """Platform spellings into casekit's: an acknowledged consent is 'yes', n/a is empty."""
    return {k: "" if v.strip() in EMPTY else ("yes" if v.strip() in ACKNOWLEDGED else "")
            if data[k].widget == "checkbox" else v for k, v in values.items()}


def _repeat_file(path: Path, repeat: str) -> tuple[str, dict[str, list[tuple[int, dict]]]]:
    """The file's name and PARENT_KEY -> the rows of one repeat in file order (ODK Central: FORM-REPEAT.csv)."""
    repeat_path = path.with_name(f"{path.stem}-{repeat}{path.suffix}")
    if not repeat_path.exists():
        return display_path(repeat_path), {}
    header, rows = _table(repeat_path)
    by_parent: dict[str, list] = {}
    for number, cells in rows:
        raw = dict(zip(header, cells))
        by_parent.setdefault(raw.get("PARENT_KEY", ""), []).append((number, raw))
    return display_path(repeat_path), by_parent
