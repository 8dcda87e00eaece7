"""The PDF matrix: every form × layout × variant × paper, rendered in parallel and cached by content hash."""
from __future__ import annotations

import hashlib
import json
import logging
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import weasyprint

from .files import write_atomic
from .layout import Layout
from .model import Form, Project
from .pdf import html_to_pdf
from .render import PACKAGE_DIR, VARIANTS, form_html
from .i18n import catalog_digest

log = logging.getLogger("casekit")

CACHE_VERSION = "1"
DOCUMENT_VERSION = "1.0"  # of documents that are not forms, such as the workshop pack


@dataclass(frozen=True)
class PdfJob:
    form_id: str
    layout: str  # en, km, km+en …
    variant: str
    paper: str

    @property
    def file_name(self) -> str:
        return f"{self.form_id}-{self.layout.replace('+', '-')}-{self.variant}-{self.paper}.pdf"


@dataclass(frozen=True)
class PdfResult:
    job: PdfJob
    pdf: bytes
    pages: int
    missing: tuple[str, ...]  # strings that fell back to English


def render_job(project: Project, job: PdfJob) -> PdfResult:
    layout = Layout.load(project.root, job.layout)
    html = form_html(project, project.forms[job.form_id], layout, job.variant, job.paper)
    pdf, pages = html_to_pdf(html, fillable=job.variant == "fillable")
    return PdfResult(job, pdf, pages, tuple(sorted(layout.missing)))


def all_jobs(project: Project, forms: list[Form] | None = None) -> list[PdfJob]:
    forms = forms if forms is not None else list(project.forms.values())
    return [PdfJob(form.id, layout, variant, paper)
            for form in forms for layout in project.layouts
            for variant in VARIANTS for paper in project.settings.papers]


def code_digest() -> str:
    """Templates, stylesheet, fonts and renderer code: a change to any re-renders everything."""
    digest = hashlib.sha256(weasyprint.__version__.encode() + CACHE_VERSION.encode())
    for path in sorted(PACKAGE_DIR.glob("templates/form*")) + sorted(PACKAGE_DIR.glob("fonts/*.ttf")) + [
            PACKAGE_DIR / name for name in ("render.py", "layout.py", "pdf.py")]:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def cache_key(project: Project, job: PdfJob, code_digest: str) -> str:
    parts = [code_digest, repr(project.forms[job.form_id]), repr(project.settings), repr(job)]
    parts += [catalog_digest(project.root, lang) for lang in job.layout.split("+")]
    if project.settings.agency_logo:
        parts.append(hashlib.sha256(project.settings.agency_logo.read_bytes()).hexdigest())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class PdfCache:
    """A folder of finished PDFs named by the hash of everything that shaped them."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get(self, key: str) -> PdfResult | None:
        pdf, meta = self.folder / f"{key}.pdf", self.folder / f"{key}.json"
        if not (pdf.exists() and meta.exists()):
            return None
        info = json.loads(meta.read_text())
        return PdfResult(PdfJob(**info["job"]), pdf.read_bytes(), info["pages"], tuple(info["missing"]))

    def put(self, key: str, result: PdfResult) -> None:
        write_atomic(self.folder / f"{key}.pdf", result.pdf)
        write_atomic(self.folder / f"{key}.json", json.dumps(
            {"job": asdict(result.job), "pages": result.pages, "missing": list(result.missing)}).encode())


def _render_in_worker(args) -> PdfResult:
    project, job = args
    return render_job(project, job)


def render_all(project: Project, jobs: list[PdfJob], cache: PdfCache, workers: int | None = None) -> list[PdfResult]:
    """Cached results are reused; the rest are rendered on every core."""
    code = code_digest()
    keys = {job: cache_key(project, job, code) for job in jobs}
    results: dict[PdfJob, PdfResult] = {}
    todo = []
    for job in jobs:
        hit = cache.get(keys[job])
        if hit:
            results[job] = hit
        else:
            todo.append(job)
    if todo:
        log.info("rendering %d PDF(s), %d unchanged", len(todo), len(jobs) - len(todo))
        workers = workers or min(len(todo), os.cpu_count() or 1)
        if workers == 1:
            rendered = [render_job(project, job) for job in todo]
        else:
            with ProcessPoolExecutor(workers) as pool:
                rendered = list(pool.map(_render_in_worker, [(project, job) for job in todo], chunksize=1))
        for result in rendered:
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
