"""`casekit build`: PDFs and manifest, generated pages, then the site — all into site/."""
from __future__ import annotations

import hashlib
import io
import json
import logging
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, Problem
from .files import cache_dir, write_many
from .forms_pdf import PdfCache, PdfResult, all_jobs, manifest_entry, render_all
from .model import Project, load_project
from .scan.layout_map import FILE_NAME as LAYOUT_MAP, layout_map, map_bytes

log = logging.getLogger("casekit")

PDF_FOLDER = "pdf"
XLSFORM_FOLDER = "xlsform"
XLSFORM_BUNDLE = "casekit-xlsforms.zip"
ZIP_DATE = (2026, 1, 1, 0, 0, 0)  # fixed, so a zip is byte-identical across builds


@dataclass
class FormsOutput:
    """Everything that goes under site/forms/, prepared before MkDocs cleans the site folder."""

    results: list[PdfResult]
    manifest: dict
    files: dict[str, bytes] = field(default_factory=dict)  # path under site/forms -> content

    def write(self, forms_dir: Path) -> None:
        """The files and the manifest together or not at all (a full disk leaves the old ones in place)."""
        changed = {forms_dir / relative: data for relative, data in self.files.items()
                   if not (forms_dir / relative).is_file() or (forms_dir / relative).read_bytes() != data}
        changed[forms_dir / "manifest.json"] = (json.dumps(self.manifest, indent=2, ensure_ascii=False) + "\n").encode()
        write_many(changed)


def prepare_forms(project: Project, extra: list[tuple[str, PdfResult]] = ()) -> FormsOutput:
    """Render (or reuse) every PDF, and bundle them per language in a zip."""
    results = render_all(project, all_jobs(project), PdfCache(cache_dir(project.root) / "pdf"))
    _report_fallbacks(results)
    output = FormsOutput(results, {"generator": "casekit", "files": [], "bundles": []})
    for result in results:
        relative = f"{PDF_FOLDER}/{result.job.file_name}"
        output.files[relative] = result.pdf
        output.manifest["files"].append(manifest_entry(project, result, relative))
    for relative, result in extra:
        output.files[relative] = result.pdf
        output.manifest["files"].append(manifest_entry(project, result, relative))
    add_xlsforms(project, output)
    add_layout_map(project, output)
    for lang in project.settings.languages:
        members = [(r.job.file_name, r.pdf) for r in results if lang in r.job.layout.split("+")]
        data = _zip(members)
        relative = f"casekit-forms-{lang}.zip"
        output.files[relative] = data
        output.manifest["bundles"].append({"language": lang, "path": relative, "bytes": len(data),
                                           "files": len(members), "sha256": hashlib.sha256(data).hexdigest()})
    return output


def add_xlsforms(project: Project, output: FormsOutput) -> None:
    """One XLSForm per form, and all of them in one zip, listed in the manifest beside the PDFs."""
    from .xlsform import workbook
    members = []
    output.manifest["xlsforms"] = []
    for form in project.forms.values():
        data, relative = workbook(project, form), f"{XLSFORM_FOLDER}/{form.id}.xlsx"
        output.files[relative] = data
        members.append((f"{form.id}.xlsx", data))
        output.manifest["xlsforms"].append({"form": form.id, "version": form.version, "path": relative,
                                            "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    data = _zip(members)
    output.files[XLSFORM_BUNDLE] = data
    output.manifest["xlsform_bundle"] = {"path": XLSFORM_BUNDLE, "bytes": len(data), "files": len(members),
                                         "sha256": hashlib.sha256(data).hexdigest()}


def add_layout_map(project: Project, output: FormsOutput) -> None:
    """Where every box of every printed sheet is, for casekit scan, listed in the manifest beside the PDFs."""
    data = map_bytes(layout_map(project, output.results))
    output.files[LAYOUT_MAP] = data
    output.manifest["layout_map"] = {"path": LAYOUT_MAP, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(members):
            archive.writestr(zipfile.ZipInfo(name, ZIP_DATE), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


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


def check_strict(project: Project) -> None:
    from .i18n.status import incomplete_languages
    incomplete = incomplete_languages(project)
    if incomplete:
        raise InputError([Problem(f"translations/{lang}", f"--strict: {message}") for lang, message in incomplete])


def build(root: Path, strict: bool = False, site: bool = True) -> None:
    project = load_project(root)  # every input problem is reported before anything is written
    if strict:
        check_strict(project)
    if not site:
        output = prepare_forms(project)
        output.write(root / "site" / "forms")
        log.info("%d PDFs and manifest.json in %s", len(output.results), root / "site" / "forms")
        return
    from .site.mkdocs_build import build_site
    build_site(root)


def serve(root: Path, dev_addr: str) -> None:
    load_project(root)
    from .site.mkdocs_build import serve_site
    serve_site(root, dev_addr)
