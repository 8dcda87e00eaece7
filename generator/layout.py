"""A page language: one language, or a bilingual pair printed together."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from .fontfaces import WEB_FOLDER, pdf_css, web_css
from .i18n import Translator
from .model import Settings
from .model.load import project_settings

FONT_ROOT = f"../../{WEB_FOLDER}/"  # browser form pages live in site/forms/fill/


@dataclass
class Layout:
    """`km+en` prints Khmer with English beneath; any language works without template changes."""

    code: str
    translators: tuple[Translator, ...]
    settings: Settings | None = None

    @classmethod
    def load(cls, root: Path, code: str) -> "Layout":
        return cls(code, tuple(Translator.for_language(root, lang) for lang in code.split("+")),
                   project_settings(root))

    def font_css(self, web: bool = False, font_root: str = FONT_ROOT) -> str:
        """The project's fonts (forms/settings.yaml): file URIs for a PDF, web fonts from `font_root` for a browser
        form (the site's, or those beside a scan's review pages)."""
        if self.settings is None:
            return ""
        return Markup(web_css(self.settings, font_root, page=True) if web else pdf_css(self.settings))

    @property
    def lang(self) -> str:
        return self.translators[0].lang

    @property
    def primary(self) -> Translator:
        return self.translators[0]

    @property
    def missing(self) -> set[str]:
        return set().union(*(t.missing for t in self.translators))

    def text(self, message: str | None, **params: str) -> str:
        """The message in the first language, as plain text (attributes, tooltips)."""
        return _format(self.primary, message, params)

    def html(self, message: str | None, **params: str) -> Markup:
        """Escaped HTML: one span per language, so CSS can stack or set them side by side."""
        if not message:
            return Markup("")
        spans = [Markup('<span class="l{}" lang="{}">{}</span>').format(i + 1, t.lang, _format(t, message, params))
                 for i, t in enumerate(self.translators)]
        if len(spans) > 1 and _format(self.translators[0], message, params) == _format(self.translators[1], message, params):
            spans = spans[:1]  # an untranslatable code or a name: print it once
        return Markup("").join(spans)


def _format(translator: Translator, message: str | None, params: dict[str, str]) -> str:
    if not message:
        return ""
    text = translator.gettext(message)
    if params:
        # a question number or other figure is not a message to translate
        text = text.format(**{k: translator.gettext(v) if any(c.isalpha() for c in v) else v for k, v in params.items()})
    return text
