"""Khmer has no spaces between words: mark word boundaries with zero-width spaces so search can split them."""
from __future__ import annotations

import hashlib
import logging
import re
from functools import lru_cache
from pathlib import Path

from ..files import write_atomic

ZWSP = "\u200b"
_KHMER_RUN = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]+")


@lru_cache(maxsize=1)
def _tokenizer():
    from khmernltk import word_tokenize  # loads a CRF model: only when a Khmer page is built
    quiet = logging.getLogger("khmer-nltk")
    quiet.setLevel(logging.WARNING)
    quiet.handlers.clear()
    return word_tokenize


def segment(text: str, keep_whole: frozenset[str] = frozenset()) -> str:
    """Zero-width spaces between Khmer words; invisible, and also good line-break points.

    Terms in keep_whole (the glossary's Khmer terms) stay one search word, so typing a glossary
    term such as ការបញ្ជូនបន្ត finds it although the segmenter splits it into smaller words.
    """
    tokenize = _tokenizer()
    longest = max((len(term) for term in keep_whole), default=0)

    def words(run: str) -> str:
        tokens, out, i = tokenize(run), [], 0
        while i < len(tokens):
            j = next((j for j in range(len(tokens), i + 1, -1)
                      if len("".join(tokens[i:j])) <= longest and "".join(tokens[i:j]) in keep_whole), i + 1)
            out.append("".join(tokens[i:j]))
            i = j
        return ZWSP.join(out)

    return _KHMER_RUN.sub(lambda m: words(m.group(0)), text)


def segment_cached(html: str, cache_dir: Path, keep_whole: frozenset[str] = frozenset()) -> str:
    """The model is slow; a page that did not change is not segmented again."""
    if not _KHMER_RUN.search(html):
        return html
    key = hashlib.sha256(html.encode() + "\n".join(sorted(keep_whole)).encode()).hexdigest()
    path = cache_dir / (key + ".html")
    if path.exists():
        return path.read_text(encoding="utf-8")
    result = segment(html, keep_whole)
    write_atomic(path, result.encode("utf-8"))
    return result

