"""What `casekit check` and `casekit build --strict` say about translations."""
from __future__ import annotations

import logging

from ..model import Project
from .catalogs import glossary_mismatches, status

log = logging.getLogger("casekit")


def incomplete_languages(project: Project) -> list[tuple[str, str]]:
    out = []
    for lang in project.settings.languages[1:]:
        s = status(project.root, lang)
        if not s.complete:
            out.append((lang, f"{len(s.missing) - s.fuzzy} missing and {s.fuzzy} fuzzy translation(s) of {s.total}; "
                              f"see: casekit i18n status --missing"))
    return out


def translation_problems(project: Project, strict: bool) -> int:
    """Reports per language; returns the exit status (1 only under --strict)."""
    incomplete = incomplete_languages(project)
    for lang, message in incomplete:
        print(f"{'error' if strict else 'warning'}: translations/{lang}: {message}")
    for lang in project.settings.languages[1:]:
        for english, term, expected in glossary_mismatches(project.root, project.glossary, lang):
            print(f"warning: translations/{lang}: “{english[:60]}” does not use the glossary term "
                  f"“{expected}” for “{term}”")
    if not incomplete:
        print("Translations complete for: " + ", ".join(project.settings.languages[1:]))
    return 1 if (strict and incomplete) else 0
