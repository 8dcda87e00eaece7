"""Values of a filled form: read from data files, checked against the form, written as plain strings.

Every value is a string, as in a CSV file or an ODK export: dates are YYYY-MM-DD, a multi-choice
value is its option values separated by spaces, a ticked consent box is "yes", and an empty
string means "not filled in". Fill, extract and report all pass values through `check_row`,
so a value that one command accepts, the others accept too.
"""
from __future__ import annotations

import csv
import difflib
import io
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path


from ..errors import InputError, Problem, display_path
from ..i18n import WESTERN_DIGITS
from ..model import DataField, Form
from ..model.source import decode_text, parse_yaml, read_bytes

# Columns that describe the file, not the form. A field id never starts with "_", so these never
# clash with one (KoboToolbox exports mark its own columns the same way).
FORM_COLUMN, VERSION_COLUMN, LANGUAGE_COLUMN, FILE_COLUMN = "_form", "_version", "_language", "_file"
META_COLUMNS = (FORM_COLUMN, VERSION_COLUMN, LANGUAGE_COLUMN, FILE_COLUMN)

_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_FORM_DATE = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$")  # as written in the boxes of the paper form
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
MAX_DATA_BYTES = 50_000_000  # a table of tens of thousands of forms; a larger file is the wrong file
MAX_DATA_VALUES = 2_000_000  # values in a YAML data file once aliases are expanded


@dataclass
class Row:
    """One filled form as found in a data file: where it is (for messages) and its raw values."""

    file: str
    line: int | None
    values: dict
    lines: dict | None = None  # the line of each key, where the file has lines (YAML)

    def problem(self, message: str, key: str | None = None) -> Problem:
        return Problem(self.file, message, (self.lines or {}).get(key, self.line))


