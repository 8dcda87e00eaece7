"""Checking values against a form: the rules fill, extract and report share."""
from pathlib import Path

import pytest

from generator.data.values import DataFileError, Row, check_row, read_rows
from generator.model import load_project

FIXTURES = Path(__file__).parent / "fixtures" / "data"


@pytest.fixture(scope="module")
def form():
    return load_project(FIXTURES / "project").forms["kinds"]


def check(form, **values):
    return check_row(form, Row("data.csv", 7, values))


def messages(problems):
    return [str(p) for p in problems]


def test_values_are_normalised(form):
    values, problems = check(form, client_name="  Sok Dara ", met_on="4/11/2026", age="១៦", phone_code="០១២៣",
                             agreed="yes", detail="at the office", needs=["education", "safety", "education"],
                             consent_share=True)
    assert problems == []
    assert values["client_name"] == "Sok Dara"
    assert values["met_on"] == "2026-11-04"  # as written on the paper form, day first
    assert values["age"] == "16" and values["phone_code"] == "0123"  # Khmer digits are read as digits
    assert values["needs"] == "safety education"  # the form's order, each once
    assert values["consent_share"] == "yes"
    assert values["story"] == ""  # every field of the form is in the row


@pytest.mark.parametrize("field, value, message", [
    ("met_on", "2026-02-30", "field 'met_on': '2026-02-30' is not a date; write it as YYYY-MM-DD"),
    ("age", "twelve", "field 'age': 'twelve' is not a number; write digits, such as 12 or 2.5"),
    ("phone_code", "12a4", "field 'phone_code': '12a4' must be digits only (0-9)"),
    ("phone_code", "12345", "field 'phone_code': '12345' has 5 digits; the form has 4 boxes"),
    ("sex", "f", "field 'sex': 'f' is not an option; use one of: female, male, other"),
    ("needs", "safety food", "field 'needs': 'food' is not an option; use any of: safety, physical_health, education, other"),
    ("consent_share", "ok", "field 'consent_share': 'ok' is not allowed; write yes (box ticked) or no"),
    ("agee", "12", "unknown field 'agee' for form 'kinds' (did you mean 'age'?)"),
])
def test_each_wrong_value_is_named_with_row_and_field(form, field, value, message):
    _, problems = check(form, **{"client_name": "Dara", "met_on": "2026-11-03", field: value})
    assert messages(problems) == [f"data.csv:7: {message}"]


def test_required_counts_only_in_a_section_that_was_started(form):
    # the second section is empty: its required consent is not asked for yet
    assert check(form, client_name="Dara", met_on="2026-11-03")[1] == []
    _, problems = check(form, client_name="Dara", met_on="2026-11-03", client_signature_name="Dara")
    assert messages(problems) == ["data.csv:7: field 'consent_share' is required but empty"]
    _, problems = check(form, caseworker_name="Thida")
    assert messages(problems) == ["data.csv:7: field 'client_name' is required but empty",
                                  "data.csv:7: field 'met_on' is required but empty"]


def test_required_follows_show_if(form):
    assert check(form, client_name="Dara", met_on="2026-11-03", agreed="no")[1] == []
    _, problems = check(form, client_name="Dara", met_on="2026-11-03", agreed="yes")
    assert messages(problems) == ["data.csv:7: field 'detail' is required but empty"]


def test_a_row_of_another_form_and_an_empty_row(form):
    _, problems = check(form, _form="referral", client_name="Dara", met_on="2026-11-03")
    assert messages(problems) == ["data.csv:7: this row is for form 'referral', not 'kinds'"]
    assert messages(check(form)[1]) == ["data.csv:7: no values in this row"]


def test_yaml_keeps_strings(tmp_path):
    path = tmp_path / "one.yaml"
    path.write_text("agency_case_number: 00012345\nagreed: yes\nneeds: [safety, education]\n", encoding="utf-8")
    [row] = read_rows(path)
    assert row.values == {"agency_case_number": "00012345", "agreed": "yes", "needs": ["safety", "education"]}
    assert row.line == 1


def test_csv_rows_are_numbered_like_a_spreadsheet(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("\ufeffclient_name,story\nDara,\"two\nlines\"\n,\nThida,x\n", encoding="utf-8")
    rows = read_rows(path)
    assert [(r.line, r.values["client_name"]) for r in rows] == [(2, "Dara"), (4, "Thida")]
    assert rows[0].values["story"] == "two\nlines"


def test_unreadable_files_are_reported(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"client_name": "Dara",\n}', encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        read_rows(bad)
    assert error.value.problems[0].line == 2
    with pytest.raises(DataFileError):
        read_rows(tmp_path / "values.txt")
