"""The persisted outbox: sealed messages wait here until their recipient acknowledges them.

Delivery is at least once; the recipient's inbox makes it exactly once (it refuses a message id
it already accepted as replayed, which the outbox counts as delivered). A failed attempt waits
``backoff(attempts)``: 5 s doubling up to an hour, so a peer that is down for hours gets
everything within an hour of coming back. A message that would expire before delivery is
re-sealed from its stored release (new message id, same release id and revision).

No database transaction is held while sending: SQLite would lock the node for the whole call.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from federation.envelope import SealedEnvelope
from federation.errors import NotInRosterError
from federation.exchange import Identity
from federation.transport import (
    INBOX_PATH,
    PeerRejectedError,
    Transport,
    TransportError,
    endpoint_url,
)
from node.context import NodeContext
from node.db import transaction
from node.models.federation import LocalRelease, OutboxMessage

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(seconds=5)
LONGEST_RETRY = timedelta(hours=1)
RESEAL_MARGIN = timedelta(hours=1)
BATCH = 100
# The recipient already accepted this message id (our earlier attempt's answer was lost).
ALREADY_THERE = frozenset({"replayed_message"})


def backoff(attempts: int) -> timedelta:
    """Wait after ``attempts`` failures: exponential from 5 s, at most an hour, ±10 % jitter."""
    base = min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_RETRY)
    return base * random.uniform(0.9, 1.1)  # noqa: S311 (spreading retries, not secrecy)


def enqueue(
    session: Session,
    sealed: SealedEnvelope,
    *,
    now: datetime,
    release_id: str | None = None,
    revision: int | None = None,
) -> OutboxMessage:
    """Persist a sealed message for delivery in the caller's transaction (due at once)."""
    row = OutboxMessage(
        message_id=sealed.message_id,
        recipient=sealed.recipient,
        message_type=sealed.message_type,
        sealed=sealed.raw,
        release_id=release_id,
        revision=revision,
        created_at=now,
        expires_at=sealed.expires_at,
        attempts=0,
        next_attempt_at=now,
    )
    session.add(row)
    session.flush()
    return row


def queued_releases(session: Session) -> set[tuple[str, str, int]]:
    """(recipient, release id, revision) of every release already put in the outbox."""
    rows = session.execute(
        select(OutboxMessage.recipient, OutboxMessage.release_id, OutboxMessage.revision).where(
            OutboxMessage.release_id.is_not(None)
        )
    ).all()
    return {(r, str(i), int(v)) for r, i, v in rows}


@dataclass(frozen=True)
class DeliveryRun:
    delivered: int
    failed: int
    waiting: int  # undelivered messages left after this run (due later)


def deliver_due(
    ctx: NodeContext, identity: Identity, transport: Transport, *, now: datetime
) -> DeliveryRun:
    """Send every due message once; record success or the failure and the next attempt time."""
    with transaction(ctx.sessions) as session:
        _reseal_expiring(session, identity, now)
        due = session.execute(
            select(OutboxMessage.id, OutboxMessage.recipient, OutboxMessage.sealed)
            .where(OutboxMessage.delivered_at.is_(None), OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.id)
            .limit(BATCH)
        ).all()
    delivered = failed = 0
    for row_id, recipient, sealed in due:
        error = _send(identity, transport, recipient, sealed)
        with transaction(ctx.sessions) as session:
            row = session.get(OutboxMessage, row_id)
            if row is None:
                continue
            if error is None:
                row.delivered_at = now
                row.last_error = None
                delivered += 1
            else:
                row.attempts += 1
                row.last_error = error[:300]
                row.next_attempt_at = now + backoff(row.attempts)
                failed += 1
    with transaction(ctx.sessions) as session:
        waiting = len(
            session.execute(
                select(OutboxMessage.id).where(OutboxMessage.delivered_at.is_(None))
            ).all()
        )
    return DeliveryRun(delivered, failed, waiting)


def _send(identity: Identity, transport: Transport, recipient: str, sealed: bytes) -> str | None:
    """None on success, else a plain reason (never message content) for ``last_error``."""
    member = identity.roster.member(recipient)
    if member is None:
        return f"{recipient} is not in the trusted roster"
    try:
        transport.send(endpoint_url(member.endpoint, INBOX_PATH), sealed)
    except PeerRejectedError as exc:
        if exc.code in ALREADY_THERE:
            return None
        log.warning("%s refused a message: %s %s", recipient, exc.status, exc.code)
        return f"refused: {exc.status} {exc.code}: {exc.message}"
    except TransportError as exc:
        return f"unreachable: {exc}"
    return None


def _reseal_expiring(session: Session, identity: Identity, now: datetime) -> None:
    rows = session.execute(
        select(OutboxMessage).where(
            OutboxMessage.delivered_at.is_(None),
            OutboxMessage.expires_at <= now + RESEAL_MARGIN,
            OutboxMessage.release_id.is_not(None),
        )
    ).scalars()
    from federation.releases import as_message

    for row in rows:
        local = session.execute(
            select(LocalRelease).where(
                LocalRelease.release_id == row.release_id, LocalRelease.revision == row.revision
            )
        ).scalar_one_or_none()
        if local is None:
            continue
        try:
            sealed = identity.seal(as_message(local), row.recipient, now)
        except NotInRosterError as exc:
            row.last_error = f"not re-sealed: {exc}"[:300]
            continue
        row.message_id, row.sealed = sealed.message_id, sealed.raw
        row.expires_at = sealed.expires_at
