"""The shipped policy files: each validates, and the schema agrees with the node's vocabularies."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from anonymisation.entities import KNOWN_ENTITIES, SUPPORTED_LANGUAGES
from policies import iccs
from policies.loader import check_policy, load_policy
from policies.structure import schema
from tests.policies.conftest import POLICY_DIR

PILOTS = {
    "belfast": ("en",),
    "preston": ("en",),
    "valencia": ("es", "en"),
    "nicosia": ("el", "en"),
    "groningen": ("nl", "en"),
}


@pytest.mark.parametrize("city", [*PILOTS, "default"])
def test_shipped_policy_validates_without_problems(city: str) -> None:
    assert check_policy(POLICY_DIR / f"{city}.yaml") == []


@pytest.mark.parametrize(("city", "languages"), PILOTS.items())
def test_pilot_policy_covers_its_city_languages(city: str, languages: tuple[str, ...]) -> None:
    policy = load_policy(POLICY_DIR / f"{city}.yaml")
    assert policy.city == city
    assert policy.languages == languages
    assert set(policy.redaction.languages) == set(languages)
    # Every pilot maps local categories onto real ICCS divisions and shares with the EU.
    assert all(code in iccs.DIVISIONS for code in policy.categories.mapping.values())
    assert "coordinator" in policy.sharing
    assert all(rule.min_cell_count >= 3 for rule in policy.sharing.values())


@pytest.mark.parametrize(("city", "local", "code"), [
    ("valencia", "Hurto", "0502"),
    ("nicosia", "διάρρηξη", "0501"),
    ("groningen", "fietsendiefstal", "0502"),
    ("belfast", "anti-social behaviour", "0801"),
])
def test_local_category_in_city_language_maps_to_iccs(city: str, local: str, code: str) -> None:
    assert load_policy(POLICY_DIR / f"{city}.yaml").categories.iccs_for(local) == code


def test_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(schema())


def test_schema_entities_and_languages_match_the_node_vocabulary() -> None:
    # A new entity added to anonymisation/entities.py must become usable in policy files.
    assert schema()["$defs"]["entity"]["enum"] == list(KNOWN_ENTITIES)
    assert schema()["$defs"]["language"]["enum"] == list(SUPPORTED_LANGUAGES)


def test_every_schema_property_has_a_description_for_editor_completion() -> None:
    missing = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                if isinstance(sub, dict) and "description" not in sub and "$ref" not in sub:
                    missing.append(f"{where}.{name}")
            for key, sub in node.items():
                walk(sub, f"{where}.{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{where}[{i}]")

    walk(schema(), "$")
    assert missing == []


def test_schema_file_is_plain_json() -> None:
    json.loads((POLICY_DIR / "schema.json").read_text(encoding="utf-8"))


def test_iccs_divisions_belong_to_known_sections() -> None:
    assert len(iccs.SECTIONS) == 11
    assert all(code[:2] in iccs.SECTIONS and len(code) == 4 for code in iccs.DIVISIONS)
    assert iccs.name_of("0501") == "Burglary"
