"""Read a policy file into plain Python data plus the line and column of every key and value.

ruamel.yaml's round-trip loader keeps positions (0-based); this module turns its tree into
plain dicts, lists and scalars (what jsonschema and the checks see) and an index from a path
such as ``("sharing", "coordinator", "min_cell_count")`` to 1-based positions. Anything the
parser rejects becomes a :class:`~policies.errors.Problem` instead of an exception.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scalarint import ScalarInt

from policies.errors import Problem

Path_ = tuple[str | int, ...]
Position = tuple[int, int]

# A policy is a few hundred lines; anything far larger is a mistake or an attack
# (alias expansion, "billion laughs"), and refusing it keeps `policy check` fast.
MAX_BYTES = 1_000_000
MAX_NODES = 200_000

# ruamel's wording -> what a DPO should look at.
_PARSER_HINTS = {
    "mapping values are not allowed here": "check the indentation of this line, and that "
    "text containing ': ' is put in quotes",
    "expected <block end>": "this line is indented differently from the lines above it; "
    "keys of the same section must start in the same column",
    "could not find expected ':'": "a key is missing its ':' or a quote is not closed",
    "found character '\\t' that cannot start any token": "use spaces, not tabs, to indent",
    "found duplicate key": "each key may appear only once in a section; remove or merge one",
    "found undefined alias": "remove the '*' or define the '&' anchor it refers to",
}


@dataclass
class SourceIndex:
    """Positions of keys, values and sections by path (1-based line, column)."""

    keys: dict[Path_, Position] = field(default_factory=dict)
    values: dict[Path_, Position] = field(default_factory=dict)

    def at(self, path: Path_, *, key: bool = False) -> Position:
        """Best position for ``path``: its key or value, else the nearest enclosing one."""
        for i in range(len(path), -1, -1):
            prefix = path[:i]
            first, second = (self.keys, self.values) if key else (self.values, self.keys)
            if prefix in first:
                return first[prefix]
            if prefix in second:
                return second[prefix]
        return (1, 1)


@dataclass
class Source:
    """The outcome of reading a file: data and positions, or the problems that stopped it."""

    file: str
    data: Any = None
    index: SourceIndex = field(default_factory=SourceIndex)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, path: Path_, message: str, hint: str = "", *, key: bool = False) -> None:
        """Record a problem at ``path``."""
        line, column = self.index.at(path, key=key)
        self.problems.append(Problem(self.file, line, column, message, hint))


def read_source(path: str | Path) -> Source:
    """Read and parse ``path``; problems are collected, never raised."""
    source = Source(file=str(path))
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        source.problems.append(
            Problem(source.file, 1, 1, f"cannot read the file: {exc.strerror or exc}",
                    "check the file name and that the node may read it")
        )
        return source
    return source_from_bytes(raw, source)


def source_from_bytes(raw: bytes, source: Source) -> Source:
    """Decode and parse the bytes of a policy file into ``source``."""
    if len(raw) > MAX_BYTES:
        source.problems.append(
            Problem(source.file, 1, 1, f"expected a file of at most {MAX_BYTES} bytes, "
                    f"got {len(raw)} bytes", "a policy file is a few hundred lines")
        )
        return source
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        source.problems.append(
            Problem(source.file, line, column, "expected UTF-8 text, got bytes that are not",
                    "save the file as UTF-8 in your editor")
        )
        return source
    return parse_text(text, source)


def parse_text(text: str, source: Source) -> Source:
    """Parse YAML ``text`` into ``source`` (used directly by tests and by preview)."""
    yaml = YAML(typ="rt")
    try:
        tree = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = (exc.problem or exc.context or "the YAML is not valid").strip()
        hint = next((h for k, h in _PARSER_HINTS.items() if k in problem),
                    "check the indentation and quoting around this place")
        if "duplicate key" in problem:
            problem = problem.split(" with value")[0]
        source.problems.append(Problem(source.file, line, column,
                                       f"the file is not valid YAML: {problem}", hint))
        return source
    except ReaderError:
        position = _control_char_position(text)
        source.problems.append(
            Problem(source.file, *position, "the file contains a control character that is "
                    "not allowed in YAML", "remove it; it may come from copying binary data")
        )
        return source
    except YAMLError as exc:
        source.problems.append(Problem(source.file, 1, 1, f"the file is not valid YAML: {exc}",
                                       "check the indentation and quoting"))
        return source
    except RecursionError:
        source.problems.append(Problem(source.file, 1, 1, "the file is nested too deeply",
                                       "a policy needs at most a few levels of sections"))
        return source
    if tree is None:
        source.problems.append(Problem(source.file, 1, 1, "the file is empty",
                                       "start from policies/default.yaml"))
        return source
    if not isinstance(tree, CommentedMap):
        source.problems.append(
            Problem(source.file, 1, 1,
                    f"expected sections such as 'version:' and 'redaction:' at the top level, "
                    f"got {describe(_plain_scalar(tree)) if _is_scalar(tree) else 'a list'}",
                    "start from policies/default.yaml"))
        return source
    source.index.values[()] = (1, 1)
    try:
        source.data = _Converter(source).convert(tree, ())
    except (_TooLarge, RecursionError):
        source.data = None
        source.problems.append(
            Problem(source.file, 1, 1, f"expected at most {MAX_NODES} values, got more "
                    "(aliases '*' expand the file beyond that)",
                    "write the policy out without '&' anchors and '*' aliases"))
    return source


def _control_char_position(text: str) -> Position:
    """Position of the first character YAML refuses (control characters)."""
    for offset, char in enumerate(text):
        if (ord(char) < 0x20 and char not in "\t\n\r") or 0x7F <= ord(char) < 0xA0 \
                or char in "\ufffe\uffff":
            line = text.count("\n", 0, offset) + 1
            return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
    return 1, 1


def _is_scalar(node: object) -> bool:
    return not isinstance(node, CommentedMap | CommentedSeq)


def _plain_scalar(value: object) -> Any:
    """A YAML scalar as plain Python, keeping what a DPO typed where it matters."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, ScalarInt):
        width = getattr(value, "_width", None)
        # "0501" unquoted is the number 501 to YAML; keep the digits the DPO wrote.
        if width and width > len(str(int(value))) and int(value) >= 0:
            return str(int(value)).zfill(width)
        return int(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        # NaN compares false with every bound, so it would slip past range checks.
        return float(value) if math.isfinite(value) else str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return "<binary data>"
    return str(value)


class _Converter:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.nodes = 0
        self.active: set[int] = set()

    def convert(self, node: Any, path: Path_) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _TooLarge
        if isinstance(node, CommentedMap):
            return self._mapping(node, path)
        if isinstance(node, CommentedSeq):
            return self._sequence(node, path)
        return self._text_checked(_plain_scalar(node), path)

    def _text_checked(self, value: Any, path: Path_, *, key: bool = False) -> Any:
        clean = _without_surrogates(value) if isinstance(value, str) else value
        if clean != value:
            self.source.problem(path, "the text contains an escape (\\uD800-\\uDFFF) that "
                                "is not a character", "remove the escape or write the "
                                "character itself", key=key)
        return clean

    def _mapping(self, node: CommentedMap, path: Path_) -> dict[str, Any]:
        if id(node) in self.active:
            self.source.problem(path, "a section refers to itself through an alias",
                                "remove the '*' alias")
            return {}
        self.active.add(id(node))
        result: dict[str, Any] = {}
        for raw_key, value in node.items():
            written = _key_text(raw_key)
            key = _without_surrogates(written)
            child = (*path, key)
            try:
                self.source.index.keys[child] = _one_based(node.lc.key(raw_key))
                self.source.index.values[child] = _one_based(node.lc.value(raw_key))
            except (KeyError, TypeError, AttributeError):
                # Keys merged in with "<<: *anchor" have no position of their own.
                self.source.index.keys[child] = self.source.index.at(path)
            self._text_checked(written, child, key=True)
            if key in result:
                self.source.problem(child, f"the key '{key}' appears twice in this section",
                                    "each key may appear only once; remove or merge one",
                                    key=True)
                continue
            result[key] = self.convert(value, child)
        self.active.discard(id(node))
        return result

    def _sequence(self, node: CommentedSeq, path: Path_) -> list[Any]:
        if id(node) in self.active:
            self.source.problem(path, "a list refers to itself through an alias",
                                "remove the '*' alias")
            return []
        self.active.add(id(node))
        result = []
        for i, item in enumerate(node):
            child = (*path, i)
            try:
                self.source.index.values[child] = _one_based(node.lc.item(i))
            except (KeyError, TypeError, AttributeError, IndexError):
                self.source.index.values[child] = self.source.index.at(path)
            result.append(self.convert(item, child))
        self.active.discard(id(node))
        return result


class _TooLarge(Exception):
    """Raised inside the converter when aliases expand the file beyond MAX_NODES."""


def _without_surrogates(text: str) -> str:
    """``text`` with lone surrogates (from "\\ud800" escapes) replaced: not storable text."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _key_text(key: Hashable) -> str:
    plain = _plain_scalar(key)
    return plain if isinstance(plain, str) else str(plain)


def _one_based(position: tuple[int, int]) -> Position:
    return position[0] + 1, position[1] + 1


def describe(value: Any) -> str:
    """Plain words for a value found in the file: "the text 'five'", "the number 3"."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"the yes/no value {str(value).lower()}"
    if isinstance(value, int | float):
        text = str(value)
        return f"the number {text if len(text) <= 30 else text[:27] + '...'}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a section of 'key: value' lines"
    return "a value of an unknown kind"
