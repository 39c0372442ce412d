"""Answers to "which rule applies?" for one entity in one language, or one category."""

from __future__ import annotations

from collections.abc import Sequence

from anonymisation.entities import KNOWN_ENTITIES
from policies import iccs
from policies.describe import language_name, operator_words
from policies.durations import describe_days
from policies.model import Policy


class ExplainError(Exception):
    """The question names an entity, language or category the policy cannot answer for."""


def explain_entity(policy: Policy, entity: str, language: str,
                   detectors: Sequence[str] | None = None) -> list[str]:
    """Lines saying whether ``entity`` is detected in ``language`` and how it is removed.

    ``detectors`` names the recognizers that can find the entity, when the caller knows them.
    """
    if entity not in KNOWN_ENTITIES:
        raise ExplainError(f"expected one of {', '.join(KNOWN_ENTITIES)}, got {entity!r}")
    if language not in policy.redaction.languages:
        raise ExplainError(f"expected one of the policy's languages "
                           f"({', '.join(policy.languages)}), got {language!r}")
    rules = policy.redaction.languages[language]
    lines = [f"Policy {policy.source or policy.city} (version {policy.version}, "
             f"hash {policy.hash[:12]}), {language_name(language)} ({language}):",
             f"{entity}: {KNOWN_ENTITIES[entity]}."]
    if entity not in rules.entities:
        lines.append(f"NOT detected: {entity} is not in redaction.{language}.entities, so it "
                     "stays in the text as written.")
        return lines
    where = "thresholds." + entity if entity in rules.thresholds else "default_threshold"
    threshold = rules.thresholds.get(entity, rules.default_threshold)
    lines.append(f"Detected. A finding is acted on when its score is at least {threshold} "
                 f"(redaction.{language}.{where}).")
    spec = rules.operators.get(entity, rules.default_operator)
    where = "operators." + entity if entity in rules.operators else "default_operator"
    params = ", ".join(f"{k}={v!r}" for k, v in spec.params.items())
    lines.append(f"Operator: {spec.kind}{f' ({params})' if params else ''}: each finding is "
                 f"{operator_words(spec)} (redaction.{language}.{where}).")
    if rules.allow_list:
        shown = ", ".join(f"'{a}'" for a in rules.allow_list)
        lines.append(f"Never removed (allow-list, {len(rules.allow_list)} phrases): {shown}.")
    denied = len(rules.deny_list.get(entity, ()))
    lines.append(f"Always removed as {entity} (deny-list): {denied} phrase(s).")
    if detectors is not None:
        lines.append(f"Found by: {', '.join(detectors)}." if detectors else
                     f"Found by: no recognizer is installed for {entity} in this language; "
                     "only deny-list phrases will be removed.")
    if rules.spacy_model:
        lines.append(f"Language model: {rules.spacy_model}.")
    return lines


def explain_category(policy: Policy, category: str) -> list[str]:
    """Lines saying how a local category or ICCS code is mapped, kept and shared."""
    code = policy.categories.iccs_for(category) or (category if iccs.is_code(category) else None)
    if code is None:
        return [f"'{category}' is not mapped to an ICCS code: such reports are counted as "
                "uncategorised. Add it under 'categories'."]
    period = policy.retention.for_category(code)
    rule = "retention.default" if period.rule == "default" else f"retention.\"{period.rule}\""
    lines = [f"'{category}' -> {code} ({iccs.name_of(code)}), section {iccs.section_of(code)} "
             f"({iccs.SECTIONS[iccs.section_of(code)]}).",
             f"Kept ({rule}): raw text {describe_days(period.raw_text_days)}, redacted text "
             f"{describe_days(period.redacted_text_days)}, reporter contact "
             f"{describe_days(period.contact_days)}."]
    for name, share in sorted(policy.sharing.items()):
        shown = code[: 2 * share.category_level]
        lines.append(f"Shared with {name} as {shown}, per {share.period}, cells under "
                     f"{share.min_cell_count} suppressed.")
    return lines
