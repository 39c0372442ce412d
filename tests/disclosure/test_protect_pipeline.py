"""The protection pipeline: lineage, rounding, coverage, explanations, serialisation."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from anonymisation.disclosure.budget import InMemoryBudgetLedger
from anonymisation.disclosure.cells import CellCounts
from anonymisation.disclosure.errors import PeriodError, PeriodNotClosedError
from anonymisation.disclosure.periods import parse_period
from anonymisation.disclosure.protect import ProtectedTable, protect
from anonymisation.disclosure.rounding import round_half_up
from anonymisation.disclosure.rules import DifferentialPrivacy, SharingRule

NOW = datetime(2026, 5, 1, tzinfo=UTC)


def table(
    grid: dict[str, int], rule: SharingRule | None = None, *, period: str = "2026-03", **kw
) -> ProtectedTable:
    rule = rule or SharingRule("coordinator")
    counts = CellCounts(
        parse_period(period), tuple(sorted(grid)), None, {(c, None): v for c, v in grid.items()}
    )
    return protect(
        counts, rule, ledger=kw.pop("ledger", InMemoryBudgetLedger()), recipient="coordinator",
        now=kw.pop("now", NOW), **kw,
    )


@pytest.mark.parametrize(
    ("count", "base", "expected"),
    [
        (7, 1, 7),  # base 1 means no rounding
        (0, 5, 0),
        (2, 5, 0),
        (3, 5, 5),
        (7, 5, 5),
        (8, 5, 10),
        (5, 10, 10),  # exactly half: up
        (14, 10, 10),
        (15, 10, 20),
        (1, 4, 0),
        (2, 4, 4),  # exactly half with an even base: up
    ],
)
def test_rounding_is_half_up_to_the_nearest_base(count: int, base: int, expected: int) -> None:
    assert round_half_up(count, base) == expected


def test_totals_are_rounded_from_unrounded_sums_not_summed_from_rounded_cells() -> None:
    t = table({"0101": 6, "0501": 6, "0502": 6}, SharingRule("coordinator", rounding_base=5))
    assert [t.cell(c).value for c in ("0101", "0501", "0502")] == [5, 5, 5]
    assert t.cell("_T").value == 20  # 18 rounded, not 5 + 5 + 5
    assert all(c.flags.rounded for c in t.cells)
    assert t.coverage.reports_counted == 20


def test_lineage_lists_every_step_with_its_parameters_in_order() -> None:
    noise = DifferentialPrivacy("laplace", 0.5, 1.0)
    rule = SharingRule("coordinator", rounding_base=5, differential_privacy=noise)
    lineage = table({"0101": 40, "0501": 2, "0502": 30}, rule).lineage()
    steps = {s["step"]: s["parameters"] for s in lineage["steps"]}
    assert [s["step"] for s in lineage["steps"]] == [
        "noise", "totals", "primary_suppression", "secondary_suppression", "rounding",
    ]
    assert steps["noise"]["library"] == "opendp"
    assert steps["noise"]["epsilon"] == 0.5 and steps["noise"]["scale"] == 2.0
    assert steps["primary_suppression"]["min_cell_count"] == 5
    assert steps["secondary_suppression"]["min_hidden_per_line"] == 5
    assert steps["rounding"]["base"] == 5
    assert lineage["epsilon_spent"] == 0.5


def test_lineage_has_no_noise_or_rounding_step_when_the_rule_has_none() -> None:
    steps = [s["step"] for s in table({"0101": 40, "0501": 2}).lineage()["steps"]]
    assert steps == ["totals", "primary_suppression", "secondary_suppression"]


def test_explain_says_in_plain_words_why_a_cell_was_suppressed() -> None:
    text = table({"0101": 40, "0501": 2, "0502": 30}).explain()
    assert "0501 × 2026-03: suppressed because count 2 < minimum 5" in text
    assert "0101 × 2026-03: released as 40" in text


def test_small_city_total_suppresses_the_coverage_count_too() -> None:
    t = table({"0101": 0, "0501": 3}, reports_pending=4)
    assert t.coverage.reports_counted is None
    assert t.coverage.reports_counted_flags.suppressed
    assert t.lineage()["coverage"] == {
        "reports_counted": None,
        "reports_counted_flags": {"suppressed": True, "rounded": False, "noised": False},
        "reports_pending": 4,
    }


def test_coverage_count_equals_the_released_city_total() -> None:
    t = table({"0101": 12, "0501": 30})
    assert t.coverage.reports_counted == t.cell("_T").value == 42


def test_release_cells_are_json_safe_deterministic_and_hold_nothing_node_local() -> None:
    grid = {"0101": 12, "0501": 2, "0502": 9, "0701": 30}
    first = table(grid, release_id="r-1").to_release_cells()
    second = table(grid, release_id="r-1").to_release_cells()
    assert json.dumps(first) == json.dumps(second)
    assert {k for cell in first for k in cell} == {"category", "period", "value", "flags"}
    assert [c["category"] for c in first] == ["0101", "0501", "0502", "0701", "_T"]


def test_preview_cells_keep_the_secondary_flag_and_reason_on_the_node() -> None:
    preview = table({"0101": 12, "0501": 2, "0502": 9, "0701": 30}).to_preview_cells()
    secondary = [c for c in preview if c["flags"]["secondary"]]
    assert secondary and all("cannot be worked out" in c["reason"] for c in secondary)


@pytest.mark.parametrize(
    ("period", "now", "error"),
    [
        ("2026-05", NOW, PeriodNotClosedError),  # the month that has just begun
        ("2026-Q2", NOW, PeriodNotClosedError),
        ("2026-03", datetime(2026, 3, 31, 23, 59, tzinfo=UTC), PeriodNotClosedError),
        ("2026-03", datetime(2026, 5, 1), PeriodError),  # naive 'now'
    ],
)
def test_open_period_is_refused(period: str, now: datetime, error: type[Exception]) -> None:
    rule = SharingRule("coordinator", period=parse_period(period).unit)
    with pytest.raises(error):
        table({"0101": 12}, rule, period=period, now=now)


def test_period_of_another_unit_than_the_rule_is_refused() -> None:
    with pytest.raises(PeriodError, match="expected a month period"):
        table({"0101": 12}, SharingRule("coordinator"), period="2026-Q1")


def test_period_is_released_once_it_has_ended() -> None:
    t = table({"0101": 12}, now=datetime(2026, 4, 1, tzinfo=UTC))
    assert t.period == "2026-03"


def test_lineage_states_the_rule_applied_and_survives_a_json_round_trip() -> None:
    noise = DifferentialPrivacy("gaussian", 1.0, 2.0, delta=1e-6)
    rule = SharingRule("coordinator", rounding_base=5, differential_privacy=noise)
    lineage = table({"0101": 40, "0501": 2, "0502": 30}, rule).lineage()
    assert json.loads(json.dumps(lineage)) == lineage
    assert lineage["rule"]["min_cell_count"] == 5
    assert lineage["rule"]["differential_privacy"]["delta"] == 1e-6
