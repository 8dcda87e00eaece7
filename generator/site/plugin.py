"""The MkDocs side of casekit, kept thin: it calls the generator at the right moments of a build.

config: check the site's languages against the settings, list every form in the menu, link the fonts' CSS.
env: a language the theme has no words for gets English ones (the theme fails on a missing language file).
pre_build: validate, render (or reuse) the PDFs, write the generated pages into the docs folder.
page_markdown: resolve {{field:form.field}} references to labels in the page's language.
page_content: tables in named scroll regions; Khmer word boundaries marked.
post_build: put PDFs, zips, previews, browser forms and manifest.json under site/forms/ (MkDocs cleans
site/ before), and the web fonts under site/assets/; split the search index by language; 404.html for every
language and folder.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import ChoiceLoader, FunctionLoader
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from ..build import FormsOutput, prepare_forms
from ..data.browser import browser_forms
from ..data.fill import sample_fills
from ..errors import InputError
from ..files import cache_dir, write_atomic
from ..fontfaces import SITE_CSS, web_files
from ..model import Project, load_project, site_language_problems
from .khmer_search import segment_cached
from .not_found import write_not_found
from .pages import forms_in_order, form_page, write_pages
from .previews import preview_files
from .references import resolve_page
from .search_index import split_search_index
from .tables import scrollable_tables
from .workshop import workshop_pack



class CasekitPlugin(BasePlugin):
    def __init__(self):
        super().__init__()
        self.project: Project | None = None
        self.output: FormsOutput | None = None
        self.written = False

    @event_priority(100)  # before mkdocs-static-i18n reads the nav and the languages
    def on_config(self, config):  # MkDocs makes a new plugin per build, so state starts empty
        self.root = Path(config.config_file_path).parent
        try:
            self.project = load_project(self.root)
            problems = site_language_problems(self.root, self.project.settings.languages)
            if problems:
                raise InputError(problems)
        except InputError as error:
            raise PluginError(str(error)) from None
        config.nav = with_every_form(config.nav, [form_page(form) for form in forms_in_order(self.project)])
        if SITE_CSS not in config.extra_css:
            config.extra_css.append(SITE_CSS)
        return config

    def on_env(self, env, config, files):
        env.loader = ChoiceLoader([env.loader, FunctionLoader(_english_theme_words(env))])
        return env

    @event_priority(100)  # before mkdocs-static-i18n reads the docs folder
    def on_pre_build(self, config):
        if self.output is not None:  # mkdocs-static-i18n rebuilds once per language
            return
        try:
            project = self.project = load_project(self.root)
            self.output = prepare_forms(project, extra=workshop_pack(project) + sample_fills(project))
            self.output.files.update(preview_files(project, self.output.results, cache_dir(self.root)))
            self.output.files.update(browser_forms(project))
            write_pages(project, Path(config.docs_dir), self.output.manifest)
        except InputError as error:
            raise PluginError(str(error)) from None

    def on_page_markdown(self, markdown, page, config, files):
        try:
            return resolve_page(markdown, self.project, page.file.src_path, page.file.abs_src_path)
        except InputError as error:
            raise PluginError(str(error)) from None

    def on_page_content(self, html, page, config, files):
        return segment_cached(scrollable_tables(html, page.title or ""), cache_dir(self.root) / "segmented")

    @event_priority(-200)  # after mkdocs-static-i18n merged the languages and the offline plugin wrote .js
    def on_post_build(self, config):
        if self.output is not None and not self.written:
            self.output.write(Path(config.site_dir) / "forms")
            for relative, data in web_files(self.project.settings, cache_dir(self.root) / "webfonts").items():
                path = Path(config.site_dir) / relative
                if not path.exists() or path.read_bytes() != data:
                    write_atomic(path, data)
            self.written = True
        i18n = config.plugins["i18n"].config
        others = [l.locale for l in i18n.languages if l.build and not l.default]
        split_search_index(Path(config.site_dir), others)
        default = next(l.locale for l in i18n.languages if l.default)
        write_not_found(self.root, Path(config.site_dir), [default, *others])


def with_every_form(nav: list | None, pages: list[str]) -> list | None:
    """The menu section that holds forms/index.md lists every form after it, in the forms index's order;
    form pages written there by hand are replaced, so a new form YAML needs no edit of mkdocs.yml."""
    if not nav:
        return nav

    def walk(items: list) -> list:
        out = []
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) and len(item) == 1 else item
            if isinstance(value, list):
                if "forms/index.md" in value:
                    kept = [v for v in value if v not in pages and not (isinstance(v, str) and v.startswith("forms/")
                                                                         and v != "forms/index.md")]
                    index = kept.index("forms/index.md")
                    value = kept[:index + 1] + pages + kept[index + 1:]
                else:
                    value = walk(value)
                item = {next(iter(item)): value} if isinstance(item, dict) else value
            out.append(item)
        return out

    return walk(nav)


def _english_theme_words(env):
    """mkdocs-material has no words for some languages (Khmer has ours in overrides/, Lao none): English then."""
    theme_loader = env.loader

    def load(name: str):
        if name.startswith("partials/languages/") and name != "partials/languages/en.html":
            return theme_loader.get_source(env, "partials/languages/en.html")[0]
        return None
    return load
