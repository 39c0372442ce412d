"""Check a policy's structure against ``policies/schema.json`` and say each error in plain words.

The schema is the single description of the file's shape: editors use it for completion and
this module uses it for validation, so the two cannot drift apart. jsonschema's own messages
are written for programmers; here each error becomes "expected X, got Y" at the line and
column of the offending key or value, with a hint (the schema's ``x-hint`` where it has one,
or the closest known key for a typo).
"""

from __future__ import annotations

import difflib
import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from policies.yamlsource import Source, describe

_TYPE_WORDS = {
    "object": "a section of 'key: value' lines",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing",
}

# What the keys of a section are, for "unknown ..." messages about key names.
_KEY_KINDS = {
    "redaction": "language",
    "thresholds": "entity",
    "operators": "entity",
    "deny_list": "entity",
    "retention": "retention rule",
}


@cache
def schema() -> dict[str, Any]:
    """The policy JSON Schema shipped in this package."""
    text = resources.files("policies").joinpath("schema.json").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


def check_structure(source: Source) -> None:
    """Add a problem to ``source`` for every place the data does not fit the schema."""
    seen: set[tuple[Any, ...]] = set()
    errors = sorted(_validator().iter_errors(source.data), key=lambda e: list(map(str, e.path)))
    for error in errors:
        for path, message, hint, key in _explain(error):
            marker = (path, message)
            if marker not in seen:
                seen.add(marker)
                source.problem(path, message, hint, key=key)


Explained = tuple[tuple[Any, ...], str, str, bool]


def _explain(error: ValidationError) -> list[Explained]:
    path = tuple(error.absolute_path)
    kind = error.validator
    value = error.instance
    sub = error.schema if isinstance(error.schema, dict) else {}
    # Range hints ("5 or 10 is usual") help with a wrong number, not with a wrong type.
    hint = "" if kind == "type" else sub.get("x-hint", "")
    if "propertyNames" in error.relative_schema_path:
        return [_bad_key_name(path, value, error)]
    if kind == "additionalProperties" and isinstance(value, dict):
        known = sorted(sub.get("properties", {}))
        return [_unknown_key(path, extra, known) for extra in value if extra not in known]
    if kind == "required" and isinstance(value, dict):
        # A misspelt key is reported once, as unknown with a suggestion, not also as missing.
        misspelt = {match for extra in value for match in difflib.get_close_matches(
            extra, error.validator_value, n=1, cutoff=0.6) if extra not in error.validator_value}
        return [
            (path, f"missing the key '{name}'",
             f"add '{name}:' to this section; see policies/default.yaml", True)
            for name in error.validator_value if name not in value and name not in misspelt
        ]
    if kind in ("anyOf", "oneOf"):
        if "x-expected" in sub:
            return [(path, f"expected {sub['x-expected']}, got {describe(value)}", hint, False)]
        inner = best_match(error.context) if error.context else None
        return _explain(inner) if inner is not None else [
            (path, f"expected something else here, got {describe(value)}", hint, False)]
    if kind == "pattern" and "x-expected" in sub:
        return [(path, f"expected {sub['x-expected']}, got {describe(value)}", hint, False)]
    if kind == "enum":
        hint = _suggest(value, error.validator_value).removeprefix("; ") or hint
    return [(path, _plain_message(kind, error.validator_value, value), hint, False)]


def _plain_message(kind: str, limit: Any, value: Any) -> str:
    got = describe(value)
    if kind == "type":
        wanted = limit if isinstance(limit, list) else [limit]
        words = " or ".join(_TYPE_WORDS.get(w, w) for w in wanted)
        return f"expected {words}, got {got}"
    if kind == "enum":
        return f"expected one of {', '.join(map(str, limit))}, got {got}"
    if kind == "const":
        return f"expected {limit!r}, got {got}"
    if kind == "minimum":
        return f"expected at least {limit}, got {got}"
    if kind == "exclusiveMinimum":
        return f"expected more than {limit}, got {got}"
    if kind == "maximum":
        return f"expected at most {limit}, got {got}"
    if kind == "exclusiveMaximum":
        return f"expected less than {limit}, got {got}"
    if kind == "minLength":
        return "expected some text, got an empty value" if limit == 1 else \
            f"expected at least {limit} characters, got {got}"
    if kind == "maxLength":
        return f"expected at most {limit} characters, got {len(value)} characters"
    if kind == "minItems":
        return f"expected a list of at least {limit} entries, got {len(value)}"
    if kind == "maxItems":
        return f"expected a list of at most {limit} entries, got {len(value)}"
    if kind == "uniqueItems":
        repeated = sorted({str(v) for v in value if value.count(v) > 1})
        return f"expected each entry once, got repeated entries: {', '.join(repeated)}"
    if kind == "minProperties":
        return "expected at least one entry in this section, got none"
    if kind == "pattern":
        return f"expected text of the form {limit}, got {got}"
    return f"{got} is not allowed here ({kind})"


def _suggest(value: Any, choices: Any) -> str:
    if not isinstance(value, str):
        return ""
    close = difflib.get_close_matches(value, [str(c) for c in choices], n=1, cutoff=0.6)
    if not close:
        close = [str(c) for c in choices if str(c).casefold() == value.casefold()]
    return f"; did you mean '{close[0]}'?" if close else ""


def _unknown_key(path: tuple[Any, ...], extra: str, known: list[str]) -> Explained:
    close = difflib.get_close_matches(extra, known, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else f"known keys here: {', '.join(known)}"
    return ((*path, extra), f"unknown key '{extra}'", hint, True)


def _bad_key_name(path: tuple[Any, ...], name: Any, error: ValidationError) -> Explained:
    section = next((p for p in reversed(path) if isinstance(p, str)), "")
    what = _KEY_KINDS.get(section, "key")
    choices = error.validator_value if error.validator == "enum" else []
    sub = error.schema if isinstance(error.schema, dict) else {}
    if error.validator in ("anyOf", "oneOf", "pattern") and "x-expected" in sub:
        message = f"expected {sub['x-expected']}, got {describe(name)}"
        choices = {"retention": ["default"], "sharing": ["coordinator"]}.get(section, [])
    elif error.validator == "enum":
        message = f"unknown {what} '{name}'"
    else:
        message = f"in the key {describe(name)}: " + _plain_message(
            error.validator, error.validator_value, name)
    suggestion = _suggest(name, choices).removeprefix("; ")
    listed = error.validator == "enum"
    hint = suggestion or (f"choose one of {', '.join(map(str, choices))}" if listed else "")
    return ((*path, name), message, hint, True)
