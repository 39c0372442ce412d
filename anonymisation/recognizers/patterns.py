"""A Presidio PatternRecognizer that is case-sensitive and named after the rule it applies.

Presidio compiles patterns with IGNORECASE by default; our patterns rely on case (plates, UK
postcodes, capitalised street names), so case-insensitive parts say so inline with ``(?i:...)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import regex
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

FLAGS = regex.DOTALL | regex.MULTILINE
_DIGIT = regex.compile(r"\d")
STRONG_CONTEXT_SCORE = 0.95
# Characters before a match searched for a strong cue ("NHS number", "BSN:", "ΑΦΜ").
STRONG_CONTEXT_WINDOW = 30


class RulePatternRecognizer(PatternRecognizer):
    """Pattern recognizer with an optional validator (checksums) over the matched text."""

    def __init__(
        self,
        *,
        rule: str,
        entity: str,
        language: str,
        patterns: Sequence[tuple[str, float]],
        context: Sequence[str] = (),
        validator: Callable[[str], bool] | None = None,
        strong_context: str | None = None,
        needs_digit: bool = False,
    ) -> None:
        """``needs_digit``: every pattern needs a digit, so texts without one are skipped
        without running the patterns (Presidio's per-pattern bookkeeping is the cost)."""
        self._needs_digit = needs_digit
        self._validator = validator
        self._strong = regex.compile(strong_context, regex.IGNORECASE) if strong_context else None
        super().__init__(
            supported_entity=entity,
            name=rule,
            supported_language=language,
            patterns=[
                Pattern(name=f"{rule}_{i}", regex=rx, score=score)
                for i, (rx, score) in enumerate(patterns)
            ],
            context=list(context) or None,
            global_regex_flags=FLAGS,
        )

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Pattern matches; a strong cue right before one (its own name: "NHS number",
        "BSN") makes a checksum-valid match certain, above what a generic context word
        gives a competing recognizer (a phone number near "number")."""
        if self._needs_digit and _DIGIT.search(text) is None:
            return []
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        if self._strong is not None:
            for result in results:
                window = text[max(0, result.start - STRONG_CONTEXT_WINDOW) : result.start]
                if self._strong.search(window):
                    result.score = max(result.score, STRONG_CONTEXT_SCORE)
                    result.recognition_metadata[
                        RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY
                    ] = True
        return results

    def invalidate_result(self, pattern_text: str) -> bool:
        """True (drop the match) when the rule's checksum or format check fails.

        Presidio's ``validate_result`` would raise a passing match to score 1.0; a checksum
        that a random number passes one time in eleven (BSN, NHS) must keep its pattern score
        and earn the rest from context, so validation only ever removes matches.
        """
        return self._validator is not None and not self._validator(pattern_text)
