"""Operators: how one finding is removed from the text, as chosen by the policy.

replace -> ``<PERSON>``; redact -> nothing; mask -> ``*******89``; pseudonymise -> a keyed tag
``<PERSON-3f9a1c>`` (HMAC-SHA256 with the node secret over the normalised value, so the same
person gets the same tag within one node and an unlinkable one on another); generalise ->
a month for dates (``2024-03``), an area for places (``<AREA>`` or the area the policy names).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

import regex

from anonymisation.config import OperatorSpec
from anonymisation.recognizers.dates import month_label, parse_year_month
from anonymisation.recognizers.text import fold

# Domain separation: these HMACs must never be confused with any other use of the node secret.
_PSEUDONYM_DOMAIN = b"inspec2t/anonymisation/pseudonym/v1\x00"
PSEUDONYM_HEX_CHARS = 6
_DATE_ENTITIES = frozenset({"DATE", "DATE_OF_BIRTH"})
_PLACE_ENTITIES = frozenset({"LOCATION", "ADDRESS", "POSTCODE"})
# Entities whose value is a code: spacing, dashes and case do not change who it is.
_CODE_ENTITIES = frozenset(
    {"PHONE", "IBAN", "PAYMENT_CARD", "NATIONAL_ID", "VEHICLE_PLATE", "POSTCODE"}
)


class OperatorError(Exception):
    """An operator spec cannot be applied (unknown kind, or a kind the entity does not allow)."""


def normalise_value(entity: str, value: str) -> str:
    """The form of ``value`` that pseudonyms are computed over.

    "Dña. María  LÓPEZ" and "maría lópez" are one person; "+34 612-345-678" and
    "+34612345678" one phone.
    """
    if entity in _CODE_ENTITIES:
        return regex.sub(r"[^\p{L}\p{N}]", "", value).upper()
    return " ".join(fold(value).split())


def pseudonym(secret: bytes, entity: str, value: str) -> str:
    """Keyed, stable tag for ``value``: same secret and value -> same tag."""
    message = (
        _PSEUDONYM_DOMAIN + entity.encode() + b"\x00" + normalise_value(entity, value).encode()
    )
    digest = hmac.new(secret, message, hashlib.sha256).hexdigest()
    return f"<{entity}-{digest[:PSEUDONYM_HEX_CHARS]}>"


def _mask(value: str, params: Mapping[str, Any]) -> str:
    char = str(params.get("char", "*"))
    keep_last = int(params.get("keep_last", 0))
    cut = max(len(value) - keep_last, 0)
    return "".join(c if c.isspace() else char for c in value[:cut]) + value[cut:]


def _generalise(entity: str, value: str, params: Mapping[str, Any]) -> str:
    to = params.get("to", "month" if entity in _DATE_ENTITIES else "area")
    if to == "month" and entity in _DATE_ENTITIES:
        parsed = parse_year_month(value)
        return month_label(*parsed) if parsed else f"<{entity}>"
    if to == "area" and entity in _PLACE_ENTITIES:
        return str(params.get("area", "<AREA>"))
    raise OperatorError(
        f"expected generalise to 'month' for DATE/DATE_OF_BIRTH or 'area' for "
        f"LOCATION/ADDRESS/POSTCODE, got to={to!r} for {entity}; "
        "use replace or pseudonymise for this entity"
    )


def apply_operator(spec: OperatorSpec, entity: str, value: str, secret: bytes) -> str:
    """The replacement text for one finding of ``entity`` whose original text is ``value``."""
    if spec.kind == "replace":
        return str(spec.params.get("tag", f"<{entity}>"))
    if spec.kind == "redact":
        return ""
    if spec.kind == "mask":
        return _mask(value, spec.params)
    if spec.kind == "pseudonymise":
        return pseudonym(secret, entity, value)
    if spec.kind == "generalise":
        return _generalise(entity, value, spec.params)
    raise OperatorError(
        f"expected operator kind replace, redact, mask, pseudonymise or generalise, "
        f"got {spec.kind!r}"
    )
