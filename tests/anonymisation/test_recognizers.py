"""Each recognizer, in each language: what it must find and what it must leave alone.

Texts are written for these tests (not taken from the labelled benchmark sets). ID numbers are
the public test numbers of python-stdnum's documentation, or made checksum-invalid by changing
the last character.
"""

from __future__ import annotations

import pytest

# (language, text, entity, the exact text that must be found)
MUST_FIND = [
    # PERSON: name lists, titles and capitalisation, all four languages
    ("en", "The victim, Sarah Connolly, was walking home.", "PERSON", "Sarah Connolly"),
    ("en", "Mr Okonkwo-Adeyemi reported the theft.", "PERSON", "Okonkwo-Adeyemi"),
    ("en", "Statement taken by PC Whitlow at the scene.", "PERSON", "Whitlow"),
    ("es", "La denunciante, Dña. Rocío Ibarra Solsona, llamó a las diez.", "PERSON",
     "Rocío Ibarra Solsona"),
    ("es", "El testigo Sr. Quiroga vio al autor huir.", "PERSON", "Quiroga"),
    ("es", "Habló con Abril Martínez en la puerta.", "PERSON", "Abril Martínez"),
    ("nl", "Getuige Jan van der Berg zag de dader wegrennen.", "PERSON", "Jan van der Berg"),
    ("nl", "Volgens dhr. Bakker was de deur open.", "PERSON", "Bakker"),
    ("el", "Ο κ. Παπαδόπουλος κάλεσε την αστυνομία.", "PERSON", "Παπαδόπουλος"),
    ("el", "Η Μαρία Γεωργίου είδε τον δράστη.", "PERSON", "Μαρία Γεωργίου"),
    # ADDRESS: street-type word plus house number
    ("en", "Burglary at 14 Castlereagh Road overnight.", "ADDRESS", "14 Castlereagh Road"),
    ("en", "She lives at Flat 2, 7a Ormeau Avenue.", "ADDRESS", "Flat 2, 7a Ormeau Avenue"),
    ("es", "Vive en C/ Pintor Sorolla, 12, 3º B desde mayo.", "ADDRESS",
     "C/ Pintor Sorolla, 12, 3º B"),
    ("es", "Los hechos ocurrieron en la Avda. del Puerto nº 45.", "ADDRESS",
     "Avda. del Puerto nº 45"),
    ("nl", "De fiets stond bij Oosterstraat 23a.", "ADDRESS", "Oosterstraat 23a"),
    ("nl", "Ze woont aan de Grote Markt 5.", "ADDRESS", "Grote Markt 5"),
    ("el", "Διαμένει στην Οδό Αθηνάς 14.", "ADDRESS", "Οδό Αθηνάς 14"),
    ("el", "Η κλοπή έγινε στη Λεωφ. Μακαρίου 112.", "ADDRESS", "Λεωφ. Μακαρίου 112"),
    # POSTCODE
    ("en", "Her address ends BT7 1NN in the city.", "POSTCODE", "BT7 1NN"),
    ("en", "Registered at PR1 2HE, Preston.", "POSTCODE", "PR1 2HE"),
    ("es", "Domicilio en el código postal 46022 de la ciudad.", "POSTCODE", "46022"),
    ("nl", "Het adres is 9712 CP in Groningen.", "POSTCODE", "9712 CP"),
    ("el", "Ταχυδρομικός κώδικας 1065 στη Λευκωσία.", "POSTCODE", "1065"),
    # PHONE: GB, IE, ES, NL, CY, GR
    ("en", "Contact number 028 9024 1234 after six.", "PHONE", "028 9024 1234"),
    ("en", "Her Dublin mobile is +353 87 123 4567.", "PHONE", "+353 87 123 4567"),
    ("es", "Teléfono de contacto 963 12 34 56.", "PHONE", "963 12 34 56"),
    ("nl", "Bel hem op 050 312 3456.", "PHONE", "050 312 3456"),
    ("el", "Τηλέφωνο επικοινωνίας 22 123456.", "PHONE", "22 123456"),
    ("el", "Κινητό 694 123 4567.", "PHONE", "694 123 4567"),
    # EMAIL, URL, IP, SOCIAL_HANDLE
    ("en", "Write to r.connolly@example.co.uk today.", "EMAIL", "r.connolly@example.co.uk"),
    ("es", "Su correo es pepe.ruiz@ejemplo.es.", "EMAIL", "pepe.ruiz@ejemplo.es"),
    ("nl", "Hij plaatste het op https://voorbeeld.nl/fiets-te-koop.", "URL",
     "https://voorbeeld.nl/fiets-te-koop"),
    ("el", "Η σύνδεση ήρθε από 192.168.10.24 χθες.", "IP", "192.168.10.24"),
    ("en", "He keeps messaging her as @belfast_boy_88 on Instagram.", "SOCIAL_HANDLE",
     "@belfast_boy_88"),
    # IBAN and PAYMENT_CARD
    ("nl", "Betaald naar NL91 ABNA 0417 1643 00.", "IBAN", "NL91 ABNA 0417 1643 00"),
    ("es", "Cargo en la tarjeta 4539 1488 0343 6467 sin permiso.", "PAYMENT_CARD",
     "4539 1488 0343 6467"),
    # NATIONAL_ID with checksums
    ("en", "National Insurance number AB123456C.", "NATIONAL_ID", "AB123456C"),
    ("en", "NHS number 943 476 5919 on the form.", "NATIONAL_ID", "943 476 5919"),
    ("es", "Con DNI 54362315K en vigor.", "NATIONAL_ID", "54362315K"),
    ("es", "Presenta NIE X2482300W caducado.", "NATIONAL_ID", "X2482300W"),
    ("nl", "Haar BSN is 111222333.", "NATIONAL_ID", "111222333"),
    ("el", "ΑΜΚΑ 01013099997 του θύματος.", "NATIONAL_ID", "01013099997"),
    ("el", "Ο ΑΦΜ 094259216 ανήκει στον ύποπτο.", "NATIONAL_ID", "094259216"),
    ("el", "Αριθμός φορολογικής ταυτότητας 10259033P.", "NATIONAL_ID", "10259033P"),
    # VEHICLE_PLATE: UK, NI, ES, NL, CY, GR
    ("en", "A silver car, registration KX19 LMN, drove off.", "VEHICLE_PLATE", "KX19 LMN"),
    ("en", "The van had the plate LAZ 4821.", "VEHICLE_PLATE", "LAZ 4821"),
    ("es", "El turismo con matrícula 4821 KBC se dio a la fuga.", "VEHICLE_PLATE", "4821 KBC"),
    ("nl", "Kenteken 12-ABC-3 is gezien.", "VEHICLE_PLATE", "12-ABC-3"),
    ("el", "Το όχημα με πινακίδα KXA 213 στάθμευσε.", "VEHICLE_PLATE", "KXA 213"),
    ("el", "Αυτοκίνητο ΙΚΥ-4821 εντοπίστηκε.", "VEHICLE_PLATE", "ΙΚΥ-4821"),
    # DATE_OF_BIRTH in context
    ("en", "Suspect (DOB 14/02/1987) was arrested.", "DATE_OF_BIRTH", "14/02/1987"),
    ("en", "He was born on 3rd May 1990 in Lisburn.", "DATE_OF_BIRTH", "3rd May 1990"),
    ("es", "Fecha de nacimiento: 12 de abril de 1975.", "DATE_OF_BIRTH", "12 de abril de 1975"),
    ("nl", "Verdachte, geboren 5 maart 1990, is aangehouden.", "DATE_OF_BIRTH", "5 maart 1990"),
    ("el", "Γεννήθηκε στις 5 Μαρτίου 1990 στη Λεμεσό.", "DATE_OF_BIRTH", "5 Μαρτίου 1990"),
    # DATE (generalised, not removed, by default)
    ("es", "Ocurrió el 3 de abril de 2024 por la noche.", "DATE", "3 de abril de 2024"),
]  # fmt: skip

