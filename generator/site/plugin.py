"""The MkDocs side of casekit, kept thin: it calls the generator at the right moments of a build.

pre_build: validate, render (or reuse) the PDFs, write the generated pages into the docs folder.
page_markdown: resolve {{field:form.field}} references to labels in the page's language.
page_content: tables in named scroll regions; Khmer word boundaries marked.
post_build: put PDFs, zips, previews, browser forms and manifest.json under site/forms/ (MkDocs cleans
site/ before); split the search index by language; 404.html for every language and folder.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from ..build import FormsOutput, cache_dir, prepare_forms
from ..data.browser import browser_forms
from ..data.fill import sample_fills
from ..errors import InputError
from ..model import load_project
from .khmer_search import segment_cached
from .not_found import write_not_found
from .pages import write_pages
from .previews import preview_files
from .references import resolve_page
from .search_index import split_search_index
from .tables import scrollable_tables
from .workshop import workshop_pack



class CasekitPlugin(BasePlugin):
    def __init__(self):
        super().__init__()
        self.output: FormsOutput | None = None
        self.project = None
        self.written = False

    def on_config(self, config):  # MkDocs makes a new plugin per build, so state starts empty
        self.root = Path(config.config_file_path).parent
        return config

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
            self.written = True
        i18n = config.plugins["i18n"].config
        others = [l.locale for l in i18n.languages if l.build and not l.default]
        split_search_index(Path(config.site_dir), others)
        default = next(l.locale for l in i18n.languages if l.default)
        write_not_found(self.root, Path(config.site_dir), [default, *others])
