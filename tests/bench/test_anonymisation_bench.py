"""The anonymisation benchmark measures what it says, and its labelled data is exact.

A wrong metric would make every figure in docs/anonymisation-benchmark.md lie, so the metric
functions are checked on hand-made cases whose answers are worked out by hand; the data sets are
checked for exact offsets and checksum-valid values; and the benchmark runs end to end on a few
texts.
"""

from __future__ import annotations

import importlib.util
import json
import multiprocessing
import re
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest
from stdnum import iban, luhn
from stdnum.cy import vat as cy_vat
from stdnum.es import dni, nie
from stdnum.gb import nhs
from stdnum.gr import amka
from stdnum.gr import vat as gr_vat
from stdnum.ie import pps
from stdnum.nl import bsn

REPO = Path(__file__).resolve().parents[2]


def _load(name: str) -> ModuleType:
    # bench/ is not a package; load the scripts by path under names that shadow nothing.
    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "bench" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench = _load("anonymisation")
maker = _load("make_incident_texts")
Doc, Gold, P = bench.Document, bench.GoldSpan, bench.Predicted

# One document: "Call Rose Quinn on 07700 900123 in Belfast."
TEXT = "Call Rose Quinn on 07700 900123 in Belfast."
DOC = Doc("t1", TEXT, (Gold(5, 15, "PERSON"), Gold(19, 31, "PHONE")))  # 10 + 12 gold chars


@pytest.mark.parametrize(
    ("case", "predictions", "leak", "recall", "precision", "precision_all"),
    [
        ("nothing found leaks everything", [], 1.0, 0.0, None, None),
        (
            "exact findings leak nothing",
            [P(5, 15, "PERSON"), P(19, 31, "PHONE")],
            0.0,
            1.0,
            1.0,
            1.0,
        ),
        # 5 of 10 name chars covered: exactly half counts as found; 5 of 22 gold chars removed.
        ("half a span is found", [P(5, 10, "PERSON")], 17 / 22, 0.5, 1.0, 1.0),
        ("less than half is missed", [P(5, 9, "PERSON")], 18 / 22, 0.0, 1.0, 1.0),
        # Overlapping findings cover 12 chars once, not 24 times.
        (
            "overlaps are counted once",
            [P(19, 31, "PHONE"), P(19, 31, "UK_NHS")],
            10 / 22,
            0.5,
            1.0,
            1.0,
        ),
        # A finding wider than the span: covers all 10 gold chars plus 3 outside ("Cal"[..]).
        ("spill-over lowers precision", [P(2, 15, "PERSON")], 12 / 22, 0.5, 10 / 13, 10 / 13),
        # Belfast (35-42) is deliberately unlabelled: a LOCATION is left out of scored precision.
        (
            "unlabelled kinds are not scored",
            [P(5, 15, "PERSON"), P(35, 42, "LOCATION")],
            12 / 22,
            0.5,
            1.0,
            10 / 17,
        ),
        (
            "an unlabelled-kind finding still removes",
            [P(19, 31, "LOCATION")],
            10 / 22,
            0.5,
            None,
            1.0,
        ),
    ],
)
def test_metrics_match_hand_worked_cases(case, predictions, leak, recall, precision, precision_all):
    s = bench.score([DOC], [predictions], frozenset({"LOCATION"}))
    assert s.leak_rate == pytest.approx(leak), case
    assert s.span_recall == pytest.approx(recall), case
    assert s.precision == (None if precision is None else pytest.approx(precision)), case
    assert s.precision_all == (None if precision_all is None else pytest.approx(precision_all)), (
        case
    )


def test_misses_and_false_positives_name_kind_and_id_never_the_value():
    s = bench.score([DOC], [[P(35, 42, "PERSON")]])
    assert sorted(s.missed) == [("PERSON", "t1"), ("PHONE", "t1")]
    assert s.false_positives == [("PERSON", "t1")]
    flat = json.dumps([s.missed, s.false_positives])
    assert "Belfast" not in flat and "Rose" not in flat


def test_a_text_without_gold_spans_only_affects_precision():
    clean = Doc("t2", "Bike stolen at Botanic station.", ())
    s = bench.score([DOC, clean], [[P(5, 15, "PERSON"), P(19, 31, "PHONE")], [P(15, 22, "PERSON")]])
    assert s.leak_rate == 0.0 and s.span_recall == 1.0
    assert s.precision == pytest.approx(22 / 29)


def test_pooled_totals_weight_by_characters_not_by_data_set():
    small = bench.score([DOC], [[]])  # 22 chars, all leaked
    big = bench.score([Doc("t3", "x" * 100, (Gold(0, 100, "ID"),))], [[P(0, 100, "ID")]])
    total = bench.Scores()
    total.add(small)
    total.add(big)
    assert total.leak_rate == pytest.approx(22 / 122)
    assert total.by_label["ID"] == [100, 0, 1, 1]


def test_prediction_lists_must_line_up_with_documents():
    with pytest.raises(ValueError, match="expected one prediction list per document"):
        bench.score([DOC, DOC], [[]])


def test_generalised_findings_do_not_count_as_removed():
    assert "generalise" in bench.NON_REMOVING_OPERATORS
    assert bench._operator_kind(type("F", (), {"operator": "generalise"})()) == "generalise"
    assert (
        bench._operator_kind(type("F", (), {"operator": type("O", (), {"kind": "mask"})()})())
        == "mask"
    )


# ---------------------------------------------------------------------------------------------
# The data sets.
# ---------------------------------------------------------------------------------------------
DATA = REPO / "tests" / "data" / "pii"
ALL_FILES = ["en.jsonl", "es.jsonl"] + [
    f"incidents-{lang}.jsonl" for lang in ("en", "nl", "el", "es")
]


