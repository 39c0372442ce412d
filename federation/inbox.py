"""Receiving sealed messages: open (all checks in ``federation.envelope``), store, remember.

``receive`` opens the envelope with the node's keys and trusted roster, asks the persisted
seen-ids table about replay, hands the verified message to the handler of its type, and records
the message id as seen in the same transaction, after the handler stored it. Any failure rolls
the whole transaction back: nothing of a rejected message is stored.

Handlers per message type live in ``INBOX_HANDLERS``; other areas add theirs (e.g. alerts).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from federation.envelope import OpenedMessage, open_envelope
from federation.errors import EnvelopeError, ReplayedMessageError
from federation.exchange import Identity
from federation.messages import AggregateRelease
from node.context import NodeContext
from node.db import transaction
from node.models.federation import ReceivedRelease, SeenMessage


class InboxError(Exception):
    """A verified message that this node still cannot accept (e.g. a release naming another
    node than its signer); ``code`` is the API error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Receipt:
    """What happened to an accepted message: ``stored`` or ``duplicate`` (already held)."""

    status: str
    message_id: str
    message_type: str
    sender: str

    def as_dict(self) -> dict[str, str]:
        return dict(self.__dict__)


Handler = Callable[[Session, OpenedMessage, datetime], str]


def store_release(session: Session, opened: OpenedMessage, now: datetime) -> str:
    """Keep a verified release with its signed bytes; a higher revision supersedes lower ones."""
    release = opened.message
    assert isinstance(release, AggregateRelease)  # the envelope parsed it by its type
    if release.node_id != opened.sender:
        raise InboxError(
            "release_sender_mismatch",
            f"expected a release of the signing node {opened.sender}, got one naming "
            f"{release.node_id}",
        )
    same = select(ReceivedRelease).where(
        ReceivedRelease.sender == opened.sender, ReceivedRelease.release_id == release.release_id
    )
    held = list(session.execute(same).scalars())
    if any(r.revision == release.revision for r in held):
        return "duplicate"
    newest = max((r.revision for r in held), default=0)
    session.add(
        ReceivedRelease(
            release_id=release.release_id,
            sender=opened.sender,
            city=release.city,
            period=release.period,
            revision=release.revision,
            message_type=opened.message_type,
            message_id=opened.message_id,
            signed_record=opened.signed_record,
            payload=release.to_dict(),
            created_at=release.created_at,
            received_at=now,
            superseded=release.revision < newest,
        )
    )
    if release.revision > newest:
        session.execute(
            update(ReceivedRelease)
            .where(
                ReceivedRelease.sender == opened.sender,
                ReceivedRelease.release_id == release.release_id,
                ReceivedRelease.revision < release.revision,
            )
            .values(superseded=True)
        )
    return "stored"


INBOX_HANDLERS: dict[str, Handler] = {AggregateRelease.MESSAGE_TYPE: store_release}


def receive(ctx: NodeContext, identity: Identity, raw: bytes, *, now: datetime) -> Receipt:
    """Open, store and remember one message. Raises an EnvelopeError subclass or InboxError
    (nothing stored), or ExpiredRosterError when this node's own roster has expired."""
    try:
        with transaction(ctx.sessions) as session:
            opened = open_message(session, identity, raw, now=now,
                                  expected_types=tuple(INBOX_HANDLERS))
            status = INBOX_HANDLERS[opened.message_type](session, opened, now)
            remember(session, opened, now)
    except IntegrityError as exc:
        # Two deliveries of one message raced; the other one stored it.
        raise ReplayedMessageError("this message was accepted by a concurrent delivery") from exc
    return Receipt(status, opened.message_id, opened.message_type, opened.sender)


def open_message(
    session: Session,
    identity: Identity,
    raw: bytes,
    *,
    now: datetime,
    expected_types: tuple[str, ...],
) -> OpenedMessage:
    """``open_envelope`` with this node's keys, roster, limits and persisted seen ids."""

    def seen(message_id: str) -> bool:
        return session.get(SeenMessage, message_id) is not None

    return open_envelope(
        raw,
        roster=identity.roster,
        my_node_id=identity.node_id,
        my_decryption_keys=identity.decryption_keys(now),
        now=now,
        seen=seen,
        expected_types=expected_types,
        limits=identity.limits,
    )


def remember(session: Session, opened: OpenedMessage, now: datetime) -> None:
    """Record the message id as seen (call after storing what the message carried)."""
    session.add(
        SeenMessage(
            message_id=opened.message_id,
            sender=opened.sender,
            message_type=opened.message_type,
            received_at=now,
            expires_at=opened.expires_at,
        )
    )
    session.flush()


def prune_seen(session: Session, now: datetime) -> int:
    """Forget seen ids whose messages have expired (the envelope rejects those anyway)."""
    rows = session.execute(select(SeenMessage).where(SeenMessage.expires_at < now)).scalars()
    count = 0
    for row in rows:
        session.delete(row)
        count += 1
    return count


def error_code(exc: EnvelopeError) -> str:
    """``TamperedCiphertextError`` -> ``tampered_ciphertext``: the API error code."""
    name = type(exc).__name__.removesuffix("Error")
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
