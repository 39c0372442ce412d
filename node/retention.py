"""Retention: remove what the policy says must not be kept any longer.

Per report, from its ICCS category's rule (``policies.model.RetentionRules``), counted from
when the node received it:
- raw text expired: the sealed description, address and exact coordinates are deleted
  (the coarse area stays for statistics);
- contact expired: the sealed contact and its keyed hash are deleted;
- redacted text expired: everything above plus the redacted text; the report is marked erased.
A report still pending when its raw text expires can never be redacted: it is erased whole.
Each run writes counts, never content, to the audit log.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from node import audit
from node.context import NodeContext
from node.db import transaction
from node.models.base import utcnow
from node.models.reports import Report
from policies.model import Policy

RAW, CONTACT, WHOLE = "raw_text", "contact", "whole_report"
# Retention is in days; checking hourly keeps anything at most an hour past its time.
RETENTION_INTERVAL_SECONDS = 3600
BATCH = 500

# What each kind of expiry clears.
_CLEARED: dict[str, dict[str, Any]] = {
    RAW: {"description_sealed": None, "address_sealed": None, "lat": None, "lon": None},
    CONTACT: {"contact_sealed": None, "contact_hash": None},
}


@dataclass(frozen=True)
class Expiry:
    """What is due to go from one report; ids and categories only."""

    report_id: str
    iccs_code: str | None
    received_at: datetime
    parts: tuple[str, ...]


def due(session: Session, policy: Policy, now: datetime) -> list[Expiry]:
    """Every report with something past its retention at ``now``."""
    periods = [policy.retention.default, *policy.retention.by_code.values()]
    shortest = min(min(p.raw_text_days, p.contact_days, p.redacted_text_days) for p in periods)
    rows = session.execute(
        select(Report.id, Report.iccs_code, Report.received_at, Report.status,
               Report.description_sealed.is_not(None) | Report.address_sealed.is_not(None),
               Report.contact_sealed.is_not(None) | Report.contact_hash.is_not(None))
        .where(Report.erased_at.is_(None), Report.received_at <= now - timedelta(days=shortest))
        .order_by(Report.received_at)
    )
    out = []
    for report_id, code, received, status, has_raw, has_contact in rows:
        period = policy.retention.for_category(code)
        age = now - received
        parts: list[str] = []
        raw_expired = age >= timedelta(days=period.raw_text_days)
        if age >= timedelta(days=period.redacted_text_days) or (raw_expired and
                                                                 status == "pending"):
            parts.append(WHOLE)
        else:
            if raw_expired and has_raw:
                parts.append(RAW)
            if age >= timedelta(days=period.contact_days) and has_contact:
                parts.append(CONTACT)
        if parts:
            out.append(Expiry(report_id, code, received, tuple(parts)))
    return out


def clear_values(parts: tuple[str, ...], now: datetime) -> dict[str, Any]:
    """Column values that delete ``parts`` of a report (``WHOLE`` deletes all of them)."""
    values: dict[str, Any] = {}
    for part in (RAW, CONTACT) if WHOLE in parts else parts:
        values.update(_CLEARED[part])
    if WHOLE in parts:
        values.update(redacted_text=None, findings_summary=None, erased_at=now)
    return values


def enforce(ctx: NodeContext, *, now: datetime | None = None,
            actor: str = "retention-job") -> Counter[str]:
    """Delete everything due; one audit entry with the counts per part. Returns the counts."""
    if ctx.policy is None:
        return Counter()
    now = now or utcnow()
    with transaction(ctx.sessions) as session:
        expiries = due(session, ctx.policy, now)
    counts: Counter[str] = Counter()
    for start in range(0, len(expiries), BATCH):
        with transaction(ctx.sessions) as session:
            for item in expiries[start:start + BATCH]:
                # An erasure or another run in between wins: only still-live rows change.
                changed = session.execute(
                    update(Report).where(Report.id == item.report_id,
                                         Report.erased_at.is_(None))
                    .values(**clear_values(item.parts, now))
                ).rowcount
                if changed:
                    counts.update(item.parts)
    if counts:
        with transaction(ctx.sessions) as session:
            audit.append(session, actor, "retention.enforced",
                         details={"counts": dict(counts), "policy_hash": ctx.policy.hash})
    return counts


def retention_jobs(ctx: NodeContext) -> list[tuple[str, Any, int]]:
    """The scheduled retention job."""
    return [("retention", lambda: enforce(ctx), RETENTION_INTERVAL_SECONDS)]

