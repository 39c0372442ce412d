"""Typed redaction configuration: what the policy loader hands to the anonymisation engine.

The policy files (``policies/``) are the source of truth; the loader turns a validated file into
these frozen dataclasses so the engine never parses YAML and never guesses a default the DPO
did not state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

OperatorKind = Literal["replace", "redact", "mask", "pseudonymise", "generalise"]


@dataclass(frozen=True)
class OperatorSpec:
    """How one entity type is removed.

    ``params`` by kind: replace ``{"tag": "<PERSON>"}`` (optional, default ``<ENTITY>``);
    mask ``{"char": "*", "keep_last": 0}``; pseudonymise ``{}`` (HMAC with the node secret);
    generalise ``{"to": "month"}`` for dates or ``{"to": "area"}`` for locations; redact ``{}``.
    """

    kind: OperatorKind
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LanguageRedaction:
    """The redaction rules for one language."""

    language: str
    entities: tuple[str, ...]
    # entity -> minimum score to act on a finding; entities not listed use ``default_threshold``.
    thresholds: Mapping[str, float] = field(default_factory=dict)
    default_threshold: float = 0.5
    # entity -> operator; entities not listed use ``default_operator``.
    operators: Mapping[str, OperatorSpec] = field(default_factory=dict)
    default_operator: OperatorSpec = field(default_factory=lambda: OperatorSpec("replace"))
    # Exact phrases never redacted (police stations, public places), compared case-insensitively.
    allow_list: tuple[str, ...] = ()
    # entity -> phrases always redacted as that entity.
    deny_list: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Name of an installed spaCy pipeline to use for this language, or None for the built-in one.
    spacy_model: str | None = None


@dataclass(frozen=True)
class RedactionConfig:
    """All languages of one policy, plus the hash of the policy file it came from."""

    languages: Mapping[str, LanguageRedaction]
    policy_hash: str = "unversioned"

    def for_language(self, language: str) -> LanguageRedaction:
        """Rules for ``language``; ``KeyError`` naming the language if the policy lacks it."""
        try:
            return self.languages[language]
        except KeyError:
            raise KeyError(
                f"the policy has no redaction rules for language {language!r}; "
                f"it has {sorted(self.languages)}"
            ) from None
