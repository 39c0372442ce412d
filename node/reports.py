"""Store, read and list reports. Sealing happens here, so no caller handles raw columns."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from node import audit
from node.context import NodeContext
from node.models.base import utcnow
from node.models.reports import Report
from node.validation import ReportInput

MAX_PAGE = 200


def _context_for(report_id: str, field: str) -> str:
    return f"report:{report_id}:{field}"


def prepare_report(ctx: NodeContext, inp: ReportInput, *,
                   source_key: str | None = None) -> dict[str, Any]:
    """The row to insert for ``inp``: sealed, mapped to ICCS, with its retention deadline.

    All the work of a submission that needs no database happens here, outside any lock.
    """
    report_id = str(uuid.uuid4())
    now = utcnow()
    iccs = inp.iccs_code or ctx.iccs_for(inp.category)
    ring = ctx.keyring
    return {
        "id": report_id,
        "city": ctx.city,
        "source_key": source_key or (f"ext:{inp.external_id}" if inp.external_id else None),
        "received_at": now,
        "occurred_at": inp.occurred_at,
        "local_category": inp.category,
        "iccs_code": iccs,
        "language": inp.language,
        "lat": inp.lat,
        "lon": inp.lon,
        "address_sealed": (ring.seal(inp.address, _context_for(report_id, "address"))
                           if inp.address else None),
        "area": ctx.area_for(inp.lat, inp.lon),
        "description_sealed": ring.seal(inp.description,
                                        _context_for(report_id, "description")),
        "channel": inp.channel,
        "contact_sealed": (ring.seal(inp.reporter_contact, _context_for(report_id, "contact"))
                           if inp.reporter_contact else None),
        "contact_hash": (ring.contact_hash(inp.reporter_contact)
                         if inp.reporter_contact else None),
        "status": "pending",
        "redaction_attempts": 0,
        "retention_until": ctx.retention_until(iccs, now),
    }


def existing_id(session: Session, source_key: str | None) -> str | None:
    if source_key is None:
        return None
    found = session.execute(select(Report.id).where(Report.source_key == source_key)).scalar()
    return None if found is None else str(found)


def insert_prepared(session: Session, row: dict[str, Any]) -> tuple[str, bool]:
    """Insert a prepared row in the caller's transaction. Returns (id, created).

    A row whose source key is already stored is not added; the stored id comes back, so a client
    retrying after a lost response, or a re-run import, never duplicates a report.
    """
    if row["source_key"] is None:
        session.execute(insert(Report), [row])
        return row["id"], True
    try:
        with session.begin_nested():
            session.execute(insert(Report), [row])
    except IntegrityError:
        # Another writer stored the same source key between the caller's check and this insert.
        stored = existing_id(session, row["source_key"])
        if stored is None:
            raise
        return stored, False
    return row["id"], True


def create_report(
    ctx: NodeContext,
    session: Session,
    inp: ReportInput,
    *,
    source_key: str | None = None,
    key_checked: bool = False,
) -> tuple[str, bool]:
    """Add a report in the caller's transaction. Returns (id, created).

    ``key_checked`` means the caller already looked the key up in this transaction (bulk
    import does it for a whole batch in one query); the unique constraint still guards it.
    """
    row = prepare_report(ctx, inp, source_key=source_key)
    if not key_checked:
        stored = existing_id(session, row["source_key"])
        if stored is not None:
            return stored, False
        return insert_prepared(session, row)
    session.execute(insert(Report), [row])
    return row["id"], True


def open_description(ctx: NodeContext, report: Report) -> str | None:
    if report.description_sealed is None:
        return None
    return ctx.keyring.open(report.description_sealed, _context_for(report.id, "description"))


def redacted_view(report: Report) -> dict[str, Any]:
    """What analysts see: never the raw text, never the contact, never exact coordinates."""
    return {
        "id": report.id,
        "city": report.city,
        "received_at": _iso(report.received_at),
        "occurred_at": _iso(report.occurred_at),
        "category": report.local_category,
        "iccs_code": report.iccs_code,
        "language": report.language,
        "area": report.area,
        "channel": report.channel,
        "status": report.status,
        # A pending report has no redacted text yet; it is never shown as redacted.
        "text": report.redacted_text if report.status == "redacted" else None,
        "findings": report.findings_summary if report.status == "redacted" else None,
        "policy_hash": report.policy_hash,
        "retention_until": _iso(report.retention_until),
        "erased": report.erased_at is not None,
    }


def raw_view(ctx: NodeContext, session: Session, report: Report, actor: str) -> dict[str, Any]:
    """The full report, for roles that may see it. Every call is written to the audit log."""
    ring = ctx.keyring
    view = redacted_view(report)
    view.update(
        description=open_description(ctx, report),
        reporter_contact=(
            ring.open(report.contact_sealed, _context_for(report.id, "contact"))
            if report.contact_sealed
            else None
        ),
        location={
            "lat": report.lat,
            "lon": report.lon,
            "address": (
                ring.open(report.address_sealed, _context_for(report.id, "address"))
                if report.address_sealed
                else None
            ),
        },
    )
    audit.append(session, actor, "report.raw_read", report_id=report.id)
    return view


@dataclass(frozen=True)
class ListFilter:
    status: str | None = None
    category: str | None = None
    iccs_code: str | None = None
    language: str | None = None
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None


def encode_cursor(report: Report) -> str:
    raw = f"{report.received_at.isoformat()}|{report.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    """Raises ValueError on anything that is not a cursor this node made."""
    padded = cursor + "=" * (-len(cursor) % 4)
    stamp, report_id = base64.urlsafe_b64decode(padded.encode()).decode().split("|", 1)
    uuid.UUID(report_id)
    return datetime.fromisoformat(stamp), report_id


def list_reports(
    session: Session, flt: ListFilter, *, limit: int, cursor: str | None
) -> tuple[list[Report], str | None]:
    """A page of reports, newest first, with the cursor of the next page (None at the end)."""
    query = select(Report).where(Report.erased_at.is_(None))
    if flt.status:
        query = query.where(Report.status == flt.status)
    if flt.category:
        query = query.where(Report.local_category == flt.category)
    if flt.iccs_code:
        query = query.where(Report.iccs_code.startswith(flt.iccs_code))
    if flt.language:
        query = query.where(Report.language == flt.language)
    if flt.occurred_from:
        query = query.where(Report.occurred_at >= flt.occurred_from)
    if flt.occurred_to:
        query = query.where(Report.occurred_at < flt.occurred_to)
    if cursor:
        stamp, last_id = decode_cursor(cursor)
        query = query.where(
            or_(Report.received_at < stamp, and_(Report.received_at == stamp, Report.id < last_id))
        )
    rows = list(
        session.execute(
            query.order_by(Report.received_at.desc(), Report.id.desc()).limit(limit + 1)
        ).scalars()
    )
    next_cursor = encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    return rows[:limit], next_cursor


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")
