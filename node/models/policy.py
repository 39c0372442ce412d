"""Every policy the node applied: its hash, label, file text, when and by whom."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from node.models.base import Base, UTCDateTime


class PolicyVersion(Base):
    """One application of a policy; re-applying an earlier file adds a new row."""

    __tablename__ = "policy_versions"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    # sha256 of the canonical content (policies.loader.policy_hash): what reports record.
    hash: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[str] = mapped_column(String(100))
    city: Mapped[str] = mapped_column(String(40))
    owner: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(500))
    # The file as the DPO wrote it, comments included: the proof of what was applied.
    content: Mapped[str] = mapped_column(Text)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime())
    applied_by: Mapped[str] = mapped_column(String(160))


class AggregateRevision(Base):
    """A released cell that counted a report later erased: the next release must revise it.

    Holds only the cell's coordinates (no report id, nothing personal); the release builder
    sets ``revised_in`` when a release carries the corrected figure.
    """

    __tablename__ = "aggregate_revisions"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    iccs_code: Mapped[str | None] = mapped_column(String(8))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    area: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revised_in: Mapped[str | None] = mapped_column(String(64))
