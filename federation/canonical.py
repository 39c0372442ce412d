"""Canonical JSON, strict base64 and UTC timestamps: the byte forms that are signed.

The canonical form is a documented subset of JSON (close to RFC 8785 for the values we use):
UTF-8, object keys sorted by code point, no insignificant whitespace, non-ASCII characters
written as themselves. Allowed values: objects with string keys, arrays, strings, booleans,
null, integers within +/-(2**53 - 1) and finite floats (written as Python's shortest
round-trip ``repr``). NaN, infinities, duplicate keys and lone surrogates are rejected.

Parsing is strict: the input must be byte-for-byte the canonical form of what it parses to,
so two different byte strings never stand for the same signed value.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from datetime import UTC, datetime
from typing import Any

from federation.errors import CanonicalJSONError

MAX_SAFE_INTEGER = 2**53 - 1
_TIME_RE = re.compile(r"\A\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\Z")
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def canonical_bytes(value: Any) -> bytes:
    """Return the canonical JSON bytes of ``value``; raise CanonicalJSONError if not allowed."""
    _check_value(value)
    return _dump(value)


def parse_canonical(raw: bytes) -> Any:
    """Parse canonical JSON bytes; raise CanonicalJSONError unless ``raw`` is exactly canonical."""
    try:
        text = raw.decode("utf-8")
        value = json.loads(
            text,
            object_pairs_hook=_reject_duplicate_keys,
            parse_constant=_reject_constant,
            parse_int=_safe_int,
        )
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise CanonicalJSONError(f"expected canonical JSON, got unparsable bytes ({exc})") from exc
    # json.loads yields only JSON types, so only the spelling is left to check.
    if _dump(value) != raw:
        raise CanonicalJSONError(
            "expected canonical JSON (sorted keys, no whitespace, UTF-8), got another "
            "spelling of the same value"
        )
    return value


def b64encode(data: bytes) -> str:
    """Standard base64 with padding."""
    return base64.b64encode(data).decode("ascii")


def b64decode_strict(text: str, what: str) -> bytes:
    """Decode base64 that must be in its one canonical spelling (padding, zero unused bits)."""
    if not isinstance(text, str):
        raise CanonicalJSONError(f"{what}: expected a base64 string, got {type(text).__name__}")
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError) as exc:
        raise CanonicalJSONError(f"{what}: expected standard base64, got invalid text") from exc
    if b64encode(data) != text:
        raise CanonicalJSONError(f"{what}: expected canonical base64, got a variant spelling")
    return data


def format_time(moment: datetime) -> str:
    """Write an aware datetime as UTC ISO 8601 with seconds precision, e.g. 2026-11-28T01:00:00Z."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got naive {moment.isoformat()}")
    return moment.astimezone(UTC).strftime(_TIME_FORMAT)


def parse_time(text: object, what: str) -> datetime:
    """Parse the one accepted time spelling (``YYYY-MM-DDTHH:MM:SSZ``) into an aware datetime."""
    if not isinstance(text, str) or not _TIME_RE.match(text):
        raise CanonicalJSONError(
            f"{what}: expected a UTC time like 2026-11-28T01:00:00Z, got {_short(text)}"
        )
    try:
        return datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError as exc:
        raise CanonicalJSONError(f"{what}: expected a real date and time, got {text!r}") from exc


def truncate_to_second(moment: datetime) -> datetime:
    """Drop sub-second precision so a time survives a format/parse round trip unchanged."""
    return moment.astimezone(UTC).replace(microsecond=0)


def _dump(value: Any) -> bytes:
    try:
        text = json.dumps(
            value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
        return text.encode("utf-8")
    except (ValueError, UnicodeEncodeError) as exc:
        raise CanonicalJSONError(f"value cannot be written as canonical JSON: {exc}") from exc


def _check_value(value: Any) -> None:
    """Reject what json.dumps would silently change (non-str keys, big ints, odd types).

    Iterative, with exact type checks: it runs over every value of every message sealed.
    """
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str or kind is bool or item is None:
            continue
        if kind is int:
            if not -MAX_SAFE_INTEGER <= item <= MAX_SAFE_INTEGER:
                raise CanonicalJSONError("expected integers within +/-(2**53-1)")
        elif kind is float:
            if not math.isfinite(item):
                raise CanonicalJSONError(f"expected finite numbers, got {item!r}")
        elif kind is dict:
            for key in item:
                if type(key) is not str:
                    raise CanonicalJSONError(f"expected string keys, got {type(key).__name__}")
            stack.extend(item.values())
        elif kind is list or kind is tuple:
            stack.extend(item)
        else:
            raise CanonicalJSONError(f"expected a JSON value, got {kind.__name__}")


def _safe_int(text: str) -> int:
    value = int(text)
    if not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
        raise ValueError("integer outside +/-(2**53-1)")
    return value


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not allowed")


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
