"""XLSForms: every form converts with pyxform (the standard's own tool) without errors or warnings,
and the XForm it produces has the labels, conditions, choices and names of the paper form."""
import io
import re
import warnings
import zipfile
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from pyxform.xls2xform import convert

from conftest import ROOT, run_casekit
from generator.errors import InputError
from generator.i18n import Translator
from generator.model import load_project
from generator.model.schema import FIELD_KINDS
from generator.xlsform import FORM_NAME, KIND_ROWS, VERSION_NAME, column_suffix, instance_name, survey, workbook

FIXTURE = Path(__file__).parent / "fixtures" / "data" / "project"
NS = {"h": "http://www.w3.org/1999/xhtml", "x": "http://www.w3.org/2002/xforms"}


def projects():
    return [load_project(ROOT), load_project(FIXTURE)]


def all_forms():
    return [(p, f) for p in projects() for f in p.forms.values()]


@pytest.fixture(scope="module")
def converted():
    """form id -> (project, form, xlsx bytes, XForm root), for every form of the project and the fixture."""
    out = {}
    for project, form in all_forms():
        data = workbook(project, form)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = convert(xlsform=io.BytesIO(data), validate=False, file_type=".xlsx")
        assert not result.warnings and not caught, (form.id, result.warnings, [str(w.message) for w in caught])
        out[form.id] = (project, form, data, ET.fromstring(result.xform))
    return out


def test_the_fixture_has_every_field_kind_and_the_writer_maps_each():
    assert {f.kind for f in load_project(FIXTURE).forms["kinds"].fields} == set(FIELD_KINDS)
    assert set(KIND_ROWS) == set(FIELD_KINDS)


def test_a_kind_the_writer_does_not_know_fails_loudly():
    form = load_project(FIXTURE).forms["kinds"]
    section = replace(form.sections[0], fields=(replace(form.sections[0].fields[0], kind="audio_note"),))
    with pytest.raises(InputError, match="no mapping for field kind 'audio_note'"):
        survey(replace(form, sections=(section,)))


def test_every_form_converts_without_errors_or_warnings(converted):
    assert {"intake", "assessment", "case_plan", "review", "referral", "closure", "kinds"} <= set(converted)


def _instance(root):
    return root.find("h:head/x:model/x:instance", NS)[0]


def _leaves(node, path=""):
    """(path, node) of every value node of the main instance; the template copy of a repeat once."""
    seen = set()
    for child in node:
        name = child.tag.split("}")[1]
        child_path = f"{path}/{name}"
        if child_path in seen:
            continue
        seen.add(child_path)
        if len(child):
            yield from _leaves(child, child_path)
        else:
            yield child_path, child


def test_question_names_are_the_data_columns(converted):
    """Paper and tablet data join on the same columns: every data field is a question of that name."""
    for project, form, _, root in converted.values():
        s = survey(form)
        names = set()
        for path, _ in _leaves(_instance(root)):
            *groups, name = path.strip("/").split("/")
            assert name in ("instanceID",) or tuple(groups) == s.paths[name], (form.id, path)
            repeat = s.repeat_of.get(name)
            if repeat:
                names |= {instance_name(repeat, name, n) for n in range(1, s.repeats[repeat] + 1)}
            else:
                names.add(name)
        data = {d.name for d in form.data_fields}
        extra = names - data
        assert data <= names, (form.id, data - names)
        images = {f"{f.id}_image" for f in form.fields if f.kind == "signature"}
        notes = ({f.id for f in form.fields if f.kind == "instructions"} | {f"{s.id}_intro" for s in form.sections}
                 | {f"{f.id}_hint" for f in form.fields if f.hint and f.kind in ("table", "rating_grid")})
        counts = {f"{r}_count" for r in s.repeats}
        assert extra <= {FORM_NAME, VERSION_NAME, "instanceID", "form_instructions"} | images | notes | counts, extra


def test_labels_exist_in_every_language_and_come_from_the_catalogs(converted):
    for project, form, _, root in converted.values():
        translations = root.findall("h:head/x:model/x:itext/x:translation", NS)
        languages = project.settings.languages
        assert [t.get("lang") for t in translations] == [column_suffix(lang) for lang in languages]
        texts = [{e.get("id"): "".join(e.find("x:value", NS).itertext()) for e in t} for t in translations]
        assert all(t.keys() == texts[0].keys() for t in texts)
        for lang, text in zip(languages, texts):
            assert all(value.strip() for value in text.values()), (form.id, lang)
            translator = Translator.for_language(project.root, lang)
            title = text[f"/data/{form.sections[0].id}:label"]
            assert title == translator.gettext(form.sections[0].title)
        if "km" in languages:
            khmer = texts[languages.index("km")]
            assert sum(bool(re.search("[\u1780-\u17ff]", v)) for v in khmer.values()) > 0.9 * len(khmer)


def test_relevant_expressions_reference_existing_fields(converted):
    found = 0
    for project, form, _, root in converted.values():
        paths = {path for path, _ in _leaves(_instance(root))} | _groups(_instance(root))
        for bind in root.iter(f"{{{NS['x']}}}bind"):
            for reference in re.findall(r"/data(/[a-z0-9_/]+)", bind.get("relevant", "")):
                assert reference.rstrip("/") in paths, (form.id, bind.get("nodeset"), reference)
                found += 1
    conditions = sum(1 for _, f in all_forms() for field in f.fields if field.show_if)
    assert found >= conditions > 0


