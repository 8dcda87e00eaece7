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


def update(root: Path) -> list[str]:
    """Merge the new template into every catalog; a changed English string becomes fuzzy.

    Every catalog is read (and checked) before anything is written, so a broken one stops the update."""
    catalogs = {lang: _read(catalog_path(root, lang), lang) for lang in languages(root)}
    template = extract(root)
    for lang, catalog in catalogs.items():
        catalog.update(template, update_creation_date=False)
        _write(catalog_path(root, lang), catalog)
    return list(catalogs)


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
    template = template_catalog(root)
    catalog = _read(path, lang)
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
    """(English string, glossary term, expected Khmer term) where a translation avoids the glossary's term."""
    path = catalog_path(root, lang)
    if not path.exists() or not glossary:
        return []
    patterns = [(re.compile(rf"\b{re.escape(t.term)}\b", re.IGNORECASE), t) for t in glossary]
    found = []
    for message in _read(path, lang):
        if not message.id or not message.string or message.fuzzy:
            continue
        for pattern, term in patterns:
            if pattern.search(message.id) and term.km not in message.string:
                found.append((message.id, term.term, term.km))
    return found
