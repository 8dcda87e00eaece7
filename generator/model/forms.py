"""Typed form model: what every renderer receives instead of YAML."""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from datetime import date
from pathlib import Path

from ..i18n.marker import N_


@dataclass(frozen=True)
class Message:
    """A translatable string and where it is written: what a translator needs to see."""

    text: str
    line: int
    path: str  # e.g. intake.identity.client_name.label


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class ChoiceList:
    name: str
    label: str
    options: tuple[Option, ...]
    line: int = 0


@dataclass(frozen=True)
class Condition:
    """`show_if`: one comparison, small enough to become an XLSForm `relevant` (generator/xlsform.py)."""

    field: str
    op: str  # is | is_not | includes
    value: str


@dataclass(frozen=True)
class Column:
    id: str
    label: str
    kind: str = "text"
    width: float = 1.0
    options: tuple[Option, ...] = ()


@dataclass(frozen=True)
class GridItem:
    id: str
    label: str
    help: str | None = None


@dataclass(frozen=True)
class DataField:
    """One value a filled form holds: a PDF field name and a data column.

    `widget` says how it appears in a fillable PDF: text, multiline, checkbox,
    radio (one of `options`) or checkboxes (multi-choice, one box per option).
    """

    name: str
    widget: str
    kind: str  # the definition's kind of value: text, date, number, yes_no, choice, multi_choice, digits
    label: str
    options: tuple[Option, ...] = ()
    max_length: int | None = None
    required: bool = False
    source: "Field | None" = None


YES_NO = (Option("yes", N_("Yes")), Option("no", N_("No")))
OTHER = Option("other", N_("Other"))

# Every form carries both numbers a case is known by, in its header (reserved ids).
CASE_NUMBERS = (
    DataField("agency_case_number", "text", "digits", N_("Agency case number"), max_length=8),
    DataField("government_case_number", "text", "digits", N_("Government case number"), max_length=10),
)


@dataclass(frozen=True)
class Field:
    id: str
    kind: str
    line: int
    label: str | None = None
    required: bool = False
    hint: str | None = None
    help: str | None = None
    show_if: Condition | None = None
    text: str | None = None
    lines: int = 3
    length: int = 0
    other: bool = False
    list_name: str | None = None
    options: tuple[Option, ...] = ()
    items: tuple[GridItem, ...] = ()
    scale: tuple[Option, ...] = ()
    scale_name: str | None = None
    comment: bool = True
    columns: tuple[Column, ...] = ()
    rows: int = 5
    thumbprint: bool = True
    width: str = "full"
    seal: bool = False  # a seal box beside this signature on government-facing layouts

    @property
    def row_keys(self) -> list[str]:
        """A table's rows: named by its items when it has them, else numbered blank rows."""
        return [item.id for item in self.items] if self.items else [str(n) for n in range(1, self.rows + 1)]

    @property
    def choices(self) -> tuple[Option, ...]:
        """Every value this field accepts, 'other' included when it offers one."""
        base = YES_NO if self.kind == "yes_no" else self.options
        return base + ((OTHER,) if self.other else ())

    def data_fields(self) -> list[DataField]:
        """The values this field holds, in the order they print."""
        def df(name, widget, kind=self.kind, label=self.label, **kw):
            return DataField(name, widget, kind, label or "", source=self, **kw)

        k = self.kind
        if k in ("text", "date", "number"):
            return [df(self.id, "text", required=self.required)]
        if k == "digits":
            return [df(self.id, "text", max_length=self.length, required=self.required)]
        if k == "long_text":
            return [df(self.id, "multiline", required=self.required)]
        if k in ("yes_no", "choice"):
            out = [df(self.id, "radio", options=self.choices, required=self.required)]
        elif k == "multi_choice":
            out = [df(self.id, "checkboxes", options=self.choices, required=self.required)]
        elif k == "consent":
            return [df(self.id, "checkbox", kind="yes_no", label=self.label or self.text, required=self.required)]
        elif k == "signature":
            return [df(f"{self.id}_name", "text", kind="text", label=self.label),
                    df(f"{self.id}_date", "text", kind="date", label=self.label)]
        elif k == "rating_grid":
            out = []
            for item in self.items:
                out.append(df(f"{self.id}_{item.id}", "radio", kind="choice", label=item.label, options=self.scale))
                if self.comment:
                    out.append(df(f"{self.id}_{item.id}_comment", "text", kind="text", label=item.label))
            return out
        elif k == "table":
            out = []
            for row in self.row_keys:
                for col in self.columns:
                    widget = "radio" if col.kind in ("yes_no", "choice") else "text"
                    options = YES_NO if col.kind == "yes_no" else col.options
                    out.append(df(f"{self.id}_{row}_{col.id}", widget, kind=col.kind,
                                  label=f"{col.label} ({row})", options=options))
            return out
        else:  # instructions
            return []
        if self.other:
            out.append(df(f"{self.id}_other", "text", kind="text", label=self.label))
        return out


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    fields: tuple[Field, ...]
    line: int
    intro: str | None = None
    new_page: bool = False  # e.g. a reply slip the receiving agency detaches


