"""Shared fixtures: the real project, a throw-away copy of it, and one built site for the whole run."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


def run_casekit(*args: str, cwd: Path = ROOT, check: bool = False) -> subprocess.CompletedProcess:
    """The command as a user runs it: a separate process, exit status and output."""
    result = subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True,
                            text=True, timeout=1800)
    if check and result.returncode != 0:
        raise AssertionError(f"casekit {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def project():
    from generator.model import load_project
    return load_project(ROOT)


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the definitions and catalogs that a test may break or extend."""
    for name in ("forms", "translations"):
        shutil.copytree(ROOT / name, tmp_path / name)
    cache = ROOT / ".cache"
    if cache.exists():  # reuse rendered PDFs: only what a test changes is rendered again
        shutil.copytree(cache, tmp_path / ".cache", symlinks=True)
    return tmp_path


@pytest.fixture(scope="session")
def built_site() -> Path:
    """`casekit build` once per test run, exactly as the README says."""
    run_casekit("build", check=True)
    return ROOT / "site"
