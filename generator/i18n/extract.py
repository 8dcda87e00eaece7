"""Strings for the catalogs: a Babel extractor for the form YAML, and the template they all go into."""
from __future__ import annotations

import hashlib
import os
from datetime import datetime, timezone
from io import BytesIO, StringIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po
from babel.util import pathmatch

from ..errors import InputError, display_path
from ..files import cache_dir, write_atomic
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
    """Every translatable string of forms, lists, templates and code, with source locations.

    Kept in the cache under a key made of the source files' names, sizes and times: `casekit check`
    needs the template on every run, and extracting it from a hundred files takes most of a second."""
    mapping = root / MAPPING
    text = decode_text(read_bytes(mapping), display_path(mapping))
    method_map, options_map = parse_mapping_cfg(StringIO(text), filename=str(MAPPING))
    cached = cache_dir(root) / "i18n" / f"{_sources_key(root, text, [p for p, _ in method_map])}.pot"
    if cached.exists():
        with cached.open("rb") as handle:
            return read_po(handle)
    method_map = [(pattern, extract_forms if method == "casekit_forms" else method) for pattern, method in method_map]
    catalog = Catalog(project="casekit", charset="utf-8", fuzzy=False,
                      creation_date=datetime(2026, 1, 1, tzinfo=timezone.utc))
    for filename, lineno, message, comments, context in extract_from_dir(
            str(root), method_map, options_map, comment_tags=("",), strip_comment_tags=True):
        if message:
            catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    try:
        write_atomic(cached, catalog_bytes(catalog))
    except InputError:  # a read-only project still checks; it only extracts every time
        pass
    return catalog


def _sources_key(root: Path, mapping: str, patterns: list[str]) -> str:
    """Changes when the mapping or any file it matches is added, removed or touched."""
    digest = hashlib.sha256(mapping.encode())
    for top in sorted({pattern.split("/")[0] for pattern in patterns}):
        for folder, dirs, files in os.walk(root / top):
            dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
            for name in sorted(files):
                path = Path(folder, name)
                relative = path.relative_to(root).as_posix()
                if any(pathmatch(pattern, relative) for pattern in patterns):
                    stat = path.stat()
                    digest.update(f"{relative}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def catalog_bytes(catalog: Catalog) -> bytes:
    out = BytesIO()
    write_po(out, catalog, width=100, sort_output=False, omit_header=False)
    return out.getvalue()
