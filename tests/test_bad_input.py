"""The bad-input corpus: every reader and command given broken or hostile input.

Each case puts files into a copy of a tiny project (tests/fixtures/hostile), runs one casekit
command in this process (as `casekit …` would: through cli.main) and asserts what a user must see:
exit status 1, a message naming the file (and the line or row where the input has lines), no
traceback, and not one file written or changed. No case renders a PDF.

A case is one row of CASES: an id, the files to write (text, bytes, or None to delete), the command,
where the message must point (`file:line`, or a file alone for outputs and files without lines),
and a phrase of the message.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import FIXTURES

PROJECT = FIXTURES / "hostile"
FORM = "forms/bad.yaml"


def form(*sections: str, head: str = "") -> str:
    """A valid form definition of one section; the lines given replace its fields (line 11 onwards)."""
    return (f"id: bad\nversion: \"1.0\"\nissued: 2026-11-01\ntitle: Bad\npurpose: A broken form.\n"
            f"stage: intake\ncompleted_by: Tests\n{head}sections:\n  - id: one\n    title: One\n    fields:\n"
            + "".join(sections or ["      - {id: name, kind: text, label: Name}\n"]))


FIELD = "      - {id: name, kind: text, label: Name}\n"
YES_NO = "      - {id: here, kind: yes_no, label: Here}\n"
BOMB = "".join([f"l0: &l0 [{', '.join(['lol'] * 9)}]\n"] +
               [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 8)])
DOUBLING = "".join(["a0: &a0 [x, x]\n"] + [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]\n" for i in range(1, 30)])
PO_HEAD = ('msgid ""\nmsgstr ""\n"Language: km\\n"\n"Content-Type: text/plain; charset=utf-8\\n"\n'
           '"Plural-Forms: nplurals=1; plural=0;\\n"\n\n')  # 6 lines; the first entry starts on line 7
PO = "translations/km/LC_MESSAGES/casekit.po"
SETTINGS = "forms/settings.yaml"
SAVED = '{"form": "visit", "version": "1.0", "language": "en", "values": {"visit_date": "2026-11-02"}}\n'
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def settings(logo: str = "", languages: str = "[en, km]", extra: str = "") -> str:
    return ("agency:\n  name: Fixture agency\n" + (f"  logo: {logo}\n" if logo else "")
            + f"languages: {languages}\npapers: [a4]\n{extra}")


@dataclass
class Case:
    id: str
    files: dict
    argv: list
    where: str  # "file:line" or "file"
    says: str
    setup: list = field(default_factory=list)  # extra steps: ("dir", path), ("symlink", path, target)


CHECK = ["check"]
FILL = ["fill", "visit", "data.yaml", "-o", "out.pdf"]

CASES = [
    # --- form definitions: tags, aliases, size, depth, encoding ---------------------------------------------
    Case("tag-python-name", {FORM: form(FIELD, head="when: !!python/name:os.system\n")}, CHECK, f"{FORM}:8", "YAML tags"),
    Case("tag-python-apply", {FORM: form(FIELD, head="when: !!python/object/apply:os.system [ls]\n")}, CHECK, f"{FORM}:8", "not allowed"),
    Case("tag-int-five", {FORM: form("      - {id: n, kind: long_text, label: N, lines: !!int five}\n")}, CHECK, f"{FORM}:12", "YAML tags"),
    Case("tag-binary", {FORM: form(FIELD, head="when: !!binary aGVsbG8=\n")}, CHECK, f"{FORM}:8", "YAML tags"),
    Case("tag-local", {FORM: form(FIELD, head="when: !secret x\n")}, CHECK, f"{FORM}:8", "YAML tags"),
    Case("tag-on-mapping", {FORM: form(FIELD, head="when: !!map {a: b}\n")}, CHECK, f"{FORM}:8", "YAML tags"),
    Case("tag-on-sequence", {FORM: "!!seq [a]\n"}, CHECK, f"{FORM}:1", "YAML tags"),
    Case("alias-bomb", {FORM: BOMB}, CHECK, f"{FORM}:", "aliases"),
    Case("alias-doubling", {FORM: DOUBLING}, CHECK, f"{FORM}:", "aliases"),
    Case("deep-flow", {FORM: "a: " + "[" * 200 + "]" * 200 + "\n"}, CHECK, f"{FORM}:1", "nested more than"),
    Case("deep-block", {FORM: "".join("  " * i + f"k{i}:\n" for i in range(60)) + "  " * 60 + "v\n"}, CHECK,
         f"{FORM}:", "nested more than"),
    Case("latin1-byte", {FORM: form(FIELD).encode().replace(b"Name}", b"Nam\xe9}")}, CHECK, f"{FORM}:12:", "save this file as UTF-8"),
    Case("utf16", {FORM: form(FIELD).encode("utf-16")}, CHECK, f"{FORM}:1:", "save this file as UTF-8"),
    Case("nul-byte", {FORM: form(FIELD).encode() + b"\0\0\0"}, CHECK, f"{FORM}:13", "binary data"),
    Case("control-char", {FORM: form(FIELD).replace("Name}", "Na\x07me}")}, CHECK, f"{FORM}:12", "not allowed in YAML"),
    Case("too-large", {FORM: "# " + "x" * 2_100_000 + "\n"}, CHECK, FORM, "more than the limit"),
    Case("tab-indent", {FORM: form(FIELD).replace("    title: One", "\ttitle: One")}, CHECK, f"{FORM}:10", "YAML syntax error"),
    Case("unclosed-quote", {FORM: form('      - {id: name, kind: text, label: "Name}\n')}, CHECK, f"{FORM}:", "YAML syntax error"),
    Case("duplicate-key", {FORM: form(FIELD, head="when: a\nwhen: b\n")}, CHECK, f"{FORM}:9", "appears twice"),
    Case("complex-key", {FORM: form(FIELD, head="? [a, b]\n: c\n")}, CHECK, f"{FORM}:8", "plain word"),
    Case("merge-key", {FORM: "base: &b {x: 1}\nother:\n  <<: *b\n"}, CHECK, f"{FORM}:3", "merge keys"),
    Case("empty-file", {FORM: ""}, CHECK, f"{FORM}:1", "must be a block of keys"),
    Case("only-comment", {FORM: "# nothing here\n"}, CHECK, f"{FORM}:1", "must be a block of keys"),
    Case("top-level-list", {FORM: "- a\n- b\n"}, CHECK, f"{FORM}:1", "must be a block of keys"),
    Case("form-is-folder", {}, CHECK, FORM, "folder, not a file", setup=[("dir", FORM)]),
    Case("yml-extension", {"forms/extra.yml": form(FIELD).replace("id: bad", "id: extra")}, CHECK,
         "forms/extra.yml", "rename it to extra.yaml"),
    # --- form definitions: shapes the schema must catch without a traceback ------------------------------
    Case("id-200-chars", {FORM: form(FIELD).replace("id: bad", "id: " + "a" * 200)}, CHECK, f"{FORM}:1", "the limit is 60"),
    Case("condition-expression", {FORM: form(YES_NO, "      - {id: why, kind: text, label: Why, show_if: here == yes}\n")},
         CHECK, f"{FORM}:13", "show_if"),
    Case("condition-list", {FORM: form(YES_NO, "      - {id: why, kind: text, label: Why, show_if: [here, 'yes']}\n")},
         CHECK, f"{FORM}:13", "show_if"),
    Case("condition-two-ops", {FORM: form(YES_NO, "      - {id: why, kind: text, label: Why, show_if: {field: here, is: 'yes', is_not: 'no'}}\n")},
         CHECK, f"{FORM}:13", "exactly one of"),
    Case("condition-number", {FORM: form(YES_NO, "      - {id: why, kind: text, label: Why, show_if: {field: here, is: 5}}\n")},
         CHECK, f"{FORM}:13", "must be text"),
    Case("condition-later-field", {FORM: form("      - {id: why, kind: text, label: Why, show_if: {field: here, is: 'yes'}}\n", YES_NO)},
         CHECK, f"{FORM}:12", "not a field above"),
    Case("sections-text", {FORM: form(FIELD).split("sections:")[0] + "sections: many\n"}, CHECK, f"{FORM}:8", "must be a list"),
    Case("fields-mapping", {FORM: form("        name: {kind: text}\n")}, CHECK, f"{FORM}:12", "must be a list"),
    Case("field-is-text", {FORM: form("      - just a name\n")}, CHECK, f"{FORM}:12", "must be a block of keys"),
    Case("kind-is-list", {FORM: form("      - {id: name, kind: [text], label: Name}\n")}, CHECK, f"{FORM}:12", "kind"),
    Case("label-number", {FORM: form("      - {id: name, kind: text, label: 5}\n")}, CHECK, f"{FORM}:12", "must be text"),
    Case("label-too-long", {FORM: form("      - {id: name, kind: text, label: " + "x" * 600 + "}\n")}, CHECK,
         f"{FORM}:12", "the limit is 500"),
    Case("too-many-fields", {FORM: form(*[f"      - {{id: f{i}, kind: text, label: F}}\n" for i in range(151)])}, CHECK,
         f"{FORM}:12", "the limit is 150"),
    Case("too-many-options", {FORM: form("      - id: c\n        kind: choice\n        label: C\n        options:\n"
                                         + "".join(f"          - {{value: o{i}, label: O}}\n" for i in range(201)))},
         CHECK, f"{FORM}:16", "the limit is 200"),
    Case("too-many-sections", {FORM: form(FIELD) + "".join(f"  - id: s{i}\n    title: S\n    fields: [{{id: x{i}, kind: text, label: X}}]\n"
                                                            for i in range(50))}, CHECK, f"{FORM}:9", "the limit is 50"),
    Case("too-many-columns", {FORM: form("      - id: t\n        kind: table\n        label: T\n        columns:\n"
                                         + "".join(f"          - {{id: c{i}, label: C}}\n" for i in range(13)))},
         CHECK, f"{FORM}:16", "the limit is 12"),
    Case("huge-integer", {FORM: form("      - {id: n, kind: long_text, label: N, lines: " + "9" * 5000 + "}\n")}, CHECK,
         f"{FORM}:12", ""),
    Case("lines-infinite", {FORM: form("      - {id: n, kind: long_text, label: N, lines: .inf}\n")}, CHECK, f"{FORM}:12", "whole number"),
    Case("rows-negative", {FORM: form("      - {id: t, kind: table, label: T, rows: -1, columns: [{id: a, label: A}]}\n")},
         CHECK, f"{FORM}:12", ""),
    Case("issued-not-date", {FORM: form(FIELD).replace("2026-11-01", "yesterday")}, CHECK, f"{FORM}:3", "YYYY-MM-DD"),
    Case("issued-impossible", {FORM: form(FIELD).replace("2026-11-01", "2026-13-45")}, CHECK, f"{FORM}:3", "YYYY-MM-DD"),
    Case("version-number", {FORM: form(FIELD).replace('"1.0"', "1.0")}, CHECK, f"{FORM}:2", "must be text"),
    Case("id-not-file-name", {FORM: form(FIELD).replace("id: bad", "id: other")}, CHECK, f"{FORM}:1", "must match the file name"),
    Case("id-khmer", {FORM: form("      - {id: ឈ្មោះ, kind: text, label: Name}\n")}, CHECK, f"{FORM}:12", "snake_case"),
    Case("option-twice", {FORM: form("      - id: c\n        kind: choice\n        label: C\n        options:\n"
                                     "          - {value: a, label: A}\n          - {value: a, label: B}\n")},
         CHECK, f"{FORM}:17", "used twice"),
    Case("column-kind", {FORM: form("      - {id: t, kind: table, label: T, columns: [{id: a, label: A, kind: photo}]}\n")},
         CHECK, f"{FORM}:12", "unknown column kind"),
    # --- lists.yaml -------------------------------------------------------------------------------------------
    Case("lists-tag", {"forms/lists.yaml": "need_category: !!python/object:list {}\n"}, CHECK, "forms/lists.yaml:1", "YAML tags"),
    Case("lists-latin1", {"forms/lists.yaml": b"need_category:\n  label: Caf\xe9\n"}, CHECK, "forms/lists.yaml:2", "save this file as UTF-8"),
    Case("lists-empty", {"forms/lists.yaml": ""}, CHECK, "forms/lists.yaml", "empty"),
    Case("lists-a-list", {"forms/lists.yaml": "- a\n- b\n"}, CHECK, "forms/lists.yaml:1", "must be a block of keys"),
    Case("lists-bomb", {"forms/lists.yaml": BOMB}, CHECK, "forms/lists.yaml:", "aliases"),
    Case("lists-too-many-options", {"forms/lists.yaml": "big:\n  label: Big\n  options:\n"
                                    + "".join(f"    - {{value: o{i}, label: O}}\n" for i in range(201))},
         CHECK, "forms/lists.yaml:4", "the limit is 200"),
    Case("lists-missing", {"forms/lists.yaml": None}, CHECK, "forms/lists.yaml", "file not found"),
    # --- settings.yaml ------------------------------------------------------------------------------------
    Case("logo-parent-path", {SETTINGS: settings("../../etc/passwd")}, CHECK, f"{SETTINGS}:3", "outside the project folder"),
    Case("logo-absolute", {SETTINGS: settings("/etc/passwd")}, CHECK, f"{SETTINGS}:3", "outside the project folder"),
    Case("logo-symlink-out", {SETTINGS: settings("logo.png")}, CHECK, f"{SETTINGS}:3", "outside the project folder",
         setup=[("symlink", "forms/logo.png", "/etc/hostname")]),
    Case("logo-not-png", {SETTINGS: settings("logo.png"), "forms/logo.png": "I am text\n"}, CHECK, f"{SETTINGS}:3", "not a PNG image"),
    Case("logo-svg-is-png", {SETTINGS: settings("logo.svg"), "forms/logo.svg": PNG}, CHECK, f"{SETTINGS}:3", "not a SVG image"),
    Case("logo-kind-txt", {SETTINGS: settings("logo.txt"), "forms/logo.txt": "x\n"}, CHECK, f"{SETTINGS}:3", "not an image"),
    Case("logo-missing", {SETTINGS: settings("logo.png")}, CHECK, f"{SETTINGS}:3", "not found"),
    Case("logo-folder", {SETTINGS: settings("forms")}, CHECK, f"{SETTINGS}:3", ""),
    Case("language-unknown", {SETTINGS: settings(languages="[en, xx]")}, CHECK, f"{SETTINGS}:3", "Babel knows"),
    Case("language-first-not-en", {SETTINGS: settings(languages="[km, en]")}, CHECK, f"{SETTINGS}:3", "first language"),
    Case("bilingual-not-in-languages", {SETTINGS: settings(extra="bilingual: [lo]\n")}, CHECK, f"{SETTINGS}:5", "not in languages"),
    Case("settings-tag", {SETTINGS: settings() + "khmer_digits: !!bool yes\n"}, CHECK, f"{SETTINGS}:5", "YAML tags"),
    Case("settings-latin1", {SETTINGS: settings().encode().replace(b"Fixture", b"Fixt\xfcre")}, CHECK, f"{SETTINGS}:2", "save this file as UTF-8"),
    Case("settings-missing", {SETTINGS: None}, CHECK, SETTINGS, "file not found"),
    Case("agency-name-too-long", {SETTINGS: settings().replace("Fixture agency", "A" * 600)}, CHECK, f"{SETTINGS}:2", "the limit is 500"),
    # --- glossary ----------------------------------------------------------------------------------------
    Case("glossary-tag", {"translations/glossary.yaml": "- !!python/name:os.system\n"}, CHECK, "translations/glossary.yaml:1", "YAML tags"),
    Case("glossary-twice", {"translations/glossary.yaml": "- {term: {en: Case, km: ករណី}, definition: {en: A, km: ក}}\n"
                                                        "- {term: {en: case, km: ករណី}, definition: {en: B, km: ខ}}\n"},
         CHECK, "translations/glossary.yaml:2", "defined twice"),
    Case("glossary-mapping", {"translations/glossary.yaml": "term: Case\n"}, CHECK, "translations/glossary.yaml:1", "must be a list"),
    Case("glossary-latin1", {"translations/glossary.yaml": b"- {term: Caf\xe9}\n"}, CHECK, "translations/glossary.yaml:1", "UTF-8"),
    # --- catalogs -------------------------------------------------------------------------------------------
    Case("po-syntax", {PO: PO_HEAD + 'msgid "Home visit note"\nmsgstr ការចុះ\n'}, CHECK, f"{PO}:8", "gettext syntax error"),
    Case("po-charset-latin1", {PO: PO_HEAD.replace("charset=utf-8", "charset=ISO-8859-1")}, CHECK, f"{PO}:4", "save this file as UTF-8"),
    Case("po-charset-unknown", {PO: PO_HEAD.replace("charset=utf-8", "charset=klingon")}, CHECK, f"{PO}:4", "UTF-8"),
    Case("po-bad-bytes", {PO: (PO_HEAD + 'msgid "Home visit note"\nmsgstr "\xff"\n').encode("latin-1")}, CHECK, f"{PO}:8:", "save this file as UTF-8"),
    Case("po-binary", {PO: b"\0\x01\x02\x03" * 100}, CHECK, f"{PO}:1", "binary data"),
    Case("po-drops-placeholder", {PO: PO_HEAD + 'msgid "Page {page} of {pages}"\nmsgstr "ទំព័រ {page}"\n'}, CHECK, f"{PO}:7", "placeholders"),
    Case("po-renames-placeholder", {PO: PO_HEAD + 'msgid "Page {page} of {pages}"\nmsgstr "ទំព័រ {ទំព័រ} នៃ {pages}"\n'}, CHECK, f"{PO}:7", "placeholders"),
    Case("po-unbalanced-brace", {PO: PO_HEAD + 'msgid "Page {page} of {pages}"\nmsgstr "ទំព័រ {page} នៃ {pages} }"\n'}, CHECK, f"{PO}:7", "brace"),
    Case("po-adds-markup", {PO: PO_HEAD + 'msgid "Home visit note"\nmsgstr "<script>alert(1)</script>"\n'}, CHECK, f"{PO}:7", "markup"),
    Case("po-update-broken", {PO: PO_HEAD + 'msgid "Home visit note"\nmsgstr ការចុះ\n'}, ["i18n", "update"], f"{PO}:8", "gettext syntax error"),
    Case("po-status-broken", {PO: PO_HEAD + 'msgid "Home visit note"\nmsgstr "x" "\n'}, ["i18n", "status"], f"{PO}:", "syntax error"),
    Case("po-status-unknown-language", {}, ["i18n", "status", "xx"], "translations/xx/LC_MESSAGES/casekit.po", "no catalog"),
    Case("po-missing-for-setting", {PO: None}, CHECK, PO, "no catalog for language 'km'"),
    # --- fill data --------------------------------------------------------------------------------------------
    Case("fill-yaml-bomb", {"data.yaml": BOMB}, FILL, "data.yaml:", "aliases"),
    Case("fill-yaml-doubling", {"data.yaml": DOUBLING}, FILL, "data.yaml:", "aliases"),
    Case("fill-yaml-tag", {"data.yaml": "visit_date: !!python/object/apply:os.system [ls]\n"}, FILL, "data.yaml:1", "YAML tags"),
    Case("fill-yaml-deep", {"data.yaml": "a: " + "[" * 100 + "]" * 100 + "\n"}, FILL, "data.yaml:1", "nested more than"),
    Case("fill-latin1", {"data.yaml": b"notes: caf\xe9\n"}, FILL, "data.yaml:1", "save this file as UTF-8"),
    Case("fill-csv-quote", {"data.csv": 'visit_date,notes\n2026-11-02,"unclosed\n2026-11-03,b\n'},
         ["fill", "visit", "data.csv", "-o", "out"], "data.csv:2", "quote"),
    Case("fill-csv-extra-cells", {"data.csv": "visit_date,notes\n2026-11-02,a,b\n"}, ["fill", "visit", "data.csv", "-o", "out"],
         "data.csv:2", "cells"),
    Case("fill-csv-header-twice", {"data.csv": "notes,notes\na,b\n"}, ["fill", "visit", "data.csv", "-o", "out"], "data.csv:1", "appears twice"),
    Case("fill-json-syntax", {"data.json": '{"visit_date": "2026-11-02",\n "notes": }\n'}, ["fill", "visit", "data.json", "-o", "out.pdf"],
         "data.json:2", "not valid JSON"),
    Case("fill-json-deep", {"data.json": "[" * 100_000 + "]" * 100_000}, ["fill", "visit", "data.json", "-o", "out.pdf"],
         "data.json:1", "nested too deeply"),
    Case("fill-json-number", {"data.json": "5\n"}, ["fill", "visit", "data.json", "-o", "out.pdf"], "data.json", "expected an object"),
    Case("fill-unknown-field", {"data.yaml": "visit_date: 2026-11-02\nnotse: x\n"}, FILL, "data.yaml:2", "did you mean 'notes'"),
    Case("fill-bad-date", {"data.yaml": "visit_date: 31/02/2026\n"}, FILL, "data.yaml:1", "not a date"),
    Case("fill-missing-file", {}, FILL, "data.yaml", "file not found"),
    Case("fill-data-folder", {}, FILL, "data.yaml", "folder, not a file", setup=[("dir", "data.yaml")]),
    Case("fill-unknown-suffix", {"data.txt": "x\n"}, ["fill", "visit", "data.txt", "-o", "out.pdf"], "data.txt", "unknown kind"),
    Case("fill-output-is-input", {"data.yaml": "visit_date: 2026-11-02\n"}, ["fill", "visit", "data.yaml", "-o", "data.yaml"],
         "data.yaml", "also an input"),
    # --- extract and report -----------------------------------------------------------------------------------
    Case("extract-output-is-input", {"saved.json": SAVED}, ["extract", "saved.json", "-o", "saved.json"], "saved.json", "also an input"),
    Case("extract-output-is-input-spelt", {"saved.json": SAVED}, ["extract", "saved.json", "-o", "./sub/../saved.json"],
         "saved.json", "also an input", setup=[("dir", "sub")]),
    Case("extract-output-is-definition", {"saved.json": SAVED}, ["extract", "saved.json", "-o", "forms/visit.json"], "forms/visit.json", "also an input",
         setup=[("symlink", "forms/visit.json", "visit.yaml")]),
    Case("extract-not-pdf", {"x.pdf": b"hello, I am not a PDF"}, ["extract", "x.pdf", "-o", "out.csv"], "x.pdf", "not a PDF"),
    Case("extract-broken-pdf", {"x.pdf": b"%PDF-1.7\n" + os.urandom(0) + b"\x00garbage" * 50}, ["extract", "x.pdf", "-o", "out.csv"],
         "x.pdf", "cannot read this PDF"),
    Case("extract-json-wrong-form", {"saved.json": SAVED.replace('"visit"', '"intake"')}, ["extract", "saved.json", "-o", "out.csv"],
         "saved.json", "not defined in this project"),
    Case("extract-json-bad-value", {"saved.json": SAVED.replace("2026-11-02", "soon")}, ["extract", "saved.json", "-o", "out.csv"],
         "saved.json", "not a date"),
    Case("extract-json-syntax", {"saved.json": SAVED[:-3]}, ["extract", "saved.json", "-o", "out.csv"], "saved.json:1", "not valid JSON"),
    Case("extract-output-suffix", {"saved.json": SAVED}, ["extract", "saved.json", "-o", "out.txt"], "out.txt", ".csv or .json"),
    Case("extract-output-folder", {"saved.json": SAVED}, ["extract", "saved.json", "-o", "out.csv"], "out.csv", "folder of this name",
         setup=[("dir", "out.csv")]),
    Case("extract-parent-is-file", {"saved.json": SAVED, "notes.txt": "x\n"}, ["extract", "saved.json", "-o", "notes.txt/out.csv"],
         "notes.txt/out.csv", "a file stands where a folder"),
    Case("report-output-is-input", {"table.csv": "_form,_version,visit_date\nvisit,1.0,2026-11-02\n"},
         ["report", "table.csv", "-o", "table.csv"], "table.csv", "also an input"),
    Case("pdf-output-is-definition", {}, ["pdf", "visit", "-o", "forms/visit.yaml"], "forms/visit.yaml", "also an input"),
    # --- commands outside a project -----------------------------------------------------------------------
    Case("not-a-project", {}, ["--root", "empty", "check"], "empty", "this is not a casekit project folder",
         setup=[("dir", "empty")]),
]


def _snapshot(root: Path) -> dict:
    """Every file and folder under root: content digest and mode, so a changed byte or mode shows."""
    out = {}
    for path in sorted(root.rglob("*")):
        stat = path.lstat()
        if path.is_symlink():
            out[str(path.relative_to(root))] = ("link", os.readlink(path))
        elif path.is_dir():
            out[str(path.relative_to(root))] = ("dir", stat.st_mode)
        else:
            out[str(path.relative_to(root))] = (hashlib.sha256(path.read_bytes()).hexdigest(), stat.st_mode)
    return out


def run(root: Path, argv: list, capsys, monkeypatch) -> tuple[int, str]:
    """casekit ARGV in ROOT, in this process; a traceback fails the test with the exception itself."""
    from generator.cli import main
    monkeypatch.chdir(root)
    try:
        status = main(argv)
    except SystemExit as stop:
        status = stop.code
    captured = capsys.readouterr()
    return status, captured.out + captured.err


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root)
    return root


def test_corpus_is_large_and_ids_are_unique():
    assert len(CASES) >= 80
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, hostile: Path, capsys, monkeypatch):
    for relative, content in case.files.items():
        path = hostile / relative
        if content is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    for step in case.setup:
        if step[0] == "dir":
            (hostile / step[1]).mkdir(parents=True)
        else:
            (hostile / step[1]).symlink_to(step[2])
    before = _snapshot(hostile)
    status, output = run(hostile, case.argv, capsys, monkeypatch)
    assert status == 1, output
    assert "Traceback" not in output
    assert case.where in output.replace("\\", "/"), output
    assert case.says in output, output
    assert _snapshot(hostile) == before, "a file was written or changed"
