"""Khmer has no spaces between words: mark word boundaries with zero-width spaces, for line breaks and search.

Pages get the boundaries of a word segmenter (khmer-nltk). Search needs more: a reader types a word without
its prefix (បញ្ជូនបន្ត for ការបញ្ជូនបន្ត) or several words as one (ទម្រង់បញ្ជូនបន្ត). So the search index and
the query are both cut into the same smallest words (SearchWords): the words of the index that are not made of
other words of the index. The browser cuts the query with the same list and the same rule
(assets/javascripts/khmer-query.js), so the two sides agree.
"""
from __future__ import annotations

import hashlib
import logging
import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from ..files import write_atomic

ZWSP = "\u200b"
KHMER_RUN = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]+")
# Khmer without the signs that end a word or a sentence (។ ៕ ៖ ៗ …): no line may start with one of those,
# so there is no boundary before them; search splits words at them (mkdocs.yml, search separator).
WORD_RUN = re.compile(r"[\u1780-\u17d3\u17db-\u17ff\u19e0-\u19ff]+")
# A word starts on a base letter: not on a vowel sign or diacritic, nor on the letter after a coeng (្).
_COMBINING = re.compile(r"[\u17b4-\u17d3\u17dd]")
COENG = "\u17d2"


@lru_cache(maxsize=1)
def _tokenizer():
    from khmernltk import word_tokenize  # loads a CRF model: only when a Khmer page is built
    quiet = logging.getLogger("khmer-nltk")
    quiet.setLevel(logging.WARNING)
    quiet.handlers.clear()
    return word_tokenize


def segment(text: str) -> str:
    """Zero-width spaces between Khmer words: none before closing punctuation (។) or around spaces."""
    tokenize = _tokenizer()

    def words(run: str) -> str:
        out = ""
        for token in tokenize(run):
            between_words = out and WORD_RUN.match(out[-1]) and WORD_RUN.match(token)
            out += ZWSP + token if between_words else token
        return out

    return KHMER_RUN.sub(lambda m: words(m.group(0)), text)


def segment_cached(html: str, cache_dir: Path) -> str:
    """The model is slow; a page that did not change is not segmented again."""
    if not KHMER_RUN.search(html):
        return html
    key = hashlib.sha256(b"segment-v2\n" + html.encode()).hexdigest()
    path = cache_dir / (key + ".html")
    if path.exists():
        return path.read_text(encoding="utf-8")
    result = segment(html)
    write_atomic(path, result.encode("utf-8"))
    return result


def _starts(text: str) -> list[int]:
    """Positions where a word may start (and end), ending with len(text)."""
    return [i for i in range(len(text) + 1)
            if i in (0, len(text)) or not (_COMBINING.match(text[i]) or text[i - 1] == COENG)]


def _bases(word: str) -> int:
    """Letters that carry a syllable: consonants and independent vowels not written below another (coeng)."""
    return sum(1 for i, c in enumerate(word) if "\u1780" <= c <= "\u17b3" and (i == 0 or word[i - 1] != COENG))


UNKNOWN = 64  # the cost of a letter cluster that is no word of the index: more than any word


class SearchWords:
    """The smallest words of an index, each with a cost, and the one rule that cuts text and queries into them.

    A cut is the cheapest one: a frequent word costs little, a rare one more (about log2 of how rare it is), so a
    slip of the segmenter seen once (ការវាយត|ម្លៃ) loses to the common words (ការ|វាយ|តម្លៃ).
    """

    def __init__(self, counts: Counter):
        """A word made of other words is cut into them (ការ|បញ្ជូន|បន្ត, ទី|ជម្រក). A part has two syllables or
        more, or is a common word (one in a thousand): a slip of the segmenter (ករ|ណី) must not cut words."""
        self.costs, self.longest = {}, max(map(len, counts), default=0)
        total = sum(counts.values())
        parts = {w: 1 for w, n in counts.items() if _bases(w) > 1 or n * 1000 >= total}
        for word in sorted(counts, key=len):
            if self._cut(word, {w: c for w, c in parts.items() if w != word}, unknown_allowed=False) is None:
                self.costs[word] = 1
        uses = Counter()
        for word, n in counts.items():
            for piece in self._cut(word, self.costs):
                uses[piece] += n
        total = sum(uses.values())
        self.costs = {w: max(1, round(math.log2(total / n))) for w, n in uses.items()}

    @classmethod
    def of_texts(cls, texts) -> "SearchWords":
        """The words the page segmenter marked in these texts, counted."""
        return cls(Counter(w for text in texts for piece in text.split(ZWSP) for w in WORD_RUN.findall(piece)))

    def cut(self, run: str) -> list[str]:
        return self._cut(run, self.costs)

    def _cut(self, run: str, costs: dict[str, int], unknown_allowed: bool = True) -> list[str] | None:
        """The cheapest cut; a stretch of unknown letters stays one piece. The same steps, in the same order,
        as cut() in assets/javascripts/khmer-query.js."""
        starts = _starts(run)
        best, back = {0: 0}, {}  # position: cost of the cheapest cut up to it; position: (piece start, known)
        for k in range(1, len(starts)):
            i = starts[k]
            for m in range(k):
                j = starts[m]
                if j not in best or (i - j > self.longest and m != k - 1):
                    continue
                piece = run[j:i]
                if piece in costs:
                    cost, known = best[j] + costs[piece], True
                elif unknown_allowed and m == k - 1:
                    cost, known = best[j] + UNKNOWN, False
                else:
                    continue
                if i not in best or cost < best[i]:
                    best[i], back[i] = cost, (j, known)
        if len(run) not in best:
            return None
        pieces, i = [], len(run)
        while i > 0:
            j, known = back[i]
            if not known and pieces and not pieces[-1][1]:
                pieces[-1] = (run[j:i] + pieces[-1][0], False)
            else:
                pieces.append((run[j:i], known))
            i = j
        return [piece for piece, _ in reversed(pieces)]

    def split(self, text: str) -> str:
        """Index text with a boundary inside every word that is made of smaller words."""
        return ZWSP.join(WORD_RUN.sub(lambda m: ZWSP.join(self.cut(m.group(0))), piece)
                         for piece in text.split(ZWSP))

    def listing(self) -> dict[str, int]:
        """The words and their costs for the browser, sorted (stable output)."""
        return dict(sorted(self.costs.items()))
