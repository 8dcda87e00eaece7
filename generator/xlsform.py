"""Every form as an XLSForm (KoboToolbox, ODK, Ona): the digital twin of the paper form.

Question names are the PDF field names and data columns, so tablet and paper data join on the
same columns. One row maker per field kind (`KIND_ROWS`); a kind without one stops the writer
with a message instead of being skipped. Labels, hints and choices come from the catalogs, one
`label::English (en)` column per configured language.

Blank-row tables become repeats of their paper rows: instance n of question `TABLE_COLUMN` is the
data column `TABLE_n_COLUMN` (`instance_name` says so, and the export reader uses it).
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field as dc_field

from babel import Locale
from openpyxl import Workbook

from .errors import InputError, Problem, display_path
from .i18n import Translator
from .i18n.marker import N_
from .model import Condition, DataField, Field, Form, Option, Project, Section
from .model.forms import CASE_NUMBERS

OTHER_LABEL = N_("Other — specify:")
DIGITS_MESSAGE = N_("Digits only (0-9), at most {length}.")

ZIP_DATE = (2026, 1, 1, 0, 0, 0)  # fixed, so the same form gives the same bytes (site manifest, caches)
FORM_NAME, VERSION_NAME = "casekit_form", "casekit_version"  # calculated: every export says form and version
SIGNATURE_PIXELS = 640  # a drawn signature needs no photo's resolution; smaller uploads on slow networks
FIELD_LIST_MAX = 8  # questions a section may hold and still be shown on one screen

# The XLSForm type of each kind of value (fields and table columns alike).
VALUE_TYPES = {"text": "text", "long_text": "text", "date": "date", "number": "decimal", "digits": "text",
               "yes_no": "select_one", "choice": "select_one", "multi_choice": "select_multiple"}


def relevant(condition: Condition | None) -> str:
    """A `show_if` as an XLSForm `relevant` expression."""
    if condition is None:
        return ""
    if condition.op == "includes":
        return f"selected(${{{condition.field}}}, '{condition.value}')"
    return f"${{{condition.field}}} {'=' if condition.op == 'is' else '!='} '{condition.value}'"


@dataclass
class Row:
    """One row of the survey sheet; `label`, `hint` and `constraint_message` are catalog messages."""

    type: str
    name: str = ""
    label: str | None = None
    hint: str | None = None
    required: bool = False
    relevant: str = ""
    appearance: str = ""
    constraint: str = ""
    constraint_message: str | None = None
    repeat_count: str = ""
    calculation: str = ""
    parameters: str = ""
    params: dict = dc_field(default_factory=dict)  # placeholders of the messages, such as {length}


@dataclass
class Survey:
    """The survey and choices of one form, built from the model and checked for clashing names."""

    form: Form
    rows: list[Row] = dc_field(default_factory=list)
    lists: dict[str, tuple[Option, ...]] = dc_field(default_factory=dict)
    repeats: dict[str, int] = dc_field(default_factory=dict)  # repeat name -> paper rows
    names: dict[str, str] = dc_field(default_factory=dict)  # question name -> what uses it (for messages)
    paths: dict[str, tuple[str, ...]] = dc_field(default_factory=dict)  # question name -> its groups, outermost first
    repeat_of: dict[str, str] = dc_field(default_factory=dict)  # question inside a repeat -> the repeat
    _open: list[tuple[str, bool]] = dc_field(default_factory=list)

    def add(self, row: Row, owner: str, unique: bool = True) -> None:
        """`unique=False` for a section's group: its name appears only in export headers, never in a reference."""
        if row.name and unique:
            self.reserve(row.name, owner)
        if row.type.startswith("end_"):
            self._open.pop()
        elif self._open and self._open[-1][1]:
            self.repeat_of[row.name] = self._open[-1][0]
        if row.type.startswith("begin_"):
            self._open.append((row.name, row.type == "begin_repeat"))
        self.rows.append(row)

    def reserve(self, name: str, owner: str) -> None:
        """Claim a question name at the current place; a name used twice stops the writer."""
        if name in self.names:
            raise InputError([Problem(display_path(self.form.path), f"the XLSForm needs the name '{name}' for "
                                      f"{owner}, but {self.names[name]} uses it already; rename one of them")])
        self.names[name] = owner
        self.paths[name] = tuple(group for group, _ in self._open)

    def choices(self, wanted: str, options: tuple[Option, ...], owner: str) -> str:
        """The list name for these options: a shared list keeps its name; another set gets the owner's name."""
        for name in (wanted, f"{owner}_choices"):
            if self.lists.setdefault(name, options) == options:
                return name
        raise InputError([Problem(display_path(self.form.path), f"no free choice-list name for '{owner}'")])


