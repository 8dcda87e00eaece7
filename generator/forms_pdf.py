"""The PDF matrix: every form × layout × paper laid out once, both variants written from that layout,
in parallel, and cached by a hash of everything that shapes them."""
from __future__ import annotations

import ast
import hashlib
import json
import logging
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, replace
from importlib import metadata
from pathlib import Path

from .files import write_atomic
from .i18n import catalog_digest
from .layout import Layout
from .model import Form, Project
from .pdf import prepare, print_and_fillable, with_word_breaks
from .render import PACKAGE_DIR, VARIANTS, form_html, stylesheet

log = logging.getLogger("casekit")

CACHE_VERSION = "3"
DOCUMENT_VERSION = "1.0"  # of documents that are not forms, such as the workshop pack
# The modules that make PDFs (forms, filled samples, the workshop pack); what they import is found by reading them.
PDF_MODULES = ("generator.forms_pdf", "generator.data.fill", "generator.site.workshop")
LIBRARIES = ("weasyprint", "pydyf", "pypdf", "khmer-nltk")  # their output is part of ours (khmer-nltk: where Khmer lines break)


@dataclass(frozen=True)
class PdfJob:
    form_id: str
    layout: str  # en, km, km+en …
    variant: str
    paper: str

    @property
    def file_name(self) -> str:
        return f"{self.form_id}-{self.layout.replace('+', '-')}-{self.variant}-{self.paper}.pdf"

    @property
    def sheet(self) -> tuple[str, str, str]:
        """What is laid out once for every variant."""
        return self.form_id, self.layout, self.paper


@dataclass(frozen=True)
class PdfResult:
    job: PdfJob
    pdf: bytes
    pages: int
    missing: tuple[str, ...]  # strings that fell back to English
    slots: tuple = ()  # the layout map of a form's sheet: generator/slots.py slot_table


def render_sheet(project: Project, form_id: str, layout_code: str, paper: str) -> list[PdfResult]:
    """Every variant of a form × layout × paper from one layout: the fillable PDF is the print page
    with a field over each box and line, so print, fillable and filled copies are the same page."""
    layout = Layout.load(project.root, layout_code)
    html = form_html(project, project.forms[form_id], layout, "fillable", paper, css_apart=True)
    print_pdf, fillable_pdf, pages, slots = print_and_fillable(html, str(stylesheet()))
    pdfs = {"print": print_pdf, "fillable": fillable_pdf}
    return [PdfResult(PdfJob(form_id, layout_code, variant, paper), pdfs[variant], pages, tuple(sorted(layout.missing)),
                      slots) for variant in VARIANTS]


def render_job(project: Project, job: PdfJob) -> PdfResult:
    return next(r for r in render_sheet(project, *job.sheet) if r.job == job)


def all_jobs(project: Project, forms: list[Form] | None = None) -> list[PdfJob]:
    forms = forms if forms is not None else list(project.forms.values())
    return [PdfJob(form.id, layout, variant, paper)
            for form in forms for layout in project.layouts
            for variant in VARIANTS for paper in project.settings.papers]


def _module_file(name: str) -> Path | None:
    relative = PACKAGE_DIR.joinpath(*name.split(".")[1:])
    for path in (relative / "__init__.py", relative.parent / f"{relative.name}.py"):
        if path.is_file():
            return path
    return None


