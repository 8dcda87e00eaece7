"""`casekit check` on broken definitions: one clear message per problem, with file and line, exit 1."""
import shutil

import pytest

from conftest import FIXTURES, run_casekit

CASES = [
    ("unknown_kind.yaml", 16, "unknown field kind 'colour_picker'"),
    ("duplicate_id.yaml", 15, "field id 'client_name' is already used by the field on line 12"),
    ("unknown_list.yaml", 15, "unknown list 'provinces_of_cambodia'"),
    ("not_snake_case.yaml", 12, "'ClientName' is not a snake_case id"),
    ("missing_key.yaml", 1, "missing required key 'purpose'"),
    ("syntax_error.yaml", 14, "YAML syntax error"),
]


def _check(root):
    result = run_casekit("--root", str(root), "check")
    assert "Traceback" not in result.stderr
    return result


@pytest.mark.parametrize("fixture, line, message", CASES)
def test_each_error_kind_names_file_line_and_fix(project_copy, fixture, line, message):
    shutil.copy(FIXTURES / "forms" / fixture, project_copy / "forms" / fixture)
    result = _check(project_copy)
    assert result.returncode == 1
    assert f"forms/{fixture}:{line}:" in result.stderr.replace("\\", "/")
    assert message in result.stderr
    assert "nothing was written" in result.stderr


def test_list_option_used_twice(project_copy):
    shutil.copy(FIXTURES / "lists_duplicate_option.yaml", project_copy / "forms" / "lists.yaml")
    result = _check(project_copy)
    assert result.returncode == 1
    assert "forms/lists.yaml:6:" in result.stderr
    assert "option 'female' is used twice" in result.stderr


def test_all_errors_of_a_file_in_one_run(project_copy):
    shutil.copy(FIXTURES / "forms" / "several_errors.yaml", project_copy / "forms" / "several_errors.yaml")
    result = _check(project_copy)
    assert result.returncode == 1
    lines = [l for l in result.stderr.splitlines() if "several_errors.yaml" in l]
    assert len(lines) == 3, result.stderr
    assert ":12:" in lines[0] and "'Bad_Id'" in lines[0]
    assert ":16:" in lines[1] and "unknown field kind 'sketch'" in lines[1]
    assert ":21:" in lines[2] and "unknown list 'nowhere'" in lines[2]


def test_bad_input_writes_nothing(project_copy):
    shutil.copy(FIXTURES / "forms" / "unknown_kind.yaml", project_copy / "forms" / "unknown_kind.yaml")
    result = run_casekit("--root", str(project_copy), "build", "--forms-only")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert not (project_copy / "site").exists()


def test_real_forms_pass(project):
    result = run_casekit("check")
    assert result.returncode == 0, result.stderr
    assert f"{len(project.forms)} forms" in result.stdout and len(project.forms) == 10


def test_schema_export_is_valid_json_schema():
    import json

    import jsonschema
    result = run_casekit("schema")
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert "rating_grid" in schema["properties"]["sections"]["items"]["properties"]["fields"]["items"]["properties"]["kind"]["enum"]


def test_language_without_catalog_stops_check(project_copy):
    settings = project_copy / "forms" / "settings.yaml"
    settings.write_text(settings.read_text().replace("languages: [en, km]", "languages: [en, km, lo]")
                        + "  lo: {family: Noto Sans}\n")
    result = _check(project_copy)
    assert result.returncode == 1
    assert "translations/lo/LC_MESSAGES/casekit.po: no catalog for language 'lo'" in result.stderr
    assert "casekit i18n init lo" in result.stderr


def test_site_languages_must_match_the_settings(project_copy):
    shutil.copy(FIXTURES.parent.parent / "mkdocs.yml", project_copy / "mkdocs.yml")
    assert _check(project_copy).returncode == 0
    settings = project_copy / "forms" / "settings.yaml"
    settings.write_text(settings.read_text().replace("languages: [en, km]", "languages: [en]").replace("bilingual: [km]", "bilingual: []"))
    result = _check(project_copy)
    assert result.returncode == 1
    assert "mkdocs.yml:" in result.stderr and "the site's languages (en, km) differ from forms/settings.yaml (en)" in result.stderr


def test_language_without_font_stops_check(project_copy):
    """English and Khmer fonts ship with casekit; a language it does not ship must name its font."""
    settings = project_copy / "forms" / "settings.yaml"
    settings.write_text(settings.read_text().replace("languages: [en, km]", "languages: [en, km, th]"))
    result = _check(project_copy)
    assert result.returncode == 1
    assert "forms/settings.yaml:" in result.stderr and "language 'th' has no font" in result.stderr
