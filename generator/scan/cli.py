"""`casekit scan`: scanned or photographed paper forms into the records `casekit extract` writes."""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError, Problem, display_path
from ..files import refuse_inputs, write_many


def cmd_scan(args) -> int:
    from ..model import load_project
    from .layout_map import FILE_NAME, read_map
    from .scan import scan
    project = load_project(args.root)
    sheets = read_map(Path(args.map) if args.map else Path(project.root) / "site" / "forms" / FILE_NAME)
    output = Path(args.output)
    if output.exists() and not output.is_dir():
        raise InputError([Problem(str(output), "give a folder after -o: it gets the records, the forms to "
                                               "review and the image crops")])
    inputs = [Path(f) for f in args.files]
    files, summary, problems, read = scan(project, sheets, inputs)
    if not read:
        raise InputError(problems + [Problem(" ".join(args.files), "no casekit page could be read")])
    targets = {output / relative: data for relative, data in files.items()}
    for target in targets:
        refuse_inputs(target, inputs)
    write_many(targets)
    for line in summary:
        print(f"{display_path(output)}/{line}")
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    print(f"read {read} page(s) into {display_path(output)}; {len(problems)} problem(s), listed in "
          f"{display_path(output / 'scan-report.json')}; check each form on its page in {display_path(output / 'review')}")
    return 0


def add_commands(sub) -> None:
    p = sub.add_parser("scan", help="scanned PDFs and photos of printed forms into records, with crops to review")
    p.add_argument("files", nargs="+", metavar="FILE", help="scanned PDFs (any page order, forms mixed) and photos "
                                                            "(.jpg, .png, .tif) of printed casekit forms")
    p.add_argument("-o", "--output", required=True, help="folder for FORM.csv/.json records, forms/ to review "
                                                         "and crops/")
    p.add_argument("--map", help="the layout map of the build that printed the forms "
                                 "(default: site/forms/layout-map.json)")
    p.set_defaults(run=cmd_scan)
