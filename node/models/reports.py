"""Citizen incident reports. Description and contact are stored sealed (see keys/at_rest.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from node.models.base import Base, UTCDateTime

STATUSES = ("pending", "redacted")


class Report(Base):
    __tablename__ = "reports"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    city: Mapped[str] = mapped_column(String(40))
    # Idempotency key: the back-office system's own id, or a keyed hash of an imported row.
    source_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    local_category: Mapped[str] = mapped_column(String(120))
    iccs_code: Mapped[str | None] = mapped_column(String(8))
    language: Mapped[str] = mapped_column(String(8))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    # Address text is personal data like the description: kept sealed.
    address_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    area: Mapped[str | None] = mapped_column(String(64))
    description_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    channel: Mapped[str] = mapped_column(String(20))
    contact_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    contact_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    redacted_text: Mapped[str | None] = mapped_column(Text)
    # Entity type -> count found; never the values.
    findings_summary: Mapped[dict[str, int] | None] = mapped_column(JSON)
    policy_hash: Mapped[str | None] = mapped_column(String(64))
    redacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    redaction_attempts: Mapped[int] = mapped_column(default=0)
    retention_until: Mapped[datetime] = mapped_column(UTCDateTime())
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_reports_status_received", "status", "received_at"),
        Index("ix_reports_occurred", "occurred_at"),
    )
