"""Early warning: spikes flagged, noise mostly not, suppressed cells never in an alert."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anonymisation.disclosure.budget import InMemoryBudgetLedger
from anonymisation.disclosure.cells import CellCounts
from anonymisation.disclosure.periods import parse_period
from anonymisation.disclosure.protect import protect
from anonymisation.disclosure.rules import SharingRule
from federation.early_warning import (
    EarlyWarningConfig,
    Hidden,
    binomial_upper_tail,
    detect_eu_patterns,
    detect_rises,
    series_from_eu_table,
)
from federation.eu_merge import merge_releases

HISTORY = [f"2025-{m:02d}" for m in range(1, 13)]
TESTED = "2026-01"
STEADY = [9, 11, 10, 8, 12, 10, 9, 11, 10, 10, 12, 8]


def series(history: list[int | None], current: int | None, city: str = "belfast",
           category: str = "0501") -> dict:
    return {(city, category): {**dict(zip(HISTORY, history, strict=True)), TESTED: current}}


@pytest.mark.parametrize(
    ("x", "n", "p"), [(0, 5, 0.3), (5, 20, 1 / 13), (12, 40, 1 / 13), (3, 3, 0.5), (9, 8, 0.5)]
)
def test_binomial_tail_matches_the_exact_sum(x: int, n: int, p: float) -> None:
    exact = sum(math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(x, n + 1))
    assert binomial_upper_tail(x, n, p) == pytest.approx(exact, rel=1e-9, abs=1e-300)


def test_clear_spike_is_flagged_with_its_released_figures() -> None:
    [alert] = detect_rises(series(STEADY, 40), TESTED)
    assert (alert.city, alert.category, alert.period, alert.observed) == (
        "belfast", "0501", TESTED, 40)
    assert alert.baseline_mean == pytest.approx(10.0)
    assert alert.p_value < 1e-6 and alert.baseline_periods == tuple(HISTORY)


def test_ordinary_month_is_not_flagged() -> None:
    assert detect_rises(series(STEADY, 13), TESTED) == []


def test_flat_poisson_noise_is_rarely_flagged() -> None:
    rng = np.random.default_rng(7)
    data = {}
    for i, row in enumerate(rng.poisson(10, size=(1000, 13)).tolist()):
        data.update(series(row[:12], row[12], city=f"city{i}"))
    alerts = detect_rises(data, TESTED)
    assert len(alerts) <= 5  # alpha = 0.001: about 1 expected in 1000


def test_rise_from_nothing_to_a_releasable_count_is_flagged() -> None:
    assert len(detect_rises(series([0] * 12, 6), TESTED)) == 1


def test_suppressed_tested_month_never_raises_an_alert_even_if_it_hides_a_spike() -> None:
    assert detect_rises(series(STEADY, None), TESTED) == []


def test_suppressed_history_counts_as_the_largest_small_cell_not_as_zero() -> None:
    quiet = series([None] * 6 + [0] * 6, 6)  # at most 4 a month, then nothing
    assert detect_rises(quiet, TESTED) == []
    [alert] = detect_rises(series([None] * 6 + [0] * 6, 30), TESTED)
    assert alert.suppressed_periods == tuple(HISTORY[:6])
    assert alert.baseline_mean == pytest.approx(2.0)  # six 4s and six 0s


def test_alert_carries_only_released_figures() -> None:
    history: list[int | None] = [10, None, 9, 11, None, 10, 12, 8, 10, None, 9, 11]
    [alert] = detect_rises(series(history, 45), TESTED)
    record = alert.as_dict()
    released = {v for v in history if v is not None} | {45}
    assert record["observed"] in released
    assert set(record["suppressed_periods"]) == {"2025-02", "2025-05", "2025-10"}
    # The baseline uses the public stand-in for suppressed months, never a hidden value.
    assert record["baseline_mean"] == pytest.approx(
        round((sum(v for v in history if v is not None) + 3 * 4) / 12, 3))


def test_too_short_history_is_not_tested() -> None:
    short = {("belfast", "0501"): {"2025-10": 10, "2025-11": 9, "2025-12": 11, TESTED: 60}}
    assert detect_rises(short, TESTED) == []


def test_overdispersed_history_does_not_alarm_on_its_own_spread() -> None:
    wild = [2, 30, 5, 28, 3, 35, 6, 25, 4, 31, 2, 29]
    assert detect_rises(series(wild, 45), TESTED) == []
    plain = EarlyWarningConfig(adjust_dispersion=False)
    assert len(detect_rises(series(wild, 45), TESTED, plain)) == 1


def test_same_category_rising_in_two_cities_is_one_eu_alert_naming_both() -> None:
    data = {
        **series(STEADY, 40, city="belfast"),
        **series(STEADY, 38, city="preston"),
        **series(STEADY, 10, city="valencia"),
        **series(STEADY, 45, city="nicosia", category="0701"),
    }
    [eu] = detect_eu_patterns(detect_rises(data, TESTED))
    assert (eu.category, eu.period, eu.cities) == ("0501", TESTED, ("belfast", "preston"))
    assert [a.city for a in eu.alerts] == ["belfast", "preston"]


def test_one_city_rising_alone_is_no_eu_alert() -> None:
    assert detect_eu_patterns(detect_rises(series(STEADY, 40), TESTED)) == []


def _release(city: str, month: str, burglaries: int, robberies: int = 20) -> dict:
    grid = {("0501", None): burglaries, ("0101", None): 3, ("0701", None): robberies}
    counts = CellCounts(parse_period(month), ("0101", "0501", "0701"), None, grid)
    table = protect(counts, SharingRule("coordinator"), ledger=InMemoryBudgetLedger(),
                    recipient="coordinator", now=datetime(2026, 3, 1, tzinfo=UTC))
    return {"city": city, "release_id": f"{city}-{month}", "cells": table.to_release_cells()}


def test_spike_injected_in_two_cities_releases_gives_an_eu_alert_end_to_end() -> None:
    releases = [
        _release(city, month, burglaries)
        for city in ("belfast", "preston", "groningen")
        for month, burglaries in zip(
            [*HISTORY, TESTED],
            [*STEADY, 40 if city != "groningen" else 11],
            strict=True,
        )
    ]
    table = merge_releases(releases, ["belfast", "preston", "groningen"])
    data = series_from_eu_table(table)
    assert isinstance(data[("belfast", "0101")][TESTED], Hidden)  # suppressed stays suppressed
    alerts = detect_rises(data, TESTED)
    assert {(a.city, a.category) for a in alerts} == {("belfast", "0501"), ("preston", "0501")}
    [eu] = detect_eu_patterns(alerts)
    assert eu.cities == ("belfast", "preston")


def test_secondary_suppressed_history_counts_as_its_public_bound_not_as_a_small_cell() -> None:
    # 0101 (3) is small every month, and 0501 (10) is the smallest cell that hides it, so the
    # whole 0501 history is suppressed; the city total bounds each month's 0501 by 12.
    releases = [_release("belfast", month, 10) for month in HISTORY]
    releases.append(_release("belfast", TESTED, 16, robberies=12))
    data = series_from_eu_table(merge_releases(releases, ["belfast"]))
    assert data[("belfast", "0501")]["2025-06"] == Hidden(12)
    assert data[("belfast", "0501")][TESTED] == 16
    assert detect_rises(data, TESTED) == []
    as_small = {k: {p: (None if isinstance(v, Hidden) else v) for p, v in s.items()}
                for k, s in data.items()}
    assert len(detect_rises(as_small, TESTED)) == 1  # what a 4-per-month stand-in would do


monthly = st.one_of(st.none(), st.integers(0, 60))


@settings(max_examples=200, deadline=None)
@given(values=st.lists(monthly, min_size=13, max_size=13))
def test_no_alert_is_built_on_a_suppressed_month(values: list[int | None]) -> None:
    data = series(values[:12], values[12])
    for alert in detect_rises(data, TESTED):
        assert values[12] is not None and alert.observed == values[12]
        assert set(alert.suppressed_periods) == {
            p for p, v in zip(HISTORY, values[:12], strict=True) if v is None
        }
