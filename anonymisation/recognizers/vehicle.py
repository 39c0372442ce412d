"""VEHICLE_PLATE: registration formats of the UK (incl. Northern Ireland), Spain, the
Netherlands, Cyprus and Greece. All patterns are case-sensitive: plates are written in capitals.

Every language gets every format, because reports mention foreign cars; formats that plain
words or codes can also take (old UK, Cypriot) score low and need context.
"""

from __future__ import annotations

from anonymisation.recognizers.patterns import RulePatternRecognizer

# A plate is not followed by more digits: "NHS 943 476 5919" is not a Cypriot plate.
_END = r"(?![ \-]?\d)"
_PATTERNS: list[tuple[str, float]] = [
    # UK since 2001: "AB12 CDE".
    (r"\b[A-Z]{2}\d{2} ?[A-Z]{3}\b", 0.7),
    # Northern Ireland: "AIJ 1234", "DZ 123", "BXI 45" (code letters contain I or Z).
    (r"\b[A-Z]?(?:[A-Z][IZ]|[IZ][A-Z]) ?\d{1,4}\b" + _END, 0.4),
    # UK prefix/suffix formats 1963-2001: "A123 BCD", "ABC 123D".
    (r"\b[A-Z]\d{1,3} ?[A-Z]{3}\b", 0.5),
    (r"\b[A-Z]{3} ?\d{1,3}[A-Z]\b", 0.5),
    # Spain since 2000: "1234 BCD" (consonants only); provincial "V-1234-AB".
    (r"\b\d{4}[ \-]?[BCDFGHJKLMNPRSTVWXYZ]{3}\b", 0.75),
    (r"\b(?:[A-Z]{1,2})[ \-]\d{4}[ \-][A-Z]{1,2}\b", 0.5),
    # Netherlands side codes 1-14, dash-separated: "12-ABC-3", "XX-99-XX", ...
    (
        r"\b(?:[A-Z]{2}-\d{2}-\d{2}|\d{2}-\d{2}-[A-Z]{2}|\d{2}-[A-Z]{2}-\d{2}|"
        r"[A-Z]{2}-\d{2}-[A-Z]{2}|[A-Z]{2}-[A-Z]{2}-\d{2}|\d{2}-[A-Z]{2}-[A-Z]{2}|"
        r"\d{2}-[A-Z]{3}-\d|\d-[A-Z]{3}-\d{2}|[A-Z]{2}-\d{3}-[A-Z]|[A-Z]-\d{3}-[A-Z]{2}|"
        r"[A-Z]{3}-\d{2}-[A-Z]|[A-Z]-\d{2}-[A-Z]{3}|\d-[A-Z]{2}-\d{3}|\d{3}-[A-Z]{2}-\d)\b",
        0.7,
    ),
    # Cyprus: "KXA 123".
    (r"\b[A-Z]{3} ?\d{3}\b" + _END, 0.45),
    # Greece: three Greek capitals that look Latin, then four digits: "ΙΚΑ-1234" / "IKA 1234".
    (r"\b[ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ]{3}[ \-]?\d{4}\b" + _END, 0.7),
    (r"\b[ABEZHIKMNOPTYX]{3}[ \-]?\d{4}\b" + _END, 0.5),
]
_CONTEXT = {
    "en": ("registration", "reg", "plate", "vehicle", "car", "van", "motorbike", "index",
           "number plate"),
    "es": ("matrícula", "matricula", "vehículo", "vehiculo", "coche", "turismo", "moto",
           "furgoneta", "placa"),
    "nl": ("kenteken", "voertuig", "auto", "wagen", "scooter", "busje", "motor"),
    "el": ("πινακίδ", "πινακιδ", "όχημα", "οχημα", "αυτοκίνητ", "αυτοκινητ", "μηχανή",
           "κυκλοφορ", "βαν", "φορτηγ", "μοτοσικλέτ", "μοτοσυκλέτ", "ταξί"),
}  # fmt: skip


def plate_recognizers(language: str) -> list[RulePatternRecognizer]:
    """The VEHICLE_PLATE recognizer for ``language``."""
    return [
        RulePatternRecognizer(
            rule="vehicle_plate",
            entity="VEHICLE_PLATE",
            language=language,
            patterns=_PATTERNS,
            context=_CONTEXT[language],
            needs_digit=True,
        )
    ]
