"""PDF matrix speed and size. Run: python -m pytest tests/benchmarks/bench_pdf.py --benchmark-only -p no:cacheprovider
(not collected by the default run; report medians in the README, never assert on time)."""
import shutil

import pytest

from conftest import ROOT
from generator.forms_pdf import PdfCache, all_jobs, render_all
from generator.model import load_project


@pytest.fixture
def copy(tmp_path):
    for name in ("forms", "translations"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def test_matrix_from_cold(benchmark, copy, tmp_path_factory):
    project = load_project(copy)
    jobs = all_jobs(project)

    def cold():
        return render_all(project, jobs, PdfCache(tmp_path_factory.mktemp("cold")))

    results = benchmark.pedantic(cold, rounds=3, iterations=1)
    sizes = sorted(len(r.pdf) for r in results)
    benchmark.extra_info.update(pdfs=len(results), largest_kb=sizes[-1] // 1024, median_kb=sizes[len(sizes) // 2] // 1024)


def test_rebuild_with_nothing_changed(benchmark, copy):
    project = load_project(copy)
    cache = PdfCache(copy / ".cache" / "pdf")
    render_all(project, all_jobs(project), cache)
    benchmark.pedantic(lambda: render_all(load_project(copy), all_jobs(project), cache), rounds=5, iterations=1)


def test_one_form_after_an_edit(benchmark, copy):
    cache = PdfCache(copy / ".cache" / "pdf")
    render_all(load_project(copy), all_jobs(load_project(copy)), cache)
    intake = copy / "forms" / "intake.yaml"
    original = intake.read_text()
    counter = iter(range(100))

    def edit_and_render():
        intake.write_text(original.replace("label: Place of meeting", f"label: Place of meeting {next(counter)}"))
        project = load_project(copy)
        jobs = [j for j in all_jobs(project) if j.form_id == "intake" and j.layout == "en" and j.variant == "print"
                and j.paper == "a4"]
        return render_all(project, jobs, cache)

    benchmark.pedantic(edit_and_render, rounds=5, iterations=1)
