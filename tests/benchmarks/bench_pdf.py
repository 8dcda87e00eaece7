"""PDF matrix speed and size. Run: python -m pytest tests/benchmarks/bench_pdf.py --benchmark-only -p no:cacheprovider
(not collected by the default run; report medians in the README, never assert on time)."""
import os
import resource
import shutil
import time
from concurrent.futures import ProcessPoolExecutor

import pytest

from conftest import ROOT
from generator.forms_pdf import PdfCache, all_jobs, render_all
from generator.layout import Layout
from generator.model import load_project
from generator.render import PACKAGE_DIR, form_html


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


def _raw(html: str) -> int:
    from weasyprint import HTML  # WeasyPrint as it comes: no casekit patch, stylesheet in the page
    return len(HTML(string=html, base_url=str(PACKAGE_DIR) + "/").write_pdf())


def test_matrix_against_raw_weasyprint(benchmark, copy, tmp_path_factory):
    """One run, side by side: raw WeasyPrint laying out the print documents alone (half the matrix) on every
    core, then casekit's cold matrix (every PDF, print and fillable). Goal (issue 11): ratio at most 1.2."""
    project = load_project(copy)
    jobs = all_jobs(project)
    layouts = {code: Layout.load(project.root, code) for code in project.layouts}
    print_html = [form_html(project, project.forms[j.form_id], layouts[j.layout], "print", j.paper)
                  for j in jobs if j.variant == "print"]
    workers = min(len(print_html), os.cpu_count() or 1)
    times = {}

    def timed(name, run):
        """Wall time, and the CPU time of this process and its workers: the machine is shared, CPU time is steadier."""
        wall, cpu = time.perf_counter(), _cpu()
        result = run()
        times[name] = (time.perf_counter() - wall, _cpu() - cpu)
        return result

    def raw():
        with ProcessPoolExecutor(workers) as pool:  # forked before casekit renders anything: unpatched
            return list(pool.map(_raw, print_html, chunksize=1))

    def side_by_side():
        timed("raw", raw)
        return timed("casekit", lambda: render_all(project, jobs, PdfCache(tmp_path_factory.mktemp("cold")), workers))

    benchmark.pedantic(side_by_side, rounds=1, iterations=1)
    (raw_wall, raw_cpu), (wall, cpu) = times["raw"], times["casekit"]
    benchmark.extra_info.update(raw_print_documents=len(print_html), casekit_pdfs=len(jobs),
                                raw_wall_s=round(raw_wall, 1), casekit_wall_s=round(wall, 1),
                                wall_ratio=round(wall / raw_wall, 2), raw_cpu_s=round(raw_cpu, 1),
                                casekit_cpu_s=round(cpu, 1), cpu_ratio=round(cpu / raw_cpu, 2))
    print(f"\nraw WeasyPrint, {len(print_html)} print documents: {raw_wall:.1f} s wall, {raw_cpu:.1f} s CPU; "
          f"casekit cold matrix, {len(jobs)} PDFs: {wall:.1f} s wall, {cpu:.1f} s CPU; "
          f"ratio {wall / raw_wall:.2f} wall, {cpu / raw_cpu:.2f} CPU")


def _cpu() -> float:
    """User + system seconds of this process and of its finished workers."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


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
