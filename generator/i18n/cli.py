"""`casekit i18n …`: the translators' workflow."""
from __future__ import annotations

from pathlib import Path

from .catalogs import TEMPLATE, extract, init, languages, status, update


def _extract(args) -> int:
    catalog = extract(Path(args.root))
    print(f"wrote {TEMPLATE} with {sum(1 for m in catalog if m.id)} strings")
    return 0


def _init(args) -> int:
    print(f"created {init(Path(args.root), args.lang)}; translate it with any gettext editor (Poedit, Weblate …)")
    return 0


def _update(args) -> int:
    for lang, to_do, fuzzy in update(Path(args.root), guess=args.fuzzy):
        print(f"updated {lang}: {to_do} string(s) to translate or review, {fuzzy} of them fuzzy guesses "
              f"(see: casekit i18n status {lang} --missing)")
    return 0


def _status(args) -> int:
    root = Path(args.root)
    for lang in args.lang or languages(root):
        s = status(root, lang)
        missing = len(s.missing) - s.fuzzy
        print(f"{lang}: {s.translated}/{s.total} translated ({s.percent(s.translated):.1f}%), "
              f"{s.fuzzy} fuzzy ({s.percent(s.fuzzy):.1f}%), {missing} missing ({s.percent(missing):.1f}%)")
        if args.missing:
            for message in s.missing:
                where = ", ".join(f"{f}:{n}" for f, n in message.locations)
                print(f"  {where}: {message.id}")
    return 0


def add_commands(sub) -> None:
    i18n = sub.add_parser("i18n", help="translation catalogs: extract, init, update, status")
    commands = i18n.add_subparsers(dest="i18n_command", required=True, metavar="ACTION")
    commands.add_parser("extract", help=f"write the template {TEMPLATE}").set_defaults(run=_extract)
    p = commands.add_parser("init", help="start a catalog for a new language")
    p.add_argument("lang")
    p.set_defaults(run=_init)
    p = commands.add_parser("update", help="merge new and changed strings into every catalog")
    p.add_argument("--fuzzy", action="store_true",
                   help="fill new strings with the translation of a similar old string, marked fuzzy for review")
    p.set_defaults(run=_update)
    p = commands.add_parser("status", help="translated, fuzzy and missing strings per language")
    p.add_argument("lang", nargs="*")
    p.add_argument("--missing", action="store_true", help="list each missing string with its file and line")
    p.set_defaults(run=_status)
