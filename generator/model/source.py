"""The one place that reads YAML: nodes keep their line and column for messages.

Every YAML file casekit reads (definitions, lists, settings, glossary, fill data) comes through
`read_yaml`, which treats the file as hostile: it is capped in size, nesting and expanded values
(an alias bomb is a few lines that expand to gigabytes), and it refuses YAML tags (`!!python/…`,
`!!int five`), so a value is only ever text, a number, true/false, a list or a block of keys.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent

from ..errors import InputError, Problem, display_path

MAX_BYTES = 2_000_000  # the largest real form is about 30 KB
MAX_DEPTH = 40  # a form nests fields in sections in a form: about 8 levels
MAX_ALIASES = 50  # anchors and aliases are allowed, a few of them
MAX_VALUES = 200_000  # values after aliases are expanded; the largest real form has about 3,000


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


class _Refused(Exception):
    def __init__(self, mark, message: str):
        self.mark, self.message = mark, message


if getattr(yaml, "__with_libyaml__", False):  # libyaml's parser is ten times faster than the Python one
    _PARSING = (yaml.cyaml.CParser,)
else:
    _PARSING = (yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser)


class _Loader(yaml.composer.Composer, *_PARSING, yaml.resolver.Resolver):
    """Events from the parser; our composer, with a depth limit, an alias budget and no explicit tags."""

    def __init__(self, stream):
        if len(_PARSING) == 1:
            _PARSING[0].__init__(self, stream)
        else:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self.depth = 0
        self.aliases = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise _Refused(event.start_mark, f"more than {MAX_ALIASES} aliases (*name) in one file; "
                                                 "write the values out instead")
        elif isinstance(event, (ScalarEvent, CollectionStartEvent)) and event.tag not in (None, "!"):
            raise _Refused(event.start_mark, f"YAML tags such as '{event.tag}' are not allowed; remove the tag "
                                             "(put the value in quotes if it is text)")
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Refused(event.start_mark, f"blocks nested more than {MAX_DEPTH} levels deep; "
                                             "check the indentation")
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Converter:
    """Nodes -> plain values with marks; counts values so that aliases cannot expand without end."""

    def __init__(self, file: str, typed: bool, max_values: int):
        self.file, self.typed, self.max_values = file, typed, max_values
        self.marks: dict = {}
        self.problems: list[Problem] = []
        self.count = 0
        self.constructor = yaml.SafeLoader("")

    def convert(self, node: yaml.Node, path: tuple) -> Any:
        self.count += 1
        if self.count > self.max_values:
            raise _Refused(node.start_mark, f"the file holds more than {self.max_values:,} values once its aliases "
                                            "(*name) are expanded; write the values out, or split the file")
        self.marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            result: dict = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise _Refused(key_node.start_mark, "a key must be a plain word, not a list or a block")
                key = key_node.value
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise _Refused(key_node.start_mark, "merge keys ('<<') are not supported; write the keys out")
                if key in result:
                    self.problems.append(Problem(self.file, f"key '{key}' appears twice in the same block; keep one",
                                                 key_node.start_mark.line + 1, key_node.start_mark.column + 1))
                result[key] = self.convert(value_node, path + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, path + (i,)) for i, item in enumerate(node.value)]
        if not self.typed or node.tag == "tag:yaml.org,2002:timestamp":
            return node.value  # text as written: dates stay ISO text, a case number keeps its zeros
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError):
            raise _Refused(node.start_mark, f"cannot read the value '{node.value[:40]}'; "
                                            "put it in quotes if it is text") from None


def decode_text(data: bytes, file: str) -> str:
    """UTF-8, with or without a byte-order mark; otherwise a message with the line of the first bad byte."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise InputError([Problem(file, "this file is not UTF-8 text; save this file as UTF-8 "
                                        "(in a text editor: Save as… › Encoding: UTF-8)", line, column)]) from None
    if "\0" in text:
        line = text.count("\n", 0, text.index("\0")) + 1
        raise InputError([Problem(file, "this file holds binary data (a NUL byte), not text; "
                                        "is it the right file?", line)])
    return text


def read_bytes(path: Path, file: str | None = None, limit: int = MAX_BYTES) -> bytes:
    """The bytes of an input file, or a message saying why it cannot be read."""
    file = file or display_path(path)
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError([Problem(file, f"the file is {size:,} bytes, more than the limit of {limit:,}; "
                                            "is it the right file?")])
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(file, "file not found")]) from None
    except IsADirectoryError:
        raise InputError([Problem(file, "this is a folder, not a file")]) from None
    except OSError as error:
        raise InputError([Problem(file, f"cannot read this file ({error.strerror or error})")]) from None


def parse_yaml(text: str, file: str, typed: bool = True, max_values: int = MAX_VALUES) -> Located:
    """YAML text -> Located; `typed=False` keeps every scalar as the text written (fill data)."""
    converter = _Converter(file, typed, max_values)
    try:
        loader = _Loader(text)
        node = yaml.composer.Composer.get_single_node(loader)
        value = converter.convert(node, ()) if node is not None else None
    except _Refused as refused:
        raise InputError([Problem(file, refused.message, refused.mark.line + 1, refused.mark.column + 1)]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        detail = " ".join(filter(None, [error.context, error.problem]))
        raise InputError([Problem(file, f"YAML syntax error: {detail}; check indentation and quotes",
                                  mark.line + 1 if mark else None,
                                  mark.column + 1 if mark else None)]) from None
    except yaml.reader.ReaderError as error:  # a control character YAML does not allow
        line = text.encode("utf-8")[:error.position].count(b"\n") + 1 if len(_PARSING) == 1 \
            else text.count("\n", 0, error.position) + 1  # libyaml counts bytes, the Python reader characters
        raise InputError([Problem(file, f"character {error.character!r} is not allowed in YAML; "
                                        "delete it (it is invisible in most editors)", line)]) from None
    if converter.problems:
        raise InputError(converter.problems)
    return Located(value, converter.marks)


def read_yaml(path: Path, typed: bool = True) -> Located:
    """Parse one YAML file; every problem becomes a Problem with line and column."""
    file = display_path(path)
    return parse_yaml(decode_text(read_bytes(path, file), file), file, typed)