def _groups(node, path=""):
    out = set()
    for child in node:
        child_path = f"{path}/{child.tag.split('}')[1]}"
        if len(child):
            out |= {child_path} | _groups(child, child_path)
    return out


def test_choices_match_the_lists(converted):
    for project, form, _, root in converted.values():
        lists = {i.get("id"): [item.find("x:name", NS).text for item in i.iter(f"{{{NS['x']}}}item")]
                 for i in root.findall("h:head/x:model/x:instance", NS)[1:]}
        selects = {e.get("ref").rsplit("/", 1)[1]: e.find("x:itemset", NS).get("nodeset").split("'")[1]
                   for tag in ("select1", "select") for e in root.iter(f"{{{NS['x']}}}{tag}")}
        data = {d.name: d for d in form.data_fields}
        s = survey(form)
        for name, list_id in selects.items():
            field = data[instance_name(s.repeat_of[name], name, 1)] if name in s.repeat_of else data[name]
            assert lists[list_id] == [o.value for o in field.options], (form.id, name)
        rows = {r: n for r, n in s.repeats.items()}
        per_row = sum(1 for name in selects if name in s.repeat_of for _ in range(rows[s.repeat_of[name]] - 1))
        assert len(selects) + per_row == sum(1 for d in form.data_fields if d.widget in ("radio", "checkboxes"))


def test_settings_sheet_and_language_columns(converted):
    project, form, data, root = converted["intake"]
    book = openpyxl.load_workbook(io.BytesIO(data))
    settings = dict(zip(*[[c.value for c in row] for row in book["settings"].iter_rows()]))
    assert settings["version"] == form.version and settings["form_id"] == "intake"
    assert settings["default_language"] == "English (en)"
    header = [c.value for c in next(book["survey"].iter_rows())]
    assert {"label::English (en)", "label::Khmer (km)", "hint::Khmer (km)"} <= set(header)
    assert _instance(root).get("version") == form.version


def test_xlsform_bytes_are_the_same_on_every_run():
    project = load_project(FIXTURE)
    assert workbook(project, project.forms["kinds"]) == workbook(project, project.forms["kinds"])


def test_command_writes_one_file_per_form_and_refuses_an_unknown_form(tmp_path):
    result = run_casekit("xlsform", "intake", "referral", "-o", str(tmp_path / "out"), check=True)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["intake.xlsx", "referral.xlsx"]
    assert "wrote 2 XLSForm(s)" in result.stdout
    bad = run_casekit("xlsform", "intake", "no_such_form", "-o", str(tmp_path / "bad"))
    assert bad.returncode == 1 and "no_such_form: no such form" in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "bad").exists()


def test_form_pages_offer_the_xlsform_and_the_manifest_lists_it(tmp_path):
    """Rendered as MkDocs would: each form page links its .xlsx, the forms index links the zip of all."""
    import markdown
    from generator.build import FormsOutput, add_xlsforms
    from generator.site.pages import write_pages
    project = load_project(ROOT)
    output = FormsOutput([], {"generator": "casekit", "files": [], "bundles": []})
    add_xlsforms(project, output)
    write_pages(project, tmp_path, output.manifest)
    entries = {e["form"]: e for e in output.manifest["xlsforms"]}
    assert set(entries) == set(project.forms)
    for form in project.forms.values():
        entry = entries[form.id]
        assert output.files[entry["path"]] == workbook(project, form) and entry["version"] == form.version
        for page, root, label in ((f"forms/{form.id}.md", "../", "XLSForm for KoboToolbox and ODK"),
                                  (f"forms/{form.id}.km.md", "../../", "XLSForm សម្រាប់ KoboToolbox និង ODK")):
            html = markdown.markdown((tmp_path / page).read_text(), extensions=["attr_list", "md_in_html", "tables"])
            assert f'<a href="{root}forms/{entry["path"]}" download>{label}</a>' in html
            assert 'href="../reference/going-digital.html"' in html
    bundle = output.manifest["xlsform_bundle"]
    with zipfile.ZipFile(io.BytesIO(output.files[bundle["path"]])) as archive:
        assert sorted(archive.namelist()) == sorted(f"{f}.xlsx" for f in project.forms)
    assert f'forms/{bundle["path"]}' in (tmp_path / "forms" / "index.md").read_text()


def test_the_hint_of_a_table_or_grid_is_shown_as_a_note():
    """pyxform drops a group's hint; the writer shows it as a note, hidden with its table."""
    form = load_project(FIXTURE).forms["kinds"]
    later = form.sections[1]
    fields = tuple(replace(f, hint=f"Hint of {f.id}", show_if=form.field("detail").show_if)
                   if f.kind in ("table", "rating_grid") else f for f in later.fields)
    form = replace(form, sections=(form.sections[0], replace(later, fields=fields)))
    project = load_project(FIXTURE)
    project.forms["kinds"] = form
    xform = convert(xlsform=io.BytesIO(workbook(project, form)), validate=False, file_type=".xlsx").xform
    root = ET.fromstring(xform)
    for name in ("plan_hint", "status_hint"):
        bind = next(b for b in root.iter(f"{{{NS['x']}}}bind") if b.get("nodeset").endswith(f"/{name}"))
        assert "/data/basics/agreed" in bind.get("relevant")
    assert "Hint of plan" in xform and "Hint of status" in xform
