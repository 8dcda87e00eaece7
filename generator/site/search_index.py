"""One search index per language: a page's search loads a whole index, so it should hold only its language."""
from __future__ import annotations

import json
from pathlib import Path

from .khmer_search import SearchWords

# The browser cuts Khmer queries with this list (assets/javascripts/khmer-query.js loads it with the index).
WORDS_FILE = "search_words.js"


def split_search_index(site_dir: Path, languages: list[str]) -> None:
    """Move the docs of each language L out of the merged site/search/ index into site/L/search/.

    mkdocs-static-i18n merges all languages into one index (Khmer docs located under km/). Material loads
    BASE/search/search_index.json, or search_index.js from file:// (the offline plugin's copy), and resolves
    result links against BASE; pages of L get BASE = L/ (overrides/main.html), so L's locations drop `L/`.
    Khmer is written as UTF-8, not \\uXXXX escapes: about 40% smaller. Each index is cut into its smallest
    Khmer words, and the list of them is written beside it for the search box (khmer_search.SearchWords).
    """
    folder = site_dir / "search"
    if not (folder / "search_index.json").exists():  # search plugin turned off
        return
    index = json.loads((folder / "search_index.json").read_text(encoding="utf-8"))
    offline = (folder / "search_index.js").exists()
    docs: dict[str, list[dict]] = {lang: [] for lang in ("", *languages)}
    for doc in index["docs"]:
        lang, _, rest = doc["location"].partition("/")
        if lang in docs:
            docs[lang].append({**doc, "location": rest})
        else:
            docs[""].append(doc)
    for lang, entries in docs.items():
        words = SearchWords.of_texts([doc[key] for doc in entries for key in ("title", "text")])
        entries = [{**doc, "title": words.split(doc["title"]), "text": words.split(doc["text"])} for doc in entries]
        text = json.dumps({**index, "docs": entries}, ensure_ascii=False, separators=(",", ":"))
        target = site_dir / lang / "search"
        target.mkdir(parents=True, exist_ok=True)  # a language with no page of its own yet has no folder
        (target / "search_index.json").write_text(text, encoding="utf-8")
        (target / WORDS_FILE).write_text(f"var __casekit_words = {json.dumps(words.listing(), ensure_ascii=False, separators=(',', ':'))}",
                                         encoding="utf-8")
        if offline:
            (target / "search_index.js").write_text(f"var __index = {text}", encoding="utf-8")
