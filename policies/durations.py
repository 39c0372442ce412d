"""Retention durations as a DPO writes them ("90d", "12w", "2y", or a number of days)."""

from __future__ import annotations

import re

DAYS_PER_UNIT = {"d": 1, "w": 7, "y": 365}
# A longer retention is surely a typo; it would also overflow date arithmetic.
MAX_DAYS = 100 * 365

DURATION_TEXT = re.compile(r"^\s*(\d{1,9})\s*([dwy])\s*$")


def parse_days(value: object) -> int:
    """Days in ``value``; raises ``ValueError`` saying what was expected and what was found."""
    if isinstance(value, bool):
        raise ValueError(f"expected a duration like '90d', '12w' or '2y', got {value!r}")
    if isinstance(value, int):
        days = value
    elif isinstance(value, str) and (match := DURATION_TEXT.match(value)):
        days = int(match.group(1)) * DAYS_PER_UNIT[match.group(2)]
    else:
        raise ValueError(f"expected a duration like '90d', '12w' or '2y', got {value!r}")
    if days < 0:
        raise ValueError(f"expected a duration of 0 days or more, got {days} days")
    if days > MAX_DAYS:
        raise ValueError(f"expected at most 100 years ({MAX_DAYS} days), got {days} days")
    return days


def describe_days(days: int) -> str:
    """Plain words for a number of days: "90 days", "2 years", "1 week"."""
    for unit, size in (("year", 365), ("week", 7)):
        if days and days % size == 0:
            count = days // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{days} day{'s' if days != 1 else ''}"
