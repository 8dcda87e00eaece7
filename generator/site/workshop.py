"""The participants' workshop pack: the trainer's kit pages (without answer keys) and the glossary, as one printable PDF per language."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import markdown
from markupsafe import Markup

from ..files import cache_dir
from ..forms_pdf import PdfCache, PdfJob, PdfResult, code_digest
from ..i18n.marker import N_
from ..layout import Layout
from ..model import Project
from ..pdf import html_to_pdf
from ..papers import page_css
from ..render import PACKAGE_DIR, environment, stylesheet
from .references import resolve

PACK_ID = "workshop_pack"
# Facilitator notes stay with the trainer; collapsible answer blocks are dropped below.
PACK_PAGES = ("index", "workshop-plan", "exercises", "role-plays", "knowledge-check", "sheets")
EXTENSIONS = ["admonition", "tables", "attr_list", "md_in_html", "toc", "pymdownx.details", "pymdownx.superfences"]
_DETAILS = re.compile(r"<details[\s\S]*?</details>")
_LINK = re.compile(r"<a [^>]*>([\s\S]*?)</a>")
# A bold line ending in a colon, alone in its paragraph, asks the participant to write: on paper it gets lines.
_PROMPT = re.compile(r"<p><strong>([^<]*[:៖])</strong></p>")
_WRITE_HERE = r'<div class="prompt"><p><strong>\1</strong></p><div class="write"></div><div class="write"></div></div>'


def _page_source(trainers: Path, page: str, lang: str, default: str) -> Path:
    localized = trainers / f"{page}.{lang}.md"
    return localized if lang != default and localized.exists() else trainers / f"{page}.md"


def _chapters(project: Project, lang: str) -> list[str]:
    trainers = project.root / "content" / "trainers"
    chapters = []
    for page in PACK_PAGES:
        source = _page_source(trainers, page, lang, project.settings.languages[0])
        if source.exists():
            text = resolve(source.read_text(encoding="utf-8"), project, lang, source)  # {{field:…}} as labels
            html = markdown.markdown(text, extensions=EXTENSIONS)
            html = _LINK.sub(r"\1", _DETAILS.sub("", html))  # links lead nowhere on paper
            html = _PROMPT.sub(_WRITE_HERE, html)
            chapters.append(html)
    return chapters


def _glossary_chapter(project: Project, lang: str) -> str:
    """The glossary as the pack's last chapter: Khmer and English terms side by side, meaning in `lang`."""
    layout = Layout.load(project.root, lang)
    rows = "".join(
        Markup("<tr><td lang=\"en\">{}</td><td lang=\"km\">{}</td><td>{}</td></tr>").format(
            t.terms["en"], t.terms.get("km", ""), t.definition(lang))
        for t in sorted(project.glossary, key=lambda t: t.english.lower()))
    head = Markup("<h1>{}</h1><table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>").format(
        layout.text(N_("Glossary")), layout.text(N_("English")), layout.text(N_("Khmer")), layout.text(N_("Meaning")))
    return str(head + Markup(rows) + Markup("</tbody></table>"))


def workshop_pack(project: Project) -> list[tuple[str, PdfResult]]:
    """One pack per language, on the first paper of the settings, cached by the hash of its pages and template."""
    code = code_digest()  # the pack uses the form stylesheet and fonts: a change there renders it again
    cache = PdfCache(cache_dir(project.root) / "pdf")
    template = PACKAGE_DIR / "templates" / "pack.html.j2"
    packs = []
    for lang in project.settings.languages:
        chapters = _chapters(project, lang)
        if not chapters:
            continue
        if project.glossary:
            chapters.append(_glossary_chapter(project, lang))
        job = PdfJob(PACK_ID, lang, "print", project.settings.papers[0])
        key = hashlib.sha256("\n".join([*chapters, template.read_text(), repr(job), code]).encode()).hexdigest()
        result = cache.get(key)
        if result is None:
            layout = Layout.load(project.root, lang)
            html = environment().get_template("pack.html.j2").render(
                chapters=chapters, L=layout, tr=layout.html, tx=layout.text,
                agency_name=project.settings.agency_name,
                stylesheet=stylesheet(), page_css=page_css("pack", job.paper))
            pdf, pages = html_to_pdf(html, fillable=False)
            result = PdfResult(job, pdf, pages, ())
            cache.put(key, result)
        packs.append((f"pdf/{job.file_name}", result))
    return packs
