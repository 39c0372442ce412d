"""Operators and how the redactor applies them: tags, pseudonyms, generalisation, overlaps,
allow- and deny-lists, thresholds."""

from __future__ import annotations

import dataclasses
import itertools
import resource

import pytest

import anonymisation.redactor as redactor_module
from anonymisation.config import LanguageRedaction, OperatorSpec, RedactionConfig
from anonymisation.operators import OperatorError, apply_operator, pseudonym
from anonymisation.redactor import Redactor, _fork_is_safe, default_redaction_config

SECRET_A = b"node-a-secret-insecure-000000000"
SECRET_B = b"node-b-secret-insecure-111111111"


def test_pseudonym_is_stable_for_one_person_within_a_node():
    assert pseudonym(SECRET_A, "PERSON", "Dña. María López") == pseudonym(
        SECRET_A, "PERSON", "dña. maría   LÓPEZ"
    )


def test_pseudonym_is_unlinkable_across_nodes_with_different_secrets():
    assert pseudonym(SECRET_A, "PERSON", "María López") != pseudonym(
        SECRET_B, "PERSON", "María López"
    )


def test_pseudonym_differs_for_different_people():
    assert pseudonym(SECRET_A, "PERSON", "María López") != pseudonym(
        SECRET_A, "PERSON", "Mario López"
    )


def test_pseudonym_ignores_spacing_of_codes():
    assert pseudonym(SECRET_A, "PHONE", "+34 612-345-678") == pseudonym(
        SECRET_A, "PHONE", "+34612345678"
    )


@pytest.mark.parametrize(
    ("spec", "entity", "value", "expected"),
    [
        (OperatorSpec("replace"), "PERSON", "John Smith", "<PERSON>"),
        (OperatorSpec("replace", {"tag": "[naam]"}), "PERSON", "Jan", "[naam]"),
        (OperatorSpec("redact"), "EMAIL", "a@b.nl", ""),
        (OperatorSpec("mask", {"char": "#", "keep_last": 2}), "PHONE", "612 345 678",
         "### ### #78"),
        (OperatorSpec("generalise", {"to": "month"}), "DATE", "5 de marzo de 2024", "2024-03"),
        (OperatorSpec("generalise"), "DATE_OF_BIRTH", "14/02/1987", "1987-02"),
        (OperatorSpec("generalise"), "DATE", "3 Μαρτίου", "March"),
        (OperatorSpec("generalise"), "LOCATION", "Ballymacarrett", "<AREA>"),
        (OperatorSpec("generalise", {"area": "Belfast East"}), "ADDRESS", "1 Main St",
         "Belfast East"),
    ],
)  # fmt: skip
def test_operator_output(spec, entity, value, expected):
    assert apply_operator(spec, entity, value, SECRET_A) == expected


def test_generalising_a_person_is_refused_with_advice():
    with pytest.raises(OperatorError, match="use replace or pseudonymise"):
        apply_operator(OperatorSpec("generalise"), "PERSON", "John", SECRET_A)


def _redactor(**changes) -> Redactor:
    rules = LanguageRedaction(
        language="en",
        entities=("PERSON", "PHONE", "ADDRESS", "DATE", "LOCATION", "EMAIL"),
        operators={
            "PERSON": OperatorSpec("pseudonymise"),
            "DATE": OperatorSpec("generalise", {"to": "month"}),
        },
    )
    rules = dataclasses.replace(rules, **changes)
    return Redactor(RedactionConfig(languages={"en": rules}), SECRET_A, workers=1)


@pytest.fixture(scope="module")
def pseudonymising() -> Redactor:
    return _redactor()


def test_same_person_gets_same_tag_within_a_text(pseudonymising):
    text = "Ciaran Doherty phoned. Later Ciaran Doherty came in."
    result = pseudonymising.redact(text, "en")
    tags = [result.text.split()[0], result.text.split()[3]]
    assert tags[0] == tags[1] and tags[0].startswith("<PERSON-")


def test_findings_offsets_point_into_the_original_text(pseudonymising):
    text = "On 5 March 2024 Ciaran Doherty of 12 Ormeau Road called 028 9024 1234."
    result = pseudonymising.redact(text, "en")
    values = {(f.entity, text[f.start : f.end]) for f in result.findings}
    assert ("PERSON", "Ciaran Doherty") in values
    assert ("ADDRESS", "12 Ormeau Road") in values
    assert ("PHONE", "028 9024 1234") in values
    assert "On 2024-03 " in result.text
    assert "Ciaran" not in result.text


def test_overlapping_findings_keep_only_the_higher_scored_span(pseudonymising):
    # "12 Baker Street" (ADDRESS 0.85) overlaps "Baker" (a surname); the address wins.
    text = "The victim lives at 12 Baker Street in the city."
    result = pseudonymising.redact(text, "en")
    spans = [(f.start, f.end) for f in result.findings]
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))
    assert [f.entity for f in result.findings if f.entity == "ADDRESS"] == ["ADDRESS"]


def test_redaction_is_deterministic(pseudonymising):
    text = "Maeve Quinn met Ciaran Doherty at 3 Lisburn Road on 4 April 2023."
    assert pseudonymising.redact(text, "en") == pseudonymising.redact(text, "en")


def test_allow_list_keeps_the_phrase_and_explains_why():
    text = "She asked the Maeve Quinn Trust for help."
    assert "Maeve" not in _redactor().redact(text, "en").text
    result = _redactor(allow_list=("maeve quinn trust",)).redact(text, "en")
    assert result.text == text
    assert result.suppressed and all(f.operator == "allowed" for f in result.suppressed)


def test_deny_list_phrase_is_always_redacted():
    redactor = _redactor(deny_list={"PERSON": ("the Butcher of Ballymena",)})
    result = redactor.redact("Graffiti about The Butcher of Ballymena appeared.", "en")
    assert "Butcher" not in result.text
    assert "deny_list" in [f.rule for f in result.findings]


def test_threshold_above_a_finding_score_keeps_it():
    redactor = _redactor(thresholds={"PHONE": 0.99})
    text = "Call 028 9024 1234 now."
    assert "028 9024 1234" in redactor.redact(text, "en").text


def test_summary_counts_types_and_never_values(pseudonymising):
    text = "Maeve Quinn and Ciaran Doherty called 028 9024 1234."
    summary = pseudonymising.redact(text, "en").summary()
    assert summary == {"PERSON": 2, "PHONE": 1}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def test_worker_processes_give_the_same_results_in_the_same_order(monkeypatch):
    # Fork even on a busy machine, where redact_many would otherwise stay in-process.
    monkeypatch.setattr(redactor_module, "_idle_cores", lambda: 2)
    if not _fork_is_safe():
        pytest.skip("this process has threads: redact_many would not fork workers")
    config = RedactionConfig(languages={"en": default_redaction_config().for_language("en")})
    texts = [
        f"Report {i}: Maeve Quinn of {i} Ormeau Road rang 028 9024 {1000 + i}." for i in range(60)
    ]
    in_process = Redactor(config, SECRET_A, workers=1).redact_many(texts, "en")
    children_before = _children_cpu()
    pooled = Redactor(config, SECRET_A, workers=2).redact_many(texts, "en")
    forked = _children_cpu() > children_before
    assert pooled == in_process
    assert forked, "the batch was not split over worker processes"
    assert len(pooled) == 60 and all("Maeve" not in r.text for r in pooled)
