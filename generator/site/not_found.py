"""404.html: one page for every missing address, in every language of the site, that works below any folder."""
from __future__ import annotations

from pathlib import Path

from ..files import write_atomic
from ..i18n.marker import N_
from ..layout import Layout
from ..render import environment


def write_not_found(root: Path, site_dir: Path, languages: list[str]) -> None:
    """Replaces the theme's 404.html, which links /assets/… (a domain root only) in the last language built."""
    sections = []
    for lang in languages:
        tx = Layout.load(root, lang).text
        sections.append({"lang": lang, "folder": "" if lang == languages[0] else f"{lang}/",
                         "title": tx(N_("Page not found")),
                         "text": tx(N_("There is no page at this address. It may have moved, or the address may be mistyped.")),
                         "home": tx(N_("Go to the home page of the handbook"))})
    html = environment().get_template("site/404.html.j2").render(sections=sections)
    write_atomic(site_dir / "404.html", html.encode("utf-8"))
    for lang in languages[1:]:
        (site_dir / lang / "404.html").unlink(missing_ok=True)
