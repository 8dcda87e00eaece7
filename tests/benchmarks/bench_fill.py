"""Benchmark: `casekit fill` of a CSV of referrals (a mail merge for a government office), in PDFs per second.

Not collected by default. Run it with, for example:

    python -m pytest tests/benchmarks/bench_fill.py -o addopts="" -s --benchmark-columns=median,min,max

CASEKIT_BENCH_ROWS (default 500) and CASEKIT_BENCH_ROUNDS (default 3) change the size of the run.
"""
import csv
import os
import random
from pathlib import Path

from generator.cli import main

ROOT = Path(__file__).parent.parent.parent
ROWS = int(os.environ.get("CASEKIT_BENCH_ROWS", "500"))
ROUNDS = int(os.environ.get("CASEKIT_BENCH_ROUNDS", "3"))

# Fictional values only: names and places are made up, as in the trainer's kit.
NAMES = ["ស្រីពៅ", "សុខ ចាន់ធា", "Dara", "ចាន់ណា", "Vanna", "ស្រីមុំ"]
AGENCIES = ["មន្ទីរសង្គមកិច្ច ខេត្តបាត់ដំបង", "Provincial Department of Social Affairs, Siem Reap", "អង្គការជំនួយកុមារ"]


def referral_rows(count: int) -> list[dict]:
    pick = random.Random(7).choice
    return [{
        "agency_case_number": f"{n:08d}", "referral_date": "2026-11-03", "referring_agency": "អង្គការជំនួយកុមារ",
        "referring_contact": pick(NAMES), "referring_phone": "012 345 678", "receiving_agency": pick(AGENCIES),
        "client_name": pick(NAMES), "sex": pick(["female", "male"]), "age": str(8 + n % 30),
        "exploitation_types": pick(["trafficking_labour domestic_servitude", "forced_begging", "unsafe_migration"]),
        "case_summary": "កុមារីបានមកដល់អង្គការយើងនៅខែតុលា ក្រោយពីត្រូវបានជួយសង្គ្រោះពីការងារបម្រើតាមផ្ទះ។",
        "referral_reason": "ការសិក្សា និងការស្វែងរកគ្រួសារ", "services_requested_1_service": "ការសិក្សា",
        "services_requested_1_urgency": "within_2_weeks", "risk_level": pick(["high", "medium", "low"]),
        "consent_share": "yes", "consent_form": "written", "consent_expires": "2027-02-01",
    } for n in range(1, count + 1)]


def test_fill_referrals_from_csv(benchmark, tmp_path):
    data = tmp_path / "referrals.csv"
    rows = referral_rows(ROWS)
    with data.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    rounds = iter(range(ROUNDS + 1))

    def fill() -> int:
        out = tmp_path / f"out-{next(rounds)}"
        status = main(["--root", str(ROOT), "fill", "referral", str(data), "-o", str(out), "--lang", "km"])
        assert status == 0
        return len(list(out.glob("*.pdf")))

    assert benchmark.pedantic(fill, rounds=ROUNDS, iterations=1) == ROWS
    rate = ROWS / benchmark.stats.stats.median
    benchmark.extra_info.update(rows=ROWS, cores=os.cpu_count(), pdfs_per_second=round(rate, 2))
    print(f"\n{ROWS} referral PDFs (km) on {os.cpu_count()} cores: median {benchmark.stats.stats.median:.1f} s, "
          f"{rate:.2f} PDFs per second")
