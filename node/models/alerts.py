"""Early-warning alerts found by the coordinator's job, and whether each was sent to its cities."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from node.models.base import Base, UTCDateTime

# pending_send: stored, not yet handed to the outbox (node not federated yet, or a city whose
# node is unknown); queued: one signed Alert message per affected city is in the outbox;
# received: on a city node, an alert a coordinator sent.
SEND_STATUSES = ("pending_send", "queued", "received")


class EarlyWarningAlert(Base):
    """One alert: a city's unusual rise (kind "city") or an EU pattern (kind "eu").

    ``alert_id`` is derived from kind, category, period and cities, so the job can run again and
    again without storing an alert twice.
    """

    __tablename__ = "ew_alerts"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    alert_id: Mapped[str] = mapped_column(String(128), unique=True)
    kind: Mapped[str] = mapped_column(String(8))
    category: Mapped[str] = mapped_column(String(16), index=True)
    period: Mapped[str] = mapped_column(String(16), index=True)
    cities: Mapped[list[str]] = mapped_column(JSON)
    severity: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(String(500))
    # Only released figures and statistics computed from them (early_warning.Alert.as_dict()).
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    send_status: Mapped[str] = mapped_column(String(16), default="pending_send")
    # city -> outbox message id (or why it could not be queued)
    deliveries: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