@pytest.mark.parametrize("name", ALL_FILES)
def test_every_gold_span_is_exact_sorted_and_known(name):
    for doc in bench.load_documents(DATA / name):
        end = 0
        for span in doc.spans:
            piece = doc.text[span.start : span.end]
            assert piece and piece == piece.strip(), doc.id
            assert span.start >= end, doc.id
            assert span.label in maker.LABELS, doc.id
            end = span.end


@pytest.mark.parametrize("lang", ["en", "nl", "el", "es"])
def test_incident_files_are_what_the_generator_writes(lang):
    lines = (DATA / f"incidents-{lang}.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == maker.generate(lang)


@pytest.mark.parametrize("lang", ["en", "nl", "el", "es"])
def test_incident_sets_are_big_enough_with_a_third_clean(lang):
    docs = bench.load_documents(DATA / f"incidents-{lang}.jsonl")
    clean = sum(1 for d in docs if not d.spans)
    assert len(docs) >= 80
    assert 0.3 <= clean / len(docs) <= 0.4


ID_VALIDATORS = [
    nhs.is_valid,
    dni.is_valid,
    nie.is_valid,
    bsn.is_valid,
    amka.is_valid,
    gr_vat.is_valid,
    cy_vat.is_valid,
    pps.is_valid,
]
NINO = re.compile(r"^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]$")
CY_ID_CARD = re.compile(r"^[1-9]\d{5,6}$")  # no published check digit


@pytest.mark.parametrize("lang", ["en", "nl", "el", "es"])
def test_incident_ids_and_bank_numbers_have_valid_checksums(lang):
    """A benchmark full of invalid numbers would reward detectors that skip checksum validation."""
    for doc in bench.load_documents(DATA / f"incidents-{lang}.jsonl"):
        for span in doc.spans:
            value = doc.text[span.start : span.end]
            compact = re.sub(r"[ .\-]", "", value)
            if span.label == "FINANCIAL":
                assert iban.is_valid(value) or luhn.is_valid(compact), doc.id
            elif span.label == "ID":
                assert (
                    any(ok(compact) for ok in ID_VALIDATORS)
                    or NINO.match(value)
                    or CY_ID_CARD.match(value)
                ), doc.id


# ---------------------------------------------------------------------------------------------
# End to end on a tiny subset.
# ---------------------------------------------------------------------------------------------
def test_bench_runs_end_to_end_on_vanilla(tmp_path):
    out, md = tmp_path / "bench.json", tmp_path / "bench.md"
    code = bench.main(
        [
            "--lang",
            "en",
            "--limit",
            "3",
            "--repeat",
            "1",
            "--systems",
            "vanilla",
            "--json",
            str(out),
            "--markdown",
            str(md),
        ]
    )
    assert code == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    rows = {(r["dataset"], r["system"]): r for r in report["rows"]}
    assert set(rows) == {("en.jsonl", "vanilla"), ("incidents-en.jsonl", "vanilla")}
    for row in rows.values():
        assert row["texts"] == 3
        if row["scores"]["gold_chars"]:
            assert 0.0 <= row["scores"]["leak_rate"] <= 1.0
        else:  # a text without personal data cannot leak any
            assert row["scores"]["leak_rate"] is None
        assert row["texts_per_second"] > 0
    assert report["machine"]["nproc"] >= 1
    assert "| en | all | vanilla | 6 |" in md.read_text(encoding="utf-8")


def test_bench_reports_a_missing_project_engine_instead_of_crashing(tmp_path, monkeypatch):
    def unavailable():
        raise bench.SystemUnavailableError(bench.PROJECT_UNAVAILABLE)

    monkeypatch.setattr(bench, "build_project", unavailable)
    rows, _meta = bench.run(["nl"], ["project"], limit=2, repeat=1, log=lambda _msg: None)
    assert [(r.system, r.scores, r.note) for r in rows] == [
        ("project", None, bench.PROJECT_UNAVAILABLE)
    ]


def test_bench_runs_end_to_end_on_the_project_engine(tmp_path):
    pytest.importorskip(
        "anonymisation.redactor", reason="the project engine is not in this checkout yet"
    )
    rows, _meta = bench.run(
        ["el"], ["project", "vanilla"], limit=4, repeat=1, log=lambda _msg: None
    )
    by_system = {r.system: r for r in rows}
    assert by_system["project"].scores is not None, by_system["project"].note
    assert 0.0 <= by_system["project"].scores.leak_rate <= 1.0
    assert bench.speed_ratio(rows, "el", "incidents-el.jsonl") > 0


def test_speed_batch_times_a_larger_batch_but_scores_each_text_once():
    rows, _meta = bench.run(
        ["nl"], ["vanilla"], limit=2, repeat=1, speed_batch=5, log=lambda _msg: None
    )
    (row,) = rows
    docs = bench.load_documents(DATA / "incidents-nl.jsonl", limit=2)
    assert row.texts == 2
    assert row.scores.gold_spans == sum(len(d.spans) for d in docs)
    assert row.note.endswith("(batch of 5)")


def _spin(seconds: float) -> float:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    return seconds


def test_cpu_spent_in_worker_processes_is_counted():
    """A pool that starts and exits inside the timed call must not make its work invisible."""

    def redact_in_a_worker(texts):
        with multiprocessing.get_context("fork").Pool(1) as pool:
            pool.map(_spin, [0.3])
        return [[] for _ in texts]

    _predictions, timing = bench.timed(redact_in_a_worker, ["a text"])
    assert timing.child_cpu_seconds >= 0.2
    assert timing.cpu_seconds >= timing.child_cpu_seconds
