"""EU totals: sums of released figures with provenance, lower bounds and missing cities."""

from __future__ import annotations

import pytest

from anonymisation.disclosure.errors import MergeError
from federation.eu_merge import merge_releases

PLAIN = {"suppressed": False, "rounded": False, "noised": False}
HIDDEN = {"suppressed": True, "rounded": False, "noised": False}


def cell(category: str, value: int | None, period: str = "2026-03") -> dict:
    return {"category": category, "period": period, "value": value,
            "flags": PLAIN if value is not None else HIDDEN}


def rel(city: str, cells: list[dict], release_id: str | None = None, revision: int = 0) -> dict:
    return {"city": city, "release_id": release_id or f"{city}-{revision}", "cells": cells,
            "revision": revision}


def test_eu_total_is_the_sum_of_released_values_with_each_city_named() -> None:
    table = merge_releases(
        [rel("belfast", [cell("0501", 12)]), rel("preston", [cell("0501", 30)])],
        ["belfast", "preston"],
    )
    figure = table.figure("0501", "2026-03")
    assert figure.value == 42 and not figure.lower_bound
    assert [(c.city, c.release_id, c.value) for c in figure.contributions] == [
        ("belfast", "belfast-0", 12), ("preston", "preston-0", 30)]


def test_total_with_a_suppressed_contribution_is_a_lower_bound() -> None:
    table = merge_releases(
        [rel("belfast", [cell("0501", None)]), rel("preston", [cell("0501", 30)])],
        ["belfast", "preston"],
    )
    figure = table.figure("0501", "2026-03")
    assert figure.value == 30 and figure.lower_bound
    assert figure.contributions[0].flags["suppressed"]


def test_city_that_sent_nothing_is_listed_missing_and_makes_totals_lower_bounds() -> None:
    table = merge_releases([rel("belfast", [cell("0501", 12)])], ["belfast", "valencia"])
    assert table.cities_missing == ("valencia",)
    figure = table.figure("0501", "2026-03")
    assert figure.missing_cities == ("valencia",) and figure.lower_bound


def test_revised_release_replaces_the_earlier_one() -> None:
    table = merge_releases(
        [rel("belfast", [cell("0501", 12)], revision=0),
         rel("belfast", [cell("0501", 11)], revision=1)],
        ["belfast"],
    )
    figure = table.figure("0501", "2026-03")
    assert figure.value == 11 and figure.contributions[0].release_id == "belfast-1"


def test_two_different_releases_with_the_same_revision_are_refused() -> None:
    with pytest.raises(MergeError, match="expected one release per revision"):
        merge_releases(
            [rel("belfast", [cell("0501", 12)], "a"), rel("belfast", [cell("0501", 13)], "b")],
            ["belfast"],
        )


def test_flags_carry_through_to_the_eu_figure() -> None:
    rounded = {**PLAIN, "rounded": True}
    table = merge_releases(
        [rel("belfast", [{**cell("0501", 10), "flags": rounded}]),
         rel("preston", [cell("0501", 3)])],
        ["belfast", "preston"],
    )
    figure = table.figure("0501", "2026-03")
    assert figure.rounded and not figure.noised
    assert figure.as_dict()["contributions"][0]["flags"]["rounded"]
