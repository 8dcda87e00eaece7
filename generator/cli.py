"""The `casekit` command. Bad input ends with a clear message and exit status 1, never a traceback."""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from .errors import InputError

log = logging.getLogger("casekit")


def _project(args):
    from .model import load_project
    return load_project(args.root)


def cmd_check(args) -> int:
    if args.layout or args.pdfs:
        from .layout_check import run
        return run(Path(args.root), args.pdfs)  # naming PDFs implies --layout
    from .model import site_language_problems
    project = _project(args)
    problems = site_language_problems(project.root, project.settings.languages)
    if problems:
        raise InputError(problems)
    from .i18n.status import translation_problems
    from .site.references import check_pages
    check_pages(project)
    count = sum(len(f.fields) for f in project.forms.values())
    print(f"{len(project.forms)} forms, {count} fields and {len(project.lists)} lists are valid.")
    return translation_problems(project, strict=args.strict)


def cmd_schema(args) -> int:
    from .model.schema import SCHEMAS
    text = json.dumps(SCHEMAS[args.which], indent=2, ensure_ascii=False) + "\n"
    if args.output:
        from .files import write_atomic
        write_atomic(Path(args.output), text.encode())
    else:
        sys.stdout.write(text)
    return 0


def cmd_pdf(args) -> int:
    from .errors import Problem
    from .files import write_atomic
    from .forms_pdf import PdfJob, render_job
    project = _project(args)
    if args.form not in project.forms:
        raise InputError([Problem(args.form, "no such form; choose one of: " + ", ".join(project.forms))])
    if args.lang not in project.layouts:
        raise InputError([Problem(args.lang, "no such language or layout; choose one of: " + ", ".join(project.layouts))])
    output = Path(args.output or PdfJob(args.form, args.lang, args.variant, args.paper).file_name)
    from .files import refuse_inputs
    refuse_inputs(output, [f.path for f in project.forms.values()])
    result = render_job(project, PdfJob(args.form, args.lang, args.variant, args.paper))
    write_atomic(output, result.pdf)
    print(f"wrote {output} ({result.pages} pages, {len(result.pdf) // 1024} KB)")
    return 0


def cmd_xlsform(args) -> int:
    from .errors import Problem
    from .files import write_atomic
    from .xlsform import workbook
    project = _project(args)
    unknown = [f for f in args.forms if f not in project.forms]
    if unknown:
        raise InputError([Problem(f, "no such form; choose one of: " + ", ".join(project.forms)) for f in unknown])
    books = {form_id: workbook(project, project.forms[form_id]) for form_id in args.forms or project.forms}
    for form_id, data in books.items():  # every form is built before the first file is written
        write_atomic(Path(args.output) / f"{form_id}.xlsx", data)
    print(f"wrote {len(books)} XLSForm(s) in {args.output}: " + ", ".join(f"{f}.xlsx" for f in books))
    return 0


def cmd_build(args) -> int:
    from .build import build
    build(Path(args.root), strict=args.strict, site=not args.forms_only)
    return 0


def cmd_serve(args) -> int:
    from .build import serve
    serve(Path(args.root), args.dev_addr)
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="casekit", description="Case-management forms and handbook from one YAML definition per form.")
    main.add_argument("--root", default=".", help="project folder (default: the current folder)")
    main.add_argument("-v", "--verbose", action="store_true")
    sub = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("check", help="validate forms, lists, settings, glossary, translations and the handbook's field references")
    p.add_argument("--strict", action="store_true", help="fail when a language has missing or fuzzy translations")
    p.add_argument("--layout", action="store_true", help="check where things land on the pages of built PDFs")
    p.add_argument("pdfs", nargs="*", metavar="PDF", help="PDFs for the layout check (default with --layout: every PDF of the last build)")
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("schema", help="print the JSON Schema of the form definition language")
    p.add_argument("which", nargs="?", default="form", choices=["form", "lists", "settings"])
    p.add_argument("-o", "--output")
    p.set_defaults(run=cmd_schema)

    p = sub.add_parser("pdf", help="render one form to PDF")
    p.add_argument("form")
    p.add_argument("--lang", default="en", help="en, km, or a bilingual layout such as km+en")
    p.add_argument("--variant", default="print", choices=["print", "fillable"])
    p.add_argument("--paper", default="a4", choices=["a4", "letter"])
    p.add_argument("-o", "--output")
    p.set_defaults(run=cmd_pdf)

    p = sub.add_parser("xlsform", help="write forms as XLSForms (.xlsx) for KoboToolbox and ODK")
    p.add_argument("forms", nargs="*", metavar="FORM", help="form ids (default: every form)")
    p.add_argument("-o", "--output", required=True, help="folder for the FORM.xlsx files")
    p.set_defaults(run=cmd_xlsform)

    p = sub.add_parser("build", help="build every PDF, the handbook pages and the site into site/")
    p.add_argument("--strict", action="store_true", help="fail when a language is incompletely translated")
    p.add_argument("--forms-only", action="store_true", help="only the PDFs and site/forms/manifest.json")
    p.set_defaults(run=cmd_build)

    p = sub.add_parser("serve", help="preview the site and rebuild on changes")
    p.add_argument("--dev-addr", default="127.0.0.1:8000")
    p.set_defaults(run=cmd_serve)

    from .i18n.cli import add_commands as add_i18n
    add_i18n(sub)
    from .data.cli import add_commands as add_data
    add_data(sub)
    from .scan.cli import add_commands as add_scan
    add_scan(sub)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])  # other libraries: warnings only
    log.setLevel(logging.DEBUG if args.verbose else logging.INFO)
    for noisy in ("weasyprint", "fontTools", "pypdf", "khmer-nltk"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    try:
        return args.run(args)
    except InputError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"{len(error.problems)} problem(s) found; nothing was written.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and closed early: not an error of the user's input
        sys.stdout = open(os.devnull, "w")
        return 0
