"""The form as a web page to fill in a browser and print: the browser shapes Khmer, PDF viewers do not.

The page is the print template in its 'browser' variant (real inputs, same layout and stylesheet),
with a small inline script to save and open a JSON file and to print. Nothing leaves the device:
no network request (the Content-Security-Policy forbids them), nothing kept in browser storage.
"""
from __future__ import annotations

import base64
import hashlib
import re

from markupsafe import Markup

from ..layout import Layout
from ..model import Form, Project
from ..render import TEMPLATES, environment, form_context

FILL_FOLDER = "fill"
# The site ships web fonts at its root (assets/fonts/); pages live in forms/fill/.
FONT_ROOT = "../../assets/fonts/"
WEB_FONTS = {"NotoSansKhmer-Regular.ttf": "NotoSansKhmer-Regular.woff2",
             "NotoSansKhmer-Bold.ttf": "NotoSansKhmer-Bold.woff2"}
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*?url\(fonts/([^)]+)\)[^}]*\}\n?")


def browser_stylesheet(css: str, font_root: str = FONT_ROOT) -> str:
    """The print stylesheet with its Khmer fonts taken from the site's web fonts.

    Other faces are dropped: the browser then uses an installed font of that family, or the next one.
    """
    def face(match: re.Match) -> str:
        web_font = WEB_FONTS.get(match.group(1))
        if not web_font:
            return ""
        return match.group(0).replace(f"url(fonts/{match.group(1)})", f'url("{font_root}{web_font}") format("woff2")')
    return _FONT_FACE.sub(face, css)


def page_name(form: Form, layout: str) -> str:
    return f"{FILL_FOLDER}/{form.id}-{layout.replace('+', '-')}.html"


def handbook_page(form: Form, lang: str, default: str) -> str:
    """The form's handbook page in the page's language, from forms/fill/ (site/forms/ or site/LANG/forms/)."""
    return f"../{form.id}.html" if lang == default else f"../../{lang}/forms/{form.id}.html"


def browser_form(project: Project, form: Form, layout: Layout, paper: str = "a4", font_root: str = FONT_ROOT) -> str:
    context = form_context(project, form, layout, "browser", paper)
    context["stylesheet"] = Markup(browser_stylesheet(str(context["stylesheet"]), font_root))
    script = (TEMPLATES / "browser_form.js").read_text(encoding="utf-8")
    context.update(
        script=Markup(script),  # our file, inlined so the page works from file:// and makes no request
        script_hash=base64.b64encode(hashlib.sha256(script.encode()).digest()).decode(),
        handbook_page=handbook_page(form, layout.lang, project.settings.languages[0]),
        fields=[{"name": d.name, "widget": d.widget, "options": [o.value for o in d.options]} for d in form.data_fields],
    )
    return environment().get_template("browser_form.html.j2").render(context)


def browser_forms(project: Project) -> dict[str, bytes]:
    """Every form in every layout, as pages for site/forms/ (e.g. fill/intake-km.html)."""
    paper = project.settings.papers[0]
    pages = {}
    for layout_code in project.layouts:
        layout = Layout.load(project.root, layout_code)
        for form in project.forms.values():
            pages[page_name(form, layout_code)] = browser_form(project, form, layout, paper).encode("utf-8")
    return pages
