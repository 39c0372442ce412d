"""ADDRESS (street-type word plus house number) and POSTCODE, per language.

A street name without a house number scores below the default threshold: a street is a place,
a street with a number is somebody's home. Context ("lives at", "domicilio", "woont", "κατοικεί")
lifts it. Postcodes that are only digits (ES, CY, GR) need context too.
"""

from __future__ import annotations

from anonymisation.recognizers.patterns import RulePatternRecognizer

# A capitalised word of a street name (letters, apostrophes, hyphens, a final period).
_CAP = r"\p{Lu}[\p{L}'’\-]*\.?"
_NUMBER = r"\d{1,4}[A-Za-z]?(?:[\-/]\d{1,4}[A-Za-z]?)?\b"

_EN_STREET_TYPES = (
    r"Street|St\.?|Road|Rd\.?|Lane|Ln\.?|Avenue|Ave\.?|Drive|Dr\.?|Close|Crescent|Cres\.?|"
    r"Court|Ct\.?|Place|Pl\.?|Gardens|Gdns\.?|Grove|Terrace|Terr?\.?|Way|Park|Square|Sq\.?|"
    r"Row|Walk|Mews|Parade|Boulevard|Green|Hill|Rise|View|Vale|Brae|Heights|Manor|Wynd|Quay"
)
_ES_STREET_TYPES = (
    r"(?i:calle|c/|c\.|avda\.?|avenida|av\.|plaza|pza\.?|pl\.|paseo|p[ºo]\.?|camino|"
    r"carretera|ctra\.?|ronda|travesía|trav\.|glorieta|urbanización|urb\.|callejón|vía|"
    r"pasaje|partida|gran vía|c/\.|carrer|c\.|avinguda|avgda\.|passeig|pg\.|plaça|"
    r"travessera|travessia|rúa|rua|camí|ronda)"
)
_NL_STREET_SUFFIXES = (
    r"straat|weg|laan|plein|gracht|kade|singel|dijk|dreef|hof|park|steeg|pad|markt|baan|"
    r"wal|diep|plantsoen|boulevard|kanaal|veld|ring|weide|straatweg|ven|erf|hoek|zijl|"
    r"borg|vliet|kamp|akker|brink"
)
_EL_STREET_TYPES = (
    r"(?:[Οο]δός|[Οο]δού|[Οο]δό|[Οο]δ\.|[Λλ]εωφόρος|[Λλ]εωφόρου|[Λλ]εωφ\.|"
    r"[Ππ]λατεία|[Ππ]λατείας|[Ππ]λ\.)"
)

_EL_MONTHS_GENITIVE = (
    r"(?:Ιανουαρίου|Φεβρουαρίου|Μαρτίου|Απριλίου|Μαΐου|Ιουνίου|Ιουλίου|Αυγούστου|"
    r"Σεπτεμβρίου|Οκτωβρίου|Νοεμβρίου|Δεκεμβρίου)\b"
)

# A word of a Spanish street name: capitalised, a particle, or a number in "25 de Abril".
_ES_NAME_WORD = r"(?:\p{Lu}[\p{L}'’.\-]*|de|del|la|las|los|el|y|i|d'|l'|dels|\d{1,2}(?=\s+de\s))"

