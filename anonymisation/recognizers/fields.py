"""Labelled fields: "Nombre: …", "Surname: …", "Domicilio: …", "NASS: …", as on report forms.

A police or clinical form names what follows the colon, so the label is stronger evidence than
any list: the value is a name, an address or a personal identifier whatever its words are.
Labels of all four languages apply to every language (forms are copied across).
Identity numbers with a checksum (DNI, NIE, BSN, NHS, AFM, AMKA) are NOT field labels here:
they go through their checksum recognizers only, so an invalid one is never flagged.
"""

from __future__ import annotations

from anonymisation.recognizers.patterns import RulePatternRecognizer

_PERSON_LABELS = (
    # en
    r"name|full name|first names?|forenames?|surname|last name|victim|witness|suspect|"
    r"complainant|offender|informant|reported by|officer in charge|doctor|"
    # es
    r"nombre|nombres|apellidos?|nombre y apellidos|denunciante|testigo|víctima|victima|"
    r"detenido|detenida|sospechoso|sospechosa|agente|instructor|médico|medico|"
    r"remitido por|responsable clínico|"
    # nl
    r"naam|achternaam|voornaam|voornamen|aangever|aangeefster|getuige|verdachte|"
    r"slachtoffer|melder|behandelaar|"
    # el
    r"όνομα|ονομα|επώνυμο|επωνυμο|ονοματεπώνυμο|ονοματεπωνυμο|θύμα|μάρτυρας|ύποπτος|"
    r"καταγγέλλων|καταγγέλλουσα|παθών|παθούσα"
)
_ADDRESS_LABELS = (
    r"address|home address|domicilio|dirección|direccion|adres|woonadres|"
    r"διεύθυνση|διευθυνση|διεύθυνση κατοικίας"
)
_ID_LABELS = (
    r"nhc|nass|n[º°o]\.?\s?col(?:egiado)?\.?|historia clínica|n[úu]mero de historia|"
    r"n[úu]mero de afiliaci[óo]n|afiliaci[óo]n|seguridad social|n[úu]mero de la seguridad social|"
    r"cipa|episodio|tarjeta sanitaria|pasaporte|passport(?: number| no\.?)?|"
    r"paspoort(?:nummer)?|διαβατήριο|αριθμός διαβατηρίου"
)
# A capitalised name word, an initial ("M." / "M.a"), or a lowercase particle between them.
# Words that end the name: "Pablo Garrido Abad Servicio de Urología".
_NOT_NAME = (
    r"(?:Servicio|Hospital|Unidad|Centro|Departamento|Sección|Instituto|Fundación|Complejo|"
    r"Clínica|Universidad|Paciente|Service|Police|"
    r"Station|Department|Ziekenhuis|Politie|Afdeling|Νοσοκομείο|Αστυνομία|Τμήμα)\b"
)
# Letters only as Ll/Lu: the ordinal indicators in "NºCol" are letters of another class.
_TITLE = r"(?:(?i:dr|dra|doctor|doctora|sr|sra|srta|mr|mrs|ms|dhr|mevr|κ|κα|δρ)\.?[ \t:]*)"
_NAME_WORD = (
    rf"(?!{_NOT_NAME}|{_TITLE}\p{{Lu}})\p{{Lu}}(?:\.(?:\p{{Ll}}\b)?|[\p{{Ll}}\p{{Lu}}'’\-]*)"
    r"(?![ºª°])"
)
_PARTICLE = r"(?:de|del|la|las|los|y|i|da|do|dos|van|der|den|ter|ten|von|di|le)"
_COLON = r"[ \t]*:[ \t]*"

_PATTERNS = {
    "PERSON": (
        rf"(?<=(?i:\b(?:{_PERSON_LABELS})){_COLON}{_TITLE}?)"
        rf"{_NAME_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+)*{_NAME_WORD}){{0,5}}",
        0.85,
    ),
    "ADDRESS": (
        # Up to the end of the line or sentence, and only if it holds a number or "s/n".
        rf"(?<=(?i:\b(?:{_ADDRESS_LABELS})){_COLON})"
        r"(?=[^\n;]{0,60}?(?:\d|(?i:s/n)))[^\n;]{3,80}?(?=[ \t]*(?:\.(?:\s|$)|[\n;]|$))",
        0.85,
    ),
    "NATIONAL_ID": (
        rf"(?<=(?i:\b(?:{_ID_LABELS})){_COLON}?[ \t]*(?i:nhc-)?)"
        r"[A-Z]{0,3}\d[\d \-/.]{2,16}\d\b",
        0.8,
    ),
}
_RULES = {"PERSON": "person_field", "ADDRESS": "address_field", "NATIONAL_ID": "id_field"}


def field_recognizers(language: str) -> list[RulePatternRecognizer]:
    """PERSON, ADDRESS and NATIONAL_ID values of labelled fields, for ``language``."""
    return [
        RulePatternRecognizer(
            rule=_RULES[entity],
            entity=entity,
            language=language,
            patterns=[pattern],
            needs_digit=entity == "NATIONAL_ID",
        )
        for entity, pattern in _PATTERNS.items()
    ]
