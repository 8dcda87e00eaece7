"""init / update / status of the gettext catalogs, with Babel doing the gettext work."""
from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from ..errors import InputError, Problem, display_path
from ..files import write_atomic
from . import catalog_path, read_catalog
from .extract import catalog_bytes, template_catalog

TEMPLATE = Path("translations") / "casekit.pot"


def _read(path: Path, locale: str | None = None) -> Catalog:
    return read_catalog(path, locale)


def _write(path: Path, catalog: Catalog) -> None:
    out = BytesIO()
    write_po(out, catalog, width=100, include_previous=True)
    write_atomic(path, out.getvalue())


def extract(root: Path) -> Catalog:
    catalog = template_catalog(root)
    write_atomic(root / TEMPLATE, catalog_bytes(catalog))
    return catalog


def languages(root: Path) -> list[str]:
    return sorted(p.parent.parent.name for p in (root / "translations").glob("*/LC_MESSAGES/casekit.po"))


def init(root: Path, lang: str) -> Path:
    try:
        locale = Locale.parse(lang)
    except (ValueError, UnknownLocaleError):
        raise InputError([Problem(lang, "not a language code Babel knows; use a code such as lo, th or sw")]) from None
    path = catalog_path(root, lang)
    if path.exists():
        raise InputError([Problem(str(path), "this catalog exists already; use: casekit i18n update")])
    template = extract(root)
    catalog = Catalog(locale=locale, project="casekit", fuzzy=False, creation_date=template.creation_date)
    catalog.update(template)
    _write(path, catalog)
    return path


def update(root: Path, guess: bool = False) -> list[tuple[str, int, int]]:
    """Merge the new template into every catalog: (language, strings to translate, fuzzy guesses).

    Every catalog is read (and checked) before anything is written, so a broken one stops the update.
    A new or changed English string arrives empty; a translation whose English is gone is kept at the end
    of the file as obsolete (#~). With `guess`, Babel fills each new string with the translation of the
    most similar old one, marked fuzzy: never printed until a translator checks it and removes the mark."""
    catalogs = {lang: _read(catalog_path(root, lang), lang) for lang in languages(root)}
    template = extract(root)
    updated = []
    for lang, catalog in catalogs.items():
        catalog.update(template, no_fuzzy_matching=not guess, update_creation_date=False)
        _write(catalog_path(root, lang), catalog)
        entries = [m for m in catalog if m.id]
        updated.append((lang, sum(1 for m in entries if not m.string or m.fuzzy), sum(1 for m in entries if m.fuzzy)))
    return updated


@dataclass
class Status:
    lang: str
    total: int
    translated: int
    fuzzy: int
    missing: list  # Message objects without a usable translation

    def percent(self, count: int) -> float:
        return 100.0 * count / self.total if self.total else 100.0

    @property
    def complete(self) -> bool:
        return self.translated == self.total


def status(root: Path, lang: str) -> Status:
    """Counts against the current template, so a string added to a form counts as missing at once."""
    path = catalog_path(root, lang)
    if not path.exists():
        raise InputError([Problem(display_path(path), f"no catalog for language '{lang}'; the languages with a "
                                                      f"catalog are: {', '.join(languages(root)) or 'none'}; "
                                                      f"start one with: casekit i18n init {lang}")])
    catalog = _read(path, lang)  # first: a broken catalog stops the run before the template is cached
    template = template_catalog(root)
    translated = fuzzy = 0
    missing = []
    for message in template:
        if not message.id:
            continue
        entry = catalog.get(message.id, message.context)
        if entry is not None and entry.string and not entry.fuzzy:
            translated += 1
        else:
            if entry is not None and entry.string and entry.fuzzy:
                fuzzy += 1
            missing.append(message)
    total = sum(1 for m in template if m.id)
    return Status(lang, total, translated, fuzzy, missing)


def glossary_mismatches(root: Path, glossary, lang: str = "km") -> list[tuple[str, str, str]]:
    """(English string, glossary term, expected term) where a translation avoids the glossary's term.

    Longer terms are matched first, so "risk level" in a string is not also checked as "risk"."""
    path = catalog_path(root, lang)
    terms = [t for t in glossary if t.terms.get(lang)]
    if not path.exists() or not terms:
        return []
    found = []
    for message in _read(path, lang):
        if not message.id or not message.string or message.fuzzy:
            continue
        for term in uses(message.id, glossary, lang):
            if not any(form in message.string for form in term.forms(lang)):
                found.append((message.id, term.english, term.terms[lang]))
    return found


def uses(english: str, glossary, lang: str) -> list:
    """The glossary terms an English text uses, longest first, each span of the text counted once."""
    taken: list[range] = []
    found = []
    lowered = english.lower()
    for term in sorted((t for t in glossary if lang in t.terms), key=lambda t: -len(t.english)):
        if term.english.lower() not in lowered:  # most terms are absent: skip the regular expression
            continue
        for match in re.finditer(rf"\b{re.escape(term.english)}\b", english, re.IGNORECASE):
            span = range(match.start(), match.end())
            if not any(span.start < other.stop and other.start < span.stop for other in taken):
                taken.append(span)
                if term not in found:
                    found.append(term)
    return found
