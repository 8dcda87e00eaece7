"""Strings for the catalogs: a Babel extractor for the form YAML, and the template they all go into."""
from __future__ import annotations

from datetime import datetime, timezone
from io import BytesIO, StringIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import write_po

from ..errors import display_path
from ..model.load import messages
from ..model.source import decode_text, read_bytes, read_yaml

MAPPING = Path("translations") / "babel.cfg"


def extract_forms(fileobj, keywords, comment_tags, options):
    """Babel extractor (entry point `casekit_forms`): lines come from the YAML, the field path is the comment.

    Strings only: checking the files is `casekit check`'s job, and each file is parsed once (read_yaml)."""
    path = Path(fileobj.name)
    if path.name == "settings.yaml":
        return
    for message in messages(read_yaml(path), "lists" if path.name == "lists.yaml" else ""):
        yield message.line, None, message.text, [message.path]


def template_catalog(root: Path) -> Catalog:
    """Every translatable string of forms, lists, templates and code, with source locations."""
    mapping = root / MAPPING
    text = decode_text(read_bytes(mapping), display_path(mapping))
    method_map, options_map = parse_mapping_cfg(StringIO(text), filename=str(MAPPING))
    method_map = [(pattern, extract_forms if method == "casekit_forms" else method) for pattern, method in method_map]
    catalog = Catalog(project="casekit", charset="utf-8", fuzzy=False,
                      creation_date=datetime(2026, 1, 1, tzinfo=timezone.utc))
    for filename, lineno, message, comments, context in extract_from_dir(
            str(root), method_map, options_map, comment_tags=("",), strip_comment_tags=True):
        if message:
            catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def catalog_bytes(catalog: Catalog) -> bytes:
    out = BytesIO()
    write_po(out, catalog, width=100, sort_output=False, omit_header=False)
    return out.getvalue()
