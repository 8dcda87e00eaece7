"""Western digits left in Khmer text where the layout asks for Khmer digits (០១២…).

Digits stay Western only where they are not prose: in a page's front matter, inside code, link targets, HTML tags,
{placeholders}, Latin tokens such as A4, A-101 or UTF-8, and the "1." that starts a Markdown
list item (Markdown numbers the list itself)."""
from __future__ import annotations

import re

KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")

NOT_PROSE = re.compile(
    r"\A---\n.*?\n---\n"                 # front matter: page settings for MkDocs
    r"|```.*?```"                        # fenced code
    r"|`[^`\n]*`"                        # code span
    r"|<code>.*?</code>"                 # code in generated HTML
    r"|&#?[A-Za-z0-9]+;"                 # HTML entity such as &#39;
    r"|\]\([^)\n]*\)"                    # link target
    r"|<[^>\n]*>"                        # HTML tag and its attributes
    r"|\{[^}\n]*\}"                      # placeholder, attribute list
    r"|[A-Za-z][-+A-Za-z0-9_./:]*[0-9][-A-Za-z0-9_./]*"  # Latin token with digits: A4, A-101, UTF-8
    r"|^\s*[0-9]+\.(?=\s)",              # Markdown ordered-list marker
    re.DOTALL | re.MULTILINE,
)
WESTERN = re.compile(r"[0-9]+")


def western_digits(text: str) -> list[tuple[int, str]]:
    """(line number, digits) for each run of Western digits in the prose of a Khmer text."""
    found, last = [], 0
    for match in [*NOT_PROSE.finditer(text), None]:
        end = match.start() if match else len(text)
        for number in WESTERN.finditer(text, last, end):
            found.append((text.count("\n", 0, number.start()) + 1, number.group()))
        if match:
            last = match.end()
    return found


def to_khmer(text: str) -> str:
    """The same text with its prose digits in Khmer; code, links and Latin tokens untouched."""
    out, last = [], 0
    for match in NOT_PROSE.finditer(text):
        out += [text[last:match.start()].translate(KHMER_DIGITS), match.group()]
        last = match.end()
    return "".join(out) + text[last:].translate(KHMER_DIGITS)
