"""Run MkDocs from casekit; the engine-specific part is here and in plugin.py only."""
from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.commands.serve import serve as mkdocs_serve
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from ..errors import InputError, Problem, display_path
from ..files import Preserved

log = logging.getLogger("casekit")


def build_site(root: Path) -> None:
    """Build into a staging folder beside the site and swap it in when complete.

    A failed build leaves the previous site and the docs folder (where the generated pages go)
    exactly as they were."""
    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        raise InputError([Problem(display_path(root), "this is not a casekit project folder; run in the folder "
                                                      "that holds mkdocs.yml, or pass --root")])
    try:
        site = Path(load_config(str(config_file)).site_dir)
    except MkDocsException as error:
        raise InputError([Problem(str(config_file), str(error))]) from None
    _check_site_folder(site)
    staging = site.with_name(f".{site.name}.building")
    shutil.rmtree(staging, ignore_errors=True)
    config = load_config(str(config_file), site_dir=str(staging))
    docs = Preserved(Path(config.docs_dir))
    try:
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
        _swap(staging, site)
    except MkDocsException as error:
        _undo(staging, docs)
        raise InputError([Problem(str(config_file), str(error))]) from None
    except BaseException:
        _undo(staging, docs)
        raise
    log.info("site built in %s", site)


def _check_site_folder(site: Path) -> None:
    if site.exists() and not site.is_dir():
        raise InputError([Problem(display_path(site), "a file stands where the site folder goes; move or delete it")])
    if site.exists() and not os.access(site, os.W_OK):
        raise InputError([Problem(display_path(site), "the site folder is read-only; change its permissions")])
    if not os.access(site.parent, os.W_OK):
        raise InputError([Problem(display_path(site.parent), "cannot write the site here: the folder is read-only")])


def _swap(staging: Path, site: Path) -> None:
    old = site.with_name(f".{site.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        site.rename(old)
    staging.rename(site)
    shutil.rmtree(old, ignore_errors=True)


def _undo(staging: Path, docs: Preserved) -> None:
    shutil.rmtree(staging, ignore_errors=True)
    docs.restore()


def serve_site(root: Path, dev_addr: str) -> None:
    """Rebuilds when a page, a form YAML or a catalog changes (they are watched in mkdocs.yml)."""
    mkdocs_serve(str(root / "mkdocs.yml"), dev_addr=dev_addr, livereload=True)
