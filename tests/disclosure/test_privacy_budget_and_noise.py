"""Differential privacy: OpenDP noise really applied at the scale ε implies; the budget holds."""

from __future__ import annotations

import math
import statistics
from datetime import UTC, datetime

import pytest

from anonymisation.disclosure.budget import DryRunLedger, InMemoryBudgetLedger
from anonymisation.disclosure.cells import CellCounts
from anonymisation.disclosure.errors import BudgetExceededError
from anonymisation.disclosure.noise import PrivacyConfigError, add_noise
from anonymisation.disclosure.periods import parse_period
from anonymisation.disclosure.protect import protect
from anonymisation.disclosure.rules import DifferentialPrivacy, SharingRule

NOW = datetime(2026, 5, 1, tzinfo=UTC)
GRID = {f"0{i}01": 100 for i in range(1, 10)}


def counts() -> CellCounts:
    return CellCounts(
        parse_period("2026-03"), tuple(sorted(GRID)), None, {(c, None): v for c, v in GRID.items()}
    )


def dp_rule(epsilon: float = 0.5, budget: float = 1.0) -> SharingRule:
    return SharingRule(
        "coordinator", differential_privacy=DifferentialPrivacy("laplace", epsilon, budget)
    )


def test_release_that_would_overspend_is_refused_with_a_plain_message() -> None:
    ledger = InMemoryBudgetLedger([("coordinator", "2026-03", 0.9, "earlier")])
    with pytest.raises(BudgetExceededError) as caught:
        protect(counts(), dp_rule(), ledger=ledger, recipient="coordinator", now=NOW)
    assert str(caught.value) == (
        "coordinator has spent 0.9 of 1.0 for 2026-03; this release needs 0.5"
    )
    assert ledger.entries == [("coordinator", "2026-03", 0.9, "earlier")]


def test_budget_filled_exactly_by_float_steps_is_not_refused_early() -> None:
    ledger = InMemoryBudgetLedger()
    rule = dp_rule(epsilon=0.1, budget=0.3)
    for n in range(3):  # 0.1 + 0.1 + 0.1 is 0.30000000000000004 in floats
        protect(counts(), rule, ledger=ledger, recipient="coordinator", now=NOW,
                release_id=f"r{n}")
    with pytest.raises(BudgetExceededError):
        protect(counts(), rule, ledger=ledger, recipient="coordinator", now=NOW)
    assert [e[3] for e in ledger.entries] == ["r0", "r1", "r2"]


def test_budget_is_kept_per_recipient_and_period() -> None:
    ledger = InMemoryBudgetLedger([("coordinator", "2026-02", 1.0, "x"), ("belfast", "2026-03",
                                                                         1.0, "y")])
    table = protect(counts(), dp_rule(), ledger=ledger, recipient="coordinator", now=NOW,
                    release_id="r")
    assert table.epsilon_spent == 0.5
    assert ledger.spent("coordinator", "2026-03") == 0.5


def test_release_without_differential_privacy_spends_nothing() -> None:
    ledger = InMemoryBudgetLedger()
    protect(counts(), SharingRule("coordinator"), ledger=ledger, recipient="coordinator", now=NOW)
    assert ledger.entries == []


def test_noise_is_actually_applied_and_flagged() -> None:
    released = []
    for _ in range(5):
        table = protect(counts(), dp_rule(epsilon=1.0, budget=100), ledger=InMemoryBudgetLedger(),
                        recipient="coordinator", now=NOW)
        assert all(c.flags.noised for c in table.cells)
        released.append(tuple(table.cell(c).value for c in sorted(GRID)))
    assert any(v != 100 for run in released for v in run)
    assert len(set(released)) > 1  # fresh noise each release, no fixed seed


def test_totals_are_sums_of_noised_cells_so_they_cost_no_extra_budget() -> None:
    table = protect(counts(), dp_rule(epsilon=1.0), ledger=InMemoryBudgetLedger(),
                    recipient="coordinator", now=NOW)
    assert table.cell("_T").count == sum(table.cell(c).count for c in GRID)


def _discrete_laplace_mean_abs(scale: float) -> float:
    q = math.exp(-1 / scale)
    return 2 * q / (1 - q * q)


@pytest.mark.parametrize("epsilon", [0.25, 0.5, 2.0])
def test_laplace_noise_scale_matches_epsilon(epsilon: float) -> None:
    settings = DifferentialPrivacy("laplace", epsilon, epsilon)
    result = add_noise([1000] * 4000, settings)
    assert result.parameters["scale"] == pytest.approx(1 / epsilon)
    mean_abs = statistics.fmean(abs(v - 1000) for v in result.values)
    expected = _discrete_laplace_mean_abs(1 / epsilon)
    assert mean_abs == pytest.approx(expected, rel=0.1)


def test_gaussian_noise_meets_epsilon_delta_and_has_the_reported_scale() -> None:
    settings = DifferentialPrivacy("gaussian", 1.0, 1.0, delta=1e-6)
    result = add_noise([1000] * 4000, settings)
    sd = statistics.pstdev(result.values)
    assert sd == pytest.approx(result.parameters["scale"], rel=0.1)
    assert result.parameters["delta"] == 1e-6


def test_noise_is_clamped_at_zero() -> None:
    result = add_noise([0] * 500, DifferentialPrivacy("laplace", 0.1, 1.0))
    assert min(result.values) == 0 and max(result.values) > 0


@pytest.mark.parametrize(
    "settings",
    [
        DifferentialPrivacy("laplace", 0.0, 1.0),
        DifferentialPrivacy("laplace", -1.0, 1.0),
        DifferentialPrivacy("gaussian", 1.0, 1.0, delta=0.0),
    ],
)
def test_impossible_privacy_settings_are_refused(settings: DifferentialPrivacy) -> None:
    with pytest.raises(PrivacyConfigError):
        add_noise([1, 2, 3], settings)


def test_dpo_preview_refuses_like_the_real_release_and_spends_nothing() -> None:
    real = InMemoryBudgetLedger([("coordinator", "2026-03", 0.5, "earlier")])
    preview = DryRunLedger(real)
    protect(counts(), dp_rule(), ledger=preview, recipient="coordinator", now=NOW)
    with pytest.raises(BudgetExceededError, match=r"has spent 1\.0 of 1\.0"):
        protect(counts(), dp_rule(), ledger=preview, recipient="coordinator", now=NOW)
    assert real.entries == [("coordinator", "2026-03", 0.5, "earlier")]
