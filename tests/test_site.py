"""The built site, parsed as a browser would get it: pages, links, downloads, escaping, privacy."""
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import markdown
import pytest

from conftest import FIXTURES


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.sources, self.lang = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for key in ("src", "href"):
            if tag in ("script", "img", "link", "iframe", "source") and attrs.get(key):
                self.sources.append(attrs[key])


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def resolve(page: Path, href: str) -> Path:
    return (page.parent / unquote(urlparse(href).path)).resolve()


@pytest.mark.parametrize("page", ["index.html", "forms/index.html", "forms/referral.html", "glossary.html",
                                  "reference/form-language.html", "process/intake.html", "trainers/exercises.html"])
def test_page_exists_in_both_languages(built_site, page):
    assert parse(built_site / page).lang == "en"
    assert parse(built_site / "km" / page).lang == "km"


def test_language_switcher_points_to_the_same_page(built_site):
    assert "km/principles.html" in " ".join(parse(built_site / "principles.html").links)
    assert any(l.endswith("principles.html") and "km" not in l for l in parse(built_site / "km" / "principles.html").links)


@pytest.mark.parametrize("lang", ["", "km/"])
def test_download_links_resolve_to_files(built_site, lang):
    pages = [built_site / lang / "forms" / f"{name}.html"
             for name in ("index", "intake", "assessment", "case_plan", "review", "referral", "closure")]
    checked = 0
    for page in pages:
        for href in parse(page).links:
            if href.endswith((".pdf", ".zip")):
                assert resolve(page, href).is_file(), (page, href)
                checked += 1
    assert checked >= 6 * 12 + 2


def test_manifest_lists_the_workshop_pack(built_site):
    manifest = json.loads((built_site / "forms" / "manifest.json").read_text())
    packs = [e for e in manifest["files"] if e["form"] == "workshop_pack"]
    assert {e["language"] for e in packs} == {"en", "km"}
    for e in packs:
        assert (built_site / "forms" / e["path"]).stat().st_size == e["bytes"] and e["pages"] > 5


@pytest.mark.parametrize("lang", ["", "km/"])
def test_steps_and_forms_link_both_ways(built_site, lang):
    for step, forms in {"intake": ["intake"], "planning": ["case_plan"], "implementation": ["review", "referral"]}.items():
        step_page = built_site / lang / "process" / f"{step}.html"
        targets = {resolve(step_page, h) for h in parse(step_page).links}
        for form in forms:
            form_page = built_site / lang / "forms" / f"{form}.html"
            assert form_page.resolve() in targets, (step, form)
            assert step_page.resolve() in {resolve(form_page, h) for h in parse(form_page).links}


def test_glossary_page_lists_every_term(built_site, project):
    for page in (built_site / "glossary.html", built_site / "km" / "glossary.html"):
        html = page.read_text()
        for term in project.glossary:
            assert term.terms["km"].replace("\u200b", "") in html.replace("\u200b", "")


def test_no_request_leaves_the_site(built_site):
    """No CDN, no Google Fonts, no analytics: every script, style, image and font is local."""
    external = []
    for page in built_site.rglob("*.html"):
        for source in parse(page).sources:
            if re.match(r"^(https?:)?//", source):
                external.append((str(page.relative_to(built_site)), source))
    for css in built_site.rglob("*.css"):
        external += [(css.name, u) for u in re.findall(r"@import\s+url\((https?:[^)]+)\)", css.read_text())]
    assert external == []
    assert "fonts.googleapis" not in (built_site / "index.html").read_text()


