"""`casekit report`: the monitoring indicators of seed 000, from extracted tables."""
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from generator.data.report import indicators, terminal_table
from generator.layout import Layout
from generator.model import load_project

ROOT = Path(__file__).parent.parent
TABLES = Path(__file__).parent / "fixtures" / "data" / "report"
NAMES = ["intake.csv", "assessment.csv", "case_plan.csv", "review.csv", "referral.csv", "closure.csv"]


def casekit(*args, cwd=TABLES):
    return subprocess.run([sys.executable, "-m", "generator", "--root", str(ROOT), *args],
                          cwd=cwd, capture_output=True, text=True, timeout=300)


def test_indicators_table_and_one_page_pdf(tmp_path):
    result = casekit("report", *NAMES, "-o", str(tmp_path / "report.pdf"))
    assert result.returncode == 0, result.stderr
    # case 1: all five steps; 2: four (review); 3: four (referral); 4: two; 5 and 6: intake only.
    # services received (visit and review form): case 1 in two categories, case 2 in one; needs ticked at
    # intake (cases 3 and 5 tick several) are not services and do not count. Open: 2-6; case 2's review names Thida.
    lines = result.stdout.splitlines()
    assert lines[:8] == [
        "Cases                                                    6",
        "Clients who received services in two or more categories  1 / 6 (17%)",
        "Cases served through at least 4 of the 5 steps           3 / 6 (50%)",
        "Open cases per caseworker (limit 30)                     ",
        "  Dara                                                   2",
        "  Thida                                                  2",
        "  Sokha                                                  1",
        "1 record(s) without an agency case number were left out.",
    ]
    assert lines[9].startswith("Services: a client counts when") and "Justice and legal help" in lines[9]
    assert "Step 5: Closure" in lines[10] and "limit of 30" in lines[11]
    reader = PdfReader(tmp_path / "report.pdf")
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Case management indicators" in text and "1 / 6 (17%)" in text and "Thida" in text
    assert "Services: a client counts" in " ".join(text.split())


def test_khmer_report(tmp_path):
    result = casekit("report", *NAMES, "--lang", "km", "-o", str(tmp_path / "report-km.pdf"))
    assert result.returncode == 0, result.stderr
    assert len(PdfReader(tmp_path / "report-km.pdf").pages) == 1


def test_caseload_over_the_limit():
    project = load_project(ROOT)
    records = [{"_form": "intake", "agency_case_number": f"{n:08d}", "caseworker_name": "Dara"} for n in range(31)]
    records.append({"_form": "closure", "agency_case_number": "00000000", "caseworker_name": "Dara"})
    records.append({"_form": "intake", "agency_case_number": "00000099", "caseworker_name": ""})
    result = indicators(project, records)
    assert result.caseload == [("Dara", 30), ("", 1)]  # a closed case is not counted
    records.append({"_form": "intake", "agency_case_number": "00000100", "caseworker_name": "Dara"})
    table = terminal_table(project, indicators(project, records), Layout.load(ROOT, "en"))
    assert "  Dara                                                   31  (> 30)" in table
    assert "  (no caseworker named)                                  1" in table


def test_rows_of_unknown_forms_or_versions_are_refused(tmp_path):
    (tmp_path / "odd.csv").write_text("agency_case_number,_form,_version\n00000001,visit,1.0\n00000002,intake,0.9\n"
                                      "00000003,,\n")
    result = casekit("report", "odd.csv", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: odd.csv:2: form 'visit' is not defined in this project",
        "error: odd.csv:3: this record is version 0.9 of form 'intake'; the definition here is version 2.1",
        "error: odd.csv:4: no form named in column _form; use tables written by casekit extract",
        "3 problem(s) found; nothing was written.",
    ]
