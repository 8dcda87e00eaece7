"""Handbook pages generated from the model, one per language, written into the docs folder."""
from __future__ import annotations

from pathlib import Path

from babel import Locale
from babel.lists import format_list
from markupsafe import Markup

from ..data.browser import page_name
from ..data.fill import SAMPLE_VARIANT
from ..files import write_if_changed
from ..i18n.marker import N_
from ..layout import Layout
from ..model import Column, Field, GridItem, Project
from ..model.schema import FIELD_KINDS, STAGES
from ..render import VARIANTS, environment
from ..xlsform import relevant
from .inert import markdown_text

# Generated paths inside the docs folder; .gitignore lists the same ones.
FORMS_FOLDER = "forms"
GLOSSARY_PAGE = "glossary"
LANGUAGE_PAGE = "reference/form-language"

VARIANT_NAMES = {"print": N_("Print"), "fillable": N_("Fillable")}


def page_file(docs_dir: Path, page: str, lang: str, default: str) -> Path:
    """mkdocs-static-i18n suffix layout: page.md for the default language, page.km.md beside it."""
    return docs_dir / (f"{page}.md" if lang == default else f"{page}.{lang}.md")


def _render(template: str, layout: Layout, other: Layout | None, root_prefix: str, **context) -> str:
    env = environment()
    env.filters.setdefault("md", markdown_text)
    return env.get_template(f"site/{template}").render(
        tx=layout.text, other=other, lang=layout.lang, root=root_prefix, **context)


def _root_prefix(page: str, lang: str, default: str) -> str:
    """Relative path from a built page (directory URLs off, as the offline plugin requires) to the site root."""
    depth = page.count("/") + (0 if lang == default else 1)
    return "../" * depth


def forms_in_order(project: Project) -> list:
    """The order of the forms index and the menu: by step of the process, then by id."""
    return sorted(project.forms.values(), key=lambda f: (list(STAGES).index(f.stage), f.id))


def form_page(form) -> str:
    return f"{FORMS_FOLDER}/{form.id}.md"


def layout_names(layouts: list[str], lang: str) -> dict[str, str]:
    """Names of languages and bilingual layouts in the page's language, from Babel (CLDR): km+en -> Khmer and English."""
    def name(code: str) -> str:
        return Locale.parse(code).get_display_name(lang) or code
    return {code: format_list([name(part) for part in code.split("+")], locale=lang) for code in layouts}


def write_pages(project: Project, docs_dir: Path, manifest: dict) -> list[Path]:
    """All generated pages for every language; returns the files that changed."""
    languages = project.settings.languages
    default = languages[0]
    by_form: dict[str, list[dict]] = {}
    for entry in manifest["files"]:
        by_form.setdefault(entry["form"], []).append(entry)
    changed = []
    for lang in languages:
        layout = Layout.load(project.root, lang)
        names = layout_names(project.layouts, lang)
        other_lang = next((code for code in languages if code != lang), None)
        other = Layout.load(project.root, other_lang) if other_lang else None

        def write(page: str, template: str, **context) -> None:
            text = _render(template, layout, other, _root_prefix(page, lang, default), layout_names=names, **context)
            if project.settings.khmer_digits:
                text = layout.primary.prose_digits(text)
            if write_if_changed(page_file(docs_dir, page, lang, default), text):
                changed.append(page_file(docs_dir, page, lang, default))

        for form in project.forms.values():
            entries = by_form.get(form.id, [])
            downloads = [(code, [e for v in VARIANTS for p in project.settings.papers for e in entries
                                 if e["language"] == code and e["variant"] == v and e["paper"] == p])
                         for code in project.layouts]
            samples = [e for e in entries if e["variant"] == SAMPLE_VARIANT]
            write(f"{FORMS_FOLDER}/{form.id}", "form_page.md.j2", form=form, lists=project.lists,
                  browser_pages=[(code, page_name(form, code)) for code in project.layouts], samples=samples,
                  downloads=downloads, variants=VARIANTS, papers=project.settings.papers,
                  variant_names=VARIANT_NAMES, kind_names=KIND_NAMES, stage_title=STAGES[form.stage],
                  xlsform=next((x for x in manifest.get("xlsforms", []) if x["form"] == form.id), None),
                  issued=layout.primary.date(form.issued))
        paper = project.settings.papers[0]
        rows = [{"form": form, "stage_title": STAGES[form.stage],
                 "pdf": next((e for e in by_form.get(form.id, [])
                              if e["language"] == lang and e["variant"] == "print" and e["paper"] == paper), None)}
                for form in forms_in_order(project)]
        bundles = [b for b in manifest.get("bundles", []) if b["language"] in project.layouts]
        write(f"{FORMS_FOLDER}/index", "forms_index.md.j2", rows=rows, bundles=bundles, paper=paper,
              xlsform_bundle=manifest.get("xlsform_bundle"),
              languages=format_list([names[code] for code in project.settings.languages], locale=lang),
              bilingual=format_list([names[code] for code in project.layouts if "+" in code], locale=lang))
        write(GLOSSARY_PAGE, "glossary.md.j2", terms=sorted(project.glossary, key=lambda t: t.english.lower()))
        write(LANGUAGE_PAGE, "form_language.md.j2", kinds=list(FIELD_KINDS.items()), lists=project.lists,
              data_columns=data_columns(),
              condition_examples=_condition_examples(project, layout), example=_example(project))
    return changed


