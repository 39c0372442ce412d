# ruff: noqa: E501 - the templates and name lists are data; wrapping them would hurt reading.
"""Generate the labelled citizen incident reports in tests/data/pii/incidents-{en,nl,el,es}.jsonl.

The texts are filled-in templates written for this project: reports as a citizen app or a police
front desk would take them in Belfast, Preston and Cyprus (English), Groningen (Dutch), Nicosia
(Greek) and Valencia (Spanish). About a third carry no personal data at all and exist to catch
false positives (place names, street names without numbers, months, occupations, police stations).

Every value is fictitious. The names come from the short hand-written lists below, deliberately
NOT from the name lists the anonymisation engine ships (anonymisation/data/), so the benchmark
does not reward an engine for memorising its own test data. Names that are also ordinary words
(Rose, Baker, Bakker, Visser, Pilar, Abril, Ειρήνη, Ελπίδα) are included on purpose. National
IDs, IBANs and card numbers have valid checksums (python-stdnum); phone numbers are valid
national numbers (phonenumbers). Offsets are computed while rendering, then re-checked.

Usage::

    python bench/make_incident_texts.py            # (re)write the four files
    python bench/make_incident_texts.py --check    # verify the committed files, write nothing
"""

from __future__ import annotations

import argparse
import json
import random
import re
import string
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import phonenumbers
from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.cy import vat as cy_vat
from stdnum.es import ccc as es_ccc
from stdnum.es import dni as es_dni
from stdnum.es import nie as es_nie
from stdnum.gb import nhs as gb_nhs
from stdnum.gr import amka as gr_amka
from stdnum.gr import vat as gr_vat
from stdnum.ie import pps as ie_pps
from stdnum.nl import bsn as nl_bsn

SEED = 20261128
PER_PII_TEMPLATE = 3
PER_CLEAN_TEMPLATE = 2
OUT_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "pii"
LABELS = frozenset(
    {
        "PERSON",
        "ADDRESS",
        "POSTCODE",
        "PHONE",
        "EMAIL",
        "ID",
        "FINANCIAL",
        "DATE_OF_BIRTH",
        "URL",
        "IP",
        "PLATE",
        "SOCIAL_HANDLE",
        "OTHER",
    }
)

# ---------------------------------------------------------------------------------------------
# Value generators. Each returns the string exactly as it appears in the text.
# ---------------------------------------------------------------------------------------------
DIG = string.digits
UPPER = string.ascii_uppercase


def digits(rng: random.Random, n: int, first_nonzero: bool = False) -> str:
    out = "".join(rng.choice(DIG) for _ in range(n))
    if first_nonzero and out[0] == "0":
        out = rng.choice("123456789") + out[1:]
    return out


def _valid_phone(rng: random.Random, region: str, build: Callable[[], str]) -> str:
    for _ in range(500):
        candidate = build()
        if phonenumbers.is_valid_number(phonenumbers.parse(candidate, region)):
            return candidate
    raise RuntimeError(f"could not build a valid {region} phone number")


def phone(rng: random.Random, region: str) -> str:
    """A valid phone number in one of the formats people type in ``region``."""
    d = lambda n: digits(rng, n)  # noqa: E731 - local shorthand
    builders: dict[str, list[Callable[[], str]]] = {
        "GB-BT": [
            lambda: f"028 90{d(2)} {d(4)}",
            lambda: f"07{rng.choice('4579')}{d(2)} {d(6)}",
            lambda: f"+44 7{rng.choice('4579')}{d(2)} {d(6)}",
            lambda: f"07{rng.choice('4579')}{d(8)}",
        ],
        "GB-PR": [
            lambda: f"01772 {rng.choice('2345678')}{d(5)}",
            lambda: f"07{rng.choice('4579')}{d(2)} {d(3)} {d(3)}",
            lambda: f"+44 (0)7{rng.choice('4579')}{d(2)} {d(6)}",
        ],
        "IE": [
            lambda: f"08{rng.choice('3567')} {d(3)} {d(4)}",
            lambda: f"+353 8{rng.choice('3567')} {d(3)} {d(4)}",
        ],
        "ES": [
            lambda: f"6{d(2)} {d(3)} {d(3)}",
            lambda: f"96{rng.choice('13')} {d(2)} {d(2)} {d(2)}",
            lambda: f"+34 6{d(2)} {d(2)} {d(2)} {d(2)}",
            lambda: f"6{d(8)}",
        ],
        "NL": [
            lambda: f"06-{d(8)}",
            lambda: f"06 {d(2)} {d(2)} {d(2)} {d(2)}",
            lambda: f"050-{rng.choice('3579')}{d(6)}",
            lambda: f"+31 6 {d(8)}",
        ],
        "CY": [
            lambda: f"9{rng.choice('4679')} {d(6)}",
            lambda: f"+357 9{rng.choice('4679')} {d(6)}",
            lambda: f"22 {rng.choice('34')}{d(5)}",
            lambda: f"9{rng.choice('4679')}{d(6)}",
        ],
        "GR": [
            lambda: f"69{rng.choice('0345789')} {d(3)} {d(4)}",
            lambda: f"+30 69{rng.choice('4789')} {d(7)}",
            lambda: f"210 {d(3)} {d(4)}",
        ],
    }
    region_code = region.split("-")[0]
    return _valid_phone(rng, region_code, rng.choice(builders[region]))


def nino(rng: random.Random) -> str:
    """UK National Insurance number with a prefix HMRC allocates (the NINO has no check digit)."""
    first = [c for c in UPPER if c not in "DFIQUV"]
    second = [c for c in UPPER if c not in "DFIOQUV"]
    while True:
        prefix = rng.choice(first) + rng.choice(second)
        if prefix not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}:
            break
    body = digits(rng, 6)
    suffix = rng.choice("ABCD")
    if rng.random() < 0.5:
        return f"{prefix} {body[:2]} {body[2:4]} {body[4:]} {suffix}"
    return f"{prefix}{body}{suffix}"


def _reject(rng: random.Random, build: Callable[[], str], ok: Callable[[str], bool]) -> str:
    for _ in range(10_000):
        value = build()
        if ok(value):
            return value
    raise RuntimeError("rejection sampling failed")


def nhs(rng: random.Random) -> str:
    n = _reject(rng, lambda: digits(rng, 10, first_nonzero=True), gb_nhs.is_valid)
    return f"{n[:3]} {n[3:6]} {n[6:]}" if rng.random() < 0.7 else n


def pps(rng: random.Random) -> str:
    base = digits(rng, 7)
    return _reject(rng, lambda: base + rng.choice(UPPER[:23]), ie_pps.is_valid)


def dni(rng: random.Random) -> str:
    n = digits(rng, 8, first_nonzero=True)
    value = n + es_dni.calc_check_digit(n)
    if rng.random() < 0.25:
        return f"{n[:2]}.{n[2:5]}.{n[5:]}-{value[-1]}"
    return value if rng.random() < 0.7 else f"{n}-{value[-1]}"


def nie(rng: random.Random) -> str:
    n = rng.choice("XYZ") + digits(rng, 7)
    value = n + es_nie.calc_check_digit(n)
    return value if rng.random() < 0.7 else f"{n[0]}-{n[1:]}-{value[-1]}"


def bsn(rng: random.Random) -> str:
    n = _reject(rng, lambda: digits(rng, 9, first_nonzero=True), nl_bsn.is_valid)
    return n if rng.random() < 0.7 else f"{n[:4]}.{n[4:6]}.{n[6:]}"


def amka(rng: random.Random) -> str:
    def build() -> str:
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(50, 99)
        return f"{day:02d}{month:02d}{year:02d}{digits(rng, 5)}"

    return _reject(rng, build, gr_amka.is_valid)


def afm(rng: random.Random) -> str:
    return _reject(rng, lambda: rng.choice("1234") + digits(rng, 8), gr_vat.is_valid)


def cy_tic(rng: random.Random) -> str:
    n = rng.choice("0159") + digits(rng, 7)
    value = n + cy_vat.calc_check_digit(n)
    assert cy_vat.is_valid(value)
    return value


def cy_id(rng: random.Random) -> str:
    """Cyprus identity card number: up to 7 digits, no published check digit."""
    return digits(rng, rng.choice([6, 7]), first_nonzero=True)


