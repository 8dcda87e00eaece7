"""Handbook references to forms and fields, resolved at build time so that a page cannot name a field
the forms do not have.

In a page, `{{field:intake.consent_services}}` prints that field's label, `{{field:assessment.client_scores.livelihood}}`
an area (item or option) of a field, and `{{form:intake}}` a form's title, each in the page's language.
An unknown form, field or item stops the build with the page and line."""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError, Problem, display_path
from ..layout import Layout
from ..model import Project
from .inert import markdown_text

REFERENCE = re.compile(r"\{\{\s*(field|form):\s*([A-Za-z0-9_.]+)\s*\}\}")


def page_language(src_path: str, languages: tuple[str, ...]) -> str:
    """mkdocs-static-i18n suffix layout: consent.km.md is Khmer, consent.md the default language."""
    parts = Path(src_path).name.split(".")
    return parts[-2] if len(parts) > 2 and parts[-2] in languages else languages[0]


def label_of(project: Project, kind: str, ref: str) -> str | None:
    """The English text a reference stands for, or None when the forms have no such thing."""
    form_id, _, rest = ref.partition(".")
    form = project.forms.get(form_id)
    if form is None or (kind == "form") != (rest == ""):
        return None
    if kind == "form":
        return form.title
    field_id, _, part = rest.partition(".")
    field = next((f for f in form.fields if f.id == field_id), None)
    if field is None:
        return None
    if not part:
        return field.label or field.text
    named = {i.id: i.label for i in field.items} | {o.value: o.label for o in field.choices}
    return named.get(part)


def resolve(text: str, project: Project, lang: str, source: Path) -> str:
    """The page with every reference replaced by its label in `lang`; every unknown one reported."""
    layout = Layout.load(project.root, lang)
    problems = []

    def replace(match: re.Match) -> str:
        english = label_of(project, match.group(1), match.group(2))
        if english is None:
            line = text.count("\n", 0, match.start()) + 1
            problems.append(Problem(display_path(source), f"'{match.group(0)}' names no {match.group(1)} of the "
                                    f"forms; use form.field (ids as in forms/*.yaml), e.g. {{{{field:intake.client_name}}}}",
                                    line))
            return match.group(0)
        return str(markdown_text(layout.text(english)))

    resolved = REFERENCE.sub(replace, text)
    if problems:
        raise InputError(problems)
    return resolved


def resolve_page(markdown: str, project: Project, src_path: str, abs_src_path: str) -> str:
    """MkDocs hands over the page without its front matter: lines are counted in the file itself."""
    if not REFERENCE.search(markdown):
        return markdown
    source = Path(abs_src_path)
    lang = page_language(src_path, project.settings.languages)
    resolve(source.read_text(encoding="utf-8"), project, lang, source)  # reports problems at file lines
    return resolve(markdown, project, lang, source)


def check_pages(project: Project) -> None:
    """Every reference in every handbook page resolves (what `casekit check` runs before a build)."""
    problems = []
    for path in sorted((project.root / "content").rglob("*.md")):
        try:
            resolve(path.read_text(encoding="utf-8"), project, page_language(path.name, project.settings.languages), path)
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
