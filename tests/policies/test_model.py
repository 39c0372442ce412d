"""What the validated policy answers: retention per category, ICCS mapping, areas, hash."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import h3
import pytest

from anonymisation.config import OperatorSpec
from policies.loader import load_policy
from policies.model import Policy
from tests.policies.conftest import MINIMAL, POLICY_DIR, variant


@pytest.fixture
def policy(write_policy: Callable[..., Path]) -> Policy:
    return load_policy(write_policy())


def test_most_specific_retention_rule_wins(write_policy: Callable[..., Path]) -> None:
    text = variant("  \"0501\":\n", "  \"05\": {raw_text: 60d, redacted_text: 3y, contact: 1y}\n"
                   "  \"0501\":\n")
    retention = load_policy(write_policy(text)).retention
    burglary = retention.for_category("0501")
    # 0501's own durations, and contact (not given for 0501) from the default, not from 05.
    assert (burglary.raw_text_days, burglary.redacted_text_days, burglary.contact_days,
            burglary.rule) == (30, 365, 90, "0501")
    theft = retention.for_category("0502")
    assert (theft.raw_text_days, theft.rule) == (60, "05")
    assert retention.for_category("0201").rule == "default"
    assert retention.for_category(None).rule == "default"
    assert retention.longest_days("0502") == 3 * 365


def test_local_categories_match_ignoring_case_and_spaces(policy: Policy) -> None:
    assert policy.categories.iccs_for("  BURGLARY ") == "0501"
    assert policy.categories.iccs_for("0701") == "0701"  # an ICCS code maps to itself
    assert policy.categories.iccs_for("bicycle theft") is None
    assert policy.categories.unmapped(["theft", "bicycle theft", "fly-tipping",
                                       "bicycle theft"]) == ["bicycle theft", "fly-tipping"]


def test_h3_area_is_the_cell_at_the_policy_resolution(policy: Policy) -> None:
    area = policy.geography.area_for(54.597, -5.93)
    assert area == h3.latlng_to_cell(54.597, -5.93, 8)


@pytest.mark.parametrize(("lat", "lon"), [(None, -5.9), (54.6, None), (91.0, 0.0),
                                          (0.0, 181.0), (float("nan"), 0.0), (True, 0.0)])
def test_unusable_coordinates_have_no_area(policy: Policy, lat: object, lon: object) -> None:
    assert policy.geography.area_for(lat, lon) is None


def test_districts_name_the_area_containing_the_point() -> None:
    valencia = load_policy(POLICY_DIR / "valencia.yaml")
    assert valencia.geography.area_for(39.4745, -0.3770) == "Ciutat Vella"
    assert valencia.geography.area_for(39.4650, -0.3700) == "L'Eixample"
    assert valencia.geography.area_for(40.4168, -3.7038) is None  # Madrid


def test_operators_reach_the_redaction_config_with_their_parameters(policy: Policy) -> None:
    rules = policy.redaction.for_language("en")
    assert rules.operators["PHONE"] == OperatorSpec("mask", {"char": "*", "keep_last": 2})
    assert rules.operators["DATE"] == OperatorSpec("generalise", {"to": "month"})
    assert rules.default_operator == OperatorSpec("replace", {})
    assert rules.thresholds == {"PERSON": 0.6}
    assert policy.redaction.policy_hash == policy.hash


def test_sharing_rule_carries_differential_privacy(policy: Policy) -> None:
    rule = policy.sharing["coordinator"]
    assert rule.min_cell_count == 5 and rule.dimensions == ("category", "period")
    assert rule.differential_privacy is not None
    assert rule.differential_privacy.epsilon_per_release == 0.5


def test_hash_ignores_comments_layout_and_key_order(write_policy: Callable[..., Path]) -> None:
    original = load_policy(write_policy(MINIMAL, "a.yaml")).hash
    relaid = "# a comment the DPO added\n" + MINIMAL.replace(
        "languages: [en]", "languages:\n  - en   # only English").replace(
        'version: "1"\nowner: "DPO, Test Police"', 'owner: \'DPO, Test Police\'\nversion: "1"')
    assert load_policy(write_policy(relaid, "b.yaml")).hash == original


def test_hash_changes_when_any_value_changes(write_policy: Callable[..., Path]) -> None:
    original = load_policy(write_policy(MINIMAL, "a.yaml")).hash
    changed = variant("keep_last: 2", "keep_last: 3")
    assert load_policy(write_policy(changed, "b.yaml")).hash != original


def test_areas_below_the_minimum_count_are_named_for_pooling(policy: Policy) -> None:
    assert policy.geography.small_areas({"a": 4, "b": 5, "c": 1}) == {"a", "c"}
