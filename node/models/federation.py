"""Federation tables: outbox, seen message ids, received and local releases, the ε ledger.

Nothing personal is stored here: releases hold only disclosure-controlled figures, and
``outbox.last_error`` holds a plain reason (error class, HTTP status), never a message body.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from node.models.base import Base, UTCDateTime


class OutboxMessage(Base):
    """A sealed message waiting for (or done with) delivery to one recipient node."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(String(32), unique=True)
    recipient: Mapped[str] = mapped_column(String(64))
    message_type: Mapped[str] = mapped_column(String(64))
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    # The local release this message carries (release id, revision), to re-seal it if it expires.
    release_id: Mapped[str | None] = mapped_column(String(128))
    revision: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(300))

    __table_args__ = (Index("ix_outbox_due", "delivered_at", "next_attempt_at"),)


class SeenMessage(Base):
    """A message id accepted from a sender: replay protection that survives restarts."""

    __tablename__ = "seen_messages"

    message_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sender: Mapped[str] = mapped_column(String(64))
    message_type: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # After this the envelope would be rejected as expired anyway, so the row may be pruned.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReceivedRelease(Base):
    """A verified release from another node, with the signed bytes to re-verify it offline."""

    __tablename__ = "received_releases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    release_id: Mapped[str] = mapped_column(String(128))
    sender: Mapped[str] = mapped_column(String(64))
    city: Mapped[str] = mapped_column(String(100))
    period: Mapped[str] = mapped_column(String(16))
    revision: Mapped[int] = mapped_column(Integer)
    message_type: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(String(32))
    signed_record: Mapped[bytes] = mapped_column(LargeBinary)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        UniqueConstraint("sender", "release_id", "revision", name="uq_received_releases_revision"),
        Index("ix_received_releases_current", "superseded", "period"),
    )


class LocalRelease(Base):
    """A release this node computed for one sharing rule (recipient) and period."""

    __tablename__ = "local_releases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    release_id: Mapped[str] = mapped_column(String(128))
    recipient: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(16))
    revision: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    policy_hash: Mapped[str] = mapped_column(String(80))
    # SHA-256 of the true counts: a recount that differs (erasure, late redaction) is a revision.
    counts_digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("release_id", "revision", name="uq_local_releases_revision"),
    )


class BudgetEntry(Base):
    """ε spent on one release for one recipient and period (the disclosure budget ledger)."""

    __tablename__ = "budget_ledger"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    recipient: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(16))
    epsilon: Mapped[float] = mapped_column(Float)
    release_id: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_budget_ledger_recipient_period", "recipient", "period"),)
