"""A failed build leaves site/ and content/ exactly as they were; a good one swaps the new site in.

Built once on the tiny project of the bad-input corpus (one short form, English and Khmer), so the
PDFs to render are few.
"""
from __future__ import annotations

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


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("staging") / "project"
    shutil.copytree(FIXTURES / "hostile", root)
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    (root / "content").mkdir()
    (root / "content" / "index.md").write_text("# Fixture handbook\n\nA page of the test project.\n", encoding="utf-8")
    return root


def test_build_then_failed_build_changes_nothing(built, capsys, monkeypatch):
    status, output = run(built, ["build"], capsys, monkeypatch)
    assert status == 0, output
    assert (built / "site" / "index.html").is_file() and (built / "site" / "forms" / "manifest.json").is_file()
    assert (built / "content" / "forms" / "visit.md").is_file()
    assert stat.S_IMODE((built / "site" / "forms" / "manifest.json").stat().st_mode) == 0o644
    assert not list(built.glob(".site.*"))

    site, content = _snapshot(built / "site"), _snapshot(built / "content")
    # The next build writes a different generated page (a new glossary term), then fails late.
    (built / "translations" / "glossary.yaml").write_text(
        "- {term: Home visit, km: ការចុះសួរសុខទុក្ខតាមផ្ទះ, definition: A visit to the client at home., "
        "definition_km: ការទៅជួបអតិថិជននៅផ្ទះ។}\n", encoding="utf-8")

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
