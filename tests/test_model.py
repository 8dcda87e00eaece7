"""The form model: every form loads, ids are unique, every reference resolves."""
import ast
import re

from conftest import ROOT
from generator.xlsform import relevant

SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def test_six_standard_forms_load(project):
    assert {"intake", "assessment", "case_plan", "review", "referral", "closure"} <= set(project.forms)
    stages = {f.stage for f in project.forms.values()}
    assert stages == {"intake", "assessment", "planning", "implementation", "closure"}


def test_field_ids_unique_and_snake_case(project):
    for form in project.forms.values():
        names = [d.name for d in form.data_fields]
        assert len(names) == len(set(names)), form.id
        for field in form.fields:
            assert SNAKE.match(field.id), (form.id, field.id)


def test_every_list_reference_resolves(project):
    for form in project.forms.values():
        for field in form.fields:
            if field.list_name:
                assert field.list_name in project.lists
                assert field.options == project.lists[field.list_name].options
            if field.kind in ("choice", "multi_choice"):
                assert field.options, (form.id, field.id)
            if field.kind == "rating_grid":
                assert field.scale and field.items


def test_conditions_point_to_earlier_choice_fields(project):
    for form in project.forms.values():
        seen = {}
        for field in form.fields:
            if field.show_if:
                target = seen[field.show_if.field]
                assert field.show_if.value in [o.value for o in target.choices]
                assert relevant(field.show_if).startswith(("${", "selected("))
            seen[field.id] = field


def test_referral_carries_both_case_numbers_and_reply_slip(project):
    referral = project.forms["referral"]
    names = {d.name for d in referral.data_fields}
    assert {"agency_case_number", "government_case_number"} <= names
    assert any(s.new_page for s in referral.sections)


def test_only_the_model_reads_yaml():
    """Renderers receive model objects: no module outside generator/model imports yaml."""
    offenders = []
    for path in (ROOT / "generator").rglob("*.py"):
        if "model" in path.relative_to(ROOT / "generator").parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, (ast.Import, ast.ImportFrom)) else []
            module = node.module if isinstance(node, ast.ImportFrom) else None
            if "yaml" in names or module == "yaml":
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == [] or all("data" in o for o in offenders), offenders


def test_glossary_holds_a_term_per_language(tmp_path):
    """A third language adds its term and definition beside the others; a language without a definition yet
    falls back to the English meaning."""
    from generator.model.load import load_glossary
    path = tmp_path / "glossary.yaml"
    path.write_text("- term: {en: referral, km: ការបញ្ជូនបន្ត, lo: ການສົ່ງຕໍ່}\n"
                    "  definition: {en: Sending a client to another agency., lo: ການສົ່ງລູກຄ້າໄປອົງການອື່ນ.}\n")
    (referral,) = load_glossary(path)
    assert (referral.english, referral.terms["lo"]) == ("referral", "ການສົ່ງຕໍ່")
    assert referral.definition("lo") == "ການສົ່ງລູກຄ້າໄປອົງການອື່ນ."
    assert referral.definition("km") == "Sending a client to another agency."  # English meaning until translated


def test_menu_lists_every_form_after_the_index():
    from generator.site.plugin import with_every_form
    nav = [{"Home": "index.md"}, {"Forms": ["forms/index.md", "forms/intake.md", "forms/old.md"]},
           {"Reference": ["reference/form-language.md"]}]
    pages = ["forms/intake.md", "forms/visit.md"]
    assert with_every_form(nav, pages) == [{"Home": "index.md"}, {"Forms": ["forms/index.md", *pages]},
                                           {"Reference": ["reference/form-language.md"]}]
