"""`casekit fill`, `casekit extract` and `casekit report`: between paper forms and data files.

Problems are collected for every row and file first. Nothing is written when there is one,
unless --keep-going is given; then the good rows are written and the exit status is still 1.
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError, Problem, display_path
from ..files import refuse_inputs, write_atomic, write_many


def _project(args):
    from ..model import load_project
    return load_project(args.root)


def _inputs(project, *data: str) -> list[Path]:
    """What a command reads: its data files and the project's definitions, none of which it may overwrite."""
    forms = Path(project.root) / "forms"
    return [Path(d) for d in data] + [f.path for f in project.forms.values()] + \
        [forms / "settings.yaml", forms / "lists.yaml"]


def _layout(project, lang: str) -> None:
    if lang not in project.layouts:
        raise InputError([Problem(lang, "no such language or layout; choose one of: " + ", ".join(project.layouts))])


def _report(problems: list[Problem], keep_going: bool, written: int, total: int) -> int:
    """Print the problems of a --keep-going run (without it, main() prints them) and give the exit status."""
    if problems and not keep_going:
        raise InputError(problems)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found; wrote {written} of {total}.", file=sys.stderr)
    return 1 if problems else 0


def cmd_fill(args) -> int:
    from .fill import plan, render_many
    project = _project(args)
    if args.form not in project.forms:
        raise InputError([Problem(args.form, "no such form; choose one of: " + ", ".join(project.forms))])
    _layout(project, args.lang)
    data, output = Path(args.data), Path(args.output)
    refuse_inputs(output, _inputs(project, args.data))
    jobs, problems = plan(project, project.forms[args.form], data, output)
    total = len(jobs) + len({(p.file, p.line) for p in problems})
    if problems and not args.keep_going:
        raise InputError(problems)
    pdfs = render_many(project, args.form, args.lang, args.paper, [job.values for job in jobs], args.jobs)
    write_many({job.output: pdf for job, pdf in zip(jobs, pdfs)})
    if len(jobs) == 1 and not problems:
        print(f"wrote {display_path(jobs[0].output)}")
    elif jobs:
        print(f"wrote {len(jobs)} PDF(s) in {display_path(jobs[0].output.parent)}")
    return _report(problems, args.keep_going, len(jobs), total)


def cmd_extract(args) -> int:
    from .extract import collect, table_bytes
    project = _project(args)
    output = Path(args.output)
    if output.suffix.lower() not in (".csv", ".json"):
        raise InputError([Problem(str(output), "the output must end in .csv or .json")])
    refuse_inputs(output, _inputs(project, *args.files))
    if args.form and args.form not in project.forms:
        raise InputError([Problem(args.form, "no such form; choose one of: " + ", ".join(project.forms))])
    form, table, problems = collect(project, [Path(f) for f in args.files], args.form)
    if problems and not args.keep_going:
        raise InputError(problems)
    if form is not None and table:
        write_atomic(output, table_bytes(form, table, output.suffix.lower()))
        print(f"wrote {display_path(output)}: {len(table)} row(s) of form {form.id} version {form.version}")
    return _report(problems, args.keep_going, len(table), len(args.files))


def cmd_report(args) -> int:
    from ..layout import Layout
    from ..pdf import html_to_pdf
    from .report import indicators, read_records, report_html, terminal_table
    project = _project(args)
    if args.lang not in project.settings.languages:
        raise InputError([Problem(args.lang, "no such language; choose one of: " + ", ".join(project.settings.languages))])
    if args.output:
        refuse_inputs(Path(args.output), _inputs(project, *args.data))
    records, problems = read_records(project, [Path(f) for f in args.data])
    if problems:
        raise InputError(problems)
    layout = Layout.load(project.root, args.lang)
    result = indicators(project, records)
    print(terminal_table(project, result, layout))
    if args.output:
        pdf, pages = html_to_pdf(report_html(project, result, layout), fillable=False)
        write_atomic(Path(args.output), pdf)
        print(f"wrote {display_path(args.output)} ({pages} page{'s' if pages > 1 else ''})")
    return 0


def add_commands(sub) -> None:
    p = sub.add_parser("fill", help="prefilled PDFs from a YAML, JSON or CSV file of values (one PDF per CSV row)")
    p.add_argument("form", help="form id, such as referral")
    p.add_argument("data", help="values: .yaml, .json (an object or a list of objects) or .csv (one form per row)")
    p.add_argument("-o", "--output", required=True,
                   help="the PDF (NAME.pdf, for one row), or a folder that gets one PDF per row")
    p.add_argument("--lang", default="en", help="en, km, or a bilingual layout such as km+en")
    p.add_argument("--paper", default="a4", choices=["a4", "letter"])
    p.add_argument("--keep-going", action="store_true", help="write the good rows even when some rows have problems")
    p.add_argument("--jobs", type=int, default=None, help="PDFs rendered at once (default: one per core)")
    p.set_defaults(run=cmd_fill)

    p = sub.add_parser("extract", help="filled fillable PDFs, saved browser forms and KoboToolbox/ODK exports "
                                       "into one CSV or JSON table")
    p.add_argument("files", nargs="+", help="fillable PDFs (.pdf), forms saved from the browser (.json) and CSV "
                                            "exports of the XLSForm (.csv, 'XML values and headers')")
    p.add_argument("-o", "--output", required=True, help="the table: OUT.csv or OUT.json")
    p.add_argument("--form", help="the form of the table (default: the form of the first file)")
    p.add_argument("--keep-going", action="store_true", help="write the good files even when some have problems")
    p.set_defaults(run=cmd_extract)

    p = sub.add_parser("report", help="monitoring indicators from extracted tables: a table here, a one-page PDF")
    p.add_argument("data", nargs="+", help="tables written by casekit extract (.csv, .json), fillable PDFs, saved "
                                           "forms or KoboToolbox/ODK CSV exports")
    p.add_argument("-o", "--output", help="also write the report as a one-page PDF")
    p.add_argument("--lang", default="en", help="a language of the project: en, km …")
    p.set_defaults(run=cmd_report)
