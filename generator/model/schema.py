"""The form definition language as a JSON Schema: exported for editors, used to validate."""
from __future__ import annotations

from ..i18n.marker import N_

SNAKE_CASE = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
OPTION_VALUE = r"^[a-z0-9]+(_[a-z0-9]+)*$"

# The five steps of the process, in order; each names its handbook chapter (content/process/STEP.md).
STAGES = {
    "intake": N_("Step 1: Intake"),
    "assessment": N_("Step 2: Assessment"),
    "planning": N_("Step 3: Case planning"),
    "implementation": N_("Step 4: Services, referral and review"),
    "closure": N_("Step 5: Closure"),
}

FIELD_KINDS = {
    "text": N_("Short text on one line."),
    "long_text": N_("Several lines of writing; `lines` sets how many."),
    "date": N_("A date, printed as day / month / year boxes."),
    "number": N_("A whole or decimal number."),
    "yes_no": N_("A Yes / No question."),
    "choice": N_("One answer from a list (`list` or `options`); `other: true` adds “Other — specify”."),
    "multi_choice": N_("Any number of answers from a list; `other: true` adds “Other — specify”."),
    "digits": N_("A code written one character per box; `length` sets the number of boxes."),
    "rating_grid": N_("Items (`items`) rated on a scale (`scale`), with a comment column."),
    "table": N_("A table with `columns`; `rows` blank rows on paper, or labelled rows from `items`."),
    "signature": N_("Signature box with name and date; a thumbprint box unless `thumbprint: false`."),
    "consent": N_("A consent statement (`text`) with a tick box."),
    "instructions": N_("Static text printed on the form (`text`)."),
}

# The widths a field may take on paper, as shares of the printed line.
WIDTHS = {"full": 1.0, "half": 1 / 2, "third": 1 / 3}

# The share of a printed line a field takes when its definition gives no `width`: short answers sit side
# by side so a form stays within its page budget; every kind must be listed here.
DEFAULT_WIDTH = {
    "text": "half", "long_text": "full", "date": "half", "number": "third", "yes_no": "half",
    "choice": "full", "multi_choice": "full", "digits": "half", "rating_grid": "full", "table": "full",
    "signature": "half", "consent": "full", "instructions": "full",
}
assert DEFAULT_WIDTH.keys() == FIELD_KINDS.keys(), "every field kind needs a default width"
assert set(DEFAULT_WIDTH.values()) <= WIDTHS.keys()

# Limits, far above the real forms (the largest has 7 sections, 15 fields in a section, 12 options,
# 11 grid items, 7 table columns, labels of 130 characters), so that a runaway file is stopped with
# a message instead of taking minutes and gigabytes to be accepted.
LIMITS = {"sections": 50, "fields": 150, "options": 200, "items": 100, "columns": 12, "lists": 500,
          "id": 60, "label": 500, "text": 5000}

_text = {"type": "string", "minLength": 1, "maxLength": LIMITS["label"]}
_long_text = {"type": "string", "minLength": 1, "maxLength": LIMITS["text"]}
_id = {"type": "string", "pattern": SNAKE_CASE, "maxLength": LIMITS["id"]}

_option = {
    "type": "object",
    "required": ["value", "label"],
    "additionalProperties": False,
    "properties": {
        "value": {"type": "string", "pattern": OPTION_VALUE,
                  "description": "Stored value: lower-case letters, digits and _, never changed once in use."},
        "label": {**_text, "description": "English label; translated through the catalogs."},
    },
}

_condition = {
    "type": "object",
    "description": "Show this field only when another field has a value. Exactly one of is / is_not / includes.",
    "required": ["field"],
    "additionalProperties": False,
    "minProperties": 2,
    "maxProperties": 2,
    "properties": {
        "field": {**_id, "description": "Id of an earlier field of the same form."},
        "is": {"type": "string", "description": "The field's value equals this (yes / no / an option value)."},
        "is_not": {"type": "string", "description": "The field's value differs from this."},
        "includes": {"type": "string", "description": "A multi-choice field includes this option."},
    },
}