@dataclass(frozen=True)
class Form:
    id: str
    version: str
    issued: date
    title: str
    purpose: str
    stage: str
    completed_by: str
    sections: tuple[Section, ...]
    path: Path
    when: str | None = None
    instructions: str | None = None
    messages: tuple[Message, ...] = ()

    @property
    def fields(self) -> list[Field]:
        return [f for s in self.sections for f in s.fields]

    @property
    def data_fields(self) -> list[DataField]:
        """Every value of a filled form: the case numbers first, then the fields in order."""
        return list(CASE_NUMBERS) + [d for f in self.fields for d in f.data_fields()]

    def field(self, field_id: str) -> Field:
        return next(f for f in self.fields if f.id == field_id)

    @property
    def numbers(self) -> dict[str, str]:
        """Printed question numbers, "section.question": a condition on paper points to a number, not a
        repeated question, and a trainer can say "question 4.2" in any language."""
        numbers = {}
        for s_index, section in enumerate(self.sections, 1):
            questions = [f for f in section.fields if f.kind != "instructions"]
            numbers.update({f.id: f"{s_index}.{q_index}" for q_index, f in enumerate(questions, 1)})
        return numbers


@dataclass(frozen=True)
class GlossaryTerm:
    """One term in every language: `terms` and `definitions` map a language code to its text."""

    terms: dict[str, str]
    definitions: dict[str, str]
    line: int
    also: dict[str, tuple[str, ...]] = dc_field(default_factory=dict)  # other forms that count as the term

    @property
    def english(self) -> str:
        return self.terms["en"]

    def definition(self, lang: str) -> str:
        """The definition in `lang`, or the English one while a new language has none yet."""
        return self.definitions.get(lang, self.definitions["en"])

    def forms(self, lang: str) -> tuple[str, ...]:
        """Every way of writing the term in `lang` that counts as using it, the glossary's own first."""
        return (self.terms[lang], *self.also.get(lang, ()))


@dataclass(frozen=True)
class Government:
    """Forms that go to a government office carry the national heading, the letterhead and a seal box
    on layouts in these languages (a government office in Cambodia expects them on Khmer papers)."""

    forms: tuple[str, ...] = ("referral", "closure", "consent_release")
    languages: tuple[str, ...] = ("km",)


@dataclass(frozen=True)
class Font:
    """A language's font (forms/settings.yaml `fonts:`): a family casekit ships, or the agency's own files."""

    family: str
    regular: Path | None = None
    bold: Path | None = None
    line_height: float | None = None


@dataclass(frozen=True)
class Settings:
    agency_name: str
    agency_logo: Path | None
    languages: tuple[str, ...]
    bilingual: tuple[str, ...]
    papers: tuple[str, ...]
    khmer_digits: bool = True
    agency_names: tuple[tuple[str, str], ...] = ()  # (language, name): the agency's name in that language
    letterhead: str | None = None
    government: Government = Government()
    fonts: dict[str, Font] = dc_field(default_factory=dict)  # language -> font

    def agency_name_in(self, lang: str) -> str:
        return dict(self.agency_names).get(lang, self.agency_name)

    def government_facing(self, form_id: str, lang: str) -> bool:
        return form_id in self.government.forms and lang in self.government.languages


@dataclass
class Project:
    """Everything the definitions say, validated: the input of every renderer."""

    root: Path
    settings: Settings
    lists: dict[str, ChoiceList]
    forms: dict[str, Form] = dc_field(default_factory=dict)
    glossary: tuple[GlossaryTerm, ...] = ()
    list_messages: tuple[Message, ...] = ()

    @property
    def forms_dir(self) -> Path:
        return self.root / "forms"

    @property
    def layouts(self) -> list[str]:
        """Page languages: each language, plus 'km+en'-style bilingual layouts."""
        return list(self.settings.languages) + [f"{lang}+en" for lang in self.settings.bilingual]
