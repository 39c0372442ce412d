"""Plain-language descriptions of policy settings, shared by diff and explain."""

from __future__ import annotations

from anonymisation.config import OperatorSpec
from anonymisation.disclosure.rules import SharingRule

LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "nl": "Dutch", "el": "Greek"}


def language_name(code: str) -> str:
    """"Spanish" for "es"."""
    return LANGUAGE_NAMES.get(code, code)


def operator_words(spec: OperatorSpec) -> str:
    """What an operator does, e.g. "masked with '*', last 2 characters kept"."""
    params = spec.params
    if spec.kind == "replace":
        return f"replaced with the tag {params.get('tag', '<ENTITY>')}" if "tag" in params \
            else "replaced with a tag naming its kind"
    if spec.kind == "redact":
        return "cut out of the text"
    if spec.kind == "mask":
        kept = params.get("keep_last", 0)
        tail = f", last {kept} characters kept" if kept else ", nothing kept"
        return f"masked with '{params.get('char', '*')}'{tail}"
    if spec.kind == "pseudonymise":
        return "pseudonymised (same value, same code; keyed with the node secret)"
    to = params.get("to", "month")
    return f"generalised to the {to}" if to != "area" else "generalised to its coarse area"


def sharing_words(rule: SharingRule) -> list[tuple[str, str]]:
    """(label, value) pairs describing one sharing rule, in a fixed order."""
    dp = rule.differential_privacy
    return [
        ("dimensions", ", ".join(rule.dimensions)),
        ("category level", f"ICCS level {rule.category_level}"),
        ("period", rule.period),
        ("minimum cell count", str(rule.min_cell_count)),
        ("secondary suppression", "on" if rule.secondary_suppression else "off"),
        ("rounding base", str(rule.rounding_base) if rule.rounding_base > 1 else "no rounding"),
        ("differential privacy",
         "off" if dp is None else
         f"{dp.mechanism}, ε {dp.epsilon_per_release} per release, budget {dp.budget_per_period}"
         f" per period" + (f", δ {dp.delta}" if dp.delta else "")),
    ]
