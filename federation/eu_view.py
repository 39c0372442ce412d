"""The EU view on a coordinator node: verified releases merged into EU figures with provenance.

Contract (used by the EU query API, exports and dashboard)::

    eu_aggregates(session, *, category, period_from, period_to, group_by, expected_cities, now,
                  stale_after=DEFAULT_STALE_AFTER) -> dict

* ``category``: an ICCS code ("05" level 1, "0501" level 2) or None for every category. A level-1
  filter also matches the level-2 cells under it; a city that released only level 1 cannot
  contribute to a level-2 filter (its figure is then a lower bound, the city listed missing).
* ``period_from`` / ``period_to``: period labels ("2026-03", "2026-Q1", "2026"); a released period
  counts when it lies wholly inside [start of period_from, end of period_to).
* ``group_by``: a subset of ("city", "period", "category", "area"); figures are summed over the
  dimensions left out. Summing only ever uses released values (never a suppressed count).
* ``expected_cities``: the cities that should have sent releases (the roster's city members).

Returns::

    {
      "generated_at": ISO time, "group_by": [...], "filters": {...},
      "figures": [
        {"key": {dimension: value, ...},          # only the group_by dimensions
         "value": int | None,                     # None: every contributing cell suppressed
         "lower_bound": bool,                     # a part was suppressed or a city is missing
         "suppressed": bool, "rounded": bool, "noised": bool,  # any contributing cell
         "contributions": [{"city", "node_id", "release_id", "revision", "value", "suppressed",
                            "rounded", "noised", "signature": "verified",
                            "age_seconds", "stale"}],  # the city's newest release's age
         "missing_cities": [...]},                # expected cities with no released cell here
        ...],
      "cities": {city: {"node_id", "releases", "newest_release_at", "age_seconds", "stale"}},
      "missing_cities": [...],                    # expected cities with no release at all
      "coverage": {"expected": n, "reporting": n, "fraction": float},
      "stale_after_seconds": int,
    }

Every stored release passed ``federation.envelope.open_envelope`` when received, so its
signature status is "verified"; the signed bytes are kept to re-verify it offline
(``run_node.py verify-release``). Superseded revisions are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from anonymisation.disclosure.periods import Period, parse_period
from federation.canonical import format_time
from federation.eu_merge import merge_releases
from node.models.federation import ReceivedRelease

GROUP_DIMENSIONS = ("city", "period", "category", "area")
DEFAULT_STALE_AFTER = timedelta(days=45)
TOTAL = "_T"


class EUViewError(ValueError):
    """The query cannot be answered as asked (unknown dimension, bad period or category)."""


@dataclass
class _Figure:
    contributions: list[dict[str, Any]] = field(default_factory=list)


def current_releases(session: Session) -> list[ReceivedRelease]:
    """Every stored release that no higher revision replaced, oldest period first."""
    rows = session.execute(
        select(ReceivedRelease)
        .where(ReceivedRelease.superseded.is_(False))
        .order_by(ReceivedRelease.period, ReceivedRelease.city)
    ).scalars()
    return list(rows)


def eu_aggregates(
    session: Session,
    *,
    category: str | None,
    period_from: str | None,
    period_to: str | None,
    group_by: Sequence[str],
    expected_cities: Sequence[str],
    now: datetime,
    stale_after: timedelta = DEFAULT_STALE_AFTER,
) -> dict[str, Any]:
    """EU figures from the current verified releases (see the module docstring for the shape)."""
    dims = _check_group_by(group_by)
    if category is not None and not (category.isdigit() and len(category) in (2, 4)):
        raise EUViewError(f"category: expected an ICCS code like 05 or 0501, got {category!r}")
    start = _bound(period_from, "period_from").start if period_from else None
    end = _bound(period_to, "period_to").end if period_to else None
    releases = current_releases(session)
    figures: dict[tuple[Any, ...], _Figure] = {}
    for release in releases:
        period = parse_period(release.period)
        if (start and period.start < start) or (end and period.end > end):
            continue
        for cell in _cells_for(release.payload["cells"], dims, category):
            key = _key(cell, release, dims, category)
            figures.setdefault(key, _Figure()).contributions.append(
                _contribution(release, cell)
            )
    expected = sorted(set(expected_cities))
    cities = _city_status(releases, expected, now, stale_after)
    return {
        "generated_at": format_time(now),
        "group_by": list(dims),
        "filters": {"category": category, "period_from": period_from, "period_to": period_to},
        "figures": [
            _figure_dict(key, fig, dims, expected, cities)
            for key, fig in sorted(figures.items(), key=_order)
        ],
        "cities": cities,
        "missing_cities": [c for c in expected if c not in cities],
        "coverage": {
            "expected": len(expected),
            "reporting": len([c for c in expected if c in cities]),
            "fraction": round(len([c for c in expected if c in cities]) / len(expected), 4)
            if expected
            else 0.0,
        },
        "stale_after_seconds": int(stale_after.total_seconds()),
    }


def eu_table(session: Session, expected_cities: Iterable[str]) -> Any:
    """The cell-level EU table of ``federation.eu_merge`` over the current releases."""
    return merge_releases(
        [
            {
                "city": r.city,
                "release_id": r.release_id,
                "revision": r.revision,
                "cells": r.payload["cells"],
            }
            for r in current_releases(session)
        ],
        expected_cities,
    )


# ---- internals ----


def _check_group_by(group_by: Sequence[str]) -> tuple[str, ...]:
    unknown = [d for d in group_by if d not in GROUP_DIMENSIONS]
    if unknown or len(set(group_by)) != len(group_by):
        raise EUViewError(
            f"group_by: expected distinct names among {', '.join(GROUP_DIMENSIONS)}, "
            f"got {', '.join(group_by) or '(none)'}"
        )
    return tuple(d for d in GROUP_DIMENSIONS if d in group_by)


def _bound(label: str, name: str) -> Period:
    try:
        return parse_period(label)
    except ValueError as exc:
        raise EUViewError(f"{name}: {exc}") from exc


def _cells_for(
    cells: Sequence[Mapping[str, Any]], dims: tuple[str, ...], category: str | None
) -> list[Mapping[str, Any]]:
    """The cells of one release that add up to the groups asked for, without double counting.

    Without category grouping or filter the release's own category total is used (it may be
    released where its parts are suppressed); with area grouping the interior areas, otherwise
    the area total (or the cell itself when the release has no area dimension).
    """
    use_category_total = "category" not in dims and category is None
    chosen = []
    for cell in cells:
        is_total = cell["category"] == TOTAL
        if is_total != use_category_total:
            continue
        if not use_category_total and not _matches(cell["category"], category):
            continue
        area = cell.get("area")
        if "area" in dims:
            if area == TOTAL:
                continue
        elif area not in (None, TOTAL):
            continue
        chosen.append(cell)
    return chosen


def _matches(cell_category: str, wanted: str | None) -> bool:
    # A level-1 cell cannot answer a level-2 question: it is left out (the city is missing).
    return wanted is None or cell_category.startswith(wanted)


def _key(
    cell: Mapping[str, Any], release: ReceivedRelease, dims: tuple[str, ...], category: str | None
) -> tuple[Any, ...]:
    values = {
        "city": release.city,
        "period": cell["period"],
        "category": (category if category and len(cell["category"]) > len(category)
                     else cell["category"]),
        "area": cell.get("area"),
    }
    return tuple(values[d] for d in dims)


def _contribution(release: ReceivedRelease, cell: Mapping[str, Any]) -> dict[str, Any]:
    flags = cell.get("flags", {})
    return {
        "city": release.city,
        "node_id": release.sender,
        "release_id": release.release_id,
        "revision": release.revision,
        "value": cell["value"],
        "suppressed": bool(flags.get("suppressed")),
        "rounded": bool(flags.get("rounded")),
        "noised": bool(flags.get("noised")),
        "signature": "verified",
    }


def _figure_dict(
    key: tuple[Any, ...],
    fig: _Figure,
    dims: tuple[str, ...],
    expected: list[str],
    cities: Mapping[str, Mapping[str, Any]],
) -> dict[str, Any]:
    parts = fig.contributions
    released = [p["value"] for p in parts if p["value"] is not None]
    present = {p["city"] for p in parts}
    group_city = dict(zip(dims, key, strict=True)).get("city")
    should = [group_city] if group_city is not None else expected
    missing = sorted(c for c in should if c not in present)
    suppressed = any(p["suppressed"] for p in parts)
    return {
        "key": dict(zip(dims, key, strict=True)),
        "value": sum(released) if released else None,
        "lower_bound": suppressed or bool(missing),
        "suppressed": suppressed,
        "rounded": any(p["rounded"] for p in parts),
        "noised": any(p["noised"] for p in parts),
        "contributions": [
            {**p, "age_seconds": cities[p["city"]]["age_seconds"],
             "stale": cities[p["city"]]["stale"]}
            for p in _merge_parts(parts)
        ],
        "missing_cities": missing,
    }


def _merge_parts(parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One contribution per city and release: a city's cells summed (released values only)."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for p in parts:
        key = (p["city"], p["release_id"])
        if key not in merged:
            merged[key] = dict(p)
            continue
        m = merged[key]
        if p["value"] is not None:
            m["value"] = p["value"] if m["value"] is None else m["value"] + p["value"]
        for flag in ("suppressed", "rounded", "noised"):
            m[flag] = m[flag] or p[flag]
    return [merged[k] for k in sorted(merged)]


def _order(item: tuple[tuple[Any, ...], _Figure]) -> tuple[str, ...]:
    return tuple("" if v is None else str(v) for v in item[0])


def _city_status(
    releases: list[ReceivedRelease], expected: list[str], now: datetime, stale_after: timedelta
) -> dict[str, dict[str, Any]]:
    status: dict[str, dict[str, Any]] = {}
    for release in releases:
        entry = status.setdefault(
            release.city,
            {"node_id": release.sender, "releases": 0, "newest": release.created_at},
        )
        entry["releases"] += 1
        entry["newest"] = max(entry["newest"], release.created_at)
    out: dict[str, dict[str, Any]] = {}
    for city in sorted(status):
        entry = status[city]
        age = now - entry["newest"]
        out[city] = {
            "node_id": entry["node_id"],
            "releases": entry["releases"],
            "newest_release_at": format_time(entry["newest"]),
            "age_seconds": max(0, int(age.total_seconds())),
            "stale": age > stale_after,
            "expected": city in expected,
        }
    return out