def iban(rng: random.Random, country: str) -> str:
    if country == "GB":
        bban = rng.choice(["NWBK", "BARC", "HBUK", "LOYD", "ULSB"]) + digits(rng, 14)
    elif country == "IE":
        bban = rng.choice(["AIBK", "BOFI", "IPBS"]) + digits(rng, 14)
    elif country == "ES":
        entity, office, account = digits(rng, 4), digits(rng, 4), digits(rng, 10)
        bban = (
            entity + office + es_ccc.calc_check_digits(entity + office + "00" + account) + account
        )
    elif country == "NL":
        bban = rng.choice(["ABNA", "INGB", "RABO", "SNSB", "TRIO"]) + digits(rng, 10)
    elif country == "CY":
        bban = rng.choice(["002", "005", "018"]) + digits(rng, 5) + digits(rng, 16)
    elif country == "GR":
        bban = rng.choice(["011", "014", "017", "026"]) + digits(rng, 4) + digits(rng, 16)
    else:
        raise ValueError(country)
    number = country + std_iban.calc_check_digits(country + "00" + bban) + bban
    assert std_iban.is_valid(number), number
    return std_iban.format(number) if rng.random() < 0.7 else number


def card(rng: random.Random) -> str:
    kind = rng.choice(["visa", "visa", "mc", "amex"])
    if kind == "amex":
        body = rng.choice(["34", "37"]) + digits(rng, 12)
        n = body + luhn.calc_check_digit(body)
        return f"{n[:4]} {n[4:10]} {n[10:]}"
    body = ("4" if kind == "visa" else "5" + rng.choice("12345")) + digits(
        rng, 14 if kind == "visa" else 13
    )
    n = body + luhn.calc_check_digit(body)
    assert luhn.is_valid(n) and len(n) == 16
    sep = rng.choice([" ", " ", "-", ""])
    return sep.join(n[i : i + 4] for i in range(0, 16, 4))


UK_PLATE_LETTERS = "ABCDEFGHJKLMNOPRSTUVWXYZ"
NI_AREAS = [
    "AZ",
    "BZ",
    "CZ",
    "DZ",
    "EZ",
    "FZ",
    "GZ",
    "HZ",
    "IA",
    "IB",
    "IG",
    "IJ",
    "IL",
    "IW",
    "JZ",
    "KZ",
    "LZ",
    "MZ",
    "NZ",
    "OI",
    "RZ",
    "SZ",
    "UI",
    "XZ",
    "YZ",
]
ES_PLATE_LETTERS = "BCDFGHJKLMNPRSTVWXYZ"
NL_PLATE_LETTERS = "BDFGHJKLNPRSTVXZ"
GR_PLATE_LETTERS = "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ"


def plate(rng: random.Random, country: str) -> str:
    pick = lambda alphabet, n: "".join(rng.choice(alphabet) for _ in range(n))  # noqa: E731
    if country == "GB":
        age = rng.choice(["15", "16", "18", "19", "21", "22", "66", "68", "70", "71", "73", "24"])
        return f"{pick(UK_PLATE_LETTERS, 2)}{age} {pick(UK_PLATE_LETTERS, 3)}"
    if country == "NI":
        return f"{rng.choice(UK_PLATE_LETTERS)}{rng.choice(NI_AREAS)} {rng.randint(100, 9999)}"
    if country == "ES":
        return (
            f"{digits(rng, 4)} {pick(ES_PLATE_LETTERS, 3)}"
            if rng.random() < 0.8
            else f"{digits(rng, 4)}{pick(ES_PLATE_LETTERS, 3)}"
        )
    if country == "NL":
        return rng.choice(
            [
                lambda: f"{digits(rng, 2)}-{pick(NL_PLATE_LETTERS, 3)}-{digits(rng, 1)}",
                lambda: f"{digits(rng, 1, True)}-{pick(NL_PLATE_LETTERS, 3)}-{digits(rng, 2)}",
                lambda: f"{pick(NL_PLATE_LETTERS, 2)}-{digits(rng, 3)}-{pick(NL_PLATE_LETTERS, 1)}",
                lambda: f"{pick(NL_PLATE_LETTERS, 3)}-{digits(rng, 2)}-{pick(NL_PLATE_LETTERS, 1)}",
            ]
        )()
    if country == "CY":
        return f"{pick(UK_PLATE_LETTERS, 3)} {digits(rng, 3, True)}"
    if country == "GR":
        return f"{pick(GR_PLATE_LETTERS, 3)}-{rng.randint(1000, 9999)}"
    raise ValueError(country)


def ipv4(rng: random.Random) -> str:
    first = rng.choice([31, 37, 46, 62, 77, 81, 85, 89, 91, 94, 109, 176, 185, 212, 213])
    return f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    # Genitive month names, as written in a Greek date ("3 Μαΐου 1990").
    "el": [
        "Ιανουαρίου",
        "Φεβρουαρίου",
        "Μαρτίου",
        "Απριλίου",
        "Μαΐου",
        "Ιουνίου",
        "Ιουλίου",
        "Αυγούστου",
        "Σεπτεμβρίου",
        "Οκτωβρίου",
        "Νοεμβρίου",
        "Δεκεμβρίου",
    ],
}


def a_date(rng: random.Random, lang: str, years: tuple[int, int]) -> str:
    year = rng.randint(*years)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    style = rng.randrange(3)
    if style == 0:
        return f"{day:02d}/{month:02d}/{year}"
    if style == 1:
        return (
            f"{day:02d}-{month:02d}-{year}"
            if lang in {"nl", "es", "el"}
            else f"{day}.{month}.{year % 100:02d}"
        )
    name = MONTHS[lang][month - 1]
    if lang == "es":
        return f"{day} de {name} de {year}"
    return f"{day} {name} {year}"


