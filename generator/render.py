"""Form model + layout -> HTML, through the one Jinja template set (PDF and browser share it)."""
from __future__ import annotations

import base64
import mimetypes
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup
from jinja2 import Environment, FileSystemLoader, select_autoescape

from .i18n.marker import N_
from .layout import FONT_ROOT, Layout
from .model import Form, Project
from .model.forms import CASE_NUMBERS, YES_NO, Field
from .model.schema import WIDTHS
from .papers import page_css

PACKAGE_DIR = Path(__file__).parent
TEMPLATES = PACKAGE_DIR / "templates"
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


class PrintedRow(list):
    """One printed line: its fields, each with the width it prints at."""

    @property
    def sign_off(self) -> bool:
        """A line with a signature. The last such line of a section stays on the page of the line before it
        (form.css), so no sheet holds one signature alone and a form never ends on one."""
        return any(field.kind == "signature" for field, _ in self)


LONG_CHOICE = 6  # options from which a bilingual choice prints in two columns


def long_choice(options) -> bool:
    """A long list of options: in a bilingual layout each option takes a line of its own, so two columns
    halve the list's height (a kind-of-need list of 12 would otherwise fill a third of a page)."""
    return len(options) >= LONG_CHOICE


def approval_block(rows: list[PrintedRow]) -> bool:
    """A short section that ends in signatures (a decision, a comment, a signature) is one unit on paper:
    kept on one sheet, so the person who signs sees what they sign."""
    return len(rows) <= 3 and rows[-1].sign_off


def printed_rows(fields: tuple[Field, ...]) -> list[PrintedRow]:
    """Fields grouped into the lines they print on, each with the width it prints at. Each line is a block
    of its own, so a page breaks between lines (never inside a row of short fields) and a heading can keep
    its first line with it. A text field alone on its line takes the whole line: its label wraps less and
    its writing line is longer, where half the line would stay empty. So does a yes/no question alone on
    its line: its label and boxes then fit on one line (a Khmer question wraps at half width)."""
    rows: list[list[Field]] = []
    used = 1.0
    for field in fields:
        share = WIDTHS[field.width]
        if used + share > 1.0 + 1e-6:
            rows.append([])
            used = 0.0
        rows[-1].append(field)
        used += share
    return [PrintedRow((f, "full" if len(row) == 1 and f.kind in ("text", "yes_no") else f.width) for f in row)
            for row in rows]


def css_string(text: str) -> str:
    """A quoted CSS string that cannot close the string or the <style> element."""
    return '"' + "".join(c if c.isalnum() or c in " .,:;-" else f"\\{ord(c):x} " for c in text) + '"'


PAGE_STYLESHEETS = ("form.css", "form-government.css")  # the printed page, in PDFs and the browser form alike
FORM_STYLESHEETS = (*PAGE_STYLESHEETS, "form-fields.css")  # then the PDF fields laid over it


def stylesheet(*names: str) -> Markup:
    """Fonts and type, then the stylesheets of the forms (or the named ones): our files, not user data."""
    return Markup("\n".join((TEMPLATES / name).read_text(encoding="utf-8")
                             for name in ("form-type.css", *(names or FORM_STYLESHEETS))))


def data_uri(path: Path) -> str:
    """A file's content as a URI: pages depend on what the file holds, not where the build machine keeps it
    (and a browser page makes no request for it)."""
    kind = mimetypes.guess_type(path.name)[0] or "image/png"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"


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
        "page_css": Markup(page_css("form", paper)), "page_counter_css": page_counter_css(layout, project.settings.khmer_digits),
        "agency_name": project.settings.agency_name_in(layout.lang), "logo_uri": data_uri(logo) if logo else None,
        "government": project.settings.government_facing(form.id, layout.lang),
        "letterhead": project.settings.letterhead, "font_root": FONT_ROOT, "num": numbers(layout, project.settings.khmer_digits),
        "footer_form_name": footer_form_name(form, layout),
        "case_numbers": CASE_NUMBERS, "yes_no": YES_NO, "printed_rows": printed_rows, "approval_block": approval_block, "long_choice": long_choice,
        "stylesheet": stylesheet(*PAGE_STYLESHEETS),
        "issued_text": layout.primary.date(form.issued, project.settings.khmer_digits),
        "language_names": " + ".join(t.language_name for t in layout.translators),
    }


def form_html(project: Project, form: Form, layout: Layout, variant: str, paper: str = "a4",
              template: str = "form.html.j2", css_apart: bool = False) -> str:
    """`css_apart`: without the stylesheet, which the PDF renderer is given apart and parses once per process."""
    context = form_context(project, form, layout, variant, paper)
    if css_apart:
        context["stylesheet"] = ""
    return environment().get_template(template).render(context)
