"""Data-subject requests: erase a report or everything of one contact; export what is held.

A contact is matched only through its keyed hash (``DataKeyring.contact_hash``): the value
given is never stored, logged or echoed. Each erasure writes a receipt to the audit log (ids and
what was deleted) and, for a report already counted in statistics, a cell to revise in the next
release (``AggregateRevision``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from node import audit
from node.context import NodeContext
from node.models.base import utcnow
from node.models.policy import AggregateRevision
from node.models.reports import Report
from node.reports import raw_view
from node.retention import WHOLE, clear_values


class SubjectRequestError(Exception):
    """A data-subject request names nothing the node holds, or nothing usable."""


def reports_of_contact(ctx: NodeContext, session: Session, contact: str) -> list[Report]:
    """Live reports whose reporter contact matches ``contact`` (after normalisation)."""
    if not contact.strip():
        raise SubjectRequestError("expected a contact value (e-mail or phone), got nothing")
    digest = ctx.keyring.contact_hash(contact)
    return list(session.execute(
        select(Report).where(Report.contact_hash == digest, Report.erased_at.is_(None))
        .order_by(Report.received_at)
    ).scalars())


def erase_reports(session: Session, reports: list[Report], *, actor: str, request: str,
                  now: datetime | None = None) -> dict[str, Any]:
    """Erase ``reports`` in the caller's transaction; returns the receipt (no personal data)."""
    now = now or utcnow()
    receipt: dict[str, Any] = {"request": request, "erased_at": now.isoformat(),
                               "reports": [], "cells_to_revise": 0}
    for report in reports:
        counted = report.status == "redacted"
        session.execute(update(Report).where(Report.id == report.id)
                        .values(**clear_values((WHOLE,), now)))
        if counted:
            session.add(AggregateRevision(iccs_code=report.iccs_code,
                                          occurred_at=report.occurred_at, area=report.area,
                                          reason="erasure", created_at=now))
            receipt["cells_to_revise"] += 1
        entry = audit.append(session, actor, "subject.erased", report_id=report.id,
                             details={"request": request, "deleted": ["raw_text", "address",
                                      "coordinates", "contact", "redacted_text"],
                                      "aggregates_to_revise": counted})
        receipt["reports"].append({"id": report.id, "audit_seq": entry.seq,
                                   "audit_hash": entry.hash})
    return receipt


def erase_report(ctx: NodeContext, session: Session, report_id: str, *,
                 actor: str) -> dict[str, Any]:
    """Erase one report by id; raises :class:`SubjectRequestError` if there is none to erase."""
    report = session.get(Report, report_id)
    if report is None or report.erased_at is not None:
        raise SubjectRequestError(f"expected the id of a report the node holds, got {report_id!r}"
                                  " (unknown or already erased)")
    return erase_reports(session, [report], actor=actor, request="report")


def erase_contact(ctx: NodeContext, session: Session, contact: str, *,
                  actor: str) -> dict[str, Any]:
    """Erase every live report of a contact (possibly none: the receipt says so)."""
    return erase_reports(session, reports_of_contact(ctx, session, contact), actor=actor,
                         request="contact")


def export_subject(ctx: NodeContext, session: Session, contact: str, *,
                   actor: str) -> dict[str, Any]:
    """Everything the node holds about the reporter with ``contact``, for handing to them.

    Each report read is audited as a raw read; the export itself gets one audit entry.
    """
    reports = reports_of_contact(ctx, session, contact)
    items = [raw_view(ctx, session, r, actor) for r in reports]
    audit.append(session, actor, "subject.exported", details={"reports": len(items)})
    return {"exported_at": utcnow().isoformat(), "reports": items,
            "note": "Raw and redacted text, contact and location of each report this node "
                    "holds for the contact given. Statistics released to other nodes hold "
                    "no personal data."}
