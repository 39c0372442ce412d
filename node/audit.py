"""Append to and verify the hash-chained audit log.

Each entry's hash covers its content and the previous entry's hash, so editing or deleting a
row breaks the chain from that row on. Writers first bump the single ``audit_head`` row, which
takes the write lock (SQLite) or a row lock (PostgreSQL) and so keeps the chain linear when
several server processes append at once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from node.models.audit import AuditEntry, AuditHead
from node.models.base import utcnow

GENESIS = "0" * 64


def _entry_hash(
    prev_hash: str,
    seq: int,
    at: str,
    actor: str,
    action: str,
    report_id: str | None,
    details: dict[str, Any],
) -> str:
    body = json.dumps(
        [seq, at, actor, action, report_id, details], sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(prev_hash.encode() + b"\x00" + body.encode()).hexdigest()


def append(
    session: Session,
    actor: str,
    action: str,
    *,
    report_id: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add one entry in the caller's transaction. ``details`` must hold no personal data."""
    details = dict(details or {})
    bumped = session.execute(
        update(AuditHead).where(AuditHead.id == 1).values(last_seq=AuditHead.last_seq + 1)
    )
    if bumped.rowcount == 0:
        session.add(AuditHead(id=1, last_seq=1, last_hash=GENESIS))
        session.flush()
    head = session.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one()
    session.refresh(head)
    at = utcnow().replace(microsecond=0)
    digest = _entry_hash(
        head.last_hash, head.last_seq, at.isoformat(), actor, action, report_id, details
    )
    entry = AuditEntry(
        seq=head.last_seq,
        at=at,
        actor=actor,
        action=action,
        report_id=report_id,
        details=details,
        prev_hash=head.last_hash,
        hash=digest,
    )
    session.add(entry)
    head.last_hash = digest
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    problem: str


def verify(session: Session) -> list[ChainProblem]:
    """Walk the chain; report every edited, inserted or deleted entry (empty list = intact)."""
    problems: list[ChainProblem] = []
    expected_prev = GENESIS
    expected_seq = 1
    for entry in session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars():
        if entry.seq != expected_seq:
            problems.append(
                ChainProblem(
                    expected_seq, f"entries {expected_seq}..{entry.seq - 1} are missing (deleted)"
                )
            )
        if entry.prev_hash != expected_prev:
            problems.append(ChainProblem(entry.seq, "does not link to the entry before it"))
        recomputed = _entry_hash(
            entry.prev_hash,
            entry.seq,
            entry.at.isoformat(),
            entry.actor,
            entry.action,
            entry.report_id,
            entry.details,
        )
        if recomputed != entry.hash:
            problems.append(ChainProblem(entry.seq, "content was changed after it was written"))
        expected_prev = entry.hash
        expected_seq = entry.seq + 1
    head = session.get(AuditHead, 1)
    if head is not None and (head.last_seq != expected_seq - 1 or head.last_hash != expected_prev):
        problems.append(ChainProblem(head.last_seq, "the newest entries were deleted"))
    return problems
