"""Tables of a handbook page: a wide one scrolls in a region of its own, and its cells stay apart in search.

A phone shows a wide table by scrolling it sideways; a keyboard reaches that region only if it can take focus,
and a screen reader announces it by name (the heading above the table). The search plugin reads the page's
text with nothing between adjacent cells, so a space goes between them.
"""
from __future__ import annotations

import html
import re

from markupsafe import escape

_TABLE = re.compile(r"<table\b[\s\S]*?</table>")
_HEADING = re.compile(r"<h[1-6]\b[^>]*>([\s\S]*?)</h[1-6]>")
_PERMALINK = re.compile(r'<a class="headerlink"[\s\S]*?</a>')
_TAG = re.compile(r"<[^>]+>")
_CELL_END = re.compile(r"</(td|th)>(?=\s*<t[dh]\b)")


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", _PERMALINK.sub("", fragment))).split())


def scrollable_tables(page_html: str, page_title: str) -> str:
    """Every table inside a focusable, named scroll region (assets/casekit.css .casekit-table)."""
    def wrap(match: re.Match) -> str:
        headings = _HEADING.findall(page_html, 0, match.start())
        name = _text(headings[-1]) if headings else page_title
        table = _CELL_END.sub(r"</\1> ", match.group(0))
        return f'<div class="casekit-table" role="region" tabindex="0" aria-label="{escape(name)}">{table}</div>'
    return _TABLE.sub(wrap, page_html)