_choices = {
    "list": {**_id, "description": "Name of a shared list in forms/lists.yaml."},
    "options": {"type": "array", "minItems": 2, "maxItems": LIMITS["options"], "items": _option,
                "description": "Options written here instead of a shared list."},
}

_column = {
    "type": "object",
    "required": ["id", "label"],
    "additionalProperties": False,
    "properties": {
        "id": _id,
        "label": _text,
        "kind": {"enum": ["text", "date", "number", "yes_no", "choice"], "default": "text"},
        "width": {"type": "number", "minimum": 0.5, "maximum": 6,
                  "description": "Relative column width on paper (default 1)."},
        **_choices,
    },
}

_item = {
    "type": "object",
    "required": ["id", "label"],
    "additionalProperties": False,
    "properties": {"id": _id, "label": _text, "help": _long_text},
}

FIELD = {
    "type": "object",
    "required": ["id", "kind"],
    "additionalProperties": False,
    "properties": {
        "id": {**_id, "description": "Stable snake_case id: the PDF field name and data column."},
        "kind": {"enum": list(FIELD_KINDS), "description": "; ".join(f"{k}: {v}" for k, v in FIELD_KINDS.items())},
        "label": {**_text, "description": "The question or caption printed on the form."},
        "required": {"type": "boolean", "default": False},
        "hint": {**_text, "description": "A short hint printed under the label on the form."},
        "help": {**_long_text, "description": "Guidance shown in the handbook's field guide."},
        "show_if": _condition,
        "text": {**_long_text, "description": "Statement of a consent field, or the text of instructions."},
        "lines": {"type": "integer", "minimum": 1, "maximum": 30, "description": "Writing lines of a long_text."},
        "length": {"type": "integer", "minimum": 1, "maximum": 20, "description": "Number of boxes of a digits field."},
        "other": {"type": "boolean", "description": "Adds 'Other — specify' to a choice."},
        "items": {"type": "array", "minItems": 1, "maxItems": LIMITS["items"], "items": _item,
                  "description": "Rows of a rating_grid, or the printed row labels of a table (instead of blank rows)."},
        "scale": {**_id, "description": "Shared list used as the scale of a rating_grid."},
        "comment": {"type": "boolean", "default": True, "description": "Comment column in a rating_grid."},
        "columns": {"type": "array", "minItems": 1, "maxItems": LIMITS["columns"], "items": _column,
                    "description": "Columns of a table."},
        "rows": {"type": "integer", "minimum": 1, "maximum": 30, "description": "Blank rows of a table on paper."},
        "thumbprint": {"type": "boolean", "default": True, "description": "Offer a thumbprint box beside a signature."},
        "seal": {"type": "boolean", "default": False,
                 "description": "A seal box beside this signature on forms that go to a government office "
                                "(settings: government)."},
        "width": {"enum": list(WIDTHS),
                  "description": "Share of the line the field takes on paper (default: by kind — half for "
                                 "short text, dates, yes/no and signatures, a third for numbers, else full)."},
        **_choices,
    },
}

SECTION = {
    "type": "object",
    "required": ["id", "title", "fields"],
    "additionalProperties": False,
    "properties": {
        "id": _id,
        "title": _text,
        "intro": {**_long_text, "description": "A sentence printed under the section title."},
        "new_page": {"type": "boolean", "description": "Start this section on a new page (e.g. a reply slip)."},
        "fields": {"type": "array", "minItems": 1, "maxItems": LIMITS["fields"], "items": FIELD},
    },
}

