"""Rebuild ``first_names.txt`` and ``surnames.txt`` from Faker's person providers (MIT licence).

Run by hand when the lists should be refreshed; the node never runs it and Faker is not a
run-time dependency::

    pip install --target /tmp/fakerlib faker
    PYTHONPATH=/tmp/fakerlib python anonymisation/data/build_name_lists.py

Names that are also everyday words in one of the node's languages (spaCy stop words) are dropped
so that the list alone never flags "Will" or "Van"; the recognizer handles the remaining
ambiguity (months, cities, occupations) with its per-language ambiguous-word lists.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from spacy.lang.el.stop_words import STOP_WORDS as EL_STOP
from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP
from spacy.lang.es.stop_words import STOP_WORDS as ES_STOP
from spacy.lang.nl.stop_words import STOP_WORDS as NL_STOP

# Locales of the pilot cities (Belfast, Preston, Valencia, Groningen, Nicosia) and their
# largest neighbouring populations in the reports (Irish, US-style English names, Belgian Dutch).
LOCALES = ("en_GB", "en_IE", "en_US", "ga_IE", "es_ES", "nl_NL", "nl_BE", "el_GR")
FIRST_ATTRS = ("first_names", "first_names_male", "first_names_female")
LAST_ATTRS = ("last_names", "last_names_male", "last_names_female")
STOP = {w.casefold() for w in EN_STOP | ES_STOP | NL_STOP | EL_STOP}


def _collect(attrs: tuple[str, ...]) -> list[str]:
    names: set[str] = set()
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in attrs:
            values = getattr(provider, attr, None) or ()
            # Faker stores some lists as {name: weight} dictionaries.
            names.update(values.keys() if isinstance(values, dict) else values)
    return sorted(
        n.strip()
        for n in names
        if len(n.strip()) > 2 and n.strip().casefold() not in STOP and n.strip()[0].isupper()
    )


def main() -> None:
    """Write the two list files next to this script."""
    here = Path(__file__).parent
    for filename, attrs in (("first_names.txt", FIRST_ATTRS), ("surnames.txt", LAST_ATTRS)):
        names = _collect(attrs)
        (here / filename).write_text("\n".join(names) + "\n", encoding="utf-8")
        print(f"{filename}: {len(names)} names")


if __name__ == "__main__":
    main()
