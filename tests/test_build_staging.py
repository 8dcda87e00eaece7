"""One build of a tiny project with a hostile form: its text is inert on every page, its field ids
(reset, submit, elements …) do not break the browser form, and a failed build afterwards leaves
site/ and content/ exactly as they were.

The project is that of the bad-input corpus (one short form, English and Khmer) plus the hostile
form, so the PDFs to render are few.
"""
from __future__ import annotations

import html.parser
import json
import shutil
import stat
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from generator.errors import InputError, Problem
from test_bad_input import _snapshot, run

MKDOCS = f"""site_name: Fixture handbook
docs_dir: content
site_dir: site
use_directory_urls: false
theme:
  name: material
  custom_dir: {ROOT / "generator" / "site" / "overrides"}
  font: false
plugins:
  - casekit
  - search
  - i18n:
      docs_structure: suffix
      fallback_to_default: true
      languages:
        - {{locale: en, name: English, default: true, build: true}}
        - {{locale: km, name: ខ្មែរ, build: true}}
  - offline
"""


# Text a user would type, every piece an attack on one context: HTML, attributes, Markdown links and
# attributes, Jinja, JavaScript, CSS, the <title> element. Ids a browser form has as its own properties.
HOSTILE_TITLE = "Visit & </title><script>alert('title')</script>"
HOSTILE_LABEL = "<script>alert('label')</script></textarea><img src=x onerror=alert('img')>"
HOSTILE = f"""id: hostile
version: "1.0"
issued: 2026-11-01
title: {json.dumps(HOSTILE_TITLE)}
purpose: '[click](javascript:alert(1)) {{: onclick=alert(2)}} <b>bold</b> *emphasis*'
stage: intake
completed_by: '" onmouseover="alert(3)'
sections:
  - id: one
    title: '{{{{ 7*7 }}}} ${{alert(4)}} </style><style>body{{display:none}}</style>'
    fields:
      - {{id: reset, kind: text, label: {json.dumps(HOSTILE_LABEL)}}}
      - {{id: submit, kind: long_text, label: "</textarea><script>alert(5)</script>", hint: "<!-- -->"}}
      - {{id: elements, kind: yes_no, label: Elements}}
      - {{id: action, kind: choice, label: Action, options: [{{value: a, label: A}}, {{value: b, label: B}}]}}
      - {{id: length, kind: multi_choice, label: Length, options: [{{value: x, label: X}}, {{value: y, label: Y}}]}}
      - {{id: viewport, kind: text, label: Viewport}}
"""
MARKUP_ALLOWED_SCRIPTS = ("application/json",)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("staging") / "project"
    shutil.copytree(FIXTURES / "hostile", root)
    (root / "forms" / "hostile.yaml").write_text(HOSTILE, encoding="utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    (root / "content").mkdir()
    (root / "content" / "index.md").write_text("# Fixture handbook\n\nA page of the test project.\n", encoding="utf-8")
    from generator.cli import main
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        assert main(["build"]) == 0
    return root


class _Elements(html.parser.HTMLParser):
    """Every start tag with its attributes, and the text inside <title> and <script>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.scripts, self.titles, self._in = [], [], [], None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "title"):
            self._in = (tag, dict(attrs))
            (self.scripts if tag == "script" else self.titles).append([dict(attrs), ""])

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in:
            (self.scripts if self._in[0] == "script" else self.titles)[-1][1] += data


def test_hostile_text_is_inert_on_every_page(built):
    pages = [p for p in (built / "site").rglob("*.html") if "hostile" in p.read_text(encoding="utf-8")]
    assert {"forms/hostile.html", "km/forms/hostile.html", "forms/fill/hostile-en.html",
            "forms/index.html"} <= {str(p.relative_to(built / "site")) for p in pages}
    for page in pages:
        parsed = _Elements()
        parsed.feed(page.read_text(encoding="utf-8"))
        where = page.relative_to(built / "site")
        assert not [t for t, a in parsed.tags if t == "img" and a.get("src") == "x"], where
        for tag, attrs in parsed.tags:
            assert not any(k.startswith("on") for k in attrs), (where, tag, attrs)
            assert not str(attrs.get("href", "")).startswith("javascript:"), (where, attrs)
        for attrs, text in parsed.scripts:
            assert "alert(" not in text or attrs.get("type") in MARKUP_ALLOWED_SCRIPTS, (where, text[:200])
        assert "<b>bold</b>" not in page.read_text(encoding="utf-8"), where
        if page.name == "hostile.html":  # the title shows as written, in the tab and in the heading
            assert [text for _, text in parsed.titles][0].startswith(HOSTILE_TITLE), where
        if "fill" in str(where):  # as many style elements as the page of the harmless form, none of them added
            plain = _Elements()
            plain.feed((page.parent / "visit-en.html").read_text(encoding="utf-8"))
            assert [t for t in parsed.tags if t[0] == "style"] == [t for t in plain.tags if t[0] == "style"], where


def test_field_ids_that_are_form_properties_do_not_break_the_browser_form(built, tmp_path):
    """Ids such as reset, submit, elements, action, length: save and open still work."""
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_context(accept_downloads=True).new_page()
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto((built / "site" / "forms" / "fill" / "hostile-en.html").as_uri())
            page.fill('[name="reset"]', "Dara")
            page.fill('[name="submit"]', "a note")
            page.fill('input[name="viewport"]', "wide")  # <meta name="viewport"> has the name too
            page.check('[name="elements"][value="yes"]')
            page.check('[name="action"][value="b"]')
            page.check('[name="length__y"]')
            with page.expect_download() as download:
                page.click("#casekit-save")
            saved = tmp_path / "saved.json"
            download.value.save_as(saved)
            values = json.loads(saved.read_text(encoding="utf-8"))["values"]
            assert values == {"agency_case_number": "", "government_case_number": "", "reset": "Dara", "submit": "a note", "elements": "yes", "action": "b",
                              "length": "y", "viewport": "wide"}
            page.on("dialog", lambda dialog: dialog.accept())
            page.click("#casekit-clear")
            assert page.input_value('[name="reset"]') == ""
            page.set_input_files("#casekit-file", str(saved))
            page.wait_for_function("document.getElementsByName('reset')[0].value === 'Dara'")
            assert page.is_checked('[name="action"][value="b"]') and page.is_checked('[name="length__y"]')
            assert errors == []
        finally:
            browser.close()


def test_build_then_failed_build_changes_nothing(built, capsys, monkeypatch):
    assert (built / "site" / "index.html").is_file() and (built / "site" / "forms" / "manifest.json").is_file()
    assert (built / "content" / "forms" / "visit.md").is_file()
    assert stat.S_IMODE((built / "site" / "forms" / "manifest.json").stat().st_mode) == 0o644
    assert not list(built.glob(".site.*"))

    site, content = _snapshot(built / "site"), _snapshot(built / "content")
    # The next build writes a different generated page (a new glossary term), then fails late.
    (built / "translations" / "glossary.yaml").write_text(
        "- {term: {en: Home visit, km: ការចុះសួរសុខទុក្ខតាមផ្ទះ}, "
        "definition: {en: A visit to the client at home., km: ការទៅជួបអតិថិជននៅផ្ទះ។}}\n", encoding="utf-8")

    def fail(*args):
        raise InputError([Problem("site", "the disk is full (simulated, after the pages were written)")])
    monkeypatch.setattr("generator.site.plugin.split_search_index", fail)
    status, output = run(built, ["build"], capsys, monkeypatch)
    assert status == 1 and "disk is full" in output and "Traceback" not in output
    assert _snapshot(built / "site") == site
    assert _snapshot(built / "content") == content
    assert not list(built.glob(".site.*"))


def test_site_folder_that_is_a_file(tmp_path, capsys, monkeypatch):
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "hostile", root)
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    (root / "content").mkdir()
    (root / "site").write_text("not a folder\n", encoding="utf-8")
    before = _snapshot(root)
    status, output = run(root, ["build"], capsys, monkeypatch)
    assert status == 1 and "site: a file stands where the site folder goes" in output
    assert _snapshot(root) == before