def _imported(name: str, path: Path) -> set[str]:
    """The package modules a module imports, anywhere in it (imports inside functions count too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # `from . import module`
    return {n for n in found if n.split(".")[0] == "generator" and _module_file(n)}


def code_files() -> list[Path]:
    """Every file of ours that shapes a PDF: the modules the PDF makers import, followed to the end,
    and every template, stylesheet and font (the site's own templates are not read for PDFs)."""
    modules, todo = set(), ["generator", *PDF_MODULES]
    while todo:
        name = todo.pop()
        if name not in modules:
            modules.add(name)
            todo += _imported(name, _module_file(name))
            todo.append(name.rpartition(".")[0] or name)  # a module's package runs its __init__ first
    files = {_module_file(name) for name in modules}
    files |= {p for folder in ("templates", "fonts") for p in (PACKAGE_DIR / folder).iterdir() if p.is_file()}
    return sorted(files)


def code_digest() -> str:
    """The code, templates, fonts and libraries that make the PDFs: a change to any re-renders them all."""
    digest = hashlib.sha256(CACHE_VERSION.encode())
    for library in LIBRARIES:
        digest.update(f"{library} {metadata.version(library)}\n".encode())
    for path in code_files():
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def content_digest(project: Project, form: Form | None, layout: str) -> str:
    """What the project gives a PDF, by content only: where the project lies, or how its root is spelled, does not count."""
    settings = project.settings
    parts = [repr(replace(settings, agency_logo=None))]
    if form is not None:
        parts.append(repr(replace(form, path=None, messages=())))  # translators' line numbers do not reach the page
    if settings.agency_logo:
        parts.append(hashlib.sha256(settings.agency_logo.read_bytes()).hexdigest())
    parts += [catalog_digest(project.root, lang) for lang in layout.split("+")]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def cache_key(project: Project, job: PdfJob, code_digest: str) -> str:
    parts = [code_digest, content_digest(project, project.forms.get(job.form_id), job.layout), repr(job)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class PdfCache:
    """A folder of finished PDFs named by the hash of everything that shaped them."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.hits = self.misses = 0

    def get(self, key: str) -> PdfResult | None:
        pdf, meta = self.folder / f"{key}.pdf", self.folder / f"{key}.json"
        if not (pdf.exists() and meta.exists()):
            self.misses += 1
            return None
        self.hits += 1
        info = json.loads(meta.read_text())
        return PdfResult(PdfJob(**info["job"]), pdf.read_bytes(), info["pages"], tuple(info["missing"]),
                         tuple(map(tuple, info.get("slots", ()))))

    def put(self, key: str, result: PdfResult) -> None:
        write_atomic(self.folder / f"{key}.pdf", result.pdf)
        write_atomic(self.folder / f"{key}.json", json.dumps(
            {"job": asdict(result.job), "pages": result.pages, "missing": list(result.missing),
             "slots": result.slots}).encode())


_worker_project: Project | None = None


def _start_worker(project: Project) -> None:
    """The project reaches each worker once, not with every sheet."""
    global _worker_project
    _worker_project = project


def _render_in_worker(sheet: tuple[str, str, str]) -> list[PdfResult]:
    return render_sheet(_worker_project, *sheet)


def _load_before_fork(project: Project, sheets: list[tuple[str, str, str]]) -> None:
    """What every worker would load for itself, loaded once in the parent and shared by the forked workers:
    WeasyPrint's patch and, where a layout has Khmer text, the word segmenter (a model of about 2 s)."""
    prepare()
    with_word_breaks(" ".join({Layout.load(project.root, layout).text(project.forms[form].title)
                               for form, layout, _ in sheets if form in project.forms}))


def _longest_first(project: Project, sheets: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Sheets by their expected work (fields × languages), largest first, so no core waits alone at the end."""
    def work(sheet):
        form, layout, _ = sheet
        return len(project.forms[form].fields) * len(layout.split("+")) if form in project.forms else 0
    return sorted(sheets, key=work, reverse=True)


def render_all(project: Project, jobs: list[PdfJob], cache: PdfCache, workers: int | None = None) -> list[PdfResult]:
    """Cached results are reused; the rest are laid out, once per form × layout × paper, on every core."""
    code = code_digest()
    keys = {job: cache_key(project, job, code) for job in jobs}
    results: dict[PdfJob, PdfResult] = {}
    for job in jobs:
        hit = cache.get(keys[job])
        if hit:
            results[job] = hit
    sheets = list(dict.fromkeys(job.sheet for job in jobs if job not in results))
    if sheets:
        log.info("rendering %d PDF(s), %d unchanged", len(jobs) - len(results), len(results))
        workers = workers or min(len(sheets), os.cpu_count() or 1)
        if workers == 1:
            rendered = [render_sheet(project, *sheet) for sheet in sheets]
        else:
            _load_before_fork(project, sheets)
            with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(project,)) as pool:
                rendered = list(pool.map(_render_in_worker, _longest_first(project, sheets), chunksize=1))
        for result in (r for variants in rendered for r in variants):
            if result.job in keys and result.job not in results:
                cache.put(keys[result.job], result)
                results[result.job] = result
    return [results[job] for job in jobs]


def manifest_entry(project: Project, result: PdfResult, path: str) -> dict:
    form = project.forms.get(result.job.form_id)
    version, issued = (form.version, form.issued) if form else (DOCUMENT_VERSION, max(f.issued for f in project.forms.values()))
    return {
        "form": result.job.form_id, "version": version, "issued": issued.isoformat(),
        "language": result.job.layout, "variant": result.job.variant, "paper": result.job.paper,
        "path": path, "pages": result.pages, "bytes": len(result.pdf),
        "sha256": hashlib.sha256(result.pdf).hexdigest(),
    }
