"""Message types: strict parsing (unknown, missing, mistyped fields rejected) and round trips."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from anonymisation.disclosure.budget import InMemoryBudgetLedger
from anonymisation.disclosure.cells import CellCounts
from anonymisation.disclosure.periods import parse_period
from anonymisation.disclosure.protect import protect
from anonymisation.disclosure.rules import DifferentialPrivacy, SharingRule
from federation.canonical import canonical_bytes
from federation.errors import MessageFormatError
from federation.messages import (
    MESSAGE_TYPES,
    AggregateQuery,
    AggregateRelease,
    Alert,
    QueryRefusal,
    release_from_table,
)

NOW = datetime(2026, 11, 28, tzinfo=UTC)


def protected_release(dp: bool) -> AggregateRelease:
    """A release built from a real disclosure-controlled table (with areas, optionally noised)."""
    rule = SharingRule(
        "coordinator",
        dimensions=("category", "period", "area"),
        rounding_base=5,
        differential_privacy=DifferentialPrivacy("laplace", 1.0, 4.0) if dp else None,
    )
    grid: dict[tuple[str, str | None], int] = {
        ("0501", "BT1"): 12,
        ("0501", "BT2"): 2,
        ("0502", "BT1"): 30,
        ("0502", "BT2"): 9,
    }
    counts = CellCounts(parse_period("2026-10"), ("0501", "0502"), ("BT1", "BT2"), grid)
    table = protect(
        counts,
        rule,
        ledger=InMemoryBudgetLedger(),
        recipient="eu-coordinator",
        now=NOW,
        reports_pending=3,
    )
    return release_from_table(
        table,
        node_id="belfast",
        city="Belfast",
        revision=1,
        policy_hash="sha256:" + "0" * 64,
        software_version="0.1.0",
        created_at=NOW,
    )


@pytest.mark.parametrize("dp", [False, True], ids=["plain", "noised"])
def test_release_from_a_protected_table_round_trips_through_canonical_json(dp: bool) -> None:
    release = protected_release(dp)
    data = release.to_dict()
    canonical_bytes(data)  # signable: no NaN, no non-JSON values
    assert AggregateRelease.from_dict(copy.deepcopy(data)) == release
    suppressed = [c for c in release.cells if "suppressed" in c.flags]
    # Noise can lift every small cell over the minimum, so only the plain table must suppress.
    assert (suppressed or dp) and all(c.value is None for c in suppressed)
    assert {s.step for s in release.lineage.steps} >= {"primary_suppression", "rounding"}


def _release_dict() -> dict[str, Any]:
    return protected_release(False).to_dict()


def _query_dict() -> dict[str, Any]:
    return AggregateQuery(
        "q-1", frozenset({"category", "period"}), 2, "2026-01", "2026-10", "coordinator"
    ).to_dict()


BAD_PAYLOADS: list[tuple[str, type, Any]] = [
    ("release_unknown_field", AggregateRelease, lambda d: d.update(reporter="x")),
    ("release_missing_field", AggregateRelease, lambda d: d.pop("lineage")),
    ("release_revision_as_text", AggregateRelease, lambda d: d.update(revision="1")),
    ("release_revision_zero", AggregateRelease, lambda d: d.update(revision=0)),
    ("release_bad_period", AggregateRelease, lambda d: d.update(period="October 2026")),
    ("cell_unknown_field", AggregateRelease, lambda d: d["cells"][0].update(text="x")),
    ("cell_not_iccs", AggregateRelease, lambda d: d["cells"][0].update(category="burglary")),
    ("cell_value_bool", AggregateRelease, lambda d: d["cells"][0].update(value=True)),
    ("cell_area_null", AggregateRelease, lambda d: d["cells"][0].update(area=None)),
    ("cell_unknown_flag", AggregateRelease, lambda d: d["cells"][0]["flags"].update(raw=True)),
    (
        "cell_suppressed_with_value",
        AggregateRelease,
        lambda d: d["cells"][0].update(
            value=3, flags={"suppressed": True, "rounded": False, "noised": False}
        ),
    ),
    ("lineage_unknown_field", AggregateRelease, lambda d: d["lineage"].update(extra=1)),
    (
        "step_params_not_object",
        AggregateRelease,
        lambda d: d["lineage"]["steps"][0].update(parameters=[1]),
    ),
    (
        "coverage_negative",
        AggregateRelease,
        lambda d: d["lineage"]["coverage"].update(reports_pending=-1),
    ),
    ("query_unknown_dimension", AggregateQuery, lambda d: d.update(dimensions=["victim"])),
    ("query_reversed_periods", AggregateQuery, lambda d: d.update(period_from="2026-11")),
    ("query_mixed_period_units", AggregateQuery, lambda d: d.update(period_from="2026-Q1")),
    (
        "query_unsorted_dimensions",
        AggregateQuery,
        lambda d: d.update(dimensions=["period", "category"]),
    ),
    ("query_level_five", AggregateQuery, lambda d: d.update(category_level=5)),
]


@pytest.mark.parametrize(
    ("cls", "mutate"), [(c, m) for _, c, m in BAD_PAYLOADS], ids=[n for n, _, _ in BAD_PAYLOADS]
)
def test_payload_that_does_not_match_its_schema_is_rejected(cls: Any, mutate: Any) -> None:
    data = _release_dict() if cls is AggregateRelease else _query_dict()
    mutate(data)
    with pytest.raises(MessageFormatError):
        cls.from_dict(data)


def test_refusal_reason_must_be_one_of_the_known_codes() -> None:
    ok = QueryRefusal("q-1", "period_not_closed", "Period 2026-11 has not ended yet.")
    assert QueryRefusal.from_dict(ok.to_dict()) == ok
    with pytest.raises(MessageFormatError):
        QueryRefusal.from_dict({**ok.to_dict(), "reason": "busy"})


def test_alert_round_trips_and_rejects_unknown_severity() -> None:
    alert = Alert(
        "a-1",
        frozenset({"Belfast", "Preston"}),
        "0501",
        "2026-10",
        "critical",
        "Burglaries tripled",
        NOW,
        {"p_value": 3.5e-09, "baseline_periods": ["2026-09"]},
    )
    assert Alert.from_dict(alert.to_dict()) == alert
    with pytest.raises(MessageFormatError):
        Alert.from_dict({**alert.to_dict(), "severity": "panic"})


def test_every_message_type_names_who_may_send_it() -> None:
    assert set(MESSAGE_TYPES) == {
        "aggregate-release",
        "aggregate-query",
        "query-refusal",
        "alert",
        "roster-update",
    }
    assert MESSAGE_TYPES["aggregate-query"].SENDER_ROLES == {"coordinator"}
    assert MESSAGE_TYPES["aggregate-release"].SENDER_ROLES == {"city"}
