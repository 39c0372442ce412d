"""EU totals from the cities' released figures: pure, no I/O, nothing but released values.

An EU figure is the sum of the values the cities released for the same (category, period,
area) key. It is never computed from anything a city did not release, which is why summing
cannot reveal a suppressed cell (docs/adr/0500-secondary-suppression.md). A figure is a lower
bound when a contributing cell was suppressed or an expected city did not send it: counts are
never negative, so the true total can only be larger (noised figures are estimates, flagged).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from anonymisation.disclosure.errors import MergeError

FigureKey = tuple[str, str, str | None]  # (category, period, area or None)


@dataclass(frozen=True)
class Contribution:
    """One city's part of an EU figure: its released value (None if suppressed) and flags."""

    city: str
    release_id: str
    value: int | None
    flags: Mapping[str, bool]


@dataclass(frozen=True)
class EUFigure:
    """One EU total with its provenance."""

    category: str
    period: str
    area: str | None
    value: int
    lower_bound: bool
    rounded: bool
    noised: bool
    contributions: tuple[Contribution, ...]
    missing_cities: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe form for the API and exports."""
        return {
            "category": self.category,
            "period": self.period,
            "area": self.area,
            "value": self.value,
            "lower_bound": self.lower_bound,
            "rounded": self.rounded,
            "noised": self.noised,
            "contributions": [
                {"city": c.city, "release_id": c.release_id, "value": c.value,
                 "flags": dict(c.flags)}
                for c in self.contributions
            ],
            "missing_cities": list(self.missing_cities),
        }


@dataclass(frozen=True)
class EUTable:
    """Every EU figure, plus the expected cities that sent no release at all."""

    figures: tuple[EUFigure, ...]
    cities_reporting: tuple[str, ...]
    cities_missing: tuple[str, ...]

    def figure(self, category: str, period: str, area: str | None = None) -> EUFigure:
        """Look up one figure; totals use ``"_T"``."""
        for f in self.figures:
            if (f.category, f.period, f.area) == (category, period, area):
                return f
        raise KeyError((category, period, area))


def _latest_per_city_period(releases: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    # A revised release (after an erasure) replaces the earlier one for the same period.
    chosen: dict[tuple[str, str], Mapping[str, Any]] = {}
    for release in releases:
        periods = {cell["period"] for cell in release["cells"]}
        for period in periods:
            key = (release["city"], period)
            current = chosen.get(key)
            revision = int(release.get("revision", 0))
            if current is None or revision > int(current.get("revision", 0)):
                chosen[key] = release
            elif revision == int(current.get("revision", 0)) and (
                current["release_id"] != release["release_id"]
            ):
                raise MergeError(
                    f"expected one release per revision, got {current['release_id']} and "
                    f"{release['release_id']} both as revision {revision} of {key[0]} {period}"
                )
    return [{**chosen[k], "only_period": k[1]} for k in sorted(chosen)]


def merge_releases(
    releases: Iterable[Mapping[str, Any]], expected_cities: Iterable[str]
) -> EUTable:
    """Sum the cities' released cells per (category, period, area).

    Each release is a mapping with ``city``, ``release_id``, ``cells`` (the dicts of
    ``ProtectedTable.to_release_cells()``) and optionally ``revision`` (highest wins).
    """
    expected = sorted(set(expected_cities))
    chosen = _latest_per_city_period(list(releases))
    reporting = sorted({r["city"] for r in chosen})
    cities = sorted(set(expected) | set(reporting))
    by_key: dict[FigureKey, dict[str, Contribution]] = {}
    for release in chosen:
        for cell in release["cells"]:
            if cell["period"] != release["only_period"]:
                continue
            key = (cell["category"], cell["period"], cell.get("area"))
            by_key.setdefault(key, {})[release["city"]] = Contribution(
                city=release["city"],
                release_id=release["release_id"],
                value=cell["value"],
                flags=dict(cell.get("flags", {})),
            )
    figures = []
    for key in sorted(by_key, key=lambda k: (k[1], k[0], k[2] or "")):
        parts = by_key[key]
        contributions = tuple(parts[c] for c in sorted(parts))
        missing = tuple(c for c in cities if c not in parts)
        figures.append(
            EUFigure(
                category=key[0],
                period=key[1],
                area=key[2],
                value=sum(c.value for c in contributions if c.value is not None),
                lower_bound=bool(missing) or any(c.value is None for c in contributions),
                rounded=any(c.flags.get("rounded", False) for c in contributions),
                noised=any(c.flags.get("noised", False) for c in contributions),
                contributions=contributions,
                missing_cities=missing,
            )
        )
    return EUTable(
        figures=tuple(figures),
        cities_reporting=tuple(reporting),
        cities_missing=tuple(c for c in expected if c not in reporting),
    )
