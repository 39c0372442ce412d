"""The personal-data entity types the node knows, shared by recognizers and policy files.

Policy files name these types; the policy validator rejects any other name, so a typo in a
DPO's file cannot silently switch a detector off.
"""

from __future__ import annotations

# Entity type -> one-line description shown to data-protection officers.
KNOWN_ENTITIES: dict[str, str] = {
    "PERSON": "names of people (victims, witnesses, suspects, officers)",
    "ADDRESS": "street addresses: street-type word with a house number",
    "POSTCODE": "postal codes (UK, ES, NL, CY, GR) in context",
    "PHONE": "telephone and fax numbers",
    "EMAIL": "e-mail addresses",
    "URL": "web addresses and domain names",
    "IP": "IPv4 and IPv6 addresses",
    "IBAN": "international bank account numbers",
    "PAYMENT_CARD": "credit and debit card numbers (Luhn-valid)",
    "NATIONAL_ID": "national identity numbers with a valid checksum "
    "(UK NINO and NHS, ES DNI/NIE, NL BSN, GR AMKA/AFM, CY ID)",
    "VEHICLE_PLATE": "vehicle registration plates (UK incl. NI, ES, NL, CY, GR)",
    "DATE_OF_BIRTH": "dates of birth, recognised by context",
    "SOCIAL_HANDLE": "social-media handles such as @name",
    "DATE": "other dates and times (generalised, not removed, by default)",
    "LOCATION": "place names found by a language model (districts, towns)",
}

# Languages the node ships detectors for (ISO 639-1).
SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "es", "nl", "el")
