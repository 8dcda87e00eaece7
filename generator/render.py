"""Form model + layout -> HTML, through the one Jinja template set (PDF and browser share it)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from markupsafe import Markup
from jinja2 import Environment, FileSystemLoader, select_autoescape

from .i18n.marker import N_
from .layout import Layout
from .model import Form, Project
from .model.forms import CASE_NUMBERS, YES_NO

PACKAGE_DIR = Path(__file__).parent
TEMPLATES = PACKAGE_DIR / "templates"
PAPERS = {"a4": "A4", "letter": "letter"}
VARIANTS = ("fillable", "print")


@lru_cache(maxsize=1)
def environment() -> Environment:
    # Autoescape: every string from YAML or a catalog is data, never markup.
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                       trim_blocks=True, lstrip_blocks=True)


def page_counter_css(layout: Layout, khmer_digits: bool = True) -> str:
    """'Page X of Y' as a CSS content value, from the translated sentence (CSS has a khmer counter style)."""
    words = layout.text(N_("Page {page} of {pages}")).replace("{page}", "\0page\0").replace("{pages}", "\0pages\0")
    style = ", khmer" if layout.lang == "km" and khmer_digits else ""
    parts = []
    for piece in words.split("\0"):
        if piece in ("page", "pages"):
            parts.append(f"counter({piece}{style})")
        elif piece:
            parts.append(css_string(piece))
    return Markup(" ".join(parts))


def css_string(text: str) -> str:
    """A quoted CSS string that cannot close the string or the <style> element."""
    return '"' + "".join(c if c.isalnum() or c in " .,:;-" else f"\\{ord(c):x} " for c in text) + '"'


def stylesheet(*names: str) -> Markup:
    """Fonts and type, then the print stylesheet of the forms (or the named one): our files, not user data."""
    return Markup("\n".join((TEMPLATES / name).read_text(encoding="utf-8") for name in ("form-type.css", *(names or ["form.css"]))))


def numbers(layout: Layout, khmer_digits: bool):
    """Section numbers and versions in the digits of the layout's first language."""
    return (lambda value: layout.primary.digits(str(value))) if khmer_digits else str


def footer_form_name(form: Form, layout: Layout) -> str:
    """The footer names the form by its id in English (file names use it), by its title in other languages."""
    return f"{layout.text(N_('Form'))} {form.id}" if layout.lang == "en" else layout.primary.gettext(form.title)


def form_context(project: Project, form: Form, layout: Layout, variant: str, paper: str) -> dict:
    logo = project.settings.agency_logo
    return {
        "form": form, "L": layout, "tr": layout.html, "tx": layout.text, "variant": variant, "paper": paper,
        "page_size": PAPERS[paper], "page_counter_css": page_counter_css(layout, project.settings.khmer_digits),
        "agency_name": project.settings.agency_name_in(layout.lang), "logo_uri": logo.resolve().as_uri() if logo else None,
        "government": project.settings.government_facing(form.id, layout.lang),
        "letterhead": project.settings.letterhead, "num": numbers(layout, project.settings.khmer_digits),
        "footer_form_name": footer_form_name(form, layout),
        "case_numbers": CASE_NUMBERS, "yes_no": YES_NO,
        "stylesheet": stylesheet("form.css", "form-government.css"),
        "issued_text": layout.primary.date(form.issued, project.settings.khmer_digits),
        "language_names": " + ".join(t.language_name for t in layout.translators),
    }


def form_html(project: Project, form: Form, layout: Layout, variant: str, paper: str = "a4",
              template: str = "form.html.j2") -> str:
    return environment().get_template(template).render(form_context(project, form, layout, variant, paper))
