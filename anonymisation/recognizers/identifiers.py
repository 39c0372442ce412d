"""NATIONAL_ID: national identity numbers, each validated by python-stdnum where a check exists.

A number that fails its checksum is not flagged. Numbers whose checksum a random number passes
often (BSN and NHS: one in eleven; AFM: one in ten) score below the threshold and need a context
word ("BSN", "NHS", "ΑΦΜ") to be acted on.
"""

from __future__ import annotations

from collections.abc import Callable

import regex
from stdnum.cy import vat as cy_tic
from stdnum.es import dni as es_dni
from stdnum.es import nie as es_nie
from stdnum.gb import nhs as gb_nhs
from stdnum.gr import amka as gr_amka
from stdnum.gr import vat as gr_afm
from stdnum.ie import pps as ie_pps
from stdnum.nl import bsn as nl_bsn

from anonymisation.recognizers.patterns import RulePatternRecognizer

ENTITY = "NATIONAL_ID"

# UK National Insurance number: no checksum exists; HMRC's prefix rules are the validation.
_NINO = regex.compile(r"(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]")


def _compact(text: str) -> str:
    return regex.sub(r"[\s.\-/]", "", text).upper()


def _valid_nino(text: str) -> bool:
    return _NINO.fullmatch(_compact(text)) is not None


def _stdnum(module: object) -> Callable[[str], bool]:
    def check(text: str) -> bool:
        return bool(module.is_valid(_compact(text)))  # type: ignore[attr-defined]

    return check


_ID_CONTEXT = {
    "en": ("insurance", "nino", "nhs", "health", "identity", "passport", "dni", "nie", "pps",
           "tax", "bsn", "amka", "afm"),
    "es": ("dni", "nie", "nif", "documento", "identidad", "pasaporte", "identificación",
           "tarjeta"),
    "nl": ("bsn", "burgerservicenummer", "sofinummer", "sofi", "identiteit", "paspoort",
           "rijbewijs"),
    "el": ("αμκα", "αφμ", "ταυτότητ", "ταυτοτητ", "αδτ", "α.δ.τ", "διαβατήρι", "φορολογ",
           "afm", "amka"),
}  # fmt: skip

# (rule, [(regex, score)], validator, languages)
_RULES: tuple[tuple[str, list[tuple[str, float]], Callable[[str], bool], tuple[str, ...]], ...] = (
    (
        "uk_nino_format",
        [(r"\b[A-Z]{2}[ ]?\d{2}[ ]?\d{2}[ ]?\d{2}[ ]?[A-D]\b", 0.7)],
        _valid_nino,
        ("en",),
    ),
    ("uk_nhs_checksum", [(r"\b\d{3}[ \-]?\d{3}[ \-]?\d{4}\b", 0.3)], _stdnum(gb_nhs), ("en",)),
    ("ie_pps_checksum", [(r"\b\d{7}[A-W][ABWTX]?\b", 0.6)], _stdnum(ie_pps), ("en",)),
    (
        "es_dni_checksum",
        [(r"\b\d{8}[ \-]?[A-Z]\b", 0.85), (r"\b\d{2}\.\d{3}\.\d{3}[ \-]?[A-Z]\b", 0.85)],
        _stdnum(es_dni),
        ("es", "en"),
    ),
    (
        "es_nie_checksum",
        [(r"\b[XYZ][ \-]?\d{7}[ \-]?[A-Z]\b", 0.85)],
        _stdnum(es_nie),
        ("es", "en"),
    ),
    (
        "nl_bsn_checksum",
        [(r"\b\d{9}\b", 0.3), (r"\b\d{4}\.\d{2}\.\d{3}\b", 0.3), (r"\b\d{3} \d{3} \d{3}\b", 0.3)],
        _stdnum(nl_bsn),
        ("nl", "en"),
    ),
    ("gr_amka_checksum", [(r"\b\d{11}\b", 0.6)], _stdnum(gr_amka), ("el", "en")),
    ("gr_afm_checksum", [(r"\b\d{9}\b", 0.3)], _stdnum(gr_afm), ("el", "en")),
    ("cy_tic_checksum", [(r"\b[0-9]\d{7}[A-Z]\b", 0.6)], _stdnum(cy_tic), ("el", "en")),
    # The Cypriot identity card number has no public checksum: context alone decides.
    ("cy_id_context", [(r"\b\d{6,8}\b", 0.15)], lambda _text: True, ("el",)),
)


# The ID's own name right before the number makes a checksum-valid match certain.
_STRONG_CUES = {
    "uk_nhs_checksum": r"\bnhs\b",
    "nl_bsn_checksum": r"\b(?:bsn|burgerservicenummer|sofinummer)\b",
    "gr_afm_checksum": r"(?:αφμ|α\.φ\.μ\.|\bafm\b)",
    "gr_amka_checksum": r"(?:αμκα|α\.μ\.κ\.α\.|\bamka\b)",
    "es_dni_checksum": r"\b(?:dni|nif)\b",
    "es_nie_checksum": r"\bnie\b",
    "cy_id_context": r"(?:ταυτότητ|\bα\.?δ\.?τ\b|identity card|\bid card)",
}


def national_id_recognizers(language: str) -> list[RulePatternRecognizer]:
    """The NATIONAL_ID recognizers that apply to texts in ``language``."""
    return [
        RulePatternRecognizer(
            rule=rule,
            entity=ENTITY,
            language=language,
            patterns=patterns,
            context=_ID_CONTEXT[language],
            validator=validator,
            strong_context=_STRONG_CUES.get(rule),
            needs_digit=True,
        )
        for rule, patterns, validator, languages in _RULES
        if language in languages
    ]
