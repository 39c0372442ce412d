"""Counting reports into the grid, and period arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from anonymisation.disclosure.budget import InMemoryBudgetLedger
from anonymisation.disclosure.cells import AREA_UNKNOWN, CountableReport, count_cells
from anonymisation.disclosure.errors import CountingError, PeriodError, PeriodNotClosedError
from anonymisation.disclosure.periods import parse_period, period_of
from anonymisation.disclosure.protect import protect
from anonymisation.disclosure.rules import SharingRule

NOW = datetime(2026, 5, 1, tzinfo=UTC)
MONTHLY = SharingRule("coordinator")
BY_AREA = SharingRule("coordinator", dimensions=("category", "period", "area"))


def at(day: int, month: int = 3, hour: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def test_grid_includes_categories_with_no_reports_as_zero() -> None:
    counts = count_cells(
        [{"iccs": "0501", "occurred_at": at(3)}], MONTHLY, "2026-03", now=NOW,
        categories=["0101", "0501", "0701"],
    )
    assert dict(counts.counts) == {("0101", None): 0, ("0501", None): 1, ("0701", None): 0}


def test_category_seen_only_in_another_period_stays_in_the_grid_as_zero() -> None:
    records = [CountableReport("0501", at(3)), CountableReport("0701", at(3, month=2))]
    counts = count_cells(records, MONTHLY, "2026-03", now=NOW)
    assert counts.count("0701") == 0 and counts.count("0501") == 1


def test_report_without_area_is_counted_in_the_unknown_area() -> None:
    records = [CountableReport("0501", at(3), None), CountableReport("0501", at(4), "north")]
    counts = count_cells(records, BY_AREA, "2026-03", now=NOW)
    assert counts.areas == ("_U", "north") and AREA_UNKNOWN == "_U"
    assert counts.count("0501", "_U") == 1 and counts.count("0501", "north") == 1


def test_area_is_dropped_when_the_rule_does_not_allow_it() -> None:
    counts = count_cells([CountableReport("0501", at(3), "north")], MONTHLY, "2026-03", now=NOW)
    assert counts.areas is None and counts.count("0501") == 1


def test_level_one_rule_folds_codes_into_their_section() -> None:
    rule = SharingRule("coordinator", category_level=1)
    records = [CountableReport(code, at(3)) for code in ("0501", "0502", "050211", "0701")]
    counts = count_cells(records, rule, "2026-03", now=NOW)
    assert dict(counts.counts) == {("05", None): 3, ("07", None): 1}


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"iccs": "05", "occurred_at": at(3)}, "at least 4 digits"),
        ({"iccs": "burglary", "occurred_at": at(3)}, "ICCS code"),
        ({"iccs": "050", "occurred_at": at(3)}, "ICCS code"),
        ({"iccs": "0501", "occurred_at": datetime(2026, 3, 3)}, "timezone-aware"),
        ({"occurred_at": at(3)}, "missing 'iccs'"),
    ],
)
def test_uncountable_record_is_refused_with_what_to_fix(record: dict, message: str) -> None:
    with pytest.raises(CountingError, match=message):
        count_cells([record], MONTHLY, "2026-03", now=NOW)


def test_only_reports_inside_the_period_are_counted_at_its_edges() -> None:
    records = [
        CountableReport("0501", datetime(2026, 2, 28, 23, 59, 59, tzinfo=UTC)),
        CountableReport("0501", datetime(2026, 3, 1, tzinfo=UTC)),
        CountableReport("0501", datetime(2026, 3, 31, 23, 59, 59, tzinfo=UTC)),
        CountableReport("0501", datetime(2026, 4, 1, tzinfo=UTC)),
    ]
    assert count_cells(records, MONTHLY, "2026-03", now=NOW).count("0501") == 2


def test_counting_an_open_period_is_refused() -> None:
    with pytest.raises(PeriodNotClosedError, match="not closed"):
        count_cells([], MONTHLY, "2026-04", now=datetime(2026, 4, 30, tzinfo=UTC))


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        ("2026-03", datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)),
        ("2026-12", datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)),
        ("2026-Q4", datetime(2026, 10, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)),
        ("2026", datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)),
    ],
)
def test_period_bounds(label: str, start: datetime, end: datetime) -> None:
    period = parse_period(label)
    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize(
    ("label", "unit"),
    [("2026-13", None), ("2026-3", None), ("2026-Q5", None), ("26", None), ("2026-03", "quarter"),
     ("2026-Q1", "month"), ("", None)],
)
def test_malformed_or_wrong_unit_period_is_refused(label: str, unit: str | None) -> None:
    with pytest.raises(PeriodError, match="expected a period like"):
        parse_period(label, unit)  # type: ignore[arg-type]


def test_previous_periods_cross_year_boundaries() -> None:
    assert [p.label for p in parse_period("2026-02").previous(3)] == [
        "2025-11", "2025-12", "2026-01"]
    assert [p.label for p in parse_period("2026-Q1").previous(2)] == ["2025-Q3", "2025-Q4"]


def test_period_of_an_instant_uses_utc() -> None:
    late_in_nicosia = datetime(2026, 4, 1, 1, 30, tzinfo=timezone(timedelta(hours=3)))
    assert period_of(late_in_nicosia, "month").label == "2026-03"
    assert period_of(late_in_nicosia, "quarter").label == "2026-Q1"


def test_policy_categories_are_folded_to_the_rule_level_too() -> None:
    rule = SharingRule("coordinator", category_level=1)
    counts = count_cells([], rule, "2026-03", now=NOW, categories=["0501", "0502", "0701"])
    assert dict(counts.counts) == {("05", None): 0, ("07", None): 0}


def test_city_with_no_reports_and_no_categories_releases_a_zero_total() -> None:
    for rule in (MONTHLY, BY_AREA):
        counts = count_cells([], rule, "2026-03", now=NOW)
        table = protect(counts, rule, ledger=InMemoryBudgetLedger(), recipient="c", now=NOW)
        assert table.coverage.reports_counted == 0
