"""Counting redacted reports into cells: ICCS category × period × area.

Disclosure control only ever sees these counts, never a report. The full grid of categories
(and areas) is counted, zeros included, so a missing cell in a release can only mean
"suppressed", never "nothing happened" (see docs/adr/0500-secondary-suppression.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from anonymisation.disclosure.errors import CountingError
from anonymisation.disclosure.periods import Period, parse_period, require_closed
from anonymisation.disclosure.rules import SharingRule

# Reports without an area still count when area is a dimension: they go in this column
# (SDMX's code for "unknown"), so the city total stays the number of reports counted.
AREA_UNKNOWN = "_U"

_ICCS = re.compile(r"^\d{2}(\d{2})*$")


@dataclass(frozen=True)
class CountableReport:
    """What counting needs from a redacted report: nothing personal."""

    iccs: str
    occurred_at: datetime
    area: str | None = None


CellKey = tuple[str, str | None]  # (category, area or None when area is not a dimension)


@dataclass(frozen=True)
class CellCounts:
    """True counts for one period: every category (× every area) in the grid, zeros included."""

    period: Period
    categories: tuple[str, ...]
    areas: tuple[str, ...] | None  # None: area is not a dimension of this table
    counts: Mapping[CellKey, int]

    def count(self, category: str, area: str | None = None) -> int:
        """The true count of one cell."""
        return self.counts[(category, area)]


def _as_report(record: CountableReport | Mapping[str, object]) -> CountableReport:
    if isinstance(record, CountableReport):
        return record
    try:
        return CountableReport(
            iccs=str(record["iccs"]),
            occurred_at=record["occurred_at"],  # type: ignore[arg-type]
            area=record.get("area"),  # type: ignore[arg-type]
        )
    except KeyError as exc:
        raise CountingError(
            f"expected a record with keys 'iccs' and 'occurred_at', missing {exc.args[0]!r}"
        ) from exc


def category_at_level(iccs: str, level: int) -> str:
    """The ICCS code truncated to ``level`` (1: "05", 2: "0501")."""
    if not _ICCS.match(iccs):
        raise CountingError(f"expected an ICCS code of 2, 4, 6 or 8 digits, got {iccs!r}")
    width = 2 * level
    if len(iccs) < width:
        raise CountingError(
            f"expected ICCS codes of at least {width} digits for a level-{level} release, "
            f"got {iccs!r}; map the city's category to a level-{level} code in the policy"
        )
    return iccs[:width]


def count_cells(
    records: Iterable[CountableReport | Mapping[str, object]],
    rule: SharingRule,
    period: str,
    *,
    now: datetime,
    categories: Iterable[str] | None = None,
    areas: Iterable[str] | None = None,
) -> CellCounts:
    """Count ``records`` of the closed ``period`` into the grid the rule allows.

    ``categories``/``areas`` give the full grid (e.g. every category the city's policy maps
    to); without them the grid is what appears in ``records`` (pass the whole history, not just
    the period, to keep it stable across periods). Records outside the period are skipped.
    Raises PeriodNotClosedError for a period that has not ended at ``now``.
    """
    closed = parse_period(period, rule.period)
    require_closed(closed, now)
    grid_categories = set(categories or ())
    grid_areas = set(areas or ())
    in_period: dict[tuple[str, str | None], int] = {}
    for raw in records:
        report = _as_report(raw)
        if report.occurred_at.tzinfo is None:
            raise CountingError(
                f"expected timezone-aware UTC occurred_at, got naive {report.occurred_at}"
            )
        grid_categories.add(report.iccs)
        grid_areas.add(report.area or AREA_UNKNOWN)
        if closed.contains(report.occurred_at):
            key = (report.iccs, report.area)
            in_period[key] = in_period.get(key, 0) + 1
    return count_grouped(((c, a, n) for (c, a), n in in_period.items()), rule, period,
                         now=now, categories=grid_categories, areas=grid_areas)


def count_grouped(
    groups: Iterable[tuple[str, str | None, int]],
    rule: SharingRule,
    period: str,
    *,
    now: datetime,
    categories: Iterable[str] | None = None,
    areas: Iterable[str] | None = None,
) -> CellCounts:
    """Like :func:`count_cells`, from counts already grouped by (ICCS code, area) for the period.

    This is what a database ``GROUP BY`` over the period gives, so a release over millions of
    stored reports never loads them one by one.
    """
    closed = parse_period(period, rule.period)
    require_closed(closed, now)
    with_area = "area" in rule.dimensions
    grid_categories = {category_at_level(c, rule.category_level) for c in categories or ()}
    grid_areas = set(areas or ()) if with_area else set()
    counted: dict[CellKey, int] = {}
    for iccs, raw_area, n in groups:
        category = category_at_level(iccs, rule.category_level)
        area = (raw_area or AREA_UNKNOWN) if with_area else None
        grid_categories.add(category)
        if area is not None:
            grid_areas.add(area)
        counted[(category, area)] = counted.get((category, area), 0) + int(n)
    cats = tuple(sorted(grid_categories))
    area_axis = tuple(sorted(grid_areas)) if with_area else None
    keys = [(c, a) for c in cats for a in (area_axis or (None,))]
    return CellCounts(
        period=closed,
        categories=cats,
        areas=area_axis,
        counts={key: counted.get(key, 0) for key in keys},
    )
