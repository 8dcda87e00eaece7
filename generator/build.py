"""`casekit build`: PDFs and manifest, generated pages, then the site — all into site/."""
from __future__ import annotations

import json
import logging
import shutil
from collections import Counter
from pathlib import Path

from .errors import InputError, Problem
from .files import write_atomic
from .forms_pdf import PdfCache, all_jobs, manifest_entry, render_all
from .model import Project, load_project

log = logging.getLogger("casekit")

PDF_FOLDER = "pdf"


def cache_dir(root: Path) -> Path:
    return root / ".cache" / "casekit"


def build_forms(project: Project, forms_dir: Path) -> list[dict]:
    """Every PDF of the matrix into forms_dir/pdf/, described by forms_dir/manifest.json."""
    results = render_all(project, all_jobs(project), PdfCache(cache_dir(project.root) / "pdf"))
    _report_fallbacks(results)
    entries = []
    target = forms_dir / PDF_FOLDER
    for result in results:
        path = target / result.job.file_name
        if not path.exists() or path.read_bytes() != result.pdf:
            write_atomic(path, result.pdf)
        entries.append(manifest_entry(project, result, f"{PDF_FOLDER}/{result.job.file_name}"))
    expected = {r.job.file_name for r in results}
    for stale in target.glob("*.pdf"):
        if stale.name not in expected:
            stale.unlink()
    manifest = {"generator": "casekit", "files": entries}
    write_atomic(forms_dir / "manifest.json", (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode())
    log.info("%d PDFs in %s", len(entries), forms_dir / PDF_FOLDER)
    return entries


def _report_fallbacks(results) -> None:
    """Once per language, with a count: a missing translation is printed in English."""
    missing: dict[str, set] = {}
    for result in results:
        for lang in result.job.layout.split("+"):
            if lang != "en":
                missing.setdefault(lang, set()).update(result.missing)
    for lang, strings in sorted(missing.items()):
        if strings:
            log.warning("%s: %d string(s) not translated; printed in English (see: casekit i18n status --missing)",
                        lang, len(strings))


def build(root: Path, strict: bool = False, site: bool = True) -> None:
    project = load_project(root)
    if strict:
        from .i18n.status import incomplete_languages
        incomplete = incomplete_languages(project)
        if incomplete:
            raise InputError([Problem(f"translations/{lang}", message) for lang, message in incomplete])
    site_dir = root / "site"
    build_forms(project, site_dir / "forms")
