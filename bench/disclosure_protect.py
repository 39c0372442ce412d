"""Time of ``protect()`` (suppression with its audit, rounding) on city-sized tables.

Usage: python -P bench/disclosure_protect.py
(-P: bench/anonymisation.py must not shadow the anonymisation package.)
Tables are random with a fixed seed: gamma-mixed Poisson counts, so some categories are busy
and many are small, as in a month of a city's reports.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import numpy as np

from anonymisation.disclosure.budget import InMemoryBudgetLedger
from anonymisation.disclosure.cells import CellCounts
from anonymisation.disclosure.periods import parse_period
from anonymisation.disclosure.protect import protect
from anonymisation.disclosure.rules import DifferentialPrivacy, SharingRule

SHAPES = [  # (categories, areas or 0, mean count per cell)
    (15, 0, 10), (60, 0, 3), (30, 10, 3), (60, 20, 2), (60, 20, 0.5),
]
NOW = datetime(2026, 5, 1, tzinfo=UTC)


def table(rng: np.random.Generator, n_cat: int, n_area: int, mean: float) -> CellCounts:
    cats = tuple(f"{i + 1:02d}01" for i in range(n_cat))
    areas = tuple(f"area{j}" for j in range(n_area)) or None
    grid = {
        (c, a): int(rng.poisson(mean * rng.gamma(1.0, 1.0)))
        for c in cats for a in (areas or (None,))
    }
    return CellCounts(parse_period("2026-03"), cats, areas, grid)


def main() -> None:
    rng = np.random.default_rng(20260301)
    print("| categories × areas | mean | figures | suppressed (secondary) | DP | seconds |")
    print("|---|---:|---:|---:|---|---:|")
    for n_cat, n_area, mean in SHAPES:
        counts = table(rng, n_cat, n_area, mean)
        for noise in (None, DifferentialPrivacy("laplace", 1.0, 1.0)):
            rule = SharingRule(
                "coordinator",
                dimensions=("category", "period", "area") if n_area else ("category", "period"),
                rounding_base=5,
                differential_privacy=noise,
            )
            started = time.perf_counter()
            result = protect(counts, rule, ledger=InMemoryBudgetLedger(),
                             recipient="coordinator", now=NOW)
            elapsed = time.perf_counter() - started
            hidden = sum(c.value is None for c in result.cells)
            secondary = sum(c.flags.secondary for c in result.cells)
            print(f"| {n_cat} × {n_area or '-'} | {mean} | {len(result.cells)} | "
                  f"{hidden} ({secondary}) | {'ε=1' if noise else 'no'} | {elapsed:.2f} |")


if __name__ == "__main__":
    main()
