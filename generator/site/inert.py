"""Text from YAML or a catalog made inert for Markdown (a small module: `check` needs it without the site code)."""
from __future__ import annotations

import re

from markupsafe import Markup, escape

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")


def markdown_text(value) -> Markup:
    """Text from YAML or a catalog as inert Markdown: HTML escaped, Markdown syntax backslashed."""
    return Markup(_MARKDOWN_SPECIAL.sub(r"\\\1", str(escape(value))))