KIND_NAMES = {
    "text": N_("Short text"), "long_text": N_("Long text"), "date": N_("Date"), "number": N_("Number"),
    "yes_no": N_("Yes / No"), "choice": N_("One choice"), "multi_choice": N_("Several choices"),
    "digits": N_("Code in boxes"), "rating_grid": N_("Rating grid"), "table": N_("Table"),
    "signature": N_("Signature"), "consent": N_("Consent"), "instructions": N_("Instructions"),
}


# What a data file holds for each kind (casekit fill reads it, casekit extract writes it: generator/data/values.py)
COLUMN_VALUES = {
    "text": N_("Any text."), "long_text": N_("Any text."),
    "date": N_("A date as YYYY-MM-DD (DD/MM/YYYY is read too)."),
    "number": N_("Digits, such as 12 or 2.5."), "yes_no": N_("yes or no"),
    "choice": N_("The value of one option. With other: true, the _other column holds what was written."),
    "multi_choice": N_("The values of the ticked options, separated by spaces. With other: true, the _other column "
                       "holds what was written."),
    "digits": N_("Digits only, no more than length."),
    "rating_grid": N_("For each item: the value of one option of the scale, and the comment."),
    "table": N_("One column for each row and column of the table: the row is the item's id, or 1, 2, 3 … for blank rows."),
    "signature": N_("The name written beside the signature, and the date."),
    "consent": N_("yes when the box is ticked."), "instructions": N_("No column."),
}


def data_columns() -> list[tuple[str, list[str], str]]:
    """The columns of each kind, from the model itself (Field.data_fields), with placeholders for the ids."""
    sample = {"items": (GridItem("<item>", ""),), "columns": (Column("<column>", ""),), "other": True, "rows": 1}
    out = []
    for kind in FIELD_KINDS:
        field = Field("<id>", kind, 0, **{k: v for k, v in sample.items()
                                         if k != "other" or kind in ("choice", "multi_choice")})
        names = [d.name for d in field.data_fields()]
        if kind == "table":
            names = [n.replace("<item>", "<row>") for n in names]
        out.append((kind, names, COLUMN_VALUES[kind]))
    return out


def _condition_examples(project: Project, layout: Layout) -> list[tuple[str, str, str]]:
    """Real conditions from the forms, shown three ways."""
    env = environment()
    macro = env.get_template("condition.j2").module.condition_text
    seen, examples = set(), []
    for form in project.forms.values():
        for field in form.fields:
            if field.show_if and field.show_if.op not in seen:
                seen.add(field.show_if.op)
                c = field.show_if
                examples.append((f"show_if: {{field: {c.field}, {c.op}: \"{c.value}\"}}",
                                 str(macro(form, field, layout.text)), relevant(c)))
    return examples


def _example(project: Project) -> Markup:
    """The start of the first form's first sections, verbatim from its file (inside a fenced code block)."""
    form = project.forms.get("intake") or next(iter(project.forms.values()))
    lines = form.path.read_text(encoding="utf-8").splitlines()
    first, second = form.sections[0].line, (form.sections[1].line if len(form.sections) > 1 else len(lines) + 1)
    return Markup("\n".join(lines[first - 1:second - 2]))