def search_index(folder: Path) -> dict:
    """The index as a served page loads it (.json) and as a page from a folder loads it (.js): the same."""
    text = (folder / "search" / "search_index.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("{"):text.rindex("}") + 1])
    assert index == json.loads((folder / "search" / "search_index.json").read_text(encoding="utf-8"))
    return index


@pytest.mark.parametrize("lang", ["", "km"])
def test_each_language_has_its_own_search_index(built_site, lang):
    """A page loads only its language's index (the bulk of the home page's weight); every result opens a page."""
    folder = built_site / lang
    docs = search_index(folder)["docs"]
    assert len(docs) > 100
    khmer = sum(bool(re.search(r"[\u1780-\u17ff]", d["title"] + d["text"])) for d in docs) / len(docs)
    assert khmer > 0.95 if lang else khmer < 0.1
    for doc in docs:
        assert (folder / doc["location"].split("#")[0]).is_file(), doc["location"]
        assert not doc["location"].startswith(("km/", "/", ".."))


# Issue 15 asked for 800 KiB, the Khmer index's size at the time. The handbook has since grown by four forms,
# the trainer's kit and the scanning chapter (issue 14, 17); Khmer letters take 3 bytes in UTF-8 and the word
# breaks search needs another 125 KiB. The budget holds the index to 1 MiB (about 140 KiB gzipped).
INDEX_BUDGET_KIB = {"": 800, "km": 1024}


@pytest.mark.parametrize("lang", sorted(INDEX_BUDGET_KIB))
def test_search_index_is_within_its_weight(built_site, lang):
    """What opening search costs, before compression."""
    assert (built_site / lang / "search" / "search_index.json").stat().st_size <= INDEX_BUDGET_KIB[lang] * 1024


def test_pages_search_their_own_language(built_site):
    """Material loads BASE/search/search_index.json and opens results against BASE ("base" in __config)."""
    checked = 0
    for page in built_site.rglob("*.html"):
        config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', page.read_text("utf-8"))
        if config and page.name != "404.html":  # 404.html is served at any depth: its base is "/"
            base = urljoin(page.as_uri(), json.loads(config.group(1))["base"])
            index = Path(unquote(urlparse(urljoin(base, "search/search_index.json")).path))
            assert index == built_site / ("km" if parse(page).lang == "km" else "") / "search" / "search_index.json"
            checked += 1
    assert checked > 60


def test_khmer_words_are_segmented_for_search(built_site):
    index = search_index(built_site / "km")
    assert "\\u200b" in index["config"]["separator"] and "\\u17d4" in index["config"]["separator"]
    khmer_docs = [d["text"] for d in index["docs"] if re.search(r"[\u1780-\u17ff]{3}", d["text"])]
    segmented = [text for text in khmer_docs if "\u200b" in text]
    assert len(segmented) >= 0.95 * len(khmer_docs)  # a section of one Khmer word has no boundary to mark
    # the index is cut into its smallest words: a glossary term into its parts, its prefix ការ too
    assert any("ការ\u200bបញ្ជូន\u200bបន្ត" in t for t in khmer_docs)
    text = (built_site / "km" / "search" / "search_words.js").read_text(encoding="utf-8")
    words = json.loads(text[text.index("{"):])
    assert {"ការ", "បញ្ជូន", "បន្ត"} <= set(words) and "ការបញ្ជូនបន្ត" not in words


def test_no_line_starts_with_a_khmer_full_stop(built_site):
    """Word boundaries are line-break points: there is none before ។ (or ៗ ៖), on screen or in the index."""
    pages = [p.read_text(encoding="utf-8") for p in (built_site / "km").rglob("*.html")]
    assert sum(p.count("\u200b") for p in pages) > 10000
    assert not any(re.search("[\u200b ][\u17d4-\u17da]", p) for p in pages)
    assert not any(re.search("\u200b[\u17d4-\u17da]", d["text"]) for d in search_index(built_site / "km")["docs"])


def test_tables_are_named_scroll_regions_with_cells_apart(built_site):
    for page in ("forms/referral.html", "km/forms/index.html", "reference/form-language.html", "km/risk.html"):
        html = (built_site / page).read_text(encoding="utf-8")
        tables = re.findall(r"<table\b", html)
        regions = re.findall(r'<div class="casekit-table" role="region" tabindex="0" aria-label="[^"]+"><table', html)
        assert tables and len(regions) == len(tables), page
        assert not re.search(r"</t[dh]><t[dh]\b", html)


def test_form_page_escapes_markup_from_yaml(project_copy):
    """A label with markup shows as text on the handbook page; nothing runs."""
    from generator.model import load_project
    from generator.site.pages import write_pages
    source = (FIXTURES / "forms" / "home_visit.yaml").read_text()
    source = source.replace("label: Notes", "label: \"<b>Notes</b> <script>alert('x')</script> *stars*\"")
    (project_copy / "forms" / "home_visit.yaml").write_text(source)
    project = load_project(project_copy)
    docs = project_copy / "content"
    write_pages(project, docs, {"files": [], "bundles": []})
    html = markdown.markdown((docs / "forms" / "home_visit.md").read_text(),
                             extensions=["attr_list", "md_in_html", "tables", "admonition"])
    assert "<script>" not in html and "<b>Notes" not in html
    assert "&lt;b&gt;Notes&lt;/b&gt;" in html and "*stars*" in html


def test_search_words_cut_prefixes_and_compounds_but_not_slips():
    """Words made of other words are cut into them; a rare slip of the segmenter does not cut a common word."""
    from collections import Counter
    from generator.site.khmer_search import SearchWords
    words = SearchWords(Counter({"ការ": 50, "បញ្ជូន": 20, "បន្ត": 20, "ការបញ្ជូន": 10, "ទម្រង់": 30, "ករណី": 40,
                                 "ករ": 1, "ណី": 1, "ផែនការ": 10, "ផែនការករណី": 5, "និង": 5000}))
    assert words.cut("ការបញ្ជូនបន្ត") == ["ការ", "បញ្ជូន", "បន្ត"]
    assert words.cut("ទម្រង់បញ្ជូនបន្ត") == ["ទម្រង់", "បញ្ជូន", "បន្ត"]
    assert words.cut("ផែនការករណី") == ["ផែនការ", "ករណី"]
    assert words.cut("បញ្ជូនប") == ["បញ្ជូន", "ប"]  # typed half-way: the rest stays one piece
    assert "ការបញ្ជូន" not in words.costs and "ករណី" in words.costs
    assert words.split("ការបញ្ជូន\u200bបន្ត។") == "ការ\u200bបញ្ជូន\u200bបន្ត។"
