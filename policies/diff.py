"""What changes between two valid policies, in plain words, section by section."""

from __future__ import annotations

from anonymisation.config import LanguageRedaction
from policies import iccs
from policies.describe import language_name, operator_words, sharing_words
from policies.durations import describe_days
from policies.model import Policy

_KINDS = (("raw_text_days", "raw text"), ("redacted_text_days", "redacted text"),
          ("contact_days", "reporter contact"))


def diff_policies(old: Policy, new: Policy) -> list[str]:
    """One sentence per change from ``old`` to ``new``; empty when they mean the same."""
    changes: list[str] = []
    for label, before, after in (("city", old.city, new.city), ("version", old.version,
                                  new.version), ("owner", old.owner, new.owner)):
        if before != after:
            changes.append(f"{label}: {before!r} -> {after!r}")
    changes += _redaction(old, new)
    changes += _retention(old, new)
    changes += _categories(old, new)
    changes += _geography(old, new)
    changes += _sharing(old, new)
    return changes


def _redaction(old: Policy, new: Policy) -> list[str]:
    out: list[str] = []
    before, after = old.redaction.languages, new.redaction.languages
    for lang in sorted(set(before) - set(after)):
        out.append(f"{language_name(lang)}: no longer has redaction rules")
    for lang in sorted(set(after) - set(before)):
        out.append(f"{language_name(lang)}: new redaction rules for "
                   f"{', '.join(after[lang].entities)}")
    for lang in sorted(set(before) & set(after)):
        out += [f"{language_name(lang)}: {c}" for c in _language(before[lang], after[lang])]
    return out


def _language(old: LanguageRedaction, new: LanguageRedaction) -> list[str]:
    out: list[str] = []
    for entity in sorted(set(old.entities) - set(new.entities)):
        out.append(f"{entity} is no longer detected: it stays in the text")
    for entity in sorted(set(new.entities) - set(old.entities)):
        out.append(f"{entity} is now detected")
    for entity in sorted(set(old.entities) & set(new.entities)):
        t_old = old.thresholds.get(entity, old.default_threshold)
        t_new = new.thresholds.get(entity, new.default_threshold)
        if t_old != t_new:
            more = "more" if t_new < t_old else "fewer"
            out.append(f"{entity} threshold {t_old} -> {t_new} ({more} findings acted on)")
        o_old = old.operators.get(entity, old.default_operator)
        o_new = new.operators.get(entity, new.default_operator)
        if o_old != o_new:
            out.append(f"{entity} was {operator_words(o_old)}, now {operator_words(o_new)}")
    allow_old = {a.casefold(): a for a in old.allow_list}
    allow_new = {a.casefold(): a for a in new.allow_list}
    for key in sorted(set(allow_new) - set(allow_old)):
        out.append(f"allow-list: '{allow_new[key]}' added (never removed from text)")
    for key in sorted(set(allow_old) - set(allow_new)):
        out.append(f"allow-list: '{allow_old[key]}' removed")
    # Deny-list phrases may themselves be personal (nicknames): counts only.
    for entity in sorted(set(old.deny_list) | set(new.deny_list)):
        p_old = {p.casefold() for p in old.deny_list.get(entity, ())}
        p_new = {p.casefold() for p in new.deny_list.get(entity, ())}
        if added := len(p_new - p_old):
            out.append(f"deny-list of {entity}: {added} phrase(s) added")
        if removed := len(p_old - p_new):
            out.append(f"deny-list of {entity}: {removed} phrase(s) removed")
    if old.spacy_model != new.spacy_model:
        out.append(f"language model {old.spacy_model or 'built-in'} -> "
                   f"{new.spacy_model or 'built-in'}")
    return out


def _category_label(code: str) -> str:
    return "every other category" if code == "default" else f"{code} ({iccs.name_of(code)})"


def _retention(old: Policy, new: Policy) -> list[str]:
    out: list[str] = []
    codes = ["default", *sorted(set(old.retention.by_code) | set(new.retention.by_code))]
    for code in codes:
        key = None if code == "default" else code
        p_old = old.retention.for_category(key)
        p_new = new.retention.for_category(key)
        for attr, words in _KINDS:
            d_old, d_new = getattr(p_old, attr), getattr(p_new, attr)
            if d_old != d_new:
                out.append(f"retention: {words} of {_category_label(code)} kept "
                           f"{describe_days(d_new)}, was {describe_days(d_old)}")
    return out


def _categories(old: Policy, new: Policy) -> list[str]:
    out: list[str] = []
    before, after = old.categories.mapping, new.categories.mapping
    for local in sorted(set(before) - set(after)):
        out.append(f"category '{local}' no longer mapped (was {before[local]}): "
                   "such reports become uncategorised")
    for local in sorted(set(after) - set(before)):
        out.append(f"category '{local}' now mapped to {_category_label(after[local])}")
    for local in sorted(set(before) & set(after)):
        if before[local] != after[local]:
            out.append(f"category '{local}' mapped to {_category_label(after[local])}, "
                       f"was {_category_label(before[local])}")
    return out


def _geography(old: Policy, new: Policy) -> list[str]:
    if old.geography == new.geography:
        return []
    out: list[str] = []
    if old.geography.min_count != new.geography.min_count:
        out.append(f"geography: minimum count per area {old.geography.min_count} -> "
                   f"{new.geography.min_count}")
    if (old.geography.h3_resolution, old.geography.districts) != \
            (new.geography.h3_resolution, new.geography.districts):
        out.append(f"geography: areas were {old.geography.describe().split(';')[0]}, now "
                   f"{new.geography.describe().split(';')[0]}")
    return out


def _sharing(old: Policy, new: Policy) -> list[str]:
    out: list[str] = []
    for name in sorted(set(old.sharing) - set(new.sharing)):
        out.append(f"{name}: receives nothing any more")
    for name in sorted(set(new.sharing) - set(old.sharing)):
        rule = "; ".join(f"{k} {v}" for k, v in sharing_words(new.sharing[name]))
        out.append(f"{name}: new recipient ({rule})")
    for name in sorted(set(old.sharing) & set(new.sharing)):
        for (label, before), (_, after) in zip(sharing_words(old.sharing[name]),
                                               sharing_words(new.sharing[name]), strict=True):
            if before != after:
                out.append(f"{name}: {label} {before} -> {after}")
    return out