def _value(s: Survey, data: DataField, name: str, label, list_name: str = "", condition: str = "",
           owner: str = "") -> None:
    """One question for one value: its type from VALUE_TYPES, choices and checks from the data field."""
    xls_type = VALUE_TYPES[data.kind]
    row = Row(xls_type, name, label, required=data.required, relevant=condition)
    if xls_type.startswith("select"):
        wanted = "yes_no" if data.kind == "yes_no" else list_name
        row.type = f"{xls_type} {s.choices(wanted, data.options, name)}"
    if data.kind == "digits":
        row.constraint = f"regex(., '^[0-9]{{1,{data.max_length}}}$')"
        row.constraint_message, row.params, row.appearance = DIGITS_MESSAGE, {"length": str(data.max_length)}, "numbers"
    if data.widget == "multiline":
        row.appearance = "multiline"
    s.add(row, owner or f"field '{data.source.id}'")


def _simple(s: Survey, field: Field) -> None:
    main, *rest = field.data_fields()
    _value(s, main, main.name, field.label, field.list_name or field.id, relevant(field.show_if))
    s.rows[-1].hint = field.hint
    for other in rest:  # "other — specify", shown only when "other" is chosen
        chosen = f"selected(${{{field.id}}}, 'other')" if field.kind == "multi_choice" else f"${{{field.id}}} = 'other'"
        s.add(Row("text", other.name, OTHER_LABEL, relevant=chosen), f"field '{field.id}'")


def _consent(s: Survey, field: Field) -> None:
    """A required acknowledgement: the statement, and a tick that Collect and Enketo store as OK."""
    s.add(Row("acknowledge", field.id, field.text or field.label, field.hint, field.required,
              relevant(field.show_if)), f"field '{field.id}'")


def _signature(s: Survey, field: Field) -> None:
    """Name and date as on paper, and the signature drawn on the screen (an image; no thumbprint)."""
    name, day = field.data_fields()
    s.add(Row("begin_group", field.id, field.label, relevant=relevant(field.show_if), appearance="field-list"),
          f"field '{field.id}'")
    _value(s, name, name.name, N_("Name"))
    _value(s, day, day.name, N_("Date"))
    s.add(Row("image", signature_image(field), N_("Signature"), field.hint, field.required, appearance="signature",
              parameters=f"max-pixels={SIGNATURE_PIXELS}"),
          f"field '{field.id}'")
    s.add(Row("end_group"), "")


def signature_image(field: Field) -> str:
    return f"{field.id}_image"


def _group_hint(s: Survey, field: Field) -> None:
    """pyxform drops a group's hint, so the hint printed under a grid or table is a note at its start."""
    if field.hint:
        s.add(Row("note", f"{field.id}_hint", field.hint, relevant=relevant(field.show_if)), f"the hint of '{field.id}'")


def _rating_grid(s: Survey, field: Field) -> None:
    """A group per grid on one screen, one select_one per item, its scale in one compact line (likert)."""
    s.add(Row("begin_group", field.id, field.label, relevant=relevant(field.show_if), appearance="field-list"),
          f"field '{field.id}'")
    _group_hint(s, field)
    for data in field.data_fields():
        rated = data.widget == "radio"
        _value(s, data, data.name, data.label if rated else N_("Comment"), field.scale_name or field.id)
        s.rows[-1].appearance = "likert" if rated else ""
    s.add(Row("end_group"), "")


def _table(s: Survey, field: Field) -> None:
    """Labelled rows: a group per row, names as on paper. Blank rows: a repeat of exactly the paper's rows."""
    data = {d.name: d for d in field.data_fields()}
    if not field.items:  # pyxform adds this calculate beside the repeat; only its name is claimed here
        s.reserve(f"{field.id}_count", f"the row count of table '{field.id}'")
    _group_hint(s, field)  # before the table: inside a repeat it would show on every row
    s.add(Row("begin_repeat" if not field.items else "begin_group", field.id, field.label,
              relevant=relevant(field.show_if), repeat_count="" if field.items else str(field.rows)),
          f"field '{field.id}'")
    for item in field.items:
        s.add(Row("begin_group", f"{field.id}_{item.id}", item.label, appearance="field-list"),
              f"row '{item.id}' of '{field.id}'")
        for col in field.columns:
            _value(s, data[f"{field.id}_{item.id}_{col.id}"], f"{field.id}_{item.id}_{col.id}", col.label,
                   f"{field.id}_{col.id}")
        s.add(Row("end_group"), "")
    if not field.items:
        s.repeats[field.id] = field.rows
        for col in field.columns:  # one question per column; instance n fills the paper's row n
            question = f"{field.id}_{col.id}"
            _value(s, data[instance_name(field.id, question, 1)], question, col.label, question)
    s.add(Row("end_repeat" if not field.items else "end_group"), "")


