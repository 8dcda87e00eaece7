"""Prefilled PDFs: the print variant of a form with the values set into the page as text.

Values go into the page, not into PDF form fields, because PDF viewers do not shape Khmer typed
into fields; WeasyPrint shapes page text like any other. Values are keyed once, by `print_values`,
for the two ways onto the page: stamped onto the blank form (stamp.py; fast, for mail merges), or,
when a value does not fit its box, the form template laid out whole with a `filled` dict.
"""
from __future__ import annotations

import hashlib
import os
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Problem, display_path
from ..files import cache_dir
from ..forms_pdf import PdfCache, PdfJob, PdfResult, cache_key, code_digest
from ..layout import Layout
from ..model import Form, Project
from ..pdf import html_to_pdf
from ..render import environment, form_context
from .stamp import Sheet, blank_sheet, stamp
from .values import LANGUAGE_COLUMN, DataFileError, Row, check_row, read_rows

SAMPLE_VARIANT = "sample"  # manifest variant of the trainer's-kit samples, so they are not taken for blank forms


def print_values(form: Form, values: dict[str, str], date_boxes: bool = True) -> dict[str, str]:
    """Values keyed as the template's boxes and lines are: one key per tick box, dates as DDMMYYYY in date boxes
    (`date_boxes=False`: as DD/MM/YYYY, for the browser form, whose date is one text box)."""
    filled = {}
    for field in form.data_fields:
        value = values.get(field.name, "")
        if not value:
            continue
        if field.widget == "checkboxes":
            filled.update({f"{field.name}__{option}": option for option in value.split()})
        elif field.widget == "checkbox":
            if value == "yes":
                filled[field.name] = "yes"
        elif field.kind == "date":
            year, month, day = value.split("-")
            # one digit per box; a table cell is a writing line, where the date needs its separators
            in_boxes = date_boxes and not (field.source and field.source.kind == "table")
            filled[field.name] = day + month + year if in_boxes else f"{day}/{month}/{year}"
        else:
            filled[field.name] = value
    return filled


def filled_html(project: Project, form: Form, layout: Layout, values: dict[str, str], paper: str = "a4") -> str:
    context = form_context(project, form, layout, "print", paper)
    context["filled"] = print_values(form, values)
    return environment().get_template("form.html.j2").render(context)


def filled_pdf(project: Project, form_id: str, layout: str, values: dict[str, str], paper: str = "a4",
               sheet: Sheet | None = None) -> bytes:
    """Stamped onto the blank form when a sheet is given and every value fits its box; laid out whole otherwise."""
    form = project.forms[form_id]
    if sheet is not None:
        pdf = stamp(sheet, print_values(form, values))
        if pdf is not None:
            return pdf
    html = filled_html(project, form, Layout.load(project.root, layout), values, paper)
    return html_to_pdf(html, fillable=False)[0]


@dataclass
class FillJob:
    """One PDF to write: the checked values of one row and where they go."""

    row: Row
    values: dict[str, str]
    output: Path


def plan(project: Project, form: Form, data: Path, output: Path) -> tuple[list[FillJob], list[Problem]]:
    """Check every row first; a row with a problem gets no job.

    OUT is the PDF when it ends in .pdf (one row only); otherwise a folder with one PDF per row,
    named by its agency case number, or by its row when there is none or it is not unique.
    """
    try:
        rows = read_rows(data)
    except DataFileError as error:
        return [], error.problems
    if not rows:
        return [], [Problem(display_path(data), "no rows of values in this file")]
    if output.suffix.lower() == ".pdf" and len(rows) > 1:
        return [], [Problem(display_path(data), f"{len(rows)} rows give {len(rows)} PDFs: "
                                                "give a folder, not a .pdf file, after -o")]
    checked, problems = [], []
    for row in rows:
        values, found = check_row(form, row)
        problems += found
        if not found:
            checked.append((row, values))
    if output.suffix.lower() == ".pdf":
        return [FillJob(row, values, output) for row, values in checked], problems
    cases = Counter(values["agency_case_number"] for _, values in checked)
    jobs = []
    for number, (row, values) in enumerate(checked, start=1):
        case = values["agency_case_number"]
        name = case if case and cases[case] == 1 else "-".join(filter(None, [case, f"row-{row.line or number}"]))
        jobs.append(FillJob(row, values, output / f"{form.id}-{name}.pdf"))
    return jobs, problems


_WORKER: tuple[Project, Sheet] | None = None


def _init_worker(project: Project, sheet: Sheet) -> None:
    global _WORKER
    _WORKER = project, sheet


def _render_in_worker(args) -> bytes:
    project, sheet = _WORKER
    return filled_pdf(project, *args, sheet=sheet)


def render_many(project: Project, form_id: str, layout: str, paper: str, values: list[dict[str, str]],
                workers: int | None = None):
    """PDF bytes for each set of values, in order, on every core; the blank form is laid out once."""
    if not values:
        return
    sheet = blank_sheet(project, project.forms[form_id], Layout.load(project.root, layout), paper)
    workers = min(workers or os.cpu_count() or 1, len(values))
    if workers <= 1:
        for item in values:
            yield filled_pdf(project, form_id, layout, item, paper, sheet)
        return
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(project, sheet)) as pool:
        yield from pool.map(_render_in_worker, [(form_id, layout, item, paper) for item in values], chunksize=4)


# The trainer's kit ----------------------------------------------------------------------------------

EXAMPLES = Path("forms") / "examples"


def sample_fills(project: Project) -> list[tuple[str, PdfResult]]:
    """Filled sample PDFs from forms/examples/<form>-<name>.csv, cached like the other PDFs.

    Each row is one sample; its `_language` column picks the layout (default: the first language),
    and the PDF goes to samples/<form>-<name>-<layout>.pdf. (Examples are CSV, not YAML: the
    translation extractor reads every forms/**.yaml as a form definition.)
    """
    folder = project.root / EXAMPLES
    cache = PdfCache(cache_dir(project.root) / "pdf")
    code = code_digest()
    samples: dict[str, PdfResult] = {}
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.csv")) if folder.is_dir() else []:
        form = project.forms.get(path.stem.split("-")[0])
        if form is None:
            problems.append(Problem(display_path(path), "name example files <form id>-<name>.csv, after a form of this project"))
            continue
        try:
            rows = read_rows(path)
        except DataFileError as error:
            problems += error.problems
            continue
        for row in rows:
            values, found = check_row(form, row)
            layout = str(row.values.get(LANGUAGE_COLUMN) or project.settings.languages[0])
            relative = f"samples/{path.stem}-{layout.replace('+', '-')}.pdf"
            if layout not in project.layouts:
                found.append(row.problem(f"_language '{layout}' is not a layout of this project; use one of: "
                                         + ", ".join(project.layouts)))
            elif relative in samples:
                found.append(row.problem(f"a second row in {layout}; put each sample of a layout in its own file"))
            problems += found
            if found:
                continue
            job = PdfJob(form.id, layout, SAMPLE_VARIANT, "a4")
            key = hashlib.sha256((cache_key(project, job, code) + repr(sorted(values.items()))).encode()).hexdigest()
            result = cache.get(key)
            if result is None:
                html = filled_html(project, form, Layout.load(project.root, layout), values)
                pdf, pages = html_to_pdf(html, fillable=False)
                result = PdfResult(job, pdf, pages, ())
                cache.put(key, result)
            samples[relative] = result
    if problems:
        raise InputError(problems)
    return list(samples.items())
