"""The protection pipeline: true counts in, a table that may leave the node out.

Steps, each recorded with its parameters in the lineage (order and reasons: ADR 0500, 0501):
noise (optional, OpenDP, budget checked first) -> totals -> primary suppression -> secondary
suppression -> rounding. Noise comes first so that every later step only post-processes noised
counts; suppressing on true counts and noising afterwards would let the suppression pattern
leak the true counts past the ε guarantee.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from anonymisation.disclosure.budget import BudgetLedger, check_budget
from anonymisation.disclosure.cells import CellCounts
from anonymisation.disclosure.errors import DisclosureError, PeriodError
from anonymisation.disclosure.noise import add_noise
from anonymisation.disclosure.periods import require_closed
from anonymisation.disclosure.rounding import round_half_up
from anonymisation.disclosure.rules import SharingRule
from anonymisation.disclosure.suppression import (
    TOTAL,
    Key,
    primary_suppression,
    secondary_suppression,
    table_lines,
    with_margins,
)


@dataclass(frozen=True)
class CellFlags:
    """What happened to one figure. ``secondary`` stays on the node (see ``to_release_cells``)."""

    suppressed: bool = False
    secondary: bool = False
    rounded: bool = False
    noised: bool = False

    def released(self) -> dict[str, bool]:
        # A recipient who could tell secondary from primary suppressions would know the
        # secondary ones are >= min_cell_count and could narrow the primary ones (ADR 0500).
        return {"suppressed": self.suppressed, "rounded": self.rounded, "noised": self.noised}


@dataclass(frozen=True)
class ProtectedCell:
    """One figure of the table: an interior cell, or a total (category or area ``"_T"``)."""

    category: str
    area: str | None
    count: int  # before suppression and rounding (after noise): never leaves the node
    value: int | None  # what is released; None when suppressed
    flags: CellFlags
    reason: str  # plain words for the DPO preview, e.g. "count 2 < minimum 5"

    @property
    def is_total(self) -> bool:
        return self.category == TOTAL or self.area == TOTAL


@dataclass(frozen=True)
class LineageStep:
    """One disclosure-control step and the parameters it ran with."""

    step: str
    parameters: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"step": self.step, "parameters": self.parameters}


@dataclass(frozen=True)
class Coverage:
    """How many reports the table counts (protected like the city total) and how many wait."""

    reports_counted: int | None
    reports_counted_flags: CellFlags
    reports_pending: int


@dataclass(frozen=True)
class ProtectedTable:
    """A disclosure-controlled table for one recipient and one closed period."""

    release_id: str
    recipient: str
    period: str
    rule: SharingRule
    with_area: bool
    cells: tuple[ProtectedCell, ...]
    steps: tuple[LineageStep, ...]
    coverage: Coverage
    epsilon_spent: float = 0.0
    warnings: tuple[str, ...] = field(default=())

    def cell(self, category: str, area: str | None = None) -> ProtectedCell:
        """Look up one figure; totals use ``"_T"``."""
        for c in self.cells:
            if c.category == category and c.area == area:
                return c
        raise KeyError((category, area))

    def to_release_cells(self) -> list[dict[str, Any]]:
        """The figures as JSON-safe dicts, in a fixed order: what the AggregateRelease carries."""
        out: list[dict[str, Any]] = []
        for c in self.cells:
            item: dict[str, Any] = {"category": c.category, "period": self.period}
            if self.with_area:
                item["area"] = c.area
            item["value"] = c.value
            item["flags"] = c.flags.released()
            out.append(item)
        return out

    def to_preview_cells(self) -> list[dict[str, Any]]:
        """Like ``to_release_cells`` plus count, secondary flag and reason: node-local only."""
        return [
            {
                **released,
                "count": c.count,
                "flags": {**released["flags"], "secondary": c.flags.secondary},
                "reason": c.reason,
            }
            for released, c in zip(self.to_release_cells(), self.cells, strict=True)
        ]

    def lineage(self) -> dict[str, Any]:
        """Steps with parameters and coverage; the release adds node, policy hash, version."""
        return {
            "release_id": self.release_id,
            "recipient": self.recipient,
            "period": self.period,
            "rule": _rule_as_dict(self.rule),
            "steps": [s.as_dict() for s in self.steps],
            "coverage": {
                "reports_counted": self.coverage.reports_counted,
                "reports_counted_flags": self.coverage.reports_counted_flags.released(),
                "reports_pending": self.coverage.reports_pending,
            },
            "epsilon_spent": self.epsilon_spent,
            "warnings": list(self.warnings),
        }

    def explain(self) -> str:
        """One line per figure saying what was done and why, for the DPO preview."""
        lines = [f"Release {self.release_id} for {self.recipient}, period {self.period}:"]
        lines += [f"warning: {w}" for w in self.warnings]
        for s in self.steps:
            params = ", ".join(f"{k}={v}" for k, v in s.parameters.items())
            lines.append(f"step {s.step}: {params}")
        for c in self.cells:
            label = c.category if not self.with_area else f"{c.category} × {c.area}"
            lines.append(f"{label} × {self.period}: {c.reason}")
        return "\n".join(lines)


def _rule_as_dict(rule: SharingRule) -> dict[str, Any]:
    noise = rule.differential_privacy
    return {
        "recipient": rule.recipient,
        "dimensions": list(rule.dimensions),
        "category_level": rule.category_level,
        "period": rule.period,
        "min_cell_count": rule.min_cell_count,
        "secondary_suppression": rule.secondary_suppression,
        "rounding_base": rule.rounding_base,
        "differential_privacy": None if noise is None else {
            "mechanism": noise.mechanism,
            "epsilon_per_release": noise.epsilon_per_release,
            "budget_per_period": noise.budget_per_period,
            "delta": noise.delta,
        },
    }


def protect(
    counts: CellCounts,
    rule: SharingRule,
    *,
    ledger: BudgetLedger,
    recipient: str,
    now: datetime,
    reports_pending: int = 0,
    release_id: str | None = None,
) -> ProtectedTable:
    """Apply the recipient's sharing rule to the true counts of one closed period.

    Raises PeriodNotClosedError for an open period, BudgetExceededError (nothing recorded) when
    the rule's ε would overspend ``recipient``'s budget for the period, DisclosureError for a
    rule that cannot be applied.
    """
    require_closed(counts.period, now)
    if counts.period.unit != rule.period:
        raise PeriodError(
            f"expected a {rule.period} period for {recipient}, got {counts.period.label}"
        )
    if rule.min_cell_count < 1 or rule.rounding_base < 1 or reports_pending < 0:
        raise DisclosureError(
            "expected min_cell_count >= 1, rounding_base >= 1 and reports_pending >= 0, got "
            f"{rule.min_cell_count}, {rule.rounding_base}, {reports_pending}"
        )
    release_id = release_id or str(uuid.uuid4())
    period = counts.period.label
    m = rule.min_cell_count
    steps: list[LineageStep] = []
    warnings: list[str] = []
    interior = sorted(counts.counts, key=lambda k: (k[0], k[1] or ""))
    true_counts = dict(counts.counts)

    # 1. Noise (optional): check the budget before drawing, so a refusal spends nothing.
    dp_rule = rule.differential_privacy
    noised = dp_rule is not None
    if dp_rule is not None:
        check_budget(
            ledger, recipient, period, dp_rule.epsilon_per_release, dp_rule.budget_per_period
        )
        result = add_noise([true_counts[k] for k in interior], dp_rule)
        true_counts = dict(zip(interior, result.values, strict=True))
        steps.append(
            LineageStep(
                "noise", {**result.parameters, "budget_per_period": dp_rule.budget_per_period}
            )
        )

    # 2. Totals from the (noised) interior: each total is one more cell of the table.
    lines = table_lines(counts.categories, counts.areas)
    values = with_margins(true_counts, counts.categories, counts.areas)
    steps.append(
        LineageStep("totals", {"of": "noised counts" if noised else "true counts"})
    )

    # 3. Primary suppression.
    primary = primary_suppression(values, m)
    steps.append(
        LineageStep(
            "primary_suppression",
            {"rule": "0 < count < min_cell_count", "min_cell_count": m, "zeros": "released",
             "cells": len(primary)},
        )
    )

    # 4. Secondary suppression.
    if rule.secondary_suppression:
        secondary = secondary_suppression(values, primary, lines, m)
        steps.append(
            LineageStep(
                "secondary_suppression",
                {"method": "greedy per line, then exact audit of every suppressed figure",
                 "min_hidden_per_line": m, "cells": len(secondary)},
            )
        )
    else:
        secondary = set()
        if primary:
            warnings.append(
                "secondary suppression is off in the policy: suppressed counts may be "
                "recoverable from the totals"
            )
        steps.append(LineageStep("secondary_suppression", {"method": "off"}))

    # 5. Rounding of everything released, totals from unrounded sums rounded on their own.
    base = rule.rounding_base
    if base > 1:
        steps.append(
            LineageStep(
                "rounding",
                {"base": base, "rule": "half up to the nearest multiple of base",
                 "totals": "rounded from unrounded sums, independently of their cells"},
            )
        )

    cells: list[ProtectedCell] = []
    for key in sorted(values, key=lambda k: (k[0] == TOTAL, k[0], k[1] == TOTAL, k[1] or "")):
        count = values[key]
        what = "noised count" if noised else "count"
        if key in primary:
            flags = CellFlags(suppressed=True, noised=noised)
            value, reason = None, f"suppressed because {what} {count} < minimum {m}"
        elif key in secondary:
            flags = CellFlags(suppressed=True, secondary=True, noised=noised)
            value = None
            reason = (
                f"suppressed ({what} {count}) so that the suppressed counts on its row or "
                "column cannot be worked out from the totals"
            )
        else:
            value = round_half_up(count, base)
            flags = CellFlags(rounded=base > 1, noised=noised)
            reason = f"released as {value}" + (
                f" ({what} {count} rounded to base {base})" if base > 1 else ""
            )
            if dp_rule is not None and base == 1:
                reason += f" (noised with ε={dp_rule.epsilon_per_release})"
        cells.append(ProtectedCell(key[0], key[1], count, value, flags, reason))

    grand_key: Key = (TOTAL, TOTAL) if counts.areas is not None else (TOTAL, None)
    grand = next(c for c in cells if (c.category, c.area) == grand_key)
    coverage = Coverage(
        reports_counted=grand.value,
        reports_counted_flags=grand.flags,
        reports_pending=round_half_up(reports_pending, base),
    )

    epsilon = 0.0
    if dp_rule is not None:
        # Recorded last: only a table that was actually produced spends budget.
        epsilon = dp_rule.epsilon_per_release
        ledger.record(recipient, period, epsilon, release_id)
    return ProtectedTable(
        release_id=release_id,
        recipient=recipient,
        period=period,
        rule=rule,
        with_area=counts.areas is not None,
        cells=tuple(cells),
        steps=tuple(steps),
        coverage=coverage,
        epsilon_spent=epsilon,
        warnings=tuple(warnings),
    )
