"""`casekit check` on the project, as a user runs it (a new process each time: imports included).
Run: python -m pytest tests/benchmarks/bench_check.py --benchmark-only -p no:cacheprovider"""
from conftest import run_casekit


def test_check(benchmark):
    run_casekit("check", check=True)  # warm the file system cache
    benchmark.pedantic(lambda: run_casekit("check", check=True), rounds=7, iterations=1)


def test_check_in_process(benchmark):
    """The work of `check` itself, without the cost of starting Python and importing the libraries."""
    import contextlib
    import io

    from generator.cli import main

    with contextlib.redirect_stdout(io.StringIO()):
        main(["check"])
        benchmark.pedantic(lambda: main(["check"]), rounds=7, iterations=1)
