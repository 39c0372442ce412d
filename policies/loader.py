"""Load a policy file: parse, validate everything, and build the typed :class:`Policy`.

Fail closed: :func:`load_policy` returns a policy only when the file has no problem at all;
otherwise it raises :class:`PolicyError` listing every problem with its line and column.
:func:`check_policy` returns the same problems without raising, for ``policy check``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from anonymisation.config import LanguageRedaction, OperatorSpec, RedactionConfig
from anonymisation.disclosure.rules import DifferentialPrivacy, SharingRule
from policies.durations import parse_days
from policies.errors import PolicyError, Problem
from policies.geography import District, Geography, box
from policies.model import CategoryMap, Policy, RetentionPeriod, RetentionRules
from policies.rules import GENERALISE_TO, RETENTION_FIELDS, check_rules
from policies.structure import check_structure
from policies.yamlsource import Source, read_source, source_from_bytes


def check_policy(path: str | Path) -> list[Problem]:
    """Every problem of the policy file at ``path``, sorted by place; empty when valid."""
    return _validated(path).problems


def load_policy(path: str | Path) -> Policy:
    """The validated policy at ``path``; raises :class:`PolicyError` on any problem."""
    source = _validated(path)
    if source.problems:
        raise PolicyError(source.problems)
    return build_policy(source.data, source=str(path))


def load_policy_bytes(raw: bytes, name: str) -> Policy:
    """Like :func:`load_policy` for content already read (e.g. to store exactly what was
    validated); ``name`` is the file name used in problems."""
    source = source_from_bytes(raw, Source(file=name))
    _validate(source)
    if source.problems:
        raise PolicyError(source.problems)
    return build_policy(source.data, source=name)


def policy_hash(data: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of the content: comments and layout do not change it."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _validated(path: str | Path) -> Source:
    source = read_source(path)
    _validate(source)
    return source


def _validate(source: Source) -> None:
    if not source.problems and source.data is not None:
        check_structure(source)
        check_rules(source)
    source.problems = sorted(set(source.problems))


def build_policy(data: dict[str, Any], source: str = "") -> Policy:
    """Turn validated plain data into a :class:`Policy` (call only after validation)."""
    digest = policy_hash(data)
    return Policy(
        city=data["city"],
        version=str(data["version"]),
        owner=data["owner"],
        languages=tuple(data["languages"]),
        hash=digest,
        redaction=RedactionConfig(
            languages={lang: _language(lang, section)
                       for lang, section in data["redaction"].items()},
            policy_hash=digest,
        ),
        retention=_retention(data["retention"]),
        categories=CategoryMap(mapping=dict(data["categories"])),
        geography=_geography(data["geography"]),
        sharing={name: _sharing(name, rule) for name, rule in data["sharing"].items()},
        source=source,
    )


def _operator(entity: str | None, spec: str | dict[str, Any]) -> OperatorSpec:
    if isinstance(spec, str):
        kind, given = spec, {}
    else:
        kind, given = spec["kind"], {k: v for k, v in spec.items() if k != "kind"}
    params: dict[str, Any]
    if kind == "replace":
        params = {"tag": given["tag"]} if "tag" in given else {}
    elif kind == "mask":
        params = {"char": given.get("char", "*"), "keep_last": given.get("keep_last", 0)}
    elif kind == "generalise":
        params = {"to": given.get("to", GENERALISE_TO[entity][0] if entity else "month")}
    else:
        params = {}
    return OperatorSpec(kind=kind, params=params)


def _language(language: str, section: dict[str, Any]) -> LanguageRedaction:
    defaults = LanguageRedaction(language=language, entities=())
    return LanguageRedaction(
        language=language,
        entities=tuple(section["entities"]),
        thresholds={e: float(t) for e, t in section.get("thresholds", {}).items()},
        default_threshold=float(section.get("default_threshold", defaults.default_threshold)),
        operators={e: _operator(e, s) for e, s in section.get("operators", {}).items()},
        default_operator=_operator(None, section["default_operator"])
        if "default_operator" in section else defaults.default_operator,
        allow_list=tuple(section.get("allow_list", ())),
        deny_list={e: tuple(p) for e, p in section.get("deny_list", {}).items()},
        spacy_model=section.get("spacy_model"),
    )


def _retention(section: dict[str, Any]) -> RetentionRules:
    default = section["default"]

    def period(rule: dict[str, Any], name: str) -> RetentionPeriod:
        days = {f: parse_days(rule.get(f, default[f])) for f in RETENTION_FIELDS}
        return RetentionPeriod(days["raw_text"], days["redacted_text"], days["contact"], name)

    return RetentionRules(
        default=period(default, "default"),
        by_code={code: period(rule, code) for code, rule in section.items() if code != "default"},
    )


def _geography(section: dict[str, Any]) -> Geography:
    districts = tuple(
        District(name=d["name"], polygon=box(*d["box"]) if "box" in d
                 else tuple((float(lat), float(lon)) for lat, lon in d["polygon"]))
        for d in section.get("districts", ())
    )
    return Geography(min_count=section["min_count"], h3_resolution=section.get("resolution"),
                     districts=districts)


def _sharing(recipient: str, rule: dict[str, Any]) -> SharingRule:
    defaults = SharingRule(recipient=recipient)
    dp = rule.get("differential_privacy")
    return SharingRule(
        recipient=recipient,
        dimensions=tuple(rule["dimensions"]),
        category_level=rule.get("category_level", defaults.category_level),
        period=rule.get("period", defaults.period),
        min_cell_count=rule["min_cell_count"],
        secondary_suppression=rule.get("secondary_suppression", defaults.secondary_suppression),
        rounding_base=rule.get("rounding_base", defaults.rounding_base),
        differential_privacy=DifferentialPrivacy(
            mechanism=dp["mechanism"],
            epsilon_per_release=float(dp["epsilon_per_release"]),
            budget_per_period=float(dp["budget_per_period"]),
            delta=float(dp.get("delta", 0.0)),
        ) if dp else None,
    )
