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
3. audit, exact: a suppressed cell is exposed when every table consistent with the release
   gives it the same value: pinned at 1 by the bounds (one LP finds all such cells) or fixed
   by the lines (null space of the equations). The smallest released cell on one of an exposed
   cell's lines is suppressed too, then 2-3 run again.
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


def _is_candidate(key: Key, values: Mapping[Key, int], suppressed: set[Key]) -> bool:
    return key not in suppressed and values[key] > 0


def _choose_complement(
    line: Line,
    values: Mapping[Key, int],
    suppressed: set[Key],
    lines_of: Mapping[Key, list[Line]],
) -> Key:
    candidates = [k for k in line.cells if _is_candidate(k, values, suppressed)]
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


def _hidden_system(
    values: Mapping[Key, int], hidden: Sequence[Key], lines: Sequence[Line]
) -> tuple[np.ndarray, np.ndarray]:
    """The lines as ``A x = b`` over the hidden values ``x``, released values moved to ``b``."""
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
    return np.array(rows).reshape(len(rows), len(hidden)), np.array(rhs)


def _pinned_at_one(a_eq: np.ndarray, b_eq: np.ndarray, n: int) -> np.ndarray:
    """Which hidden values every table consistent with the release puts at exactly 1.

    One LP (Freund, Roundy & Todd 1985): in the homogenised system ``A x = λ b``,
    ``x_j >= λ + s_j``, ``0 <= s_j <= 1``, ``λ >= 1``, maximising ``sum(s)`` makes ``s_j > 0`` for
    every j that can exceed 1 somewhere; the others are pinned.
    """
    # Variables: x (n), s (n), λ (1).
    objective = np.concatenate([np.zeros(n), -np.ones(n), [0.0]])
    equalities = np.hstack([a_eq, np.zeros_like(a_eq), -b_eq.reshape(-1, 1)])
    inequalities = np.hstack([-np.eye(n), np.eye(n), np.ones((n, 1))])  # λ + s_j - x_j <= 0
    result = linprog(
        objective,
        A_ub=inequalities,
        b_ub=np.zeros(n),
        A_eq=equalities,
        b_eq=np.zeros(len(b_eq)),
        bounds=[(None, None)] * n + [(0, 1)] * n + [(1, None)],
        method="highs",
    )
    if result.status not in (0, 3):
        raise DisclosureError(f"audit failed: expected a consistent table, got {result.message}")
    if result.status == 3:  # unbounded only if s could grow: it cannot, but be safe
        return np.zeros(n, dtype=bool)
    return result.x[n : 2 * n] < 1e-7


def exposed_cells(
    values: Mapping[Key, int], suppressed: Iterable[Key], lines: Sequence[Line]
) -> set[Key]:
    """Suppressed figures a recipient can work out exactly from the release.

    The recipient knows the released values, that every suppressed value is >= 1, and the lines.
    A hidden value is exposed when it is pinned at 1 by those bounds (one LP finds all such), or
    when, with the pinned ones fixed, the lines determine it: every direction in which a
    consistent table can move (the null space of the equations) leaves it unchanged.
    """
    hidden = sorted(suppressed, key=lambda k: (k[0], k[1] or ""))
    if not hidden:
        return set()
    a_eq, b_eq = _hidden_system(values, hidden, lines)
    n = len(hidden)
    pinned = _pinned_at_one(a_eq, b_eq, n) if len(b_eq) else np.zeros(n, dtype=bool)
    # With the pinned values fixed, value k is determined iff the unit vector e_k lies in the
    # row space of the remaining equations, i.e. its projection onto that space has length 1.
    free = a_eq[:, ~pinned]
    determined = np.zeros(n, dtype=bool)
    if free.size:
        basis, singular, _ = np.linalg.svd(free.T, full_matrices=False)
        tolerance = max(free.shape) * np.finfo(float).eps * (singular.max() if singular.size else 0)
        row_space = basis[:, singular > tolerance]
        determined[~pinned] = np.linalg.norm(row_space, axis=1) > 1 - 1e-9
    return {key for key, gone in zip(hidden, pinned | determined, strict=True) if gone}


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
        exposed = exposed_cells(values, suppressed, lines)
        if not exposed:
            return suppressed - primary
        key = min(exposed, key=lambda k: (k[0], k[1] or ""))

        def is_open(ln: Line) -> bool:
            return any(_is_candidate(k, values, suppressed) for k in ln.cells)

        open_lines = [ln for ln in lines_of[key] if is_open(ln)]
        if not open_lines:
            # Every figure on the exposed cell's own lines is hidden or zero: it is pinned
            # through other lines, so widen the pattern there (some released positive figure
            # always exists: with every positive figure hidden, doubling them all is another
            # table consistent with the release, so nothing would be pinned).
            open_lines = [ln for ln in lines if is_open(ln)]
        line = min(
            open_lines,
            key=lambda ln: min(values[k] for k in ln.cells if _is_candidate(k, values, suppressed)),
        )
        suppressed.add(_choose_complement(line, values, suppressed, lines_of))
