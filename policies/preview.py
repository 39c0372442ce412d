"""Dry run of a policy on a sample of reports: redaction per report and would-be aggregates.

Nothing here touches a database, the node's keys or its budget ledger: the caller gives a
redactor with a throwaway secret (pseudonyms differ from the node's), and aggregates are
protected with an in-memory ledger, so a preview never spends privacy budget.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from anonymisation.config import LanguageRedaction
from anonymisation.disclosure.budget import InMemoryBudgetLedger
from anonymisation.disclosure.cells import CountableReport, category_at_level, count_cells
from anonymisation.disclosure.errors import DisclosureError, PeriodNotClosedError
from anonymisation.disclosure.periods import period_of
from anonymisation.disclosure.protect import ProtectedTable, protect
from anonymisation.redactor import Finding, RedactionResult, Redactor
from policies.model import Policy

MAX_SAMPLE_REPORTS = 10_000


class SampleError(Exception):
    """The sample file cannot be read; the message names the line and what was expected."""


@dataclass(frozen=True)
class SampleReport:
    """One report of a sample file (JSON Lines)."""

    id: str
    lang: str
    text: str
    category: str | None = None
    occurred_at: datetime | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class FindingPreview:
    """One finding and the rule that acted on it; no detected value, only its place."""

    start: int
    end: int
    entity: str
    score: float
    threshold: float
    operator: str
    rule: str


@dataclass(frozen=True)
class ReportPreview:
    """What the policy would do to one report."""

    id: str
    language: str
    redacted_text: str | None
    findings: tuple[FindingPreview, ...] = ()
    iccs: str | None = None
    area: str | None = None
    notes: tuple[str, ...] = ()
    # Findings left in the text because they lie inside an allow-list phrase.
    allowed: tuple[FindingPreview, ...] = ()


@dataclass
class AggregatePreview:
    """Protected tables per recipient and period, and periods not (yet) releasable."""

    recipient: str
    tables: list[ProtectedTable] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_sample(path: str | Path) -> list[SampleReport]:
    """Parse a JSONL sample; raises :class:`SampleError` naming the first bad line."""
    reports: list[SampleReport] = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SampleError(f"cannot read the sample {path}: expected UTF-8 JSON Lines") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if len(reports) >= MAX_SAMPLE_REPORTS:
            raise SampleError(f"expected at most {MAX_SAMPLE_REPORTS} reports in a sample")
        try:
            reports.append(_sample_report(json.loads(line)))
        except RecursionError as exc:
            raise SampleError(f"{path}:{number}: expected a flat JSON object, got one nested "
                              "too deeply") from exc
        except (ValueError, TypeError, KeyError) as exc:
            raise SampleError(f"{path}:{number}: {exc}") from exc
    return reports


def _sample_report(item: Any) -> SampleReport:
    if not isinstance(item, dict):
        raise ValueError("expected a JSON object per line")
    for key in ("id", "lang", "text"):
        if not isinstance(item.get(key), str):
            raise ValueError(f"expected text in '{key}'")
    occurred = item.get("occurred_at")
    when = None
    if occurred is not None:
        when = datetime.fromisoformat(str(occurred).replace("Z", "+00:00"))
        if when.tzinfo is None:
            raise ValueError("expected occurred_at with a time zone, e.g. 2026-03-01T10:00Z")
    coords = [item.get("lat"), item.get("lon")]
    for value in coords:
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                                  or not math.isfinite(value)):
            raise ValueError("expected lat and lon as numbers")
    category = item.get("category")
    return SampleReport(id=item["id"], lang=item["lang"], text=item["text"],
                        category=str(category) if category is not None else None,
                        occurred_at=when, lat=coords[0], lon=coords[1])


def preview_reports(policy: Policy, reports: Sequence[SampleReport],
                    redactor: Redactor) -> list[ReportPreview]:
    """Redact each report as the node would, with ``redactor`` built on ``policy.redaction``."""
    results: dict[int, RedactionResult] = {}
    by_language: dict[str, list[SampleReport]] = {}
    for report in reports:
        by_language.setdefault(report.lang, []).append(report)
    for language, group in by_language.items():
        if language in policy.redaction.languages:
            done = redactor.redact_many([r.text for r in group], language)
            results.update({id(r): res for r, res in zip(group, done, strict=True)})
    previews = []
    for report in reports:
        notes: list[str] = []
        code = policy.categories.iccs_for(report.category) if report.category else None
        if report.category and code is None:
            notes.append(f"category '{report.category}' is not mapped to ICCS: uncategorised")
        area = policy.geography.area_for(report.lat, report.lon)
        if report.lang not in policy.redaction.languages:
            notes.append(f"the policy has no redaction rules for '{report.lang}': the report "
                         "would stay pending, never shown as redacted")
            previews.append(ReportPreview(report.id, report.lang, None, (), code, area,
                                          tuple(notes)))
            continue
        result = results[id(report)]
        rules = policy.redaction.for_language(report.lang)
        previews.append(ReportPreview(report.id, report.lang, result.text,
                                      _findings(result.findings, rules), code, area,
                                      tuple(notes), _findings(result.suppressed, rules)))
    return previews


def _findings(found: Sequence[Finding], rules: LanguageRedaction) -> tuple[FindingPreview, ...]:
    return tuple(
        FindingPreview(start=f.start, end=f.end, entity=f.entity, score=float(f.score),
                       threshold=rules.thresholds.get(f.entity, rules.default_threshold),
                       operator=str(f.operator), rule=str(f.rule))
        for f in found)


def preview_aggregates(policy: Policy, reports: Sequence[SampleReport],
                       now: datetime | None = None) -> list[AggregatePreview]:
    """Protect the sample's counts per recipient and closed period, as a release would."""
    now = now or datetime.now(UTC)
    out: list[AggregatePreview] = []
    codes = sorted(set(policy.categories.mapping.values()))
    for recipient, rule in sorted(policy.sharing.items()):
        preview = AggregatePreview(recipient)
        out.append(preview)
        records = []
        for report in reports:
            code = policy.categories.iccs_for(report.category) if report.category else None
            if code is None or report.occurred_at is None:
                continue
            area = policy.geography.area_for(report.lat, report.lon)
            records.append(CountableReport(code, report.occurred_at, area))
        skipped = len(reports) - len(records)
        if skipped:
            preview.notes.append(f"{skipped} report(s) without a mapped category or a time "
                                 "are not counted")
        grid = sorted({category_at_level(c, rule.category_level) for c in codes})
        ledger = InMemoryBudgetLedger()
        for period in sorted({period_of(r.occurred_at, rule.period) for r in records}):
            in_period = [r for r in records if period.contains(r.occurred_at)]
            small = policy.geography.small_areas(
                Counter(r.area for r in in_period if r.area is not None))
            if small and "area" in rule.dimensions:
                preview.notes.append(
                    f"period {period.label}: {len(small)} area(s) with fewer than "
                    f"{policy.geography.min_count} reports counted as area unknown (_U)")
            pooled = [replace(r, area=None) if r.area in small else r for r in in_period]
            try:
                counts = count_cells(pooled, rule, period.label, now=now, categories=grid)
                preview.tables.append(protect(counts, rule, ledger=ledger,
                                              recipient=recipient, now=now))
            except PeriodNotClosedError:
                preview.notes.append(f"period {period.label} is still open: nothing would be "
                                     "released for it yet")
            except DisclosureError as exc:
                preview.notes.append(f"period {period.label}: no release ({exc})")
    return out
