"""Primary and secondary cell suppression on a table with its margins.

The released table is the grid of cells *plus* its totals (per category, per area, the city
total, which is also the coverage "reports counted"). Every total is a cell too, so the table
is a set of additive lines ``total = sum(parts)``. An attacker who reads the release knows each
released value, knows every suppressed value is at least 1 (true zeros are always released),
and can solve the lines for the suppressed values. The scheme (docs/adr/0500):

1. primary: any cell, total or not, with ``0 < count < min_cell_count``;
2. secondary, greedy: every line with a suppressed cell gets a second one, and a line whose
   total is released must hide at least ``min_cell_count`` reports in more than one report per
   suppressed part; the cell added is the one that opens no new line, then the smallest count;
3. audit, exact: for every suppressed cell, the smallest and largest value consistent with the
   release are found by linear programming (the lines form a network matrix, so LP bounds are
   the integer bounds); a cell whose bounds meet is exposed, and the smallest released cell on
   one of its lines is suppressed too, then 2-3 run again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

from anonymisation.disclosure.errors import DisclosureError

TOTAL = "_T"  # SDMX's code for "all values of this dimension"

Key = tuple[str, str | None]


@dataclass(frozen=True)
class Line:
    """One additive relation of the released table: ``total = sum(parts)``."""

    total: Key
    parts: tuple[Key, ...]

    @property
    def cells(self) -> tuple[Key, ...]:
        return (*self.parts, self.total)


def table_lines(categories: Sequence[str], areas: Sequence[str] | None) -> list[Line]:
    """The relations of a category (× area) table with all its margins."""
    if areas is None:
        return [Line((TOTAL, None), tuple((c, None) for c in categories))]
    lines = [Line((c, TOTAL), tuple((c, a) for a in areas)) for c in categories]
    lines += [Line((TOTAL, a), tuple((c, a) for c in categories)) for a in areas]
    lines.append(Line((TOTAL, TOTAL), tuple((c, TOTAL) for c in categories)))
    lines.append(Line((TOTAL, TOTAL), tuple((TOTAL, a) for a in areas)))
    return lines


def with_margins(
    counts: Mapping[Key, int], categories: Sequence[str], areas: Sequence[str] | None
) -> dict[Key, int]:
    """The interior counts plus every total the release carries."""
    values = dict(counts)
    for line in table_lines(categories, areas):  # per-category/area totals before the grand one
        if line.total not in values:
            values[line.total] = sum(values[p] for p in line.parts)
    return values


def primary_suppression(values: Mapping[Key, int], min_cell_count: int) -> set[Key]:
    """Cells with ``0 < count < min_cell_count``; true zeros are released (ADR 0500)."""
    return {key for key, value in values.items() if 0 < value < min_cell_count}


def _line_is_exposed(
    line: Line, values: Mapping[Key, int], suppressed: set[Key], min_cell_count: int
) -> bool:
    hidden = [k for k in line.cells if k in suppressed]
    if not hidden:
        return False
    if len(hidden) == 1:
        return True  # total minus the released parts gives it
    if line.total in suppressed:
        return False  # the line fixes no sum: the unknown total absorbs any change
    parts = [k for k in line.parts if k in suppressed]
    hidden_sum = sum(values[k] for k in parts)
    # Each hidden part is >= 1, so a hidden sum equal to the number of parts pins them all to 1.
    return hidden_sum < min_cell_count or hidden_sum <= len(parts)


def _choose_complement(
    line: Line,
    values: Mapping[Key, int],
    suppressed: set[Key],
    lines_of: Mapping[Key, list[Line]],
) -> Key:
    candidates = [k for k in line.cells if k not in suppressed and values[k] > 0]
    if not candidates:
        # Cannot happen: an exposed line always has a positive released cell (a released
        # total >= the hidden sum > 0, or a hidden total > 0 whose parts are not all hidden).
        raise DisclosureError(f"no cell left to suppress on the line of {line.total}")

    def opens_new_line(key: Key) -> int:
        return sum(
            1
            for other in lines_of[key]
            if other is not line and not any(k in suppressed for k in other.cells)
        )

    return min(candidates, key=lambda k: (opens_new_line(k), values[k], k[0], k[1] or ""))


def feasible_bounds(
    values: Mapping[Key, int], suppressed: Iterable[Key], lines: Sequence[Line]
) -> dict[Key, tuple[float, float]]:
    """For each suppressed cell, the least and greatest value consistent with the release.

    This is what a recipient can compute: released values are constants, suppressed values are
    unknowns >= 1, every line holds. An unbounded maximum is ``inf``.
    """
    hidden = sorted(suppressed, key=lambda k: (k[0], k[1] or ""))
    if not hidden:
        return {}
    column = {key: i for i, key in enumerate(hidden)}
    rows, rhs = [], []
    for line in lines:
        coefficients = [(line.total, 1.0)] + [(p, -1.0) for p in line.parts]
        if not any(k in column for k, _ in coefficients):
            continue
        row = np.zeros(len(hidden))
        constant = 0.0
        for key, coefficient in coefficients:
            if key in column:
                row[column[key]] += coefficient
            else:
                constant -= coefficient * values[key]
        rows.append(row)
        rhs.append(constant)
    a_eq, b_eq = np.array(rows), np.array(rhs)
    bounds = [(1, None)] * len(hidden)
    result: dict[Key, tuple[float, float]] = {}
    for key, i in column.items():
        objective = np.zeros(len(hidden))
        objective[i] = 1.0
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        if low.status != 0 or high.status not in (0, 3):
            raise DisclosureError(
                f"audit of cell {key} failed: expected a feasible table, got {low.message}"
            )
        result[key] = (low.fun, float("inf") if high.status == 3 else -high.fun)
    return result


def secondary_suppression(
    values: Mapping[Key, int],
    primary: set[Key],
    lines: Sequence[Line],
    min_cell_count: int,
) -> set[Key]:
    """The extra cells to suppress so no suppressed cell can be recovered; see module doc."""
    lines_of: dict[Key, list[Line]] = {}
    for line in lines:
        for key in line.cells:
            lines_of.setdefault(key, []).append(line)
    suppressed = set(primary)
    while True:
        changed = True
        while changed:
            changed = False
            for line in lines:
                if _line_is_exposed(line, values, suppressed, min_cell_count):
                    suppressed.add(_choose_complement(line, values, suppressed, lines_of))
                    changed = True
        exposed = [
            key
            for key, (low, high) in feasible_bounds(values, suppressed, lines).items()
            if high - low < 0.5
        ]
        if not exposed:
            return suppressed - primary
        key = min(exposed, key=lambda k: (k[0], k[1] or ""))
        line = min(
            (
                ln
                for ln in lines_of[key]
                if any(k not in suppressed and values[k] > 0 for k in ln.cells)
            ),
            key=lambda ln: min(
                values[k] for k in ln.cells if k not in suppressed and values[k] > 0
            ),
        )
        suppressed.add(_choose_complement(line, values, suppressed, lines_of))
