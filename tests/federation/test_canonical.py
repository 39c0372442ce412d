"""Canonical JSON: one byte string per signed value; anything else is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from federation.canonical import (
    b64decode_strict,
    canonical_bytes,
    format_time,
    parse_canonical,
    parse_time,
)
from federation.errors import CanonicalJSONError


def test_canonical_form_is_sorted_compact_utf8() -> None:
    value = {"b": [1, 2.5, None, True], "a": "Λευκωσία", "c": {"y": -3, "x": ""}}
    raw = canonical_bytes(value)
    assert raw == '{"a":"Λευκωσία","b":[1,2.5,null,true],"c":{"x":"","y":-3}}'.encode()
    assert parse_canonical(raw) == value


@pytest.mark.parametrize(
    "value",
    [float("nan"), float("inf"), 2**53, {1: "int key"}, {"s": {1, 2}}, b"bytes", "\ud800"],
    ids=["nan", "infinity", "unsafe_integer", "int_key", "set", "bytes", "lone_surrogate"],
)
def test_value_without_a_canonical_form_is_refused(value: object) -> None:
    with pytest.raises(CanonicalJSONError):
        canonical_bytes(value)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"b":1,"a":2}',  # unsorted keys
        b'{"a": 1}',  # whitespace
        b'{"a":1,"a":1}',  # duplicate key
        b'{"a":"\\u0041"}',  # escaped where the character itself is canonical
        b'{"a":1.50}',  # trailing zero
        b'{"a":1E2}',  # exponent spelling
        b'{"a":NaN}',
        b'{"a":9007199254740993}',  # beyond 2**53
        b'{"a":1}\n',  # trailing newline
        b"\xff",  # not UTF-8
    ],
    ids=[
        "unsorted",
        "whitespace",
        "duplicate_key",
        "needless_escape",
        "trailing_zero",
        "exponent",
        "nan",
        "unsafe_integer",
        "trailing_newline",
        "not_utf8",
    ],
)
def test_non_canonical_spelling_is_refused(raw: bytes) -> None:
    with pytest.raises(CanonicalJSONError):
        parse_canonical(raw)


@pytest.mark.parametrize("text", ["QR==", "QQ", "QQ==\n", "Q Q==", "QQ=="[:-1] + "*"])
def test_variant_base64_spellings_are_refused(text: str) -> None:
    assert b64decode_strict("QQ==", "x") == b"A"
    with pytest.raises(CanonicalJSONError):
        b64decode_strict(text, "x")


def test_times_are_utc_seconds_with_z() -> None:
    moment = datetime(2026, 11, 28, 3, 4, 5, 999, tzinfo=timezone(timedelta(hours=2)))
    assert format_time(moment) == "2026-11-28T01:04:05Z"
    assert parse_time("2026-11-28T01:04:05Z", "t") == datetime(2026, 11, 28, 1, 4, 5, tzinfo=UTC)
    for bad in ("2026-11-28T01:04:05+00:00", "2026-11-28 01:04:05Z", "2026-02-30T00:00:00Z", 5):
        with pytest.raises(CanonicalJSONError):
            parse_time(bad, "t")
    with pytest.raises(ValueError, match="naive"):
        format_time(datetime(2026, 1, 1))
