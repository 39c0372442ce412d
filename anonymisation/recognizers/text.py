"""Small text helpers shared by the recognizers: accent-free comparison keys and word lists."""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache
from importlib import resources


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Comparison key: lowercase, accents removed ("Ángel" -> "angel", "Μαρία" -> "μαρια").

    ``lower`` rather than ``casefold``: casefold turns the Greek final sigma into a medial one,
    which would break the ending-based Greek inflection rules.
    """
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


@cache
def data_lines(filename: str) -> tuple[str, ...]:
    """Non-empty, non-comment lines of a file in ``anonymisation/data``."""
    text = resources.files("anonymisation.data").joinpath(filename).read_text(encoding="utf-8")
    return tuple(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )
