"""Rules that span several keys of a policy, which a JSON Schema cannot state.

Each check reads the plain data defensively (the structure may be broken elsewhere in the
same file: every problem is reported at once) and records problems on the source.
"""

from __future__ import annotations

import difflib
from typing import Any

from anonymisation.entities import KNOWN_ENTITIES, SUPPORTED_LANGUAGES
from policies import iccs
from policies.durations import DURATION_TEXT, describe_days, parse_days
from policies.model import normalise_local
from policies.yamlsource import Source

# Which operator "generalise" means per entity: dates lose their day, places become an area.
GENERALISE_TO: dict[str, tuple[str, ...]] = {
    "DATE": ("month",),
    "DATE_OF_BIRTH": ("month",),
    "LOCATION": ("area",),
    "ADDRESS": ("area",),
    "POSTCODE": ("area",),
}
_PARAMS_OF_KIND = {"replace": {"tag"}, "mask": {"char", "keep_last"}, "generalise": {"to"},
                   "redact": set(), "pseudonymise": set()}
RETENTION_FIELDS = ("raw_text", "redacted_text", "contact")


def check_rules(source: Source) -> None:
    """Record every cross-field problem of ``source.data``."""
    data = source.data if isinstance(source.data, dict) else {}
    _check_languages(source, data)
    redaction = data.get("redaction")
    if isinstance(redaction, dict):
        for language, section in redaction.items():
            if isinstance(section, dict):
                _check_language_section(source, ("redaction", language), section)
    _check_retention(source, data.get("retention"))
    _check_categories(source, data.get("categories"))
    _check_geography(source, data.get("geography"))
    sharing = data.get("sharing")
    if isinstance(sharing, dict):
        for recipient, rule in sharing.items():
            if isinstance(rule, dict):
                _check_sharing(source, ("sharing", recipient), rule)


def _check_languages(source: Source, data: dict[str, Any]) -> None:
    languages = data.get("languages")
    redaction = data.get("redaction")
    if not isinstance(languages, list) or not isinstance(redaction, dict):
        return
    for i, language in enumerate(languages):
        if language in SUPPORTED_LANGUAGES and language not in redaction:
            source.problem(("languages", i), f"language '{language}' has no section under "
                           "'redaction'", f"add 'redaction: {language}:' with its entities")
    for language in redaction:
        if language in SUPPORTED_LANGUAGES and language not in languages:
            source.problem(("redaction", language), f"redaction rules for '{language}', which "
                           "is not in 'languages'",
                           f"add '{language}' to 'languages' or remove this section", key=True)


def _entities_of(section: dict[str, Any]) -> set[str]:
    entities = section.get("entities")
    return {e for e in entities if isinstance(e, str)} if isinstance(entities, list) else set()


def _check_language_section(source: Source, at: tuple[Any, ...], section: dict[str, Any]) -> None:
    entities = _entities_of(section)
    for key in ("thresholds", "operators", "deny_list"):
        table = section.get(key)
        if not isinstance(table, dict):
            continue
        for entity in table:
            if entity in KNOWN_ENTITIES and entity not in entities:
                source.problem((*at, key, entity), f"{key} names {entity}, which is not in this "
                               "language's 'entities', so it is never detected",
                               f"add {entity} to 'entities' or remove this line", key=True)
    operators = section.get("operators")
    if isinstance(operators, dict):
        for entity, spec in operators.items():
            _check_operator(source, (*at, "operators", entity), entity, spec)
    if "default_operator" in section:
        _check_operator(source, (*at, "default_operator"), None, section["default_operator"])
    allow = section.get("allow_list")
    deny = section.get("deny_list")
    if isinstance(allow, list) and isinstance(deny, dict):
        allowed = {a.casefold() for a in allow if isinstance(a, str)}
        for entity, phrases in deny.items():
            if not isinstance(phrases, list):
                continue
            for i, phrase in enumerate(phrases):
                if isinstance(phrase, str) and phrase.casefold() in allowed:
                    source.problem((*at, "deny_list", entity, i), "this phrase is on both the "
                                   "allow-list and the deny-list", "keep it on one list only")


def _check_operator(source: Source, at: tuple[Any, ...], entity: str | None, spec: Any) -> None:
    if isinstance(spec, str):
        kind, params = spec, {}
    elif isinstance(spec, dict) and isinstance(spec.get("kind"), str):
        kind, params = spec["kind"], {k: v for k, v in spec.items() if k != "kind"}
    else:
        return
    if kind not in _PARAMS_OF_KIND:
        return
    for name in params:
        if name in {"tag", "char", "keep_last", "to"} and name not in _PARAMS_OF_KIND[kind]:
            owner = next(k for k, v in _PARAMS_OF_KIND.items() if name in v)
            source.problem((*at, name), f"'{name}' is a setting of '{owner}', not of '{kind}'",
                           f"remove '{name}' or change kind to '{owner}'", key=True)
    if kind != "generalise":
        return
    if entity is None:
        source.problem(at, "default_operator cannot be 'generalise': only dates and places can "
                       "be generalised", "use replace, redact, mask or pseudonymise here and "
                       "set generalise per entity under 'operators'")
    elif entity in KNOWN_ENTITIES and entity not in GENERALISE_TO:
        source.problem(at, f"{entity} cannot be generalised: only dates and places can",
                       "use replace, redact, mask or pseudonymise")
    elif entity in GENERALISE_TO and "to" in params and params["to"] not in GENERALISE_TO[entity]:
        source.problem((*at, "to"), f"{entity} can be generalised to "
                       f"{' or '.join(GENERALISE_TO[entity])}, got {params['to']!r}",
                       f"use 'to: {GENERALISE_TO[entity][0]}'")


def _days(value: Any) -> int | None:
    try:
        return parse_days(value)
    except ValueError:
        return None


def _check_retention(source: Source, retention: Any) -> None:
    if not isinstance(retention, dict):
        return
    default = retention.get("default") if isinstance(retention.get("default"), dict) else {}
    for key, rule in retention.items():
        if key != "default" and isinstance(key, str) and key.isdigit() and len(key) in (2, 4) \
                and not iccs.is_code(key):
            source.problem(("retention", key), f"unknown ICCS code '{key}'",
                           _iccs_hint(key), key=True)
        if not isinstance(rule, dict):
            continue
        for name in RETENTION_FIELDS:
            value = rule.get(name)
            # Malformed text is the schema's to report; here only well-formed but too long.
            if isinstance(value, str) and DURATION_TEXT.match(value):
                try:
                    parse_days(value)
                except ValueError as exc:
                    source.problem(("retention", key, name), str(exc),
                                   "retention beyond 100 years is surely a typo")
        raw = _days(rule.get("raw_text", default.get("raw_text")))
        redacted = _days(rule.get("redacted_text", default.get("redacted_text")))
        if raw is not None and redacted is not None and raw > redacted:
            where = "raw_text" if "raw_text" in rule else "redacted_text"
            label = "every category" if key == "default" else f"category {key}"
            source.problem(("retention", key, where),
                           f"raw text of {label} would be kept {describe_days(raw)}, longer "
                           f"than its redacted text ({describe_days(redacted)})",
                           "the original text must not outlive its redacted version: shorten "
                           "raw_text or lengthen redacted_text")


def _iccs_hint(code: str) -> str:
    siblings = [f"{c} {n}" for c, n in iccs.DIVISIONS.items() if c[:2] == code[:2]]
    if siblings:
        return "codes in this section: " + "; ".join(siblings)
    return "ICCS sections run from 01 to 11; see policies/README.md"


def _check_categories(source: Source, categories: Any) -> None:
    if not isinstance(categories, dict):
        return
    seen: dict[str, str] = {}
    for local, code in categories.items():
        if isinstance(code, str) and code.isdigit() and len(code) == 4 \
                and code not in iccs.DIVISIONS:
            # Suggest only within the section: "0599" is no typo of "0909".
            same_section = [c for c in iccs.DIVISIONS if c[:2] == code[:2]]
            close = difflib.get_close_matches(code, same_section, n=1, cutoff=0.75)
            hint = f"did you mean '{close[0]}' ({iccs.DIVISIONS[close[0]]})?" if close else ""
            source.problem(("categories", local), f"unknown ICCS code '{code}'",
                           hint or _iccs_hint(code))
        same = normalise_local(local)
        if same in seen:
            source.problem(("categories", local), f"the category '{local}' is listed twice "
                           f"(also as '{seen[same]}'; case and spaces do not count)",
                           "keep one of them", key=True)
        seen[same] = local


def _check_geography(source: Source, geography: Any) -> None:
    if not isinstance(geography, dict):
        return
    has_grid = "grid" in geography or "resolution" in geography
    has_districts = "districts" in geography
    if has_grid and has_districts:
        source.problem(("geography",), "both a grid and districts are given",
                       "keep either 'grid' with 'resolution', or 'districts'", key=True)
    elif not has_grid and not has_districts:
        source.problem(("geography",), "no way to generalise locations is given",
                       "add 'grid: h3' with 'resolution: 8', or a list of 'districts'", key=True)
    elif has_grid:
        for needed in ("grid", "resolution"):
            if needed not in geography:
                source.problem(("geography",), f"missing the key '{needed}' of the grid",
                               "give both 'grid: h3' and 'resolution'", key=True)
    districts = geography.get("districts")
    if not isinstance(districts, list):
        return
    names: set[str] = set()
    for i, district in enumerate(districts):
        if not isinstance(district, dict):
            continue
        at = ("geography", "districts", i)
        if ("box" in district) == ("polygon" in district):
            source.problem(at, "a district needs exactly one of 'box' or 'polygon'",
                           "give [south, west, north, east] as 'box', or corner points")
        box = district.get("box")
        if isinstance(box, list) and len(box) == 4 and all(
                isinstance(v, int | float) and not isinstance(v, bool) for v in box):
            south, west, north, east = box
            if not (south < north and west < east):
                source.problem((*at, "box"), "expected south < north and west < east, got a "
                               "box with no area", "write the box as [south, west, north, east]")
        name = district.get("name")
        if isinstance(name, str):
            if name in names:
                source.problem((*at, "name"), f"the district '{name}' is listed twice",
                               "give each district its own name")
            names.add(name)


def _check_sharing(source: Source, at: tuple[Any, ...], rule: dict[str, Any]) -> None:
    dp = rule.get("differential_privacy")
    if not isinstance(dp, dict):
        return
    epsilon, budget = dp.get("epsilon_per_release"), dp.get("budget_per_period")
    numbers = (int, float)
    if isinstance(epsilon, numbers) and isinstance(budget, numbers) \
            and not isinstance(epsilon, bool) and not isinstance(budget, bool) \
            and 0 < budget < epsilon:
        source.problem((*at, "differential_privacy", "budget_per_period"),
                       f"the budget per period ({budget}) is smaller than one release "
                       f"({epsilon}), so nothing could ever be released",
                       "raise budget_per_period to at least epsilon_per_release")
    delta = dp.get("delta", 0)
    if dp.get("mechanism") == "gaussian" and isinstance(delta, numbers) and delta <= 0:
        source.problem((*at, "differential_privacy"), "the gaussian mechanism needs a delta "
                       "above 0", "add e.g. 'delta: 1.0e-6', or use 'mechanism: laplace'",
                       key=True)
    if dp.get("mechanism") == "laplace" and isinstance(delta, numbers) and delta > 0:
        source.problem((*at, "differential_privacy", "delta"), "the laplace mechanism does not "
                       "use delta", "remove delta, or use 'mechanism: gaussian'")