_ADDRESS_PATTERNS: dict[str, list[tuple[str, float]]] = {
    "en": [
        # "12 Baker Street", "Flat 3, 45a Lisburn Road", "12-14 Castle St."
        (
            rf"\b(?:(?i:flat|apartment|apt\.?|unit)\s+\d{{1,4}}[A-Za-z]?,?\s+)?{_NUMBER},?\s+"
            rf"(?:{_CAP}\s+){{1,3}}(?:{_EN_STREET_TYPES})(?![\p{{L}}])",
            0.85,
        ),
        # "Makarios Avenue 146, Flat 12" (number after the street, as written in Cyprus)
        (
            rf"\b(?:{_CAP}\s+){{1,3}}(?:{_EN_STREET_TYPES}),?\s+{_NUMBER}"
            rf"(?:,?\s+(?i:flat|apt\.?|apartment)\s+\d{{1,4}}[A-Za-z]?\b)?",
            0.85,
        ),
        (rf"\b(?:{_CAP}\s+){{1,3}}(?:Street|Road|Lane|Avenue|Drive|Crescent|Terrace)\b", 0.4),
    ],
    "es": [
        # "C/ Pedro Heredia, 3, 2º A", "Avda. del Puerto nº 12", "Plaza de la Reina 5"
        (
            rf"(?<![\p{{L}}\d]){_ES_STREET_TYPES}(?!\p{{L}})\s*(?:{_ES_NAME_WORD}\s+){{0,5}}?{_ES_NAME_WORD},?\s*"
            rf"(?:(?:(?i:n[º°o]\.?|núm\.?|número)\s*)?\d{{1,4}}\b(?:\s?[A-Za-z]\b)?|(?i:s/n)\b)"
            rf"(?:,?\s*(?:\d{{1,2}}\s?[ºª°]|(?i:piso|pta\.?|puerta|esc\.?|bajo|bj\.?))"
            rf"(?:\s?[\-,]?\s?\d{{0,2}}[A-Za-z]?[ºª°]?\b)?)*",
            0.85,
        ),
        (
            rf"(?<![\p{{L}}\d]){_ES_STREET_TYPES}(?!\p{{L}})\s+(?:de(?:l| la| los| las)?\s+)?"
            rf"{_CAP}(?:\s+{_CAP}){{0,3}}",
            0.4,
        ),
    ],
    "nl": [
        # "Herestraat 12", "Grote Markt 5a", "Van Swinderenstraat 3-2", "Kerkstraat 12 bis"
        (
            rf"\b(?:{_CAP}\s+){{0,3}}(?=\p{{Lu}})\p{{L}}*?"
            rf"(?i:{_NL_STREET_SUFFIXES})\s+{_NUMBER}(?:\s?(?i:bis|hs|huis|[a-z])\b)?",
            0.85,
        ),
        (rf"\b\p{{Lu}}\p{{L}}*(?:{_NL_STREET_SUFFIXES})\b", 0.3),
        # "woning aan de Helperzoom 13-1": a capitalised name with a house number after
        # "aan/op/bij de" is a street even without a street-type suffix.
        (rf"(?<=\b(?:aan|op|bij)\s+de\s+)\p{{Lu}}\p{{Ll}}+\s+{_NUMBER}", 0.6),
    ],
    "el": [
        # "Οδός Ερμού 25", "Λεωφ. Μακαρίου 12", and the bare genitive form "Ερμού 25".
        (
            rf"{_EL_STREET_TYPES}\s*(?:{_CAP}\s+){{0,3}}{_CAP},?\s*(?:αρ\.\s*)?\d{{1,4}}[Α-Ωα-ωA-Za-z]?\b",
            0.85,
        ),
        (
            rf"\b(?!{_EL_MONTHS_GENITIVE})\p{{Lu}}\p{{Ll}}+(?:ου|ους|ας|ης|ων|ών|ού|ής|άς)\s+"
            r"\d{1,3}[Α-Ωα-ω]?\b(?![\.,:/]\d)",
            0.5,
        ),
        (rf"{_EL_STREET_TYPES}\s*(?:{_CAP}\s+){{0,2}}{_CAP}", 0.4),
    ],
}
_ADDRESS_CONTEXT = {
    "en": ("address", "live", "lives", "living", "resid", "home", "house", "flat", "reside"),
    "es": ("domicilio", "dirección", "direccion", "vive", "reside", "residen", "vivienda",
           "domiciliad", "portal"),
    "nl": ("adres", "woont", "woonachtig", "wonend", "woning", "huis"),
    "el": ("διεύθυνση", "διευθυνση", "κατοικ", "διαμέν", "διαμεν", "σπίτι", "σπιτι", "οικία"),
}  # fmt: skip

_POSTCODE_PATTERNS: dict[str, list[tuple[str, float]]] = {
    "en": [
        # UK (incl. Northern Ireland BT), and Cypriot 4-digit codes only in context.
        (r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2}\b", 0.7),
        (r"\b[1-9]\d{3}\b", 0.15),
    ],
    "es": [
        (r"\b(?:0[1-9]|[1-4]\d|5[0-2])\d{3}\b", 0.2),
        # "46001 Valencia": five digits right before a capitalised place name.
        (r"\b(?:0[1-9]|[1-4]\d|5[0-2])\d{3}(?=\s+\p{Lu}\p{Ll})", 0.5),
    ],
    "nl": [(r"\b[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}\b", 0.6)],
    "el": [
        (r"\b\d{3} ?\d{2}\b", 0.2),
        (r"\b[1-9]\d{3}\b", 0.15),
        (r"\b\d{3} ?\d{2}(?=\s+\p{Lu}\p{Ll})", 0.45),
    ],
}
_POSTCODE_CONTEXT = {
    "en": ("postcode", "post code", "postal", "zip", "p.o"),
    "es": (
        "postal",
        "c.p",
        "cp",
        "código",
        "codigo",
        "dirección",
        "domicilio",
        "calle",
        "vive",
        "reside",
    ),
    "nl": ("postcode", "adres", "woont"),
    "el": ("τ.κ", "τκ", "ταχυδρομικ", "ταχ.", "διεύθυνση", "οδός", "οδού"),
}


def address_recognizers(language: str) -> list[RulePatternRecognizer]:
    """ADDRESS and POSTCODE recognizers for ``language``."""
    return [
        RulePatternRecognizer(
            rule=f"{language}_street_address",
            entity="ADDRESS",
            language=language,
            patterns=_ADDRESS_PATTERNS[language],
            context=_ADDRESS_CONTEXT[language],
        ),
        RulePatternRecognizer(
            rule=f"{language}_postcode",
            entity="POSTCODE",
            language=language,
            patterns=_POSTCODE_PATTERNS[language],
            context=_POSTCODE_CONTEXT[language],
            needs_digit=True,
        ),
    ]
