"""Run MkDocs from casekit; the engine-specific part is here and in plugin.py only."""
from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.commands.serve import serve as mkdocs_serve
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from ..errors import InputError, Problem

log = logging.getLogger("casekit")


def build_site(root: Path) -> None:
    config_file = root / "mkdocs.yml"
    try:
        config = load_config(str(config_file))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as error:
        raise InputError([Problem(str(config_file), str(error))]) from None
    log.info("site built in %s", config.site_dir)


def serve_site(root: Path, dev_addr: str) -> None:
    """Rebuilds when a page, a form YAML or a catalog changes (they are watched in mkdocs.yml)."""
    mkdocs_serve(str(root / "mkdocs.yml"), dev_addr=dev_addr, livereload=True)
