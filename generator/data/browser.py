"""The form as a web page to fill in a browser and print: the browser shapes Khmer, PDF viewers do not.

The page is the print template in its 'browser' variant (real inputs, same layout and stylesheet),
with a small inline script to save and open a JSON file and to print. Nothing leaves the device:
no network request (the Content-Security-Policy forbids them), nothing kept in browser storage.
"""
from __future__ import annotations

import base64
import hashlib

from markupsafe import Markup

from ..fontfaces import without_shipped_faces
from ..layout import Layout
from ..model import Form, Project
from ..render import TEMPLATES, environment, form_context

FILL_FOLDER = "fill"


def page_name(form: Form, layout: str) -> str:
    return f"{FILL_FOLDER}/{form.id}-{layout.replace('+', '-')}.html"


def handbook_page(form: Form, lang: str, default: str) -> str:
    """The form's handbook page in the page's language, from forms/fill/ (site/forms/ or site/LANG/forms/)."""
    return f"../{form.id}.html" if lang == default else f"../../{lang}/forms/{form.id}.html"


def browser_form(project: Project, form: Form, layout: Layout, paper: str = "a4", review: dict | None = None) -> str:
    """`review`: what makes the page the review page of a scanned form (generator/scan/review.py), by its names
    in the templates: the values read (`filled`), the crops and marks (`scan_marks`, `scan_groups`), where its
    fonts are (`font_root`) and what the scan found (`review`)."""
    context = form_context(project, form, layout, "browser", paper)
    # The shipped font files are the PDFs'; the page gets the site's web fonts of every language from
    # forms/settings.yaml instead (Layout.font_css), and a device's own fonts for the source language.
    context["stylesheet"] = Markup(without_shipped_faces(str(context["stylesheet"])))
    script = (TEMPLATES / "browser_form.js").read_text(encoding="utf-8")
    context.update(
        script=Markup(script),  # our file, inlined so the page works from file:// and makes no request
        script_hash=base64.b64encode(hashlib.sha256(script.encode()).digest()).decode(),
        handbook_page=handbook_page(form, layout.lang, project.settings.languages[0]),
        fields=[{"name": d.name, "widget": d.widget, "options": [o.value for o in d.options]} for d in form.data_fields],
        **(review or {}),
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
