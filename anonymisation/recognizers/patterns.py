"""A Presidio PatternRecognizer that is case-sensitive and named after the rule it applies.

Presidio compiles patterns with IGNORECASE by default; our patterns rely on case (plates, UK
postcodes, capitalised street names), so case-insensitive parts say so inline with ``(?i:...)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import regex
from presidio_analyzer import Pattern, PatternRecognizer

FLAGS = regex.DOTALL | regex.MULTILINE


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
    ) -> None:
        self._validator = validator
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

    def invalidate_result(self, pattern_text: str) -> bool:
        """True (drop the match) when the rule's checksum or format check fails.

        Presidio's ``validate_result`` would raise a passing match to score 1.0; a checksum
        that a random number passes one time in eleven (BSN, NHS) must keep its pattern score
        and earn the rest from context, so validation only ever removes matches.
        """
        return self._validator is not None and not self._validator(pattern_text)