def fold(text: str) -> str:
    """Lower-case ASCII form of a name for e-mail addresses and handles."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z]", "", text.lower())


# ---------------------------------------------------------------------------------------------
# People. Hand-written lists, independent of the engine's name lists.
# ---------------------------------------------------------------------------------------------
CASES = ("nom", "gen", "acc")


@dataclass(frozen=True)
class Name:
    forms: dict[str, str]  # case -> written form (all cases equal outside Greek)
    latin: str  # romanised form for e-mail addresses and handles


def plain(*names: str) -> list[Name]:
    return [Name({c: n for c in CASES}, n) for n in names]


def greek(entries: Sequence[tuple[str, str, str, str]]) -> list[Name]:
    return [Name({"nom": nom, "gen": gen, "acc": acc}, latin) for nom, gen, acc, latin in entries]


@dataclass(frozen=True)
class NameBook:
    male: list[Name]
    female: list[Name]
    surnames_m: list[Name]
    surnames_f: list[Name]
    titles: dict[str, dict[str, str]]  # gender -> case -> title


EN_TITLES = {"m": {c: "Mr" for c in CASES}, "f": {c: "Ms" for c in CASES}}
NAMEBOOKS: dict[str, NameBook] = {
    "belfast": NameBook(
        plain(
            "Ciarán",
            "Declan",
            "Mark",
            "Frank",
            "Bill",
            "Eamon",
            "Gareth",
            "Rory",
            "Will",
            "Pádraig",
        ),
        plain(
            "Siobhán",
            "Aoife",
            "Rose",
            "Grace",
            "Hope",
            "Niamh",
            "Orla",
            "Roisin",
            "Joy",
            "Bernadette",
        ),
        plain(
            "McAuley",
            "O'Neill",
            "Gallagher",
            "Quinn",
            "Baker",
            "Hill",
            "Black",
            "Stewart",
            "Doherty",
            "McCann",
            "Wood",
            "Young",
        ),
        plain(
            "McAuley",
            "O'Neill",
            "Gallagher",
            "Quinn",
            "Baker",
            "Hill",
            "Black",
            "Stewart",
            "Doherty",
            "McCann",
            "Wood",
            "Young",
        ),
        {"m": {c: "Mr" for c in CASES}, "f": {c: "Mrs" for c in CASES}},
    ),
    "preston": NameBook(
        plain("Imran", "Gary", "Dean", "Carl", "Will", "Mohammed", "Jack", "Stan", "Mark", "Ravi"),
        plain(
            "Aisha",
            "Shannon",
            "Amber",
            "Rose",
            "Kerry",
            "Jade",
            "Priya",
            "Summer",
            "Faith",
            "Tracey",
        ),
        plain(
            "Patel",
            "Mistry",
            "Fletcher",
            "Cooper",
            "Baker",
            "Green",
            "King",
            "Walsh",
            "Hussain",
            "Parkinson",
            "Bell",
            "Marsh",
        ),
        plain(
            "Patel",
            "Mistry",
            "Fletcher",
            "Cooper",
            "Baker",
            "Green",
            "King",
            "Walsh",
            "Hussain",
            "Parkinson",
            "Bell",
            "Marsh",
        ),
        EN_TITLES,
    ),
    "cyprus": NameBook(
        plain(
            "Andreas", "Savvas", "Marios", "Christos", "Loizos", "Stelios", "Kyriacos", "Panikos"
        ),
        plain("Chrystalla", "Andri", "Eleni", "Despina", "Stavroulla", "Maria", "Elpida", "Irene"),
        plain(
            "Georgiou",
            "Christodoulou",
            "Ioannou",
            "Charalambous",
            "Loizou",
            "Savva",
            "Petrou",
            "Kyprianou",
            "Hadjipavlou",
        ),
        plain(
            "Georgiou",
            "Christodoulou",
            "Ioannou",
            "Charalambous",
            "Loizou",
            "Savva",
            "Petrou",
            "Kyprianou",
            "Hadjipavlou",
        ),
        EN_TITLES,
    ),
    "valencia": NameBook(
        plain(
            "Vicent",
            "Salvador",
            "Jordi",
            "Xavier",
            "Ximo",
            "Álvaro",
            "Fermín",
            "Sergio",
            "Amadeo",
            "Rafa",
        ),
        plain(
            "Amparo",
            "Pilar",
            "Rosario",
            "Consuelo",
            "Nieves",
            "Dolores",
            "Mercedes",
            "Inmaculada",
            "Rocío",
            "Begoña",
        ),
        plain(
            "Ferrer",
            "Soler",
            "Navarro",
            "Esteve",
            "Puig",
            "Blanco",
            "Moreno",
            "Abril",
            "Valencia",
            "Llopis",
            "Sanchis",
            "Romero",
            "Mora",
            "Peris",
            "Climent",
            "Castillo",
        ),
        plain(
            "Ferrer",
            "Soler",
            "Navarro",
            "Esteve",
            "Puig",
            "Blanco",
            "Moreno",
            "Abril",
            "Valencia",
            "Llopis",
            "Sanchis",
            "Romero",
            "Mora",
            "Peris",
            "Climent",
            "Castillo",
        ),
        {
            "m": {"nom": "Sr.", "gen": "D.", "acc": "don"},
            "f": {"nom": "Sra.", "gen": "Dña.", "acc": "doña"},
        },
    ),
    "groningen": NameBook(
        plain(
            "Daan", "Bram", "Sjoerd", "Jelle", "Geert", "Wouter", "Joost", "Hendrik", "Ties", "Harm"
        ),
        plain(
            "Roos",
            "Fleur",
            "Femke",
            "Anouk",
            "Marit",
            "Lieke",
            "Iris",
            "Hilde",
            "Sterre",
            "Janneke",
        ),
        plain(
            "Bakker",
            "Visser",
            "Mulder",
            "Smit",
            "de Groot",
            "Dijkstra",
            "Hoekstra",
            "Postma",
            "Kuipers",
            "de Boer",
            "van der Meer",
            "Brouwer",
            "Kok",
            "Zwart",
            "Schipper",
        ),
        plain(
            "Bakker",
            "Visser",
            "Mulder",
            "Smit",
            "de Groot",
            "Dijkstra",
            "Hoekstra",
            "Postma",
            "Kuipers",
            "de Boer",
            "van der Meer",
            "Brouwer",
            "Kok",
            "Zwart",
            "Schipper",
        ),
        {
            "m": {"nom": "dhr.", "gen": "meneer", "acc": "dhr."},
            "f": {"nom": "mevr.", "gen": "mevrouw", "acc": "mevr."},
        },
    ),
    "nicosia": NameBook(
        greek(
            [
                ("Ανδρέας", "Ανδρέα", "Ανδρέα", "Andreas"),
                ("Γιώργος", "Γιώργου", "Γιώργο", "Giorgos"),
                ("Σάββας", "Σάββα", "Σάββα", "Savvas"),
                ("Μιχάλης", "Μιχάλη", "Μιχάλη", "Michalis"),
                ("Κώστας", "Κώστα", "Κώστα", "Kostas"),
                ("Παναγιώτης", "Παναγιώτη", "Παναγιώτη", "Panagiotis"),
                ("Στέλιος", "Στέλιου", "Στέλιο", "Stelios"),
                ("Λοΐζος", "Λοΐζου", "Λοΐζο", "Loizos"),
            ]
        ),
        greek(
            [
                ("Μαρία", "Μαρίας", "Μαρία", "Maria"),
                ("Ελένη", "Ελένης", "Ελένη", "Eleni"),
                ("Χρυστάλλα", "Χρυστάλλας", "Χρυστάλλα", "Chrystalla"),
                ("Άντρη", "Άντρης", "Άντρη", "Andri"),
                ("Δέσποινα", "Δέσποινας", "Δέσποινα", "Despina"),
                ("Ειρήνη", "Ειρήνης", "Ειρήνη", "Eirini"),
                ("Ελπίδα", "Ελπίδας", "Ελπίδα", "Elpida"),
                ("Αγάπη", "Αγάπης", "Αγάπη", "Agapi"),
            ]
        ),
        greek(
            [
                ("Γεωργίου", "Γεωργίου", "Γεωργίου", "Georgiou"),
                ("Χριστοδούλου", "Χριστοδούλου", "Χριστοδούλου", "Christodoulou"),
                ("Ιωάννου", "Ιωάννου", "Ιωάννου", "Ioannou"),
                ("Χαραλάμπους", "Χαραλάμπους", "Χαραλάμπους", "Charalambous"),
                ("Νικολάου", "Νικολάου", "Νικολάου", "Nikolaou"),
                ("Πέτρου", "Πέτρου", "Πέτρου", "Petrou"),
                ("Παπαδόπουλος", "Παπαδόπουλου", "Παπαδόπουλο", "Papadopoulos"),
                ("Σάββα", "Σάββα", "Σάββα", "Savva"),
                ("Κυπριανού", "Κυπριανού", "Κυπριανού", "Kyprianou"),
                ("Μαυρομάτης", "Μαυρομάτη", "Μαυρομάτη", "Mavromatis"),
            ]
        ),
        greek(
            [
                ("Γεωργίου", "Γεωργίου", "Γεωργίου", "Georgiou"),
                ("Χριστοδούλου", "Χριστοδούλου", "Χριστοδούλου", "Christodoulou"),
                ("Ιωάννου", "Ιωάννου", "Ιωάννου", "Ioannou"),
                ("Χαραλάμπους", "Χαραλάμπους", "Χαραλάμπους", "Charalambous"),
                ("Νικολάου", "Νικολάου", "Νικολάου", "Nikolaou"),
                ("Παπαδοπούλου", "Παπαδοπούλου", "Παπαδοπούλου", "Papadopoulou"),
                ("Κυπριανού", "Κυπριανού", "Κυπριανού", "Kyprianou"),
                ("Μαυρομάτη", "Μαυρομάτη", "Μαυρομάτη", "Mavromati"),
            ]
        ),
        {"m": {c: "κ." for c in CASES}, "f": {"nom": "κα", "gen": "κας", "acc": "κα"}},
    ),
}
EMAIL_DOMAINS = {
    "en": [
        "gmail.com",
        "hotmail.co.uk",
        "btinternet.com",
        "outlook.com",
        "yahoo.co.uk",
        "cytanet.com.cy",
    ],
    "es": ["gmail.com", "hotmail.es", "yahoo.es", "outlook.es", "telefonica.net"],
    "nl": ["gmail.com", "hotmail.nl", "ziggo.nl", "kpnmail.nl", "outlook.com", "home.nl"],
    "el": ["gmail.com", "cytanet.com.cy", "hotmail.com", "primehome.com", "yahoo.gr"],
}


@dataclass
class Person:
    first: Name
    last: Name
    gender: str
    title_forms: dict[str, str]
    lang: str
    rng: random.Random
    _email: str | None = None
    _handle: str | None = None

    def email(self) -> str:
        if self._email is None:
            f, last = fold(self.first.latin), fold(self.last.latin)
            local = self.rng.choice(
                [
                    f"{f}.{last}",
                    f"{f[0]}{last}",
                    f"{f}{last}{self.rng.randint(1, 99)}",
                    f"{f}_{last[:4]}",
                    f"{last}.{f}",
                ]
            )
            self._email = f"{local}@{self.rng.choice(EMAIL_DOMAINS[self.lang])}"
        return self._email

    def handle(self) -> str:
        if self._handle is None:
            f, last = fold(self.first.latin), fold(self.last.latin)
            self._handle = "@" + self.rng.choice(
                [
                    f"{f}_{last[:3]}",
                    f"{f}{self.rng.randint(80, 99)}",
                    f"x{f}x",
                    f"{last}.{f[:1]}",
                    f"real_{f}",
                ]
            )
        return self._handle


# ---------------------------------------------------------------------------------------------
# Places: per locale, what an address, postcode and the unlabelled fillers look like.
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Locale:
    key: str
    lang: str
    phone_regions: tuple[str, ...]
    plate_countries: tuple[str, ...]
    iban_countries: tuple[str, ...]
    national_ids: tuple[tuple[str, Callable[[random.Random], str]], ...]
    address: Callable[[random.Random], str]
    postcode: Callable[[random.Random], str]
    fillers: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _pick(options: Sequence[str]) -> Callable[[random.Random], str]:
    return lambda rng: rng.choice(list(options))


BELFAST_STREETS = (
    "Ormeau Road",
    "Lisburn Road",
    "Falls Road",
    "Shankill Road",
    "Antrim Road",
    "Cregagh Road",
    "Donegall Pass",
    "Botanic Avenue",
    "Springfield Road",
    "Newtownards Road",
    "Malone Avenue",
    "Woodstock Road",
)
PRESTON_STREETS = (
    "Fishergate",
    "Friargate",
    "Deepdale Road",
    "Blackpool Road",
    "Garstang Road",
    "Ribbleton Lane",
    "Plungington Road",
    "St Paul's Road",
    "Meadow Street",
    "Moor Lane",
    "Watling Street Road",
)
CYPRUS_EN_STREETS = (
    "Makarios Avenue",
    "Ledra Street",
    "Stasinou Avenue",
    "Griva Digeni Avenue",
    "Kennedy Avenue",
    "Onasagorou Street",
    "Athalassa Avenue",
    "Evagorou Street",
)
VALENCIA_STREETS = (
    "Sueca",
    "Cuba",
    "Xàtiva",
    "Colón",
    "Pintor Sorolla",
    "Guillem de Castro",
    "San Vicente Mártir",
    "Doctor Sumsi",
    "Literato Azorín",
    "Reina Doña Germana",
    "Blasco Ibáñez",
    "Pérez Galdós",
)
GRONINGEN_STREETS = (
    "Oosterstraat",
    "Herestraat",
    "Paterswoldseweg",
    "Korreweg",
    "Helperzoom",
    "Oude Ebbingestraat",
    "Damsterdiep",
    "Verlengde Hereweg",
    "Hoendiep",
    "Zaagmuldersweg",
    "Kerklaan",
    "Ubbo Emmiussingel",
    "Vismarkt",
    "Peizerweg",
)
NICOSIA_STREETS = (
    "Λήδρας",
    "Ονασαγόρου",
    "Στασικράτους",
    "Ευαγόρου",
    "Αρχιεπισκόπου Μακαρίου",
    "Γρίβα Διγενή",
    "Κέννεντυ",
    "Αθαλάσσας",
    "Πινδάρου",
    "Αγίου Παύλου",
    "Στροβόλου",
    "Λεμεσού",
)


def belfast_address(rng: random.Random) -> str:
    street = rng.choice(BELFAST_STREETS)
    n = rng.randint(1, 240)
    return rng.choice(
        [
            f"{n} {street}",
            f"Flat {rng.randint(1, 9)}, {n} {street}",
            f"{n}{rng.choice('ab')} {street}",
        ]
    )


def preston_address(rng: random.Random) -> str:
    street = rng.choice(PRESTON_STREETS)
    n = rng.randint(1, 320)
    return rng.choice(
        [f"{n} {street}", f"Flat {rng.randint(1, 12)}, {n} {street}", f"{n} {street}"]
    )


def cyprus_en_address(rng: random.Random) -> str:
    street = rng.choice(CYPRUS_EN_STREETS)
    n = rng.randint(1, 180)
    return rng.choice(
        [f"{n} {street}", f"{street} {n}", f"{street} {n}, Flat {rng.randint(101, 503)}"]
    )


def valencia_address(rng: random.Random) -> str:
    street = rng.choice(VALENCIA_STREETS)
    n = rng.randint(1, 140)
    return rng.choice(
        [
            f"calle {street}, {n}",
            f"C/ {street} {n}, {rng.randint(1, 9)}º {rng.randint(1, 4)}ª",
            f"Avda. {street}, {n}",
            f"c/ {street} nº {n}",
            f"Calle de {street} {n}, pta. {rng.randint(1, 20)}",
            f"Plaza de {street}, {n}",
        ]
    )


def groningen_address(rng: random.Random) -> str:
    street = rng.choice(GRONINGEN_STREETS)
    n = rng.randint(1, 260)
    return rng.choice(
        [
            f"{street} {n}",
            f"{street} {n}{rng.choice('abc')}",
            f"{street} {n}-{rng.randint(1, 3)}",
            f"{street} {n} II",
        ]
    )


def nicosia_address(rng: random.Random) -> str:
    street = rng.choice(NICOSIA_STREETS)
    n = rng.randint(1, 150)
    return rng.choice(
        [
            f"Οδός {street} {n}",
            f"{street} {n}",
            f"Λεωφόρος {street} {n}",
            f"Λεωφ. {street} {n}, διαμ. {rng.randint(101, 404)}",
        ]
    )


def bt_postcode(rng: random.Random) -> str:
    return f"BT{rng.randint(1, 17)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"


def pr_postcode(rng: random.Random) -> str:
    return f"PR{rng.randint(1, 5)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"


def cy_postcode(rng: random.Random) -> str:
    return str(
        rng.choice(
            [1010, 1011, 1016, 1065, 1075, 1080, 1096, 2003, 2012, 2025, 2033, 2064, 2102, 2232]
        )
    )


def es_postcode(rng: random.Random) -> str:
    return f"460{rng.randint(1, 26):02d}"


def nl_postcode(rng: random.Random) -> str:
    letters = _reject(
        rng,
        lambda: "".join(rng.choice(UPPER) for _ in range(2)),
        lambda s: s not in {"SA", "SD", "SS"},
    )
    return (
        f"97{rng.randint(11, 47)} {letters}"
        if rng.random() < 0.8
        else f"97{rng.randint(11, 47)}{letters}"
    )


EN_UK_FILLERS = {
    "month": tuple(MONTHS["en"]),
    "weekday": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
LOCALES: dict[str, Locale] = {
    "belfast": Locale(
        "belfast",
        "en",
        ("GB-BT", "GB-BT", "IE"),
        ("NI", "NI", "GB"),
        ("GB", "GB", "IE"),
        (
            ("National Insurance number", nino),
            ("NHS number", nhs),
            ("H&C number", nhs),
            ("PPS number", pps),
        ),
        belfast_address,
        bt_postcode,
        {
            **EN_UK_FILLERS,
            "city": ("Belfast",),
            "street": BELFAST_STREETS,
            "district": (
                "the Holylands",
                "Sandy Row",
                "Castlereagh",
                "the Cathedral Quarter",
                "Andersonstown",
                "Ballyhackamore",
                "Botanic",
            ),
            "station": (
                "Musgrave police station",
                "Lisburn Road police station",
                "Grosvenor Road police station",
                "Strandtown police station",
            ),
            "shop": ("Spar", "Centra", "Tesco Express", "Boots", "Eurospar", "chemist"),
            "venue": ("SSE Arena", "Waterfront Hall", "Ulster Hall", "Limelight"),
            "place": (
                "Great Victoria Street station",
                "City Hall",
                "Victoria Square",
                "the Botanic Gardens",
                "Lanyon Place station",
            ),
        },
    ),
    "preston": Locale(
        "preston",
        "en",
        ("GB-PR",),
        ("GB",),
        ("GB",),
        (("National Insurance number", nino), ("NHS number", nhs)),
        preston_address,
        pr_postcode,
        {
            **EN_UK_FILLERS,
            "city": ("Preston",),
            "street": PRESTON_STREETS,
            "district": (
                "Deepdale",
                "Fulwood",
                "Ashton-on-Ribble",
                "Ribbleton",
                "Frenchwood",
                "Plungington",
                "Avenham",
            ),
            "station": (
                "Preston police station",
                "Lancaster Road police station",
                "Fulwood police station",
            ),
            "shop": ("Co-op", "Greggs", "Tesco Express", "Home Bargains", "Boots", "Aldi"),
            "venue": ("Guild Hall", "Deepdale stadium", "Preston Charter Theatre"),
            "place": (
                "Preston station",
                "the bus station",
                "Avenham Park",
                "the Harris Museum",
                "Winckley Square",
            ),
        },
    ),
    "cyprus": Locale(
        "cyprus",
        "en",
        ("CY",),
        ("CY",),
        ("CY",),
        (("ID card number", cy_id), ("tax number (TIC)", cy_tic)),
        cyprus_en_address,
        cy_postcode,
        {
            **EN_UK_FILLERS,
            "city": ("Nicosia", "Limassol", "Larnaca"),
            "street": CYPRUS_EN_STREETS,
            "district": (
                "Strovolos",
                "Engomi",
                "Aglantzia",
                "Kaimakli",
                "Lakatamia",
                "Latsia",
                "Acropolis",
            ),
            "station": (
                "Lykavitos police station",
                "Strovolos police station",
                "Paphos Gate police station",
            ),
            "shop": ("Alphamega", "kiosk", "Sklavenitis", "pharmacy", "Lidl"),
            "venue": ("Strovolos Municipal Theatre", "GSP stadium", "Nicosia Municipal Theatre"),
            "place": (
                "Eleftheria Square",
                "the Venetian walls",
                "Solomou Square bus station",
                "the Mall of Engomi",
            ),
        },
    ),
    "valencia": Locale(
        "valencia",
        "es",
        ("ES",),
        ("ES",),
        ("ES",),
        (("DNI", dni), ("NIE", nie)),
        valencia_address,
        es_postcode,
        {
            "month": tuple(MONTHS["es"]),
            "city": ("Valencia",),
            "street": VALENCIA_STREETS,
            "weekday": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
            "district": (
                "Ruzafa",
                "Benimaclet",
                "el Cabanyal",
                "Campanar",
                "Patraix",
                "el Carmen",
                "Benicalap",
                "la Malvarrosa",
            ),
            "station": ("Zapadores", "Abastos", "Russafa", "Marítim", "Exposición"),
            "shop": ("Mercadona", "Consum", "farmacia", "estanco", "horno", "bazar"),
            "venue": (
                "la Ciutat de les Arts",
                "el Palau de la Música",
                "Mestalla",
                "el Roig Arena",
            ),
            "place": (
                "la Estación del Norte",
                "la estación Joaquín Sorolla",
                "la Plaza del Ayuntamiento",
                "la Lonja",
                "la Ciudad de las Ciencias",
            ),
        },
    ),
    "groningen": Locale(
        "groningen",
        "nl",
        ("NL",),
        ("NL",),
        ("NL",),
        (("BSN", bsn),),
        groningen_address,
        nl_postcode,
        {
            "month": tuple(MONTHS["nl"]),
            "city": ("Groningen",),
            "street": GRONINGEN_STREETS,
            "weekday": (
                "maandag",
                "dinsdag",
                "woensdag",
                "donderdag",
                "vrijdag",
                "zaterdag",
                "zondag",
            ),
            "district": (
                "Vinkhuizen",
                "Selwerd",
                "de Oosterparkwijk",
                "Paddepoel",
                "de Schildersbuurt",
                "Beijum",
                "Lewenborg",
                "de Hoornse Wijk",
            ),
            "station": ("Rademarkt", "Europaweg", "Beijum", "Hoogkerk"),
            "shop": ("Albert Heijn", "Jumbo", "Kruidvat", "Action", "HEMA", "snackbar"),
            "venue": ("Oosterpoort", "Stadsschouwburg", "Vera", "Euroborg"),
            "place": (
                "Grote Markt",
                "Vismarkt",
                "Martinitoren",
                "Herebrug",
            ),
        },
    ),
    "nicosia": Locale(
        "nicosia",
        "el",
        ("CY", "CY", "GR"),
        ("CY", "CY", "GR"),
        ("CY", "CY", "GR"),
        (("αρ. ταυτότητας", cy_id), ("ΑΦΤ", cy_tic)),
        nicosia_address,
        cy_postcode,
        {
            "month": ("Μάιο", "Απρίλιο", "Μάρτιο", "Ιούνιο", "Σεπτέμβριο", "Οκτώβριο", "Ιανουάριο"),
            "month_nom": ("Μάιος", "Απρίλιος", "Μάρτιος", "Ιούνιος", "Σεπτέμβριος", "Αύγουστος"),
            "city": ("Λευκωσία", "Λάρνακα"),
            "street": NICOSIA_STREETS,
            "weekday": ("Δευτέρα", "Τρίτη", "Τετάρτη", "Πέμπτη", "Παρασκευή", "Κυριακή"),
            "district": (
                "Στρόβολος",
                "Έγκωμη",
                "Αγλαντζιά",
                "Καϊμακλί",
                "Λακατάμια",
                "Λατσιά",
                "Ακρόπολη",
            ),
            "station": (
                "Αστυνομικό Σταθμό Λυκαβηττού",
                "Αστυνομικό Σταθμό Στροβόλου",
                "Αστυνομικό Σταθμό Πύλης Πάφου",
            ),
            "venue": ("Δημοτικό Θέατρο Στροβόλου", "στάδιο ΓΣΠ", "Δημοτικό Θέατρο Λευκωσίας"),
            "place": (
                "πλατεία Ελευθερίας",
                "πλατεία Σολωμού",
                "οδό Λήδρας",
                "Λαϊκή Γειτονιά",
            ),
        },
    ),
}
LANG_LOCALES = {
    "en": ("belfast", "preston", "cyprus"),
    "es": ("valencia",),
    "nl": ("groningen",),
    "el": ("nicosia",),
}


# ---------------------------------------------------------------------------------------------
# Rendering: a template is a str.format string whose fields name what to fill in.
#   {p1.full} {m2.first.acc} {f1.last.gen} {p1.title} {p1.email} {p1.handle} {p1.profile}
#     p = any gender, m = male, f = female; the digit tells people apart inside one text;
#     optional case (nom/gen/acc, Greek) and ".lower" for people who type without capitals.
#   {addr} {postcode} {phone} {phone2} {nid_name} {nid} {iban} {card} {plate} {dob} {ip}
#   specific IDs: {nino} {nhs} {dni} {nie} {bsn} {amka} {afm} {cyid} {tic}; {phone_gr}
#   unlabelled fillers: {city} {street} {street2} {district} {month} {weekday} {date} {station} ...
# ---------------------------------------------------------------------------------------------
LABELLED: dict[str, str] = {
    "addr": "ADDRESS",
    "postcode": "POSTCODE",
    "phone": "PHONE",
    "phone_gr": "PHONE",
    "nid": "ID",
    "nino": "ID",
    "nhs": "ID",
    "dni": "ID",
    "nie": "ID",
    "bsn": "ID",
    "amka": "ID",
    "afm": "ID",
    "cyid": "ID",
    "tic": "ID",
    "iban": "FINANCIAL",
    "card": "FINANCIAL",
    "plate": "PLATE",
    "dob": "DATE_OF_BIRTH",
    "dob_child": "DATE_OF_BIRTH",
    "ip": "IP",
}
SPECIFIC_IDS: dict[str, Callable[[random.Random], str]] = {
    "nino": nino,
    "nhs": nhs,
    "dni": dni,
    "nie": nie,
    "bsn": bsn,
    "amka": amka,
    "afm": afm,
    "cyid": cy_id,
    "tic": cy_tic,
}
PERSON_KEY = re.compile(r"^([pmf])(\d)$")


class Context:
    """Values of one text: the same field name yields the same value within a text."""

    def __init__(self, rng: random.Random, locale: Locale) -> None:
        self.rng = rng
        self.locale = locale
        self.people: dict[str, Person] = {}
        self.values: dict[str, str] = {}

    def person(self, key: str) -> Person:
        if key not in self.people:
            kind = PERSON_KEY.match(key)
            assert kind, key
            gender = kind.group(1) if kind.group(1) != "p" else self.rng.choice("mf")
            book = NAMEBOOKS[self.locale.key]
            # Two people in one report never share a first name or a surname: a shared one
            # would make "found" ambiguous.
            given = {p.first.latin for p in self.people.values()}
            first = self.rng.choice(
                [n for n in (book.male if gender == "m" else book.female) if n.latin not in given]
            )
            taken = {p.last.latin for p in self.people.values()}
            surnames = [
                s
                for s in (book.surnames_m if gender == "m" else book.surnames_f)
                if s.latin not in taken
            ]
            self.people[key] = Person(
                first,
                self.rng.choice(surnames),
                gender,
                book.titles[gender],
                self.locale.lang,
                self.rng,
            )
        return self.people[key]

    def resolve(self, field_name: str) -> tuple[str, str | None]:
        """(value, label) for one template field; label None means deliberately unlabelled."""
        parts = field_name.split(".")
        if PERSON_KEY.match(parts[0]):
            return self._person_field(self.person(parts[0]), parts[1], parts[2:])
        key = parts[0]
        kind = re.sub(r"\d+$", "", key)
        if key not in self.values:
            self.values[key] = self._generate(kind)
        if kind == "nid_name":
            return self.values[key], None
        return self.values[key], LABELLED.get(kind)

    def _person_field(self, p: Person, attr: str, mods: list[str]) -> tuple[str, str | None]:
        case = next((m for m in mods if m in CASES), "nom")
        if attr == "title":
            return p.title_forms[case], None
        if attr == "email":
            return p.email(), "EMAIL"
        if attr == "handle":
            return p.handle(), "SOCIAL_HANDLE"
        if attr == "profile":
            site = self.rng.choice(
                [
                    "https://www.instagram.com/",
                    "instagram.com/",
                    "https://www.facebook.com/",
                    "tiktok.com/",
                ]
            )
            return site + p.handle().lstrip("@"), "URL"
        value = {
            "full": f"{p.first.forms[case]} {p.last.forms[case]}",
            "first": p.first.forms[case],
            "last": p.last.forms[case],
        }[attr]
        if "lower" in mods:
            value = value.lower()
        return value, "PERSON"

    def _generate(self, kind: str) -> str:
        rng, loc = self.rng, self.locale
        if kind == "addr":
            return loc.address(rng)
        if kind == "postcode":
            return loc.postcode(rng)
        if kind == "phone":
            return phone(rng, rng.choice(loc.phone_regions))
        if kind == "phone_gr":
            return phone(rng, "GR")
        if kind in ("nid", "nid_name"):
            if "nid" not in self.values:
                name, build = rng.choice(loc.national_ids)
                self.values["nid"], self.values["nid_name"] = build(rng), name
            return self.values[kind]
        if kind in SPECIFIC_IDS:
            return SPECIFIC_IDS[kind](rng)
        if kind == "iban":
            return iban(rng, rng.choice(loc.iban_countries))
        if kind == "card":
            return card(rng)
        if kind == "plate":
            return plate(rng, rng.choice(loc.plate_countries))
        if kind == "dob":
            return a_date(rng, loc.lang, (1941, 2005))
        if kind == "dob_child":  # missing-child reports
            return a_date(rng, loc.lang, (2008, 2013))
        if kind == "date":
            return a_date(rng, loc.lang, (2025, 2026))
        if kind == "ip":
            return ipv4(rng)
        if kind in loc.fillers:
            taken = set(self.values.values())
            options = [v for v in loc.fillers[kind] if v not in taken] or list(loc.fillers[kind])
            return rng.choice(options)
        raise KeyError(f"template field {kind!r} is not known for locale {loc.key}")


def render(template: str, ctx: Context) -> tuple[str, list[dict[str, object]]]:
    """Fill ``template``; return the text and its spans with exact offsets."""
    text, spans = "", []
    for literal, field_name, _spec, _conv in string.Formatter().parse(template):
        text += literal
        if field_name is None:
            continue
        value, label = ctx.resolve(field_name)
        if label is not None:
            # "{m1.first} {m1.last}" is one name: label it as one span, as an annotator would.
            last = spans[-1] if spans else None
            if last and last["label"] == label == "PERSON" and text[last["end"] :] == " ":
                last["end"] = len(text) + len(value)
            else:
                spans.append({"start": len(text), "end": len(text) + len(value), "label": label})
        text += value
    return text, spans


# ---------------------------------------------------------------------------------------------
# Templates (written for this project; varied structure, registers and typing habits).
# ---------------------------------------------------------------------------------------------
PII_TEMPLATES: dict[str, list[str]] = {
    "en": [
        "My bike was taken from outside {addr} some time between 11pm and 7am. It's a grey Carrera with a child seat on the back. You can reach me on {phone} or {p1.email}.\n{p1.full}",
        "Reporting a burglary at my mum's house, {addr}, {city} {postcode}. Back door forced, jewellery and a laptop gone. Her name is {f1.full}, date of birth {dob}. I'm her son {m2.first}, mobile {phone}.",
        "I was punched outside the chippy on {street} last night by a lad I only know as {m1.first}. My mate {p2.full} saw the whole thing. I'd rather not give my address but my number is {phone}.",
        "Car damaged while parked on {street}: wing mirror smashed and a long scratch down the driver's side. Reg {plate}. Owner {p1.title} {p1.last}, {addr}.",
        "Someone has been using my debit card {card} online, I never authorised any of it. The money went to an account {iban}. My {nid_name} is {nid} if you need it. Thanks, {p1.full}",
        "Name: {p1.full}\nDOB: {dob}\nAddress: {addr}, {city} {postcode}\nTel: {phone}\nEmail: {p1.email}\nIncident: shoplifting at the {shop}, I'm the duty manager.",
        "A white van {plate} has been parked across our drive at {addr} for three days now. The driver is {m1.full}, he lives a few doors down and won't move it.",
        "I'm being harassed on Instagram by {m1.handle} who I'm fairly sure is my ex, {m1.full}. It started in {month}. His profile is {m1.profile} and he keeps making new accounts.",
        "Sold a PS5 on Facebook Marketplace and the buyer, calling himself {m1.full}, sent a fake bank transfer screenshot. He used the email {m1.email} and the number {phone}.",
        "Hit and run at the roundabout on {street}. The car was a blue Corsa, {plate}. I'm {p1.full}, {nid_name} {nid}. I got checked over at the Royal and I'm OK.",
        "my son {m1.first.lower} {m1.last.lower} (born {dob_child}) hasnt come home since friday. about 5ft 6, black north face jacket. please ring {phone} any time",
        "Witness statement. I, {p1.full}, of {addr}, {postcode}, saw two youths throwing stones at the windows of the community centre on {weekday} evening. One of them was called {m2.first}.",
        "Someone logged into my email {p1.email} from IP address {ip} and sent scam messages to all my contacts asking for money. I'm {p1.full}, phone {phone}.",
        "Domestic. Caller {f1.full} ({phone}) reports her partner {m2.full} shouting and throwing things at the address, {addr}. Two children in the house.",
        "Lost my wallet somewhere in {district}: driving licence, bank cards and a letter with my {nid_name} on it ({nid}). If it's handed in please contact {p1.first} on {phone}.",
        "Rent scam. I paid a £600 deposit to {iban} for a flat on {street} advertised by a {m1.title} {m1.last}. There is no flat. My details: {p2.full}, {p2.email}.",
        "Hi, it's {f1.first} from {addr}. The lads in the house opposite ({m2.full} and his brother) were revving motorbikes until 2am again. Plate of the red one is {plate}.",
        "Fraud on my elderly father's account. {m1.full}, born {dob}, was phoned by someone from {phone} claiming to be his bank and he read out his card number {card}.",
    ],
    "nl": [
        "Mijn fiets is gestolen bij {addr}. Het is een zwarte Gazelle met een rood zadel. Ik ben bereikbaar op {phone} of via {p1.email}.\nGroet, {p1.full}",
        "Inbraak in de woning van mijn moeder, {f1.title} {f1.full}, {addr}, {postcode} {city}. De achterdeur is opengebroken. Haar geboortedatum is {dob}.",
        "Vannacht is mijn auto beschadigd op de {street}, kenteken {plate}. Ik heb de dader gezien, volgens mij was het {m1.first} van de overkant.",
        "Melding geluidsoverlast: de buren op {addr} hebben al drie nachten een feest. Ik heb het ook bij de verhuurder gemeld. Naam melder: {p1.full}, tel. {phone}.",
        "Ik ben opgelicht via Marktplaats. Ik heb 350 euro overgemaakt naar {iban} t.n.v. {m1.full} voor een telefoon die nooit is geleverd. Zijn nummer was {phone}.",
        "Naam: {p1.full}\nGeboortedatum: {dob}\nBSN: {bsn}\nAdres: {addr}, {postcode} {city}\nTelefoon: {phone}\nE-mail: {p1.email}\nOmschrijving: portemonnee gestolen in de bus.",
        "Gisteravond rond 23.00 uur ben ik bij de {place} mishandeld door een man die zich {m1.first} noemde. Mijn vriendin {f2.full} heeft alles gezien.",
        "Iemand heeft met mijn pinpas {card} betalingen gedaan in {city}. Ik ben {p1.title} {p1.last}, bereikbaar via {phone}.",
        "Bedreiging via Instagram door het account {m1.handle}. Ik vermoed dat {m1.full} erachter zit, mijn ex. De berichten begonnen in {month}. Profiel: {m1.profile}",
        "Aanrijding op de {street} met een bestelbus, kenteken {plate}. De bestuurder, {m1.full}, reed daarna gewoon door.",
        "mijn zoon {m1.first.lower} {m1.last.lower} geboren {dob_child} is sinds zaterdag niet meer thuis geweest. hij draagt een blauwe jas. bel me op {phone} aub",
        "Vernieling: de ruiten van mijn winkel aan de {addr} zijn ingegooid. Eigenaar: {p1.full}, {p1.email}. Camerabeelden zijn beschikbaar.",
        "Er is ingelogd op mijn DigiD vanaf IP-adres {ip}, daarna zijn mijn gegevens gewijzigd. Mijn BSN is {bsn}.\nMet vriendelijke groet,\n{p1.full}",
        "Huiselijk geweld gemeld door {f1.full} ({phone}). Haar partner {m2.full} zou haar hebben geslagen in hun woning aan de {addr}.",
        "Verdachte situatie: een man loopt al dagen rond bij {addr}. Hij rijdt in een grijze Golf met kenteken {plate}. Ik ben {p1.full}, ik woon ernaast.",
        "Huurfraude: ik heb 800 euro borg betaald aan {m1.title} {m1.last} via rekening {iban}, maar de kamer aan de {street} bestaat niet. Contact: {p2.email}",
        "Mijn telefoon is gestolen in de trein. Graag contact via mijn vrouw, {f1.first} {f1.last}, op {phone}. Ons adres is {addr}, {postcode}.",
        "Oplichting via WhatsApp: iemand deed zich voor als mijn dochter {f1.first} en vroeg om geld. Het nummer was {phone}. Ik heb 1.200 euro overgemaakt naar {iban}.",
    ],
    "es": [
        "Me han robado la bicicleta en {addr}. Es una bici de montaña negra con un candado roto. Mi teléfono es el {phone} y mi correo {p1.email}.\nAtentamente, {p1.full}",
        "Denuncio un robo con fuerza en el domicilio de mi madre, {f1.title} {f1.full}, sito en {addr}, {postcode} {city}. Forzaron la puerta del balcón. Fecha de nacimiento de mi madre: {dob}.",
        "Anoche, a la salida de un bar de {district}, un chico al que llaman {m1.first} me dio un puñetazo. Lo vio todo mi amiga {f2.full}, DNI {dni}.",
        "Nombre: {p1.full}\nDNI: {dni}\nFecha de nacimiento: {dob}\nDomicilio: {addr}, {postcode} {city}\nTeléfono: {phone}\nCorreo: {p1.email}\nHechos: sustracción de cartera en el metro.",
        "Han rayado mi coche, matrícula {plate}, aparcado en la calle {street}. Soy {p1.full} y vivo en {addr}.",
        "Estafa telefónica: me llamaron desde el {phone} haciéndose pasar por mi banco y les di los datos de la tarjeta {card}. Me han cargado 900 euros. {p1.full}",
        "Ruidos constantes de madrugada en el piso de arriba, {addr}. El vecino se llama {m1.full}; he hablado con él varias veces sin resultado. {p2.full}, tel. {phone}",
        "Hice una transferencia de 450 € a la cuenta {iban} a nombre de {m1.full} por un alquiler en la playa que no existía.",
        "Mi hija {f1.first} {f1.last}, nacida el {dob_child}, no ha vuelto a casa desde el viernes. Lleva una sudadera gris. Llamadme al {phone} por favor.",
        "Accidente en la calle {street}: un turismo con matrícula {plate} se saltó el semáforo y golpeó mi moto. El conductor, {m1.full}, con NIE {nie}, no quiso dar los datos del seguro.",
        "Acoso en redes: la cuenta {m1.handle} publica fotos mías sin permiso. Creo que es {m1.full}, mi expareja. Su perfil: {m1.profile}",
        "Alguien entró en mi cuenta de correo {p1.email} desde la IP {ip} y envió mensajes a mis contactos pidiendo dinero. Me llamo {p1.full}.",
        "Violencia doméstica: llama {f1.full} ({phone}) porque su pareja, {m2.full}, la ha amenazado en el domicilio de {addr}.",
        "Pérdida de documentación: {nid_name} {nid} y tarjeta SIP a nombre de {p1.full}. Se perdieron en {district} el {date}. Contacto: {p1.email}",
        "Sr. agente: le escribo porque el dueño del bar de abajo, {m1.title} {m1.last}, saca las mesas a la acera de la calle {street} y no se puede pasar. Mi nombre es {p2.full}.",
        "vendí un móvil por wallapop y el comprador {m1.first.lower} {m1.last.lower} me pagó con un bizum falso desde el {phone}. su correo era {m1.email}",
        "Robo en el interior del vehículo {plate}, estacionado frente a {addr}. Se llevaron una mochila con el portátil. Titular: {p1.full}, {nid_name} {nid}.",
        "Vandalismo en la persiana del comercio de {f1.title.acc} {f1.full}, en {addr}. Es la tercera vez este mes; la dueña, {f1.first}, tiene miedo.",
    ],
    "el": [
        "Μου έκλεψαν το ποδήλατο έξω από τη διεύθυνση {addr}. Είναι μαύρο ποδήλατο βουνού. Τηλέφωνο επικοινωνίας {phone}, email {p1.email}.\n{p1.full}",
        "Διάρρηξη στο σπίτι της μητέρας μου, {f1.title} {f1.full}, στη διεύθυνση {addr}, {postcode} {city}. Έσπασαν την πίσω πόρτα και πήραν κοσμήματα. Ημερομηνία γέννησης: {dob}.",
        "Χθες το βράδυ στην περιοχή {district} με χτύπησε ένας νεαρός που τον φωνάζουν {m1.first.acc}. Τα είδε όλα η φίλη μου η {f2.full}.",
        "Όνομα: {p1.full}\nΑρ. ταυτότητας: {cyid}\nΗμερομηνία γέννησης: {dob}\nΔιεύθυνση: {addr}, {postcode} {city}\nΤηλ.: {phone}\nEmail: {p1.email}\nΠεριγραφή: κλοπή πορτοφολιού στο λεωφορείο.",
        "Μου χάραξαν το αυτοκίνητο, αρ. εγγραφής {plate}, ενώ ήταν σταθμευμένο στην οδό {street}. Είμαι ο {m1.full} και μένω στη διεύθυνση {addr}.",
        "Τηλεφωνική απάτη: με πήραν από το {phone} και είπαν ότι είναι από την τράπεζα. Τους έδωσα την κάρτα {card} και μου χρέωσαν 700 ευρώ. {p1.full}",
        "Θόρυβος κάθε βράδυ από το διαμέρισμα του {m1.full.gen}, {addr}. Έχω μιλήσει μαζί του πολλές φορές. {p2.full}, τηλ. {phone}",
        "Έκανα έμβασμα 500 ευρώ στον λογαριασμό {iban} στο όνομα του {m1.full.gen} για ενοικίαση διαμερίσματος που δεν υπάρχει.",
        "Η κόρη μου η {f1.first} {f1.last}, γεννημένη στις {dob_child}, δεν γύρισε σπίτι από την Παρασκευή. Παρακαλώ τηλεφωνήστε μου στο {phone}.",
        "Τροχαίο στην οδό {street}: ένα αυτοκίνητο με αριθμό {plate} πέρασε με κόκκινο και χτύπησε τη μηχανή μου. Ο οδηγός, ο {m1.full}, έφυγε χωρίς να σταματήσει.",
        "Παρενόχληση στο Instagram από τον λογαριασμό {m1.handle}. Πιστεύω ότι είναι ο πρώην μου, ο {m1.full}. Το προφίλ του: {m1.profile}",
        "Κάποιος μπήκε στο email μου {p1.email} από τη διεύθυνση IP {ip} και έστειλε μηνύματα σε όλες τις επαφές μου ζητώντας λεφτά.",
        "Ενδοοικογενειακή βία: τηλεφώνησε η {f1.full} ({phone}) και ανέφερε ότι ο σύντροφός της {m2.full} την απείλησε στο σπίτι τους, {addr}.",
        "Απώλεια ταυτότητας {cyid} και κάρτας ΓεΣΥ στο όνομα του/της {p1.full.gen}. Χάθηκαν στην περιοχή {district} στις {date}. Επικοινωνία: {p1.email}",
        "Πούλησα κινητό μέσω Bazaraki και ο αγοραστής, ο {m1.full}, πλήρωσε με ψεύτικη μεταφορά. Τηλέφωνο {phone}, ΑΦΤ που έδωσε: {tic}.",
        "Έλληνας υπήκοος, ο {m1.full}, ΑΜΚΑ {amka}, ΑΦΜ {afm}, κινητό {phone_gr}, ανέφερε κλοπή της τσάντας του στην {place}.",
        "Βανδαλισμός στη βιτρίνα του καταστήματος της {f1.title.gen} {f1.last.gen}, {addr}. Τρίτη φορά αυτό τον μήνα.",
        "αφήσαν ενα λευκό βαν με αριθμό {plate} μπροστά στο γκαράζ μου ({addr}) εδώ και τρεις μέρες. ο ιδιοκτήτης είναι ο {m1.first.lower} από δίπλα, τηλ {phone}",
    ],
}

CLEAN_TEMPLATES: dict[str, list[str]] = {
    "en": [
        "Bike stolen from the rack outside {place} this morning. No witnesses. It was locked with a D-lock.",
        "There's been a lot of antisocial behaviour at the bottom of {street} recently, mostly teenagers drinking on Friday nights. Could you send a patrol?",
        "Graffiti sprayed on the wall of the {shop} on {street} over the weekend. I've reported it to the council as well.",
        "My car was broken into in the multi-storey in {district} on {weekday}. They took the sat nav and some loose change.",
        "I'd like to report a scam phone call. They said they were from HMRC and that I owed tax. I hung up and didn't give any details.",
        "Loud music from a house party in {district} went on until 4am. Third time since {month}.",
        "Two men were seen trying car door handles along {street} at about 2am on {date}. They ran off towards {district} when a neighbour shouted.",
        "Shoplifting at the {shop} in {city} city centre: a woman in a red coat took several bottles of wine and left without paying.",
        "Found a wallet on the bus into {city} and handed it in at {station}. Nothing in it but a library card and a few coins.",
        "The baker on {street} had his front window smashed overnight. He says it's the second time since {month}.",
        "Road rage at the junction of {street} and {street2}. A silver hatchback cut across two lanes and the driver made threats. I didn't get the reg.",
        "Fake website selling tickets for a concert at the {venue}. I paid and never got anything. My bank is looking into it.",
        "Door-to-door sellers in {district} this afternoon saying they're from the water board. Older residents are worried.",
        "Scooter taken from outside the {shop} near {street} in {city}, {weekday} night. No CCTV as far as I know.",
    ],
    "nl": [
        "Mijn fiets is gestolen bij de {place}. Hij stond op slot in de stalling. Geen getuigen.",
        "Veel overlast van hangjongeren bij het winkelcentrum in {district}, vooral op vrijdagavond. Kan er vaker gesurveilleerd worden?",
        "De bakker aan de {street} heeft vannacht een ingegooide ruit gehad. Het is al de tweede keer sinds {month}.",
        "Graffiti op de muur van de {shop} aan de {street}. Ook gemeld bij de gemeente {city}.",
        "Auto opengebroken in de parkeergarage bij de {place} op {weekday}. Navigatie en wat kleingeld meegenomen.",
        "Er belde iemand die zei van de Belastingdienst te zijn en dat ik een boete moest betalen. Ik heb opgehangen en niets gegeven.",
        "Harde muziek tot 4 uur 's nachts in een studentenhuis in {district}. Dit is al de derde keer sinds {month}.",
        "Twee mannen probeerden rond 2 uur 's nachts autodeuren te openen in de {street} op {date}. Ze renden weg richting {district}.",
        "Winkeldiefstal bij de {shop} in het centrum van {city}: een vrouw met een rode jas nam flessen wijn mee zonder te betalen.",
        "Ik heb een portemonnee gevonden in de bus en afgegeven bij het politiebureau {station}. Er zat alleen een bibliotheekpas in.",
        "Afval gedumpt achter de {street}: matrassen en bouwpuin. Het ligt er al sinds {month}.",
        "Agressief rijgedrag op de kruising {street} / {street2}. Een zilveren auto sneed twee rijstroken af. Kenteken heb ik niet gezien.",
        "Een nepwebshop verkocht kaartjes voor een concert in de {venue}. Betaald maar nooit iets ontvangen.",
        "De visser en de bakker op de hoek van de {street} melden dat er 's nachts steeds iemand aan de deuren rammelt.",
    ],
    "es": [
        "Me han robado la bici en el aparcamiento junto a {place}. Estaba con candado. No hay testigos.",
        "Muchas molestias por botellón en {district} los viernes por la noche. ¿Pueden enviar una patrulla?",
        "Pintadas en la fachada del {shop} de la calle {street}. También he avisado al Ayuntamiento de {city}.",
        "Me abrieron el coche en el parking junto a {place} el {weekday}. Se llevaron el navegador y algo de suelto.",
        "Llamada sospechosa de alguien que decía ser de Hacienda, pidiendo un pago urgente. Colgué sin dar ningún dato.",
        "Música muy alta en un piso de estudiantes de {district} hasta las 4 de la mañana. Es la tercera vez desde {month}.",
        "Dos hombres intentaban abrir puertas de coches en la calle {street} sobre las 2 de la madrugada del {date}. Huyeron hacia {district}.",
        "Hurto en el {shop} del centro de {city}: una mujer con abrigo rojo se llevó varias botellas sin pagar.",
        "He encontrado una cartera en el autobús de la EMT y la he entregado en la comisaría de {station}.",
        "Vertido de escombros y colchones junto a la avenida {street}; lleva ahí desde {month}.",
        "Conducción temeraria en el cruce de {street} con {street2}: un coche gris cambió de carril sin señalizar. No vi la matrícula.",
        "Web fraudulenta de entradas para un concierto en {venue}. Pagué y nunca recibí nada.",
        "Vendedores puerta a puerta en {district} que dicen ser de la compañía del agua. Los vecinos mayores están preocupados.",
        "El panadero de la calle {street} dice que por las noches alguien intenta forzar la persiana. Ya pasó en {month}.",
    ],
    "el": [
        "Μου έκλεψαν το ποδήλατο από την {place}. Ήταν κλειδωμένο. Δεν υπάρχουν μάρτυρες.",
        "Πολλή φασαρία από νεαρούς στην περιοχή {district} κάθε Παρασκευή βράδυ. Μπορείτε να στείλετε περιπολικό;",
        "Γκράφιτι στον τοίχο ενός καταστήματος στην οδό {street}. Το ανέφερα και στον Δήμο.",
        "Διάρρηξη αυτοκινήτου σε χώρο στάθμευσης στην περιοχή {district} την {weekday}. Πήραν το GPS και ψιλά.",
        "Ύποπτο τηλεφώνημα από κάποιον που είπε ότι είναι από το Τμήμα Φορολογίας. Έκλεισα χωρίς να δώσω στοιχεία.",
        "Δυνατή μουσική από φοιτητικό διαμέρισμα στην περιοχή {district} μέχρι τις 4 το πρωί. Τρίτη φορά από τον {month}.",
        "Δύο άντρες προσπαθούσαν να ανοίξουν πόρτες αυτοκινήτων στην οδό {street} γύρω στις 2 τα ξημερώματα στις {date}. Έφυγαν προς {district}.",
        "Κλοπή από σουπερμάρκετ στη {city}: μια γυναίκα με κόκκινο παλτό πήρε μπουκάλια κρασί χωρίς να πληρώσει.",
        "Βρήκα ένα πορτοφόλι στο λεωφορείο και το παρέδωσα στον {station}.",
        "Πέταξαν μπάζα και στρώματα δίπλα στην οδό {street}. Είναι εκεί από τον {month}.",
        "Επικίνδυνη οδήγηση στη διασταύρωση των οδών {street} και {street2}. Ένα γκρι αυτοκίνητο άλλαξε λωρίδα χωρίς φλας. Δεν είδα τον αριθμό.",
        "Ψεύτικη ιστοσελίδα πουλούσε εισιτήρια για συναυλία στο {venue}. Πλήρωσα και δεν πήρα τίποτα.",
        "Ο φούρναρης στην οδό {street} λέει ότι κάποιος προσπαθεί τη νύχτα να ανοίξει το ρολό. Μήνας πρώτου περιστατικού: {month_nom}.",
        "Την Κυριακή το πρωί στην πλατεία Ελευθερίας έσπασαν δύο παγκάκια. Ο Δήμος Λευκωσίας ενημερώθηκε, ο φύλακας τα είδε την {weekday}.",
    ],
}


def generate(lang: str, seed: int = SEED) -> list[dict[str, object]]:
    """All labelled texts of one language, in a fixed order for a fixed seed."""
    rng = random.Random(f"{seed}-{lang}")
    records = []
    jobs = [(t, PER_PII_TEMPLATE) for t in PII_TEMPLATES[lang]] + [
        (t, PER_CLEAN_TEMPLATE) for t in CLEAN_TEMPLATES[lang]
    ]
    for template, copies in jobs:
        for _ in range(copies):
            locale = LOCALES[rng.choice(LANG_LOCALES[lang])]
            text, spans = render(template, Context(rng, locale))
            records.append({"lang": lang, "text": text, "spans": spans})
    rng.shuffle(records)
    return [{"id": f"inc-{lang}-{i:03d}", **r} for i, r in enumerate(records, 1)]


def check(records: list[dict[str, object]]) -> list[str]:
    """Problems with a list of records (offsets, order, whitespace, labels); empty if none."""
    problems = []
    for rec in records:
        text = rec["text"]
        assert isinstance(text, str)
        previous_end = 0
        for span in rec["spans"]:  # type: ignore[attr-defined]
            start, end, label = span["start"], span["end"], span["label"]
            piece = text[start:end]
            if not (0 <= start < end <= len(text)) or piece != piece.strip():
                problems.append(f"{rec['id']}: bad span {start}-{end}")
            if start < previous_end:
                problems.append(f"{rec['id']}: spans overlap or are unsorted at {start}")
            if label not in LABELS:
                problems.append(f"{rec['id']}: unknown label {label}")
            previous_end = end
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument(
        "--check", action="store_true", help="verify that the files match a fresh generation"
    )
    args = parser.parse_args(argv)
    status = 0
    for lang in ("en", "nl", "el", "es"):
        records = generate(lang)
        problems = check(records)
        if problems:
            print("\n".join(problems), file=sys.stderr)
            return 1
        path = args.out / f"incidents-{lang}.jsonl"
        payload = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != payload:
                print(f"{path} differs from a fresh generation", file=sys.stderr)
                status = 1
            continue
        path.write_text(payload, encoding="utf-8")
        with_pii = sum(1 for r in records if r["spans"])
        n_spans = sum(len(r["spans"]) for r in records)  # type: ignore[arg-type]
        print(f"{path.name}: {len(records)} texts, {with_pii} with spans, {n_spans} spans")
    return status


if __name__ == "__main__":
    sys.exit(main())
