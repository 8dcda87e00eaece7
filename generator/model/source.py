"""The one place that reads YAML: nodes keep their line and column for messages."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError, Problem, display_path


@dataclass
class Located:
    """A plain value (dict, list, str …) and where each part of it came from."""

    value: Any
    marks: dict[tuple, tuple[int, int]]  # JSON path -> (line, column), both 1-based

    def where(self, path: tuple) -> tuple[int, int] | tuple[None, None]:
        """Nearest known position for a path (falls back to its parents)."""
        path = tuple(path)
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, (None, None))


def _convert(node: yaml.Node, path: tuple, marks: dict, file: str, problems: list) -> Any:
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            if key in result:
                problems.append(Problem(file, f"key '{key}' appears twice in the same block; keep one",
                                        key_node.start_mark.line + 1, key_node.start_mark.column + 1))
            result[key] = _convert(value_node, path + (key,), marks, file, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, path + (i,), marks, file, problems) for i, item in enumerate(node.value)]
    if node.tag == "tag:yaml.org,2002:timestamp":
        return node.value  # dates stay ISO text; the model parses them with a clear message
    return yaml.SafeLoader.construct_object(_LOADER, node, deep=True)


_LOADER = yaml.SafeLoader("")
# libyaml's parser when PyYAML was built with it: the same nodes and marks, several times faster
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Located:
    """Parse one YAML file; a syntax error becomes a Problem with line and column.

    Parsed once per version of the file: `casekit check` reads each form for the model and again for
    the translation template, and a build reads them for every language."""
    try:
        stat = path.stat()
    except OSError:
        stat = None
    if stat is None:
        return _parse(path)
    return _read_cached(path.resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _read_cached(path: Path, mtime_ns: int, size: int) -> Located:
    return _parse(path)


def _parse(path: Path) -> Located:
    file = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError([Problem(file, f"cannot read this file ({error})")]) from None
    try:
        node = yaml.compose(text, Loader=_COMPOSER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        detail = " ".join(filter(None, [error.context, error.problem]))
        raise InputError([Problem(file, f"YAML syntax error: {detail}; check indentation and quotes",
                                  mark.line + 1 if mark else None,
                                  mark.column + 1 if mark else None)]) from None
    marks: dict = {}
    problems: list[Problem] = []
    value = _convert(node, (), marks, file, problems) if node is not None else None
    if problems:
        raise InputError(problems)
    return Located(value, marks)