def normalise(field: DataField, raw) -> str:
    """The value as stored, or ValueError with a message a user can act on."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        raw = "yes" if raw else "no"
    if isinstance(raw, (list, tuple)):
        if field.widget != "checkboxes":
            raise ValueError("a list of values fits only a field where several boxes can be ticked")
        raw = " ".join(str(item) for item in raw)
    if isinstance(raw, dict):
        raise ValueError("a block of keys is not a value")
    value = str(raw).strip()
    if not value:
        return ""
    if field.widget == "checkbox":
        if value.lower() not in ("yes", "no"):
            raise ValueError(f"'{value}' is not allowed; write yes (box ticked) or no")
        return value.lower()
    allowed = [o.value for o in field.options]
    if field.widget == "radio":
        if value not in allowed:
            raise ValueError(f"'{value}' is not an option; use one of: {', '.join(allowed)}")
        return value
    if field.widget == "checkboxes":
        chosen = re.split(r"[\s,]+", value)
        for item in chosen:
            if item not in allowed:
                raise ValueError(f"'{item}' is not an option; use any of: {', '.join(allowed)}")
        return " ".join(v for v in allowed if v in chosen)  # in the form's order, each once
    if field.kind == "date":
        return _date(value.translate(WESTERN_DIGITS))
    if field.kind == "number":
        value = value.translate(WESTERN_DIGITS)
        if not _NUMBER.match(value):
            raise ValueError(f"'{value}' is not a number; write digits, such as 12 or 2.5")
        return value
    if field.kind == "digits":
        value = value.translate(WESTERN_DIGITS)
        if not value.isdigit() or not value.isascii():
            raise ValueError(f"'{value}' must be digits only (0-9)")
        if field.max_length and len(value) > field.max_length:
            raise ValueError(f"'{value}' has {len(value)} digits; the form has {field.max_length} boxes")
        return value
    return value


def _date(value: str) -> str:
    iso, paper = _ISO_DATE.match(value), _FORM_DATE.match(value)
    parts = iso.groups() if iso else paper.groups()[::-1] if paper else None
    try:
        return date(*map(int, parts)).isoformat()
    except (TypeError, ValueError):
        raise ValueError(f"'{value}' is not a date; write it as YYYY-MM-DD") from None


def check_row(form: Form, row: Row, required: bool = True) -> tuple[dict[str, str], list[Problem]]:
    """Every data field of the form with its checked value ('' when empty), and the problems found.

    `required=False` skips the check for missing required values (the monitoring report counts
    whatever forms exist).
    """
    fields = {d.name: d for d in form.data_fields}
    problems: list[Problem] = []
    given = str(row.values.get(FORM_COLUMN) or "").strip()
    if given and given != form.id:
        problems.append(row.problem(f"this row is for form '{given}', not '{form.id}'"))
    values = {name: "" for name in fields}
    for key, raw in row.values.items():
        if key in META_COLUMNS:
            continue
        field = fields.get(key)
        if field is None:
            near = difflib.get_close_matches(str(key), fields, n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            problems.append(row.problem(f"unknown field '{key}' for form '{form.id}'{hint}", key))
            continue
        try:
            values[key] = normalise(field, raw)
        except ValueError as error:
            problems.append(row.problem(f"field '{key}': {error}", key))
            values[key] = "?"  # not empty: a wrong value is reported once, not also as missing
    if not problems and not any(values.values()):
        problems.append(row.problem("no values in this row"))
    for field in missing_required(form, values) if required else []:
        problems.append(row.problem(f"field '{field.name}' is required but empty"))
    return values, problems


def missing_required(form: Form, values: dict[str, str]) -> list[DataField]:
    """Required fields left empty, where the form expects them.

    A form is filled in parts (the referral now, the reply slip when it comes back), so a required
    field counts only when something else in its section is filled in, and only when its show_if
    condition holds.
    """
    missing = []
    for section in form.sections:
        data = [d for f in section.fields for d in f.data_fields()]
        if not any(values.get(d.name) for d in data):
            continue
        for d in data:
            filled = values.get(d.name, "") not in ("", "no") if d.widget == "checkbox" else bool(values.get(d.name))
            if d.required and not filled and _applies(d, values):
                missing.append(d)
    return missing


def _applies(field: DataField, values: dict[str, str]) -> bool:
    condition = field.source.show_if if field.source else None
    if condition is None:
        return True
    answer = values.get(condition.field, "")
    if condition.op == "is":
        return answer == condition.value
    if condition.op == "is_not":
        return bool(answer) and answer != condition.value
    return condition.value in answer.split()


# Reading data files -------------------------------------------------------------------------------

class DataFileError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems


def read_rows(path: Path) -> list[Row]:
    """The filled forms in a CSV, JSON or YAML file; raises DataFileError when it cannot be read."""
    name = display_path(path)
    readers = {".csv": _csv_rows, ".json": _json_rows, ".yaml": _yaml_rows, ".yml": _yaml_rows}
    reader = readers.get(Path(path).suffix.lower())
    if reader is None:
        raise DataFileError([Problem(name, "unknown kind of data file; use .csv, .json or .yaml")])
    try:  # spreadsheets often start the file with a byte-order mark; decode_text accepts it
        return reader(name, decode_text(read_bytes(Path(path), name, MAX_DATA_BYTES), name))
    except InputError as error:
        raise DataFileError(error.problems) from None


def _csv_rows(name: str, text: str) -> list[Row]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records = []  # (spreadsheet row number, cells); the header is row 1
    try:
        for cells in reader:
            records.append((len(records) + 1, [unprotect_cell(c) for c in cells]))
    except csv.Error as error:
        row = len(records) + 1
        raise DataFileError([Problem(name, f"row {row} cannot be read ({error}): a cell opened with a quote (\") "
                                           "is not closed, or a quote stands inside a cell without quotes; "
                                           "check the quotes of this row", row)]) from None
    if not records or not records[0][1]:
        raise DataFileError([Problem(name, "the file is empty; the first row must name the fields", 1)])
    header = [h.strip() for h in records[0][1]]
    doubles = sorted({h for h in header if header.count(h) > 1 and h})
    if doubles:
        raise DataFileError([Problem(name, f"column '{doubles[0]}' appears twice in the first row", 1)])
    rows, problems = [], []
    for number, cells in records[1:]:
        if not any(c.strip() for c in cells):
            continue  # blank rows at the end of a sheet
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            problems.append(Problem(name, f"row has {len(cells)} cells but the first row names {len(header)} columns", number))
            continue
        rows.append(Row(name, number, {h: c for h, c in zip(header, cells) if h}))
    if problems:
        raise DataFileError(problems)
    return rows


# A cell that starts with one of these is a formula to a spreadsheet program (OWASP: CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def protect_cell(value: str) -> str:
    """A value as a CSV cell a spreadsheet shows as text: a leading apostrophe before a formula sign.

    A plain number (-2.5) is left as it is; it is not a formula."""
    if value.startswith(FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def unprotect_cell(value: str) -> str:
    """The value `protect_cell` wrote, so that a table extracted by casekit fills and reports unchanged."""
    if value.startswith("'") and value[1:].startswith(FORMULA_START) and not _NUMBER.match(value[1:]):
        return value[1:]
    return value


def _json_rows(name: str, text: str) -> list[Row]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise DataFileError([Problem(name, f"not valid JSON: {error.msg}; check the commas, quotes and brackets "
                                           "near here", error.lineno, error.colno)]) from None
    except RecursionError:
        raise DataFileError([Problem(name, "the JSON is nested too deeply to be form values", 1)]) from None
    if isinstance(data, dict) and isinstance(data.get("values"), dict) and "form" in data:
        return [saved_form_row(name, data)]
    items = data if isinstance(data, list) else [data]
    if not all(isinstance(item, dict) for item in items):
        raise DataFileError([Problem(name, "expected an object of field values, or a list of such objects")])
    return [Row(name, number if isinstance(data, list) else None, item) for number, item in enumerate(items, 1)]


def saved_form_row(name: str, data: dict) -> Row:
    """A file saved by the browser form: {form, version, language, values}."""
    meta = {FORM_COLUMN: data.get("form"), VERSION_COLUMN: data.get("version"), LANGUAGE_COLUMN: data.get("language")}
    return Row(name, None, {**data["values"], **{k: str(v) for k, v in meta.items() if v is not None}})


def _yaml_rows(name: str, text: str) -> list[Row]:
    # Untyped: every scalar stays the text written, so 'yes' stays yes and a case number keeps its zeros.
    doc = parse_yaml(text, name, typed=False, max_values=MAX_DATA_VALUES)
    items = doc.value if isinstance(doc.value, list) else [doc.value] if doc.value is not None else []
    prefix = (lambda i: (i,)) if isinstance(doc.value, list) else (lambda i: ())
    rows = []
    for i, item in enumerate(items):
        line = doc.where(prefix(i))[0]
        if not isinstance(item, dict):
            raise DataFileError([Problem(name, "expected a block of field: value lines, or a list of such blocks", line)])
        rows.append(Row(name, line, item, {key: doc.where(prefix(i) + (key,))[0] for key in item}))
    if len(rows) == 1 and isinstance(rows[0].values.get("values"), dict) and "form" in rows[0].values:
        return [saved_form_row(name, rows[0].values)]
    return rows
