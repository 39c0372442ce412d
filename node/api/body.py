"""Strict JSON request bodies: right content type, valid UTF-8, no duplicate keys, no NaN."""

from __future__ import annotations

import json
from typing import Any

from flask import request

from node.errors import ApiError


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ApiError(
                400,
                "duplicate_field",
                "A field appears twice in the JSON body.",
                {key[:60]: "appears more than once"},
            )
        out[key] = value
    return out


def _no_constants(name: str) -> Any:
    raise ApiError(400, "invalid_json", f"JSON body contains {name}, which is not a number.")


def json_body() -> Any:
    """The decoded JSON body, or an ApiError that says exactly what is wrong with it."""
    if request.mimetype != "application/json":
        raise ApiError(
            415,
            "unsupported_media_type",
            "Send the body as JSON with Content-Type: application/json.",
        )
    raw = request.get_data(cache=False)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(
            400,
            "invalid_encoding",
            f"The body is not valid UTF-8 (bad byte at offset {exc.start}).",
        ) from exc
    if not text.strip():
        raise ApiError(400, "invalid_json", "The body is empty; send a JSON object.")
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise ApiError(
            400,
            "invalid_json",
            f"The body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}.",
        ) from exc
    except RecursionError as exc:
        raise ApiError(400, "invalid_json", "The JSON body is nested too deeply.") from exc
