"""Every translated string is looked up here, from the gettext catalogs in translations/."""
from __future__ import annotations

import hashlib
import io
import logging
import re
import string
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po

from ..errors import InputError, Problem, display_path
from ..model.source import decode_text, read_bytes
from .digits import KHMER_DIGITS, to_khmer

log = logging.getLogger("casekit")

DOMAIN = "casekit"
SOURCE_LANGUAGE = "en"
WESTERN_DIGITS = {khmer: western for western, khmer in KHMER_DIGITS.items()}  # Khmer digits read back


def catalog_path(root: Path, lang: str) -> Path:
    return Path(root) / "translations" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


_CHARSET = re.compile(r'^"Content-Type:.*charset=([^\\"\s;]+)', re.MULTILINE | re.IGNORECASE)
# A line of a catalog: a comment, a keyword with a quoted string, or a quoted string continuing the one above.
_PO_LINE = re.compile(r'^(?:#.*|(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[[0-9]+\])?) +)?"(?:[^"\\]|\\.)*")?$')
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_MARKUP = re.compile(r"<[^<>]*>|&[#\w]+;")


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    """A gettext catalog, read strictly: UTF-8, no syntax error, every translation true to its msgid.

    A translation must keep the placeholders of its English ({name}, {page} …) and may not add
    markup the English does not have; each problem names the line of the entry."""
    file = display_path(path)
    data = read_bytes(path, file)
    text = decode_text(data, file)
    declared = _CHARSET.search(text)
    if declared and declared.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        line = text.count("\n", 0, declared.start()) + 1
        raise InputError([Problem(file, f"the catalog declares charset {declared.group(1)}; casekit catalogs are "
                                        "UTF-8: save this file as UTF-8 and write charset=UTF-8 here", line)])
    for number, line in enumerate(text.splitlines(), 1):
        if not _PO_LINE.match(line.strip()):
            raise InputError([Problem(file, "gettext syntax error: each line must be a comment (#…), a keyword with "
                                            'a quoted string (msgstr "…"), or a quoted string continuing the one '
                                            "above; check the quotes of this line", number)])
    try:
        catalog = read_po(io.BytesIO(text.encode("utf-8")), locale=locale, abort_invalid=True, charset="utf-8")
    except PoFileError as error:
        raise InputError([Problem(file, f"gettext syntax error: {error.message}; compare this entry with the ones "
                                        "around it (msgid, msgstr, quotes)", error.lineno + 1)]) from None
    except Exception as error:  # noqa: BLE001 — babel raises several kinds of error for a broken header
        raise InputError([Problem(file, f"cannot read this catalog ({error}); check its header entry "
                                        "(the first msgid \"\")")]) from None
    problems = [Problem(file, problem, message.lineno) for message in catalog if message.id
                for problem in translation_problems(message.id, message.string)]
    if problems:
        raise InputError(problems)
    return catalog


def translation_problems(english, translated) -> list[str]:
    """What is wrong with one translation: placeholders changed, braces unbalanced, markup added."""
    pairs = zip(english, translated) if isinstance(english, tuple) else [(english, translated)]
    found = []
    for source, target in pairs:
        if not isinstance(target, str) or not target:
            continue
        wanted = sorted(_PLACEHOLDER.findall(source))
        if sorted(_PLACEHOLDER.findall(target)) != wanted:
            found.append(f"the translation must keep the placeholders of the English ({', '.join(wanted) or 'none'}) "
                         "exactly as written; translate the words around them")
        elif wanted:
            try:
                list(string.Formatter().parse(target))
            except ValueError:
                found.append("a brace { or } in the translation is not part of a placeholder; remove it")
        added = set(_MARKUP.findall(target)) - set(_MARKUP.findall(source))
        if added:
            found.append(f"the translation adds markup the English does not have ({sorted(added)[0]}); "
                         "remove it: translations are plain text")
    return found


@lru_cache(maxsize=16)
def _read_catalog(path: Path, mtime: float) -> dict[str, str]:
    """Translated, non-fuzzy entries only: a fuzzy guess is never printed on a form.

    `mtime` is part of the cache key, so an edited catalog is read again (casekit serve)."""
    catalog = read_catalog(path)
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

    def prose_digits(self, text: str) -> str:
        """A whole generated page with Khmer digits in its prose; code, links and tags keep theirs."""
        return to_khmer(text) if self.lang == "km" else text

    @property
    def language_name(self) -> str:
        return Locale.parse(self.lang).get_display_name(self.lang) or self.lang