def _instructions(s: Survey, field: Field) -> None:
    s.add(Row("note", field.id, field.text, relevant=relevant(field.show_if)), f"field '{field.id}'")


KIND_ROWS = {
    "text": _simple, "long_text": _simple, "date": _simple, "number": _simple, "digits": _simple,
    "yes_no": _simple, "choice": _simple, "multi_choice": _simple,
    "consent": _consent, "signature": _signature, "rating_grid": _rating_grid, "table": _table,
    "instructions": _instructions,
}


def instance_name(repeat: str, question: str, index: int) -> str:
    """The data column of a repeat's question in its n-th instance: plan_need, 2 -> plan_2_need."""
    return f"{repeat}_{index}_{question[len(repeat) + 1:]}"


def survey(form: Form) -> Survey:
    s = Survey(form)
    s.add(Row("calculate", FORM_NAME, calculation=f"'{form.id}'"), "the form id")
    s.add(Row("calculate", VERSION_NAME, calculation=f"'{form.version}'"), "the form version")
    if form.instructions:
        s.add(Row("note", "form_instructions", form.instructions), "the form's instructions")
    for data in CASE_NUMBERS:
        _value(s, data, data.name, data.label, owner="the form header")
    for section in form.sections:
        _section(s, section)
    return s


def _section(s: Survey, section: Section) -> None:
    questions = sum(len(f.data_fields()) or 1 for f in section.fields)
    one_screen = questions <= FIELD_LIST_MAX and not any(f.kind == "table" and not f.items for f in section.fields)
    s.add(Row("begin_group", section.id, section.title, appearance="field-list" if one_screen else ""),
          f"section '{section.id}'", unique=False)
    if section.intro:
        s.add(Row("note", f"{section.id}_intro", section.intro), f"the intro of section '{section.id}'")
    for field in section.fields:
        rows = KIND_ROWS.get(field.kind)
        if rows is None:
            raise InputError([Problem(display_path(s.form.path), f"the XLSForm writer has no mapping for field kind "
                                                                 f"'{field.kind}' (field '{field.id}')", field.line)])
        rows(s, field)
    s.add(Row("end_group"), "")


def column_suffix(lang: str) -> str:
    """The language as XLSForm columns spell it: English (en), Khmer (km)."""
    return f"{Locale.parse(lang).get_display_name('en')} ({lang})"


SURVEY_COLUMNS = ("type", "name", "label", "hint", "required", "relevant", "appearance", "constraint",
                  "constraint_message", "repeat_count", "calculation", "parameters")
TRANSLATED = ("label", "hint", "constraint_message")


def workbook(project: Project, form: Form) -> bytes:
    """The .xlsx of one form: survey, choices and settings sheets."""
    s = survey(form)
    translators = [Translator.for_language(project.root, lang) for lang in project.settings.languages]

    def text(t: Translator, message: str | None, params: dict) -> str:
        numbers = {k: t.digits(v) if project.settings.khmer_digits else v for k, v in params.items()}
        if not message:
            return ""
        return t.gettext(message).format(**numbers) if params else t.gettext(message)  # a label is data, not a template

    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    header = [f"{c}::{column_suffix(t.lang)}" if c in TRANSLATED else c
              for c in SURVEY_COLUMNS for t in (translators if c in TRANSLATED else translators[:1])]
    sheet.append(header)
    for row in s.rows:
        cells = []
        for column in SURVEY_COLUMNS:
            value = getattr(row, column)
            if column in TRANSLATED:
                cells += [text(t, value, row.params) for t in translators]
            else:
                cells.append("yes" if value is True else "" if value is False else value)
        sheet.append(cells)
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name"] + [f"label::{column_suffix(t.lang)}" for t in translators])
    for name, options in s.lists.items():
        for option in options:
            choices.append([name, option.value] + [t.gettext(option.label) for t in translators])
    settings = book.create_sheet("settings")
    settings.append(["form_id", "form_title", "version", "default_language", "style"])
    settings.append([form.id, form.title, form.version, column_suffix(translators[0].lang), "pages"])
    out = io.BytesIO()
    book.save(out)
    return _fixed_dates(out.getvalue())


def _fixed_dates(data: bytes) -> bytes:
    """openpyxl stamps the time of saving into the file; a fixed date keeps the bytes of a form stable."""
    stamp = "%04d-%02d-%02dT%02d:%02d:%02dZ" % ZIP_DATE
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                member = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), member)
            target.writestr(zipfile.ZipInfo(info.filename, ZIP_DATE), member, zipfile.ZIP_DEFLATED)
    return out.getvalue()
