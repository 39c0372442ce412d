"""Strict readers for JSON objects: exact field sets, exact types, messages that name the field.

Shared by the message types and the roster so both reject unknown fields the same way. Every
failure raises the error class the caller passes in (e.g. MessageFormatError).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from federation.canonical import b64decode_strict, canonical_bytes, parse_time
from federation.errors import CanonicalJSONError

_MISSING = object()


class StrictObject:
    """A JSON object whose keys must be exactly ``required`` plus any of ``optional``."""

    def __init__(
        self,
        data: object,
        where: str,
        *,
        required: Collection[str],
        optional: Collection[str] = (),
        error: type[Exception],
    ) -> None:
        self.where = where
        self.error = error
        if not isinstance(data, Mapping):
            raise error(f"{where}: expected a JSON object, got {type(data).__name__}")
        self.data = data
        keys = data.keys()
        if len(keys) >= len(required) and all(k in keys for k in required):
            if len(keys) == len(required) or all(k in required or k in optional for k in keys):
                return
        present = set(keys)
        missing = sorted(set(required) - present)
        unknown = sorted(present - set(required) - set(optional))
        if missing:
            raise error(f"{where}: missing field(s) {', '.join(missing)}")
        if unknown:
            allowed = ", ".join(sorted({*required, *optional}))
            raise error(f"{where}: unknown field(s) {', '.join(unknown)}; allowed: {allowed}")

    def has(self, name: str) -> bool:
        return name in self.data

    def text(self, name: str, *, pattern: str | None = None, max_len: int = 256) -> str:
        value = self.data.get(name)
        if not isinstance(value, str) or not value:
            raise self.error(
                f"{self.where}.{name}: expected a non-empty string, got {_kind(value)}"
            )
        if len(value) > max_len:
            raise self.error(f"{self.where}.{name}: expected at most {max_len} characters")
        if pattern is not None and not _compiled(pattern).fullmatch(value):
            raise self.error(f"{self.where}.{name}: expected text matching {pattern}")
        return value

    def optional_text(
        self, name: str, *, pattern: str | None = None, max_len: int = 256
    ) -> str | None:
        if self.data.get(name, None) is None:
            return None
        return self.text(name, pattern=pattern, max_len=max_len)

    def integer(self, name: str, *, minimum: int | None = None) -> int:
        value = self.data.get(name)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.error(f"{self.where}.{name}: expected an integer, got {_kind(value)}")
        if minimum is not None and value < minimum:
            raise self.error(f"{self.where}.{name}: expected at least {minimum}, got {value}")
        return value

    def optional_integer(self, name: str, *, minimum: int | None = None) -> int | None:
        if self.data.get(name, None) is None:
            return None
        return self.integer(name, minimum=minimum)

    def choice(self, name: str, choices: Collection[str]) -> str:
        value = self.data.get(name)
        if not isinstance(value, str) or value not in choices:
            raise self.error(
                f"{self.where}.{name}: expected one of {', '.join(sorted(choices))}, "
                f"got {_kind(value)}"
            )
        return str(value)

    def time(self, name: str) -> datetime:
        try:
            return parse_time(self.data.get(name), f"{self.where}.{name}")
        except CanonicalJSONError as exc:
            raise self.error(str(exc)) from exc

    def optional_time(self, name: str) -> datetime | None:
        if self.data.get(name, None) is None:
            return None
        return self.time(name)

    def b64(self, name: str) -> bytes:
        try:
            return b64decode_strict(self.data.get(name), f"{self.where}.{name}")  # type: ignore[arg-type]
        except CanonicalJSONError as exc:
            raise self.error(str(exc)) from exc

    def items(self, name: str, *, max_items: int = 100_000) -> list[Any]:
        value = self.data.get(name)
        if not isinstance(value, list):
            raise self.error(f"{self.where}.{name}: expected a list, got {_kind(value)}")
        if len(value) > max_items:
            raise self.error(f"{self.where}.{name}: expected at most {max_items} items")
        return value

    def text_set(
        self, name: str, *, choices: Collection[str] | None = None, pattern: str | None = None
    ) -> frozenset[str]:
        """A list of distinct strings (kept sorted on output so the canonical form is unique)."""
        items = self.items(name)
        for item in items:
            if not isinstance(item, str) or not item:
                raise self.error(f"{self.where}.{name}: expected strings, got {_kind(item)}")
            if choices is not None and item not in choices:
                raise self.error(
                    f"{self.where}.{name}: expected items among {', '.join(sorted(choices))}, "
                    f"got {item!r}"
                )
            if pattern is not None and not re.fullmatch(pattern, item):
                raise self.error(f"{self.where}.{name}: expected items matching {pattern}")
        if items != sorted(set(items)):
            raise self.error(f"{self.where}.{name}: expected sorted distinct items")
        return frozenset(items)

    def json_object(self, name: str) -> dict[str, Any]:
        """A free-form JSON object (e.g. step parameters), checked to be canonical-JSON-able."""
        value = self.data.get(name)
        if not isinstance(value, dict):
            raise self.error(f"{self.where}.{name}: expected a JSON object, got {_kind(value)}")
        try:
            canonical_bytes(value)
        except CanonicalJSONError as exc:
            raise self.error(f"{self.where}.{name}: {exc}") from exc
        return value


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return "empty text" if not value else "text"
    return type(value).__name__
