"""The typed, validated policy: what the rest of the node reads instead of YAML.

Every object here is frozen. The loader (``policies/loader.py``) is the only producer; it
builds a :class:`Policy` only from a file without problems, so consumers never re-check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from anonymisation.config import RedactionConfig
from anonymisation.disclosure.rules import SharingRule
from policies import iccs
from policies.geography import Geography

__all__ = ["CategoryMap", "Geography", "Policy", "RetentionPeriod", "RetentionRules"]


@dataclass(frozen=True)
class RetentionPeriod:
    """How many days each kind of data is kept, and which rule of the policy said so."""

    raw_text_days: int
    redacted_text_days: int
    contact_days: int
    rule: str  # "default", a level-1 code ("05") or a level-2 code ("0501")


@dataclass(frozen=True)
class RetentionRules:
    """Retention per ICCS category; the most specific rule wins (0501, then 05, then default)."""

    default: RetentionPeriod
    by_code: Mapping[str, RetentionPeriod]

    def for_category(self, code: str | None) -> RetentionPeriod:
        """The period that applies to reports of ICCS ``code`` (None: uncategorised)."""
        if code:
            for candidate in (code, iccs.section_of(code)):
                if candidate in self.by_code:
                    return self.by_code[candidate]
        return self.default

    def longest_days(self, code: str | None) -> int:
        """Days until every kept part of a report of ``code`` has expired."""
        period = self.for_category(code)
        return max(period.raw_text_days, period.redacted_text_days, period.contact_days)


def normalise_local(name: str) -> str:
    """Local category names match ignoring case and repeated spaces."""
    return re.sub(r"\s+", " ", name).strip().casefold()


@dataclass(frozen=True)
class CategoryMap:
    """The city's local categories mapped to ICCS level-2 codes."""

    mapping: Mapping[str, str]  # local name as written in the policy -> "0501"

    def iccs_for(self, local: str) -> str | None:
        """ICCS code for a local category; an ICCS level-2 code maps to itself; else None."""
        wanted = normalise_local(local)
        for name, code in self.mapping.items():
            if normalise_local(name) == wanted:
                return code
        if wanted in iccs.DIVISIONS:
            return wanted
        return None

    def unmapped(self, local_categories: Iterable[str]) -> list[str]:
        """The distinct given categories that map to no ICCS code, sorted: the DPO's to-do list."""
        return sorted({c for c in local_categories if self.iccs_for(c) is None})


@dataclass(frozen=True)
class Policy:
    """One city's complete, validated GDPR policy."""

    city: str
    version: str
    owner: str
    languages: tuple[str, ...]
    # sha256 (hex) of the canonical JSON of the file's content: the same for two files that
    # differ only in comments, whitespace, key order or quoting (see docs/adr/0200).
    hash: str
    redaction: RedactionConfig
    retention: RetentionRules
    categories: CategoryMap
    geography: Geography
    sharing: Mapping[str, SharingRule]
    source: str = ""
