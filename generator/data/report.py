"""The monitoring indicators of the five-step process, computed from filled forms.

From the programme that introduced the five steps (seed 000): the share of clients whose needs
span two or more categories, the share of cases documented through at least four of the five
steps, and each caseworker's open cases against the limit of 30. Cases are joined by their agency
case number; a case's steps are the stages of the forms found for it (review and referral both
count as step 4, services and review).
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
from ..render import environment
from .extract import pdf_row
from .submissions import is_export, read_export
from .values import FORM_COLUMN, VERSION_COLUMN, DataFileError, check_row, read_rows

CASELOAD_LIMIT = 30  # clients per social worker (seed 000)
MIN_STEPS = 4
NEED_LIST = "need_category"
NO_CASEWORKER = N_("(no caseworker named)")


@dataclass
class Case:
    stages: set[str] = field(default_factory=set)
    needs: set[str] = field(default_factory=set)
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
    def multiple_needs(self) -> int:
        return sum(1 for c in self.cases.values() if len(c.needs) >= 2)

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
    need_values = {o.value for o in project.lists[NEED_LIST].options} if NEED_LIST in project.lists else set()
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
        for d in form.data_fields:
            if need_values and {o.value for o in d.options} - {"other"} == need_values:
                case.needs.update(v for v in values.get(d.name, "").split() if v != "other")
        step = steps.index(form.stage)
        if values.get("caseworker_name") and step >= case.caseworker_step:  # the latest step names the caseworker
            case.caseworker, case.caseworker_step = values["caseworker_name"], step
    return Indicators(cases, len(records), without)


def share(part: int, whole: int) -> str:
    return f"{part} / {whole} ({round(100 * part / whole) if whole else 0}%)"


def terminal_table(result: Indicators, layout: Layout) -> str:
    """The indicators as aligned plain text, in the report's language."""
    tx = layout.text
    total = len(result.cases)
    rows = [
        (tx(N_("Cases")), str(total)),
        (tx(N_("Clients with needs in two or more categories")), share(result.multiple_needs, total)),
        (tx(N_("Cases documented through at least 4 of the 5 steps")), share(result.documented, total)),
        (tx(N_("Open cases per caseworker (limit {limit})")).format(limit=CASELOAD_LIMIT), ""),
    ]
    for name, count in result.caseload:
        flag = f"  (> {CASELOAD_LIMIT})" if count > CASELOAD_LIMIT else ""  # over the limit, in any language
        rows.append(("  " + (name or tx(NO_CASEWORKER)), f"{count}{flag}"))
    width = max(len(label) for label, _ in rows) + 2
    lines = [f"{label.ljust(width)}{value}" for label, value in rows]
    if result.without_case_number:
        lines.append(tx(N_("{count} record(s) without an agency case number were left out."))
                     .format(count=result.without_case_number))
    return "\n".join(lines)


def report_html(project: Project, result: Indicators, layout: Layout) -> str:
    total = len(result.cases)
    caseload = [(name or layout.text(NO_CASEWORKER), count) for name, count in result.caseload]
    return environment().get_template("report.html.j2").render(
        L=layout, tr=layout.html, tx=layout.text, agency_name=project.settings.agency_name,
        result=result, total=total, caseload=caseload, limit=CASELOAD_LIMIT,
        percent=lambda part: round(100 * part / total) if total else 0,
        today=layout.primary.date(date.today(), project.settings.khmer_digits),
    )
