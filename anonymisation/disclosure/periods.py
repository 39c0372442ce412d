"""Reporting periods: "2026-03" (month), "2026-Q1" (quarter), "2026" (year), all in UTC.

A release is only ever computed for a closed period: one whose end is at or before ``now``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from anonymisation.disclosure.errors import PeriodError, PeriodNotClosedError
from anonymisation.disclosure.rules import PeriodUnit

_PATTERNS: dict[PeriodUnit, re.Pattern[str]] = {
    "month": re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
    "quarter": re.compile(r"^(\d{4})-Q([1-4])$"),
    "year": re.compile(r"^(\d{4})$"),
}
_EXAMPLES: dict[PeriodUnit, str] = {"month": "2026-03", "quarter": "2026-Q1", "year": "2026"}


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period; ``index`` counts periods of the unit since year 0 for ordering."""

    unit: PeriodUnit
    index: int

    @property
    def label(self) -> str:
        """The period as written in releases: "2026-03", "2026-Q1" or "2026"."""
        if self.unit == "month":
            return f"{self.index // 12:04d}-{self.index % 12 + 1:02d}"
        if self.unit == "quarter":
            return f"{self.index // 4:04d}-Q{self.index % 4 + 1}"
        return f"{self.index:04d}"

    @property
    def start(self) -> datetime:
        """First instant of the period (UTC, inclusive)."""
        return _start_of(self.unit, self.index)

    @property
    def end(self) -> datetime:
        """First instant after the period (UTC, exclusive)."""
        return _start_of(self.unit, self.index + 1)

    def contains(self, when: datetime) -> bool:
        """True when ``when`` (timezone-aware) falls inside the period."""
        return self.start <= when < self.end

    def previous(self, n: int) -> list[Period]:
        """The ``n`` periods before this one, oldest first."""
        return [Period(self.unit, self.index - k) for k in range(n, 0, -1)]

    def __str__(self) -> str:
        return self.label


def _start_of(unit: PeriodUnit, index: int) -> datetime:
    if unit == "month":
        return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)
    if unit == "quarter":
        return datetime(index // 4, (index % 4) * 3 + 1, 1, tzinfo=UTC)
    return datetime(index, 1, 1, tzinfo=UTC)


def parse_period(text: str, unit: PeriodUnit | None = None) -> Period:
    """Parse a period label; with ``unit``, insist on that unit (a rule's ``period``)."""
    units: tuple[PeriodUnit, ...] = (unit,) if unit else ("month", "quarter", "year")
    for candidate in units:
        match = _PATTERNS[candidate].match(text)
        if match is None:
            continue
        year = int(match.group(1))
        if candidate == "month":
            return Period("month", year * 12 + int(match.group(2)) - 1)
        if candidate == "quarter":
            return Period("quarter", year * 4 + int(match.group(2)) - 1)
        return Period("year", year)
    wanted = " or ".join(f'"{_EXAMPLES[u]}" ({u})' for u in units)
    raise PeriodError(f"expected a period like {wanted}, got {text!r}")


def period_of(when: datetime, unit: PeriodUnit) -> Period:
    """The period of ``unit`` that contains the timezone-aware instant ``when``."""
    when = when.astimezone(UTC)
    if unit == "month":
        return Period("month", when.year * 12 + when.month - 1)
    if unit == "quarter":
        return Period("quarter", when.year * 4 + (when.month - 1) // 3)
    return Period("year", when.year)


def require_closed(period: Period, now: datetime) -> None:
    """Raise PeriodNotClosedError unless ``period`` ended at or before ``now``."""
    if now.tzinfo is None:
        raise PeriodError(f"expected a timezone-aware UTC 'now', got naive {now.isoformat()}")
    if period.end > now:
        raise PeriodNotClosedError(
            f"period {period.label} is not closed: it ends at {period.end.isoformat()}, "
            f"now is {now.astimezone(UTC).isoformat()}; ask for an earlier period"
        )
