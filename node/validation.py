"""Checks on a submitted report: each problem is named per field, never echoing the value."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

CHANNELS = ("app", "web", "phone", "desk", "backoffice", "import")
ALLOWED_FIELDS = {
    "occurred_at",
    "category",
    "iccs_code",
    "language",
    "description",
    "location",
    "channel",
    "reporter_contact",
    "external_id",
}
LOCATION_FIELDS = {"lat", "lon", "address"}
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
# Clocks of citizens' phones drift; more than this in the future is a mistake, not drift.
FUTURE_TOLERANCE = timedelta(hours=1)
_ICCS = re.compile(r"^\d{2}(\d{2})?$")
_EXTERNAL_ID = re.compile(r"^[A-Za-z0-9._:/-]{1,120}$")
# Control characters other than tab, newline and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ReportValidationError(Exception):
    """One or more fields are wrong; ``fields`` maps each to what to fix."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields


@dataclass(frozen=True)
class ReportInput:
    occurred_at: datetime
    category: str
    iccs_code: str | None
    language: str
    description: str
    lat: float | None
    lon: float | None
    address: str | None
    channel: str
    reporter_contact: str | None
    external_id: str | None


@dataclass(frozen=True)
class Limits:
    languages: tuple[str, ...]
    max_description_chars: int
    max_contact_chars: int


def parse_time(value: Any, field: str, errors: dict[str, str], now: datetime) -> datetime | None:
    if not isinstance(value, str):
        errors[field] = f"expected an ISO 8601 time text, got {_kind(value)}"
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        errors[field] = "expected an ISO 8601 time such as 2026-03-01T18:30:00Z"
        return None
    if parsed.tzinfo is None:
        errors[field] = "the time has no time zone; add Z (UTC) or an offset such as +01:00"
        return None
    try:
        parsed = parsed.astimezone(UTC)
    except OverflowError:
        # 0001-01-01 with a positive offset is before the first representable instant.
        errors[field] = f"the time is before {EARLIEST.date()}; check the year"
        return None
    if parsed < EARLIEST:
        errors[field] = f"the time is before {EARLIEST.date()}; check the year"
    elif parsed > now + FUTURE_TOLERANCE:
        errors[field] = "the time is in the future; check the date and time zone"
    return parsed


def _kind(value: Any) -> str:
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "a text",
        list: "a list",
        dict: "an object",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _text(
    payload: dict[str, Any],
    field: str,
    errors: dict[str, str],
    *,
    required: bool,
    max_len: int,
    multiline: bool = False,
) -> str | None:
    value = payload.get(field)
    if value is None:
        if required:
            errors[field] = "this field is required"
        return None
    if not isinstance(value, str):
        errors[field] = f"expected a text, got {_kind(value)}"
        return None
    if "\x00" in value:
        errors[field] = "contains a NUL character; remove it"
        return None
    if _CONTROL.search(value) or (not multiline and ("\n" in value or "\r" in value)):
        errors[field] = "contains control characters; send plain text"
        return None
    if not value.strip():
        if required:
            errors[field] = "must not be empty"
        return None
    if len(value) > max_len:
        errors[field] = f"is {len(value)} characters long; the limit is {max_len}"
        return None
    return value


def validate_report(payload: Any, limits: Limits, now: datetime) -> ReportInput:
    """Turn a decoded JSON body into a :class:`ReportInput` or raise with every problem."""
    if not isinstance(payload, dict):
        raise ReportValidationError({"body": f"expected a JSON object, got {_kind(payload)}"})
    errors: dict[str, str] = {}
    for unknown in sorted(set(payload) - ALLOWED_FIELDS):
        errors[unknown[:60]] = (
            f"unknown field; allowed fields are {', '.join(sorted(ALLOWED_FIELDS))}"
        )
    occurred = (
        parse_time(payload["occurred_at"], "occurred_at", errors, now)
        if "occurred_at" in payload
        else None
    )
    if "occurred_at" not in payload:
        errors["occurred_at"] = "this field is required"
    category = _text(payload, "category", errors, required=True, max_len=120)
    iccs = _text(payload, "iccs_code", errors, required=False, max_len=4)
    if iccs is not None and not _ICCS.match(iccs):
        errors["iccs_code"] = "expected an ICCS code of 2 or 4 digits, such as 0501"
    language = payload.get("language", limits.languages[0])
    if language not in limits.languages:
        errors["language"] = f"expected one of {', '.join(limits.languages)}"
    description = _text(
        payload,
        "description",
        errors,
        required=True,
        max_len=limits.max_description_chars,
        multiline=True,
    )
    contact = _text(
        payload, "reporter_contact", errors, required=False, max_len=limits.max_contact_chars
    )
    external_id = payload.get("external_id")
    if external_id is not None and (
        not isinstance(external_id, str) or not _EXTERNAL_ID.match(external_id)
    ):
        errors["external_id"] = "expected 1-120 letters, digits or . _ : / -"
    channel = payload.get("channel", "app")
    if channel not in CHANNELS:
        errors["channel"] = f"expected one of {', '.join(CHANNELS)}"
    lat, lon, address = _location(payload.get("location"), errors)
    if errors:
        raise ReportValidationError(errors)
    assert occurred is not None and category is not None and description is not None
    return ReportInput(
        occurred,
        category.strip(),
        iccs,
        language,
        description,
        lat,
        lon,
        address,
        channel,
        contact,
        external_id,
    )


def _location(value: Any, errors: dict[str, str]) -> tuple[float | None, float | None, str | None]:
    if value is None:
        return None, None, None
    if not isinstance(value, dict):
        errors["location"] = f"expected an object with lat, lon and/or address, got {_kind(value)}"
        return None, None, None
    for unknown in sorted(set(value) - LOCATION_FIELDS):
        errors[f"location.{unknown[:60]}"] = "unknown field; allowed: lat, lon, address"
    coords: dict[str, float | None] = {"lat": None, "lon": None}
    for name, bound in (("lat", 90.0), ("lon", 180.0)):
        raw = value.get(name)
        if raw is None:
            continue
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
            errors[f"location.{name}"] = f"expected a number, got {_kind(raw)}"
        elif not -bound <= raw <= bound:
            errors[f"location.{name}"] = f"must be between -{bound:g} and {bound:g}"
        else:
            coords[name] = float(raw)
    if (value.get("lat") is None) != (value.get("lon") is None):
        errors["location"] = "give both lat and lon, or neither"
    address = _text(value, "address", errors, required=False, max_len=500)
    if "address" in errors:
        errors["location.address"] = errors.pop("address")
    return coords["lat"], coords["lon"], address
