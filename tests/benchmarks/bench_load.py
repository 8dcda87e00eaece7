"""Loading and checking the real forms through the hardened input boundary.

Run: python -m pytest tests/benchmarks/bench_load.py --benchmark-only -p no:cacheprovider"""
from conftest import ROOT


def test_load_project(benchmark):
    """Settings, lists, glossary and every form: YAML limits, schema with limits, logo checks."""
    from generator.model import load_project
    benchmark.pedantic(lambda: load_project(ROOT), rounds=10, iterations=1, warmup_rounds=1)


def test_read_catalog(benchmark):
    """The Khmer catalog read strictly: line check, Babel, placeholders and markup of every entry."""
    from generator.i18n import catalog_path, read_catalog
    benchmark.pedantic(lambda: read_catalog(catalog_path(ROOT, "km")), rounds=10, iterations=1, warmup_rounds=1)