# (language, text, entity, text that must NOT be found as that entity)
MUST_NOT_FIND = [
    # "abril" the month, "Valencia" the city, "Bakker" / "bakker" the baker
    ("es", "En abril fue a Valencia con su familia.", "PERSON", "Valencia"),
    ("es", "Abril fue un mes muy tranquilo en el barrio.", "PERSON", "Abril"),
    ("es", "Robaron en la comisaría de Valencia.", "PERSON", "Valencia"),
    ("nl", "De bakker op de hoek belde de politie.", "PERSON", "bakker"),
    ("nl", "Bakker Jansen verkoopt brood. Bakker is dicht.", "PERSON", "Bakker"),
    ("en", "The baker on the corner called the police.", "PERSON", "baker"),
    ("en", "It happened in April near the Victoria Square shops.", "PERSON", "April"),
    ("el", "Την Παρασκευή έγινε η κλοπή στη Λευκωσία.", "PERSON", "Παρασκευή"),
    ("el", "Ήταν Κυριακή βράδυ.", "PERSON", "Κυριακή"),
    # acronyms that happen to be first names are not people
    ("en", "Quote the IBAN and the NINO on the form.", "PERSON", "NINO"),
    ("es", "Indique el IBAN de la cuenta.", "PERSON", "IBAN"),
    # Greek postcode abbreviation is not the title "κ."
    ("el", "Τ.Κ. 10563 Αθήνα.", "PERSON", "Αθήνα"),
    # a letter-hyphen word and a company suffix are not names
    ("en", "The bike was locked with a D-lock outside.", "PERSON", "D-lock"),
    ("en", "He works for Fernandez Inc in the city.", "PERSON", "Fernandez Inc"),
    # a street named after a person, without a house number, is a place
    ("es", "Hubo un accidente en la Avenida Blasco Ibáñez anoche.", "PERSON", "Blasco Ibáñez"),
    # checksum-invalid IDs
    ("es", "Con DNI 54362315Z en vigor.", "NATIONAL_ID", "54362315Z"),
    ("es", "Presenta NIE X2482300A caducado.", "NATIONAL_ID", "X2482300A"),
    ("nl", "Haar BSN is 111222334.", "NATIONAL_ID", "111222334"),
    ("en", "NHS number 943 476 5918 on the form.", "NATIONAL_ID", "943 476 5918"),
    ("el", "ΑΜΚΑ 01013099998 του θύματος.", "NATIONAL_ID", "01013099998"),
    ("el", "Ο ΑΦΜ 094259217 ανήκει στον ύποπτο.", "NATIONAL_ID", "094259217"),
    ("en", "National Insurance number QQ123456C.", "NATIONAL_ID", "QQ123456C"),
    ("en", "Card 4539 1488 0343 6468 was used.", "PAYMENT_CARD", "4539 1488 0343 6468"),
    ("nl", "Betaald naar NL91 ABNA 0417 1643 01.", "IBAN", "NL91 ABNA 0417 1643 01"),
    # a valid-looking BSN-length number without context is left alone
    ("nl", "Er werden 111222333 stappen gezet.", "NATIONAL_ID", "111222333"),
    # a street without a house number is a place, not a home address
    ("en", "Youths gathered on Castle Street again.", "ADDRESS", "Castle Street"),
    ("es", "Hubo ruido en la Calle Colón toda la noche.", "ADDRESS", "Calle Colón"),
    # a plate pattern followed by more digits is part of a longer number
    ("en", "NHS number 943 476 5919 on the form.", "VEHICLE_PLATE", "NHS 943"),
    # an e-mail address is not a social-media handle
    ("en", "Write to info@example.org please.", "SOCIAL_HANDLE", "@example"),
    # a date without a birth cue is not a date of birth
    ("en", "Reported on 14/02/2024 at the front desk.", "DATE_OF_BIRTH", "14/02/2024"),
]


@pytest.mark.parametrize(("language", "text", "entity", "value"), MUST_FIND)
def test_personal_data_is_found(found, language, text, entity, value):
    assert (entity, value) in found(text, language)


@pytest.mark.parametrize(("language", "text", "entity", "value"), MUST_NOT_FIND)
def test_false_positive_is_not_flagged(found, language, text, entity, value):
    assert (entity, value) not in found(text, language)
