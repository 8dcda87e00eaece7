"""The monitoring indicators of the five-step process, computed from filled forms.

As the programme that introduced the five steps defined them (seed 000): the share of clients who
received services in two or more categories (the visit and review form records the categories of
services received), the share of cases served through at least four of the five steps, and each
caseworker's open cases against the limit of 30 clients per social worker. Cases are joined by
their agency case number; a case's steps are the stages of the forms found for it.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import Problem
from ..i18n.marker import N_
from ..layout import Layout
from ..model import Project
from ..model.schema import STAGES
from ..papers import page_css
from ..render import environment, stylesheet
from .extract import pdf_row
from .submissions import is_export, read_export
from .values import FORM_COLUMN, VERSION_COLUMN, DataFileError, check_row, read_rows

CASELOAD_LIMIT = 30  # clients per social worker (seed 000)
MIN_STEPS = 4
SERVICES_FIELD = "services_received"  # the field that records services a client actually received
NO_CASEWORKER = N_("(no caseworker named)")
MULTIPLE_SERVICES = N_("Clients who received services in two or more categories")
STEPS_SERVED = N_("Cases served through at least 4 of the 5 steps")
CASELOAD = N_("Open cases per caseworker (limit {limit})")
DEFINITIONS = (
    N_("Services: a client counts when their visit and review forms record services received in two or "
       "more of these categories: {categories}."),
    N_("Steps: a case counts when forms of at least 4 of the 5 steps were found for its agency case number: "
       "{steps}."),
    N_("Caseload: open cases (no closure form) of each caseworker named on the case's latest form, against "
       "the limit of {limit} clients per caseworker."),
)


@dataclass
class Case:
    stages: set[str] = field(default_factory=set)
    services: set[str] = field(default_factory=set)
    caseworker: str = ""
    caseworker_step: int = -1

    @property
    def closed(self) -> bool:
        return "closure" in self.stages


@dataclass
class Indicators:
    cases: dict[str, Case]
    records: int
    without_case_number: int

    @property
    def multiple_services(self) -> int:
        return sum(1 for c in self.cases.values() if len(c.services) >= 2)

    @property
    def documented(self) -> int:
        return sum(1 for c in self.cases.values() if len(c.stages) >= MIN_STEPS)

    @property
    def caseload(self) -> list[tuple[str, int]]:
        """Open cases per caseworker, the heaviest first."""
        counts = Counter(c.caseworker for c in self.cases.values() if not c.closed)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def read_records(project: Project, paths: list[Path]) -> tuple[list[dict], list[Problem]]:
    """Every filled form in the files (tables from `casekit extract`, fillable PDFs, saved browser forms,
    KoboToolbox and ODK Central exports), checked."""
    records, problems = [], []
    for path in map(Path, paths):
        try:
            rows = ([pdf_row(path, project)] if path.suffix.lower() == ".pdf" else
                    read_export(path, project) if path.suffix.lower() == ".csv" and is_export(path) else read_rows(path))
        except DataFileError as error:
            problems += error.problems
            continue
        for row in rows:
            form_id = str(row.values.get(FORM_COLUMN) or "")
            form = project.forms.get(form_id)
            if form is None:
                problems.append(row.problem(f"form '{form_id}' is not defined in this project" if form_id else
                                            f"no form named in column {FORM_COLUMN}; use tables written by casekit extract"))
                continue
            version = str(row.values.get(VERSION_COLUMN) or form.version)
            if version != form.version:
                problems.append(row.problem(f"this record is version {version} of form '{form.id}'; "
                                            f"the definition here is version {form.version}"))
                continue
            values, found = check_row(form, row, required=False)
            problems += found
            if not found:
                records.append({**values, FORM_COLUMN: form.id})
    return records, problems


def indicators(project: Project, records: list[dict]) -> Indicators:
    steps = list(STAGES)
    cases: dict[str, Case] = {}
    without = 0
    for values in records:
        form = project.forms[values[FORM_COLUMN]]
        number = values.get("agency_case_number", "")
        if not number:
            without += 1
            continue
        case = cases.setdefault(number, Case())
        case.stages.add(form.stage)
        case.services.update(v for v in values.get(SERVICES_FIELD, "").split() if v != "other")
        step = steps.index(form.stage)
        if values.get("caseworker_name") and step >= case.caseworker_step:  # the latest step names the caseworker
            case.caseworker, case.caseworker_step = values["caseworker_name"], step
    return Indicators(cases, len(records), without)


def share(part: int, whole: int) -> str:
    return f"{part} / {whole} ({round(100 * part / whole) if whole else 0}%)"


def definitions(project: Project, layout: Layout) -> list[str]:
    """How each indicator is counted, in the report's language, from the lists and steps themselves."""
    services = next((f for form in project.forms.values() for f in form.fields if f.id == SERVICES_FIELD), None)
    categories = ", ".join(layout.text(o.label) for o in services.options) if services else "—"
    steps = ", ".join(layout.text(label) for label in STAGES.values())
    services_text, steps_text, caseload_text = (layout.text(d) for d in DEFINITIONS)
    return [services_text.format(categories=categories), steps_text.format(steps=steps),
            caseload_text.format(limit=CASELOAD_LIMIT)]


def terminal_table(project: Project, result: Indicators, layout: Layout) -> str:
    """The indicators as aligned plain text, in the report's language."""
    tx = layout.text
    total = len(result.cases)
    rows = [
        (tx(N_("Cases")), str(total)),
        (tx(MULTIPLE_SERVICES), share(result.multiple_services, total)),
        (tx(STEPS_SERVED), share(result.documented, total)),
        (tx(CASELOAD).format(limit=CASELOAD_LIMIT), ""),
    ]
    for name, count in result.caseload:
        flag = f"  (> {CASELOAD_LIMIT})" if count > CASELOAD_LIMIT else ""  # over the limit, in any language
        rows.append(("  " + (name or tx(NO_CASEWORKER)), f"{count}{flag}"))
    width = max(len(label) for label, _ in rows) + 2
    lines = [f"{label.ljust(width)}{value}" for label, value in rows]
    if result.without_case_number:
        lines.append(tx(N_("{count} record(s) without an agency case number were left out."))
                     .format(count=result.without_case_number))
    return "\n".join(lines + [""] + definitions(project, layout))


def report_html(project: Project, result: Indicators, layout: Layout) -> str:
    total = len(result.cases)
    caseload = [(name or layout.text(NO_CASEWORKER), count) for name, count in result.caseload]
    return environment().get_template("report.html.j2").render(
        L=layout, tr=layout.html, tx=layout.text, agency_name=project.settings.agency_name_in(layout.lang),
        stylesheet=stylesheet("report.css"), page_css=page_css("report", project.settings.papers[0]),
        result=result, total=total, caseload=caseload, limit=CASELOAD_LIMIT,
        indicators=((layout.text(MULTIPLE_SERVICES), result.multiple_services), (layout.text(STEPS_SERVED), result.documented)),
        caseload_title=layout.text(CASELOAD).format(limit=CASELOAD_LIMIT), definitions=definitions(project, layout),
        percent=lambda part: round(100 * part / total) if total else 0,
        today=layout.primary.date(date.today(), project.settings.khmer_digits),
    )
