"""The handbook's references to forms and fields, the Khmer digits and the glossary terms, checked the
way a reader would notice them: a wrong label, a Western digit on a Khmer page, another Khmer word."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.pofile import read_po
from mkdocs.exceptions import PluginError

from generator.i18n import catalog_path
from generator.i18n.catalogs import glossary_mismatches
from generator.i18n.digits import to_khmer, western_digits
from generator.layout import Layout
from generator.site.plugin import CasekitPlugin
from generator.site.references import REFERENCE, resolve_page

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
PAGES = sorted(p for p in CONTENT.rglob("*.md") if p.is_file())


def plugin_for(project) -> CasekitPlugin:
    plugin = CasekitPlugin()
    plugin.root, plugin.project = ROOT, project
    return plugin


def page(path: Path) -> SimpleNamespace:
    return SimpleNamespace(file=SimpleNamespace(src_path=str(path.relative_to(CONTENT)), abs_src_path=str(path)))


def test_handbook_uses_field_references():
    """The pages that talk about what a form contains refer to its fields, in both languages."""
    using = {p.relative_to(CONTENT).as_posix() for p in PAGES if REFERENCE.search(p.read_text(encoding="utf-8"))}
    for name in ("consent", "referrals", "principles", "children", "process/assessment", "trainers/exercises"):
        assert {f"{name}.md", f"{name}.km.md"} <= using, name


def test_every_reference_resolves_to_the_label_in_the_page_language(project):
    plugin = plugin_for(project)
    english, khmer = Layout.load(ROOT, "en"), Layout.load(ROOT, "km")
    for path in PAGES:
        text = path.read_text(encoding="utf-8")
        resolved = plugin.on_page_markdown(text, page(path), {}, None)
        assert not REFERENCE.search(resolved), path
    consent = plugin.on_page_markdown((CONTENT / "consent.km.md").read_text(encoding="utf-8"),
                                      page(CONTENT / "consent.km.md"), {}, None)
    tracing = project.forms["intake"].field("consent_family_tracing").label
    assert khmer.text(tracing) in consent and khmer.text(tracing) != english.text(tracing)


def test_a_made_up_reference_fails_the_build_with_page_and_line(project, tmp_path):
    bad = tmp_path / "docs" / "consent.km.md"
    bad.parent.mkdir()
    bad.write_text("---\ntitle: x\n---\n\n# Consent\n\nTick {{field:intake.family_tracing_box}} first.\n",
                   encoding="utf-8")
    fake = SimpleNamespace(file=SimpleNamespace(src_path="consent.km.md", abs_src_path=str(bad)))
    markdown = bad.read_text(encoding="utf-8").split("---\n", 2)[2]  # MkDocs strips the front matter
    with pytest.raises(PluginError) as error:
        plugin_for(project).on_page_markdown(markdown, fake, {}, None)
    message = str(error.value)
    assert "consent.km.md:7:" in message and "intake.family_tracing_box" in message


def test_unknown_form_and_unknown_item_fail_too(project, tmp_path):
    bad = tmp_path / "p.md"
    bad.write_text("{{form:intake}} {{form:no_such_form}}\n{{field:assessment.client_scores.no_area}}\n")
    with pytest.raises(Exception) as error:
        resolve_page(bad.read_text(), project, "p.md", str(bad))
    assert "p.md:1:" in str(error.value) and "p.md:2:" in str(error.value)


def khmer_catalog() -> list:
    with catalog_path(ROOT, "km").open("rb") as handle:
        return [m for m in read_po(handle) if m.id and m.string and not m.fuzzy]


def test_khmer_catalog_and_pages_use_khmer_digits(project, built_site):
    """Written and generated pages alike (the build writes content/forms/*.km.md and the glossary)."""
    assert project.settings.khmer_digits
    catalog = [(m.id, hits) for m in khmer_catalog() if (hits := western_digits(m.string))]
    assert catalog == []
    khmer_pages = list(CONTENT.rglob("*.km.md"))
    assert CONTENT / "forms" / "referral.km.md" in khmer_pages and CONTENT / "glossary.km.md" in khmer_pages
    pages = [(p.name, hits) for p in khmer_pages if (hits := western_digits(p.read_text(encoding="utf-8")))]
    assert pages == []


def test_the_digit_check_finds_western_digits_but_not_code_links_or_latin_tokens():
    text = "ក្នុងរយៈពេល 1 ម៉ោង\n1. ជំហាន `casekit 2` [ក](forms/a4.md) A4 A-101 U+200B {n}\nឆ្នាំ ២០២៦ ហើយ 90 ថ្ងៃ"
    assert western_digits(text) == [(1, "1"), (3, "90")]
    assert western_digits("---\ntitle: \"x\"\nsearch:\n  boost: 2\n---\n\nឆ្នាំ 2026") == [(7, "2026")]
    html = "<td>2</td><td><code>${a} = &#39;1&#39;</code></td> &#39;"
    assert western_digits(html) == [(1, "2")]
    assert to_khmer(html) == "<td>២</td><td><code>${a} = &#39;1&#39;</code></td> &#39;"


def test_glossary_terms_in_khmer_catalog(project):
    assert glossary_mismatches(ROOT, project.glossary) == []


def test_a_glossary_term_rendered_with_another_khmer_word_is_found(project, tmp_path):
    """The check fails when a translation uses another word: the housing domain given as the shelter."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(locale="km")
    catalog.add("Whether the client has a case manager", "ថាតើអតិថិជនមានបុគ្គលិកករណីឬទេ")
    catalog.add("Safe housing", "ទីជម្រកដែលមានសុវត្ថិភាព")
    catalog.add("A shelter nearby", "ទីជម្រកនៅជិត")
    path = catalog_path(tmp_path, "km")
    path.parent.mkdir(parents=True)
    with path.open("wb") as handle:
        write_po(handle, catalog)
    found = {(english, term) for english, term, _ in glossary_mismatches(tmp_path, project.glossary)}
    assert found == {("Whether the client has a case manager", "case manager"), ("Safe housing", "housing")}


def test_casekit_check_names_page_and_line_of_a_made_up_reference(project_copy):
    from conftest import run_casekit
    (project_copy / "content").mkdir()
    (project_copy / "content" / "risk.km.md").write_text("# ហានិភ័យ\n\nមើល {{form:safety_plan}}។\nមើល {{field:safety_plan.no_such}}។\n",
                                                         encoding="utf-8")
    result = run_casekit("--root", str(project_copy), "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "content/risk.km.md:4: '{{field:safety_plan.no_such}}' names no field" in result.stderr


def test_workshop_pack_prints_labels_not_references_and_ends_with_the_glossary(project):
    from generator.site.workshop import _chapters, _glossary_chapter
    khmer = Layout.load(ROOT, "km")
    chapters = _chapters(project, "km") + [_glossary_chapter(project, "km")]
    text = "".join(chapters)
    assert "{{" not in text and "field:" not in text
    assert khmer.text(project.forms["closure"].field("outcomes").items[-1].label) in text  # exercise 6 table
    assert all(term.terms["km"] in chapters[-1] and term.terms["en"] in chapters[-1] for term in project.glossary)
