"""The coordinator's EU query: strict parsing of its parameters and the call into the EU view.

Shared by the API (``node.api.eu``), the dashboard and the ``eu export`` command, so all three
accept exactly the same queries and answer with the same figures.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from anonymisation.disclosure.errors import PeriodError
from anonymisation.disclosure.periods import Period, parse_period, period_of
from node.settings import CITIES

GROUP_DIMENSIONS = ("city", "period", "category", "area")
FORMATS = ("json", "csv", "sdmx-csv")
ICCS_LEVEL_1_OR_2 = re.compile(r"^\d{2}(\d{2})?$")
MAX_MONTHS = 120
DEFAULT_MONTHS = 12
PARAMETERS = ("category", "from", "to", "group_by", "format")


class QueryError(Exception):
    """A query parameter is wrong; ``parameter`` names it, the message says what to send."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class EUQuery:
    """A validated query: an ICCS code (None: all), an inclusive month range, the grouping."""

    category: str | None
    period_from: str
    period_to: str
    group_by: tuple[str, ...]
    format: str = "json"

    def as_dict(self) -> dict[str, Any]:
        """The query as echoed in answers and exports."""
        return {
            "category": self.category,
            "from": self.period_from,
            "to": self.period_to,
            "group_by": list(self.group_by),
        }

    def periods(self) -> list[str]:
        """Every month of the range, oldest first."""
        start, end = parse_period(self.period_from, "month"), parse_period(self.period_to, "month")
        return [Period("month", i).label for i in range(start.index, end.index + 1)]


# No city released figures before the federation existed; years outside this are typos.
YEARS = range(1990, 10000)


def _month(name: str, raw: str) -> Period:
    try:
        period = parse_period(raw, "month")
    except PeriodError as exc:
        raise QueryError(name, f"{name}: expected a month like 2026-03, got {raw[:20]!r}") from exc
    if int(period.label[:4]) not in YEARS:
        raise QueryError(name, f"{name}: expected a year from 1990, got {raw[:20]!r}")
    return period


def parse_query(args: Mapping[str, str], now: datetime, *, allow_format: bool = True) -> EUQuery:
    """Validate query-string parameters; raise QueryError naming the first wrong parameter.

    Defaults: the twelve months up to the last closed one, grouped by city and period.
    """
    allowed = PARAMETERS if allow_format else PARAMETERS[:-1]
    unknown = sorted(set(args) - set(allowed))
    if unknown:
        raise QueryError(
            unknown[0], f"{unknown[0]}: unknown parameter; expected any of {', '.join(allowed)}"
        )
    category = args.get("category", "").strip() or None
    if category is not None and not ICCS_LEVEL_1_OR_2.match(category):
        raise QueryError(
            "category",
            f"category: expected an ICCS code of level 1 or 2 like 05 or 0501, "
            f"got {category[:20]!r}",
        )
    last_closed = Period("month", period_of(now, "month").index - 1)
    end = _month("to", args["to"]) if args.get("to") else last_closed
    start = (
        _month("from", args["from"])
        if args.get("from")
        else Period("month", end.index - DEFAULT_MONTHS + 1)
    )
    if start > end:
        raise QueryError("from", f"from: expected a month at or before to ({end.label}), got "
                         f"{start.label}")
    if end.index - start.index + 1 > MAX_MONTHS:
        raise QueryError("from", f"from: expected a range of at most {MAX_MONTHS} months, got "
                         f"{end.index - start.index + 1}")
    raw_group = args.get("group_by", "city,period").strip()
    group_by: list[str] = []
    for dim in raw_group.split(","):
        dim = dim.strip()
        if dim not in GROUP_DIMENSIONS:
            raise QueryError(
                "group_by",
                f"group_by: expected any of {', '.join(GROUP_DIMENSIONS)}, comma-separated, "
                f"got {dim[:20]!r}",
            )
        if dim in group_by:
            raise QueryError("group_by", f"group_by: {dim} is given twice")
        group_by.append(dim)
    fmt = args.get("format", "json")
    if fmt not in FORMATS:
        raise QueryError("format", f"format: expected one of {', '.join(FORMATS)}, got "
                         f"{fmt[:20]!r}")
    return EUQuery(category, start.label, end.label, tuple(group_by), fmt)


def expected_cities(ctx: Any = None, now: datetime | None = None) -> list[str]:
    """The cities an EU figure should have: the city members of this node's trusted roster
    (active at ``now``), or the federation's pilot cities when the node has no roster."""
    if ctx is not None and now is not None:
        from federation.exchange import NotFederatedError, load_identity

        try:
            roster = load_identity(ctx).roster
        except NotFederatedError:
            roster = None
        if roster is not None:
            cities = {m.city for m in roster.members if "city" in m.roles and m.active_at(now)}
            if cities:
                return sorted(cities)
    return sorted(CITIES)


def run_query(
    session: Any, query: EUQuery, now: datetime, expected: Sequence[str] | None = None
) -> dict[str, Any]:
    """The EU view's answer to ``query`` (``federation.eu_view.eu_aggregates``), with the query.

    ``expected``: the cities that should contribute (default: the pilot cities).
    """
    from federation.eu_view import eu_aggregates

    result = eu_aggregates(
        session,
        category=query.category,
        period_from=query.period_from,
        period_to=query.period_to,
        group_by=list(query.group_by),
        expected_cities=list(expected) if expected is not None else expected_cities(),
        now=now,
    )
    stale = {city for city, status in result["cities"].items() if status["stale"]}
    for figure in result["figures"]:
        # Dimensions at the top level too, and a figure is stale when a contributor is.
        figure.update(figure["key"])
        figure["stale"] = any(c["city"] in stale for c in figure["contributions"])
    return {"query": query.as_dict(), **result}
