"""Handbook content: every page in both languages, Khmer pages really in Khmer, steps and forms linked."""
import re

import pytest

from conftest import ROOT

CONTENT = ROOT / "content"
STEPS = {"intake": ["intake"], "assessment": ["assessment"], "planning": ["case_plan"],
         "implementation": ["review", "referral"], "closure": ["closure"]}


def generated(path) -> bool:
    """Pages built from the model at build time (git-ignored), not written by hand."""
    name = re.sub(r"(\.[a-z]{2})?\.md$", "", str(path.relative_to(CONTENT)))
    return name.startswith("forms/") or name in ("glossary", "reference/form-language")


def english_pages():
    return sorted(p.relative_to(CONTENT) for p in CONTENT.rglob("*.md")
                  if not re.search(r"\.[a-z]{2}\.md$", p.name) and not generated(p))


def test_every_page_exists_in_both_languages():
    english = {str(p)[:-3] for p in english_pages()}
    khmer = {str(p.relative_to(CONTENT))[:-6] for p in CONTENT.rglob("*.km.md") if not generated(p)}
    assert english == khmer
    assert {"start-here", "principles", "process/index", "consent", "referrals", "risk", "children",
            "supervision", "monitoring", "trainers/exercises", "trainers/knowledge-check"} <= english


@pytest.mark.parametrize("page", [str(p) for p in english_pages()])
def test_khmer_page_is_not_an_english_copy(page):
    text = (CONTENT / page.replace(".md", ".km.md")).read_text()
    text = re.sub(r"```.*?```|`[^`]*`|\]\([^)]*\)|<[^>]+>|https?://\S+|\{\{[^}]*\}\}", " ", text, flags=re.S)
    khmer = len(re.findall(r"[\u1780-\u17ff]", text))
    latin = len(re.findall(r"[A-Za-z]", text))
    assert khmer > 3 * latin, (page, khmer, latin)


@pytest.mark.parametrize("step, forms", STEPS.items())
def test_each_step_chapter_links_its_forms(step, forms):
    for suffix in (".md", ".km.md"):
        text = (CONTENT / "process" / f"{step}{suffix}").read_text()
        for form in forms:
            assert f"../forms/{form}.md" in text, (step, suffix, form)


def test_cases_are_marked_fictional():
    for page in ("trainers/exercises.md", "trainers/role-plays.md"):
        assert "fictional" in (CONTENT / page).read_text().lower()


def test_diagrams_are_local_svg():
    for svg in (CONTENT / "assets" / "diagrams").glob("*.svg"):
        text = svg.read_text()
        assert "<svg" in text and "<title" in text
        assert not re.search(r"(href|src)=\"https?://", text)
