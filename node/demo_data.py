"""Synthetic citizen reports for the demo: each city's language(s), personal data in the text.

Everything here is invented (names, phone numbers, e-mail addresses, plates); the generator is
seeded, so a demo run is repeatable. Categories are the city's own local names from its policy,
spread over the last 13 months, with a burglary (ICCS 0501) spike in the most recent closed
month for the cities in ``SPIKE_CITIES`` (what the early-warning detector should find).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from anonymisation.disclosure.periods import period_of

SPIKE_CITIES = ("belfast", "valencia")
# Share of reports per ICCS code; burglary dominates so the demo has releasable cells.
CATEGORY_WEIGHTS = {"0501": 30, "0502": 25, "0504": 15, "0201": 10, "0801": 10, "0601": 5,
                    "0701": 5}
CENTRES = {
    "belfast": (54.597, -5.930),
    "preston": (53.763, -2.703),
    "valencia": (39.475, -0.376),
    "nicosia": (35.170, 33.360),
    "groningen": (53.219, 6.566),
}

_WHAT = {
    "en": {
        "0501": "Someone broke into the house while we were away and took a laptop",
        "0502": "My bicycle was stolen from outside the shop",
        "0504": "The car windows were smashed overnight",
        "0201": "A man punched my neighbour outside the pub",
        "0801": "A group has been shouting and throwing bottles every night",
        "0601": "People are dealing drugs from the parked van",
        "0701": "I was tricked into paying for a parcel that never came",
    },
    "es": {
        "0501": "Entraron a robar en el piso mientras estábamos fuera y se llevaron un portátil",
        "0502": "Me robaron la bicicleta delante de la tienda",
        "0504": "Rompieron las ventanillas del coche por la noche",
        "0201": "Un hombre golpeó a mi vecino en la puerta del bar",
        "0801": "Un grupo grita y tira botellas todas las noches",
        "0601": "Venden droga desde una furgoneta aparcada",
        "0701": "Me engañaron para pagar un paquete que nunca llegó",
    },
    "el": {
        "0501": "Διέρρηξαν το σπίτι ενώ λείπαμε και πήραν ένα λάπτοπ",
        "0502": "Έκλεψαν το ποδήλατό μου έξω από το κατάστημα",
        "0504": "Έσπασαν τα τζάμια του αυτοκινήτου τη νύχτα",
        "0201": "Ένας άντρας χτύπησε τον γείτονά μου έξω από το μπαρ",
        "0801": "Μια παρέα φωνάζει και πετάει μπουκάλια κάθε βράδυ",
        "0601": "Πουλάνε ναρκωτικά από ένα παρκαρισμένο βαν",
        "0701": "Με εξαπάτησαν να πληρώσω ένα δέμα που δεν ήρθε ποτέ",
    },
    "nl": {
        "0501": "Er is ingebroken in ons huis terwijl we weg waren, een laptop is meegenomen",
        "0502": "Mijn fiets is gestolen voor de winkel",
        "0504": "De autoruiten zijn vannacht ingeslagen",
        "0201": "Een man sloeg mijn buurman voor de kroeg",
        "0801": "Een groep schreeuwt en gooit elke nacht met flessen",
        "0601": "Er wordt drugs verkocht vanuit een geparkeerd busje",
        "0701": "Ik heb betaald voor een pakket dat nooit is gekomen",
    },
}
_WHO = {
    "en": ("My name is {name}, call me on {phone} or write to {email}.",
           ["Siobhan Murphy", "Ciaran O'Neill", "Emma Thompson", "James Walker"]),
    "es": ("Me llamo {name}, mi teléfono es {phone} y mi correo {email}.",
           ["María García López", "José Martínez", "Lucía Fernández", "Pablo Ruiz"]),
    "el": ("Ονομάζομαι {name}, τηλέφωνο {phone}, email {email}.",
           ["Γιώργος Παπαδόπουλος", "Μαρία Κωνσταντίνου", "Ανδρέας Χριστοδούλου"]),
    "nl": ("Ik ben {name}, bel me op {phone} of mail naar {email}.",
           ["Jan de Vries", "Sanne Bakker", "Pieter van Dijk", "Fleur Jansen"]),
}
_PHONES = {"belfast": "+44 28 9{n:03d} {m:04d}", "preston": "+44 1772 {n:03d}{m:03d}",
           "valencia": "+34 96{n:03d} {m:04d}", "nicosia": "+357 22 {n:03d}{m:03d}",
           "groningen": "+31 50 {n:03d} {m:04d}"}


def local_names(categories: Mapping[str, str]) -> dict[str, str]:
    """For each ICCS code, the first local category name the policy maps to it."""
    names: dict[str, str] = {}
    for local, code in categories.items():
        names.setdefault(code, local)
    return names


def generate_reports(
    city: str, languages: tuple[str, ...], categories: Mapping[str, str], *, count: int,
    now: datetime, seed: int = 7,
) -> Iterator[dict[str, Any]]:
    """``count`` report rows (the import format) for ``city``, plus the spike if it has one."""
    rng = random.Random(f"{seed}-{city}")  # noqa: S311 (repeatable fake data, not secrecy)
    names = local_names(categories)
    codes = [c for c in CATEGORY_WEIGHTS if c in names]
    weights = [CATEGORY_WEIGHTS[c] for c in codes]
    last_closed = period_of(now, "month").previous(1)[0]
    start = now - timedelta(days=395)
    spike = 3 * count // 40 if city in SPIKE_CITIES else 0
    for i in range(count + spike):
        if i < count:
            code = rng.choices(codes, weights)[0]
            when = start + timedelta(seconds=rng.uniform(0, (now - start).total_seconds()))
        else:
            code = "0501"
            span = (last_closed.end - last_closed.start).total_seconds()
            when = last_closed.start + timedelta(seconds=rng.uniform(0, span - 1))
        language = languages[0] if rng.random() < 0.8 else languages[-1]
        yield _row(rng, city, language, names[code], _WHAT[language][code], when, i)


def _row(rng: random.Random, city: str, language: str, local: str, what: str, when: datetime,
         i: int) -> dict[str, Any]:
    template, people = _WHO[language]
    name = rng.choice(people)
    phone = _PHONES[city].format(n=rng.randrange(1000), m=rng.randrange(10000))
    email = f"{name.split()[0].lower()}.{i}@example.org"
    lat, lon = CENTRES[city]
    hotspot = rng.randrange(3)
    return {
        "external_id": f"demo-{city}-{i}",
        "occurred_at": when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "category": local,
        "language": language,
        "description": f"{what}. {template.format(name=name, phone=phone, email=email)}",
        "location": {
            "lat": round(lat + 0.004 * hotspot + rng.uniform(-0.001, 0.001), 6),
            "lon": round(lon + 0.004 * hotspot + rng.uniform(-0.001, 0.001), 6),
        },
        "channel": rng.choice(["app", "web", "phone"]),
        "reporter_contact": email if rng.random() < 0.5 else phone,
    }


def write_jsonl(path: Path, rows: Iterator[dict[str, Any]]) -> int:
    """Write rows as JSON Lines; returns how many."""
    n = 0
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n