FORM = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "casekit-form.schema.json",
    "title": "casekit form definition",
    "description": "One case-management form: metadata, sections and fields. Labels are English; "
                   "translations live in translations/.",
    "type": "object",
    "required": ["id", "version", "issued", "title", "purpose", "stage", "completed_by", "sections"],
    "additionalProperties": False,
    "properties": {
        "id": {**_id, "description": "Stable form id; also the file name."},
        "version": {"type": "string", "pattern": r"^\d+\.\d+$", "description": "MAJOR.MINOR, printed on every page."},
        "issued": {"type": "string", "format": "date", "description": "Issue date YYYY-MM-DD, printed on every page."},
        "title": _text,
        "purpose": _long_text,
        "stage": {"enum": list(STAGES), "description": "The step of the five-step process this form belongs to."},
        "completed_by": {**_text, "description": "Who fills the form in."},
        "when": {**_text, "description": "When the form is used."},
        "instructions": {**_long_text, "description": "Printed at the top of the first page."},
        "sections": {"type": "array", "minItems": 1, "maxItems": LIMITS["sections"], "items": SECTION},
    },
}

LISTS = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "casekit-lists.schema.json",
    "title": "casekit shared choice lists",
    "type": "object",
    "propertyNames": {"pattern": SNAKE_CASE, "maxLength": LIMITS["id"]},
    "maxProperties": LIMITS["lists"],
    "additionalProperties": {
        "type": "object",
        "required": ["label", "options"],
        "additionalProperties": False,
        "properties": {
            "label": _text,
            "options": {"type": "array", "minItems": 2, "maxItems": LIMITS["options"], "items": _option},
        },
    },
}

_language = {"type": "string", "pattern": r"^[a-z]{2,3}$", "description": "A language code such as en, km or lo."}

SETTINGS = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "casekit-settings.schema.json",
    "title": "casekit agency settings",
    "type": "object",
    "required": ["agency", "languages"],
    "additionalProperties": False,
    "properties": {
        "agency": {
            "type": "object",
            "required": ["name"],
            "additionalProperties": False,
            "properties": {
                "name": {**_text, "description": "Printed at the top of every page."},
                "logo": {**_text, "description": "An SVG, PNG or JPEG logo inside the project, relative to forms/ (e.g. logo.svg)."},
                "names": {"type": "object", "propertyNames": {"pattern": r"^[a-z]{2,3}$"},
                          "additionalProperties": _text,
                          "description": "The agency's name in another language, by language code (km: …)."},
                "letterhead": {**_text, "description": "One line under the name on government-facing forms: "
                                                       "address, phone, registration number."},
            },
        },
        "languages": {"type": "array", "minItems": 1, "items": _language,
                      "description": "Languages to build; the first is the source language (en)."},
        "bilingual": {"type": "array", "items": _language,
                      "description": "Languages that also get a layout with English beneath."},
        "papers": {"type": "array", "minItems": 1, "items": {"enum": ["a4", "letter"]}},
        "khmer_digits": {"type": "boolean", "default": True,
                         "description": "Print page numbers and dates on Khmer forms in Khmer digits (០១២…)."},
        "government": {
            "type": "object",
            "additionalProperties": False,
            "description": "Forms that go to a government office: national heading, letterhead and seal box.",
            "properties": {
                "forms": {"type": "array", "items": _id,
                          "description": "Form ids (default: referral, closure, consent_release)."},
                "languages": {"type": "array", "items": _language,
                              "description": "Layouts in these languages carry them (default [km]; [] turns them off)."},
            },
        },
        "fonts": {
            "type": "object",
            "description": "The font of each language, for the PDFs, the browser form and the site.",
            "propertyNames": _language,
            "additionalProperties": {
                "type": "object",
                "required": ["family"],
                "additionalProperties": False,
                "properties": {
                    "family": {**_text, "description": "Font family name, e.g. Noto Sans Lao."},
                    "regular": {**_text, "description": "Font file (TTF or OTF), relative to forms/; "
                                                        "leave out for a family casekit ships."},
                    "bold": {**_text, "description": "Bold font file, relative to forms/."},
                    "line_height": {"type": "number", "minimum": 1, "maximum": 3,
                                    "description": "Line height for this language on forms (e.g. 1.6 for Khmer)."},
                },
            },
        },
    },
}

SCHEMAS = {"form": FORM, "lists": LISTS, "settings": SETTINGS}
