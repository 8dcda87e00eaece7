"""Each language's font, declared once in forms/settings.yaml (`fonts:`), as CSS for the PDFs, the browser form and the site.

The fonts casekit ships are the @font-face rules of templates/form-type.css (files in generator/fonts/);
a language whose family is not one of them names its own font files. The web gets WOFF2 copies of the
fonts of every language but the source language: every device has Latin fonts, not every one Khmer or Lao.
"""
from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).parent
SHIPPED_CSS = PACKAGE_DIR / "templates" / "form-type.css"
WEB_FOLDER = "assets/fonts"  # in the site; the browser form pages are two folders below the root
_FACE = re.compile(r'@font-face\s*\{[^}]*?font-family:\s*"([^"]+)";\s*src:\s*url\(fonts/([^)]+)\);'
                   r'(?:\s*font-weight:\s*(\w+);)?\s*\}\n?')


@dataclass(frozen=True)
class Face:
    family: str
    path: Path
    weight: str  # normal | bold

    @property
    def web_name(self) -> str:
        """Its WOFF2 file in the site: the font file's name (safe in a URL), so languages sharing a file share it."""
        return re.sub(r"[^A-Za-z0-9_.-]+", "-", self.path.stem).strip("-") + ".woff2"


@lru_cache(maxsize=1)
def shipped_faces() -> tuple[Face, ...]:
    return tuple(Face(family, PACKAGE_DIR / "fonts" / name, weight or "normal")
                 for family, name, weight in _FACE.findall(SHIPPED_CSS.read_text(encoding="utf-8")))


def shipped_families() -> list[str]:
    return sorted({face.family for face in shipped_faces()})


def without_shipped_faces(css: str) -> str:
    """A stylesheet without the shipped @font-face rules (the browser form gets web fonts instead)."""
    return _FACE.sub("", css)


def faces(settings, languages=None) -> list[Face]:
    """The faces of the given languages (default: all configured), each once, in language order."""
    found: list[Face] = []
    for lang in languages or settings.languages:
        font = settings.fonts[lang]
        if font.regular:
            own = [Face(font.family, font.regular, "normal")] + ([Face(font.family, font.bold, "bold")] if font.bold else [])
        else:
            own = [f for f in shipped_faces() if f.family == font.family]
        found += [f for f in own if f not in found]
    return found


def _family_list(settings, first: str | None = None) -> str:
    families = [settings.fonts[first].family] if first else []
    families += [settings.fonts[lang].family for lang in settings.languages if settings.fonts[lang].family not in families]
    return ", ".join(f'"{family}"' for family in families) + ", sans-serif"


def _face_rule(face: Face, url: str, web: str = "") -> str:
    """`web`: the face's unicode-range, for a web font (a browser then fetches it only for text that needs it)."""
    source = f'url("{url}") format("woff2")' if web else f'url("{url}")'
    extra = f" font-display: swap; unicode-range: {web};" if web else ""
    return f'@font-face {{ font-family: "{face.family}"; src: {source}; font-weight: {face.weight};{extra} }}'


@lru_cache(maxsize=None)
def _characters(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont
    return frozenset(TTFont(path, lazy=True).getBestCmap())


def unicode_range(face: Face, settings) -> str:
    """The characters a web font adds to the source language's font: its script, not the spaces, digits and
    punctuation every page has (else a page in the source language would fetch every web font)."""
    source = set().union(*(_characters(f.path) for f in faces(settings, settings.languages[:1])))
    codes = sorted(_characters(face.path) - source)
    if not codes:
        raise ValueError(f"font {face.path} has no character that the {settings.languages[0]} font lacks")
    runs = [[codes[0], codes[0]]]
    for code in codes[1:]:
        if code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return ", ".join(f"U+{first:04X}" + (f"-{last:04X}" if last != first else "") for first, last in runs)


def pdf_css(settings) -> str:
    """The agency's own font files (shipped ones are in form-type.css), every language's family, and its line
    height for the page and for any text marked with the language (Khmer words on an English page)."""
    rules = [_face_rule(face, face.path.resolve().as_uri())
             for face in faces(settings) if face not in shipped_faces()]
    rules.append(f"html {{ font-family: {_family_list(settings)}; }}")
    rules += [f'html[lang="{lang}"], [lang="{lang}"] {{ line-height: {font.line_height}; }}'
              for lang, font in settings.fonts.items() if font.line_height and lang in settings.languages]
    return "\n".join(rules)


def web_languages(settings) -> list[str]:
    return list(settings.languages[1:])


def web_css(settings, font_root: str, page: bool = False) -> str:
    """@font-face rules for the web fonts, and each language's family for text marked with its lang.

    `page`: a browser form page (html lang is the form's language); else the handbook site's CSS."""
    rules = [_face_rule(face, font_root + face.web_name, unicode_range(face, settings))
             for face in faces(settings, web_languages(settings))]
    if not page:  # the theme's font for all text, inputs and menus included; each web font draws only its script
        families = [settings.fonts[lang].family for lang in web_languages(settings)]
        families = [f'"{family}"' for i, family in enumerate(families) if family not in families[:i]]
        source = settings.fonts[settings.languages[0]].family
        rules.append(f':root {{ --md-text-font: {", ".join(families)}, system-ui, -apple-system, "Segoe UI", Roboto, "{source}", Arial; }}')
    for lang in web_languages(settings):
        font = settings.fonts[lang]
        height = f" line-height: {font.line_height + (0 if page else 0.2):g};" if font.line_height else ""
        if page:
            rules.append(f'html[lang="{lang}"] {{ font-family: {_family_list(settings, lang)};{height} }}')
        else:
            selectors = (f'[lang="{lang}"] body', f'[lang="{lang}"] .md-typeset', f'.md-typeset [lang="{lang}"]',
                         f'.other-lang[lang="{lang}"]')
            rules.append(f'{", ".join(selectors)} {{ font-family: "{font.family}", system-ui, sans-serif;{height} }}')
    return "\n".join(rules) + "\n"


def woff2(path: Path, cache: Path) -> bytes:
    """A WOFF2 copy of a font file (fontTools with Brotli), cached by the file's content."""
    data = path.read_bytes()
    cached = cache / (hashlib.sha256(data).hexdigest() + ".woff2")
    if cached.exists():
        return cached.read_bytes()
    from fontTools.ttLib import TTFont
    font = TTFont(io.BytesIO(data))
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out)
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(out.getvalue())
    return out.getvalue()


def web_files(settings, cache: Path) -> dict[str, bytes]:
    """Path under the site root -> content: the WOFF2 fonts, and the site's stylesheet for them."""
    files = {f"{WEB_FOLDER}/{face.web_name}": woff2(face.path, cache)
             for face in faces(settings, web_languages(settings))}
    files[SITE_CSS] = web_css(settings, "fonts/").encode()
    return files


SITE_CSS = "assets/casekit-fonts.css"
# The font of each language whose font casekit ships, for settings that do not declare one (as settings.yaml
# would: family, line height); any other language must declare its font under `fonts:`.
SHIPPED_LANGUAGE_FONTS = {"en": {"family": "Noto Sans"}, "km": {"family": "Noto Sans Khmer", "line_height": 1.5}}
