"""Every translated string is looked up here, from the gettext catalogs in translations/."""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.pofile import read_po

from ..errors import InputError, Problem, display_path

log = logging.getLogger("casekit")

DOMAIN = "casekit"
SOURCE_LANGUAGE = "en"
KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")
WESTERN_DIGITS = {khmer: western for western, khmer in KHMER_DIGITS.items()}  # Khmer digits read back


def catalog_path(root: Path, lang: str) -> Path:
    return Path(root) / "translations" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=16)
def _read_catalog(path: Path, mtime: float) -> dict[str, str]:
    """Translated, non-fuzzy entries only: a fuzzy guess is never printed on a form.

    `mtime` is part of the cache key, so an edited catalog is read again (casekit serve)."""
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, abort_invalid=True)
    except Exception as error:  # babel raises several types for a broken catalog
        raise InputError([Problem(display_path(path), f"cannot read this catalog: {error}")]) from None
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy and isinstance(m.id, str)}


def load_translations(root: Path, lang: str) -> dict[str, str]:
    if lang == SOURCE_LANGUAGE:
        return {}
    path = catalog_path(root, lang)
    if not path.exists():
        raise InputError([Problem(display_path(path), f"no catalog for language '{lang}'; "
                                                      f"create it with: casekit i18n init {lang}")])
    return _read_catalog(path, path.stat().st_mtime)


def catalog_digest(root: Path, lang: str) -> str:
    """Part of a render's cache key: a changed catalog re-renders that language."""
    path = catalog_path(root, lang)
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


@dataclass
class Translator:
    """Looks up one language; falls back to English and remembers what was missing."""

    lang: str
    messages: dict[str, str]
    missing: set[str] = field(default_factory=set)

    @classmethod
    def for_language(cls, root: Path, lang: str) -> "Translator":
        return cls(lang, load_translations(root, lang))

    def gettext(self, message: str) -> str:
        if self.lang == SOURCE_LANGUAGE or not message:
            return message
        translated = self.messages.get(message)
        if translated is None:
            self.missing.add(message)
            return message
        return translated

    def date(self, value, khmer_digits: bool = False) -> str:
        text = format_date(value, format="long", locale=self.lang)
        return self.digits(text) if khmer_digits else text

    def digits(self, text: str) -> str:
        """Babel keeps Western digits for km; Khmer digits are an opt-in."""
        return text.translate(KHMER_DIGITS) if self.lang == "km" else text

    @property
    def language_name(self) -> str:
        return Locale.parse(self.lang).get_display_name(self.lang) or self.lang
