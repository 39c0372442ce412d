"""The node's status in one dict: for `run_node.py status` and `GET /api/v1/status`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from node.context import NodeContext
from node.db import pending_migrations, transaction
from node.models.reports import Report


def node_status(ctx: NodeContext) -> dict[str, Any]:
    with transaction(ctx.sessions) as session:
        counts = {
            status: int(n)
            for status, n in session.execute(
                select(Report.status, func.count())
                .where(Report.erased_at.is_(None))
                .group_by(Report.status)
            )
        }
        oldest_pending = session.execute(
            select(func.min(Report.received_at)).where(Report.status == "pending")
        ).scalar()
    info: dict[str, Any] = {
        "node_id": ctx.settings.node_id,
        "city": ctx.city,
        "database": ctx.engine.dialect.name,
        "schema_up_to_date": not pending_migrations(ctx.engine),
        "reports": {"pending": counts.get("pending", 0), "redacted": counts.get("redacted", 0)},
        "oldest_pending": None if oldest_pending is None else oldest_pending.isoformat(),
        "data_key": ctx.keyring.active_id,
        "policy": ctx.extras.get("policy_status", {"hash": ctx.policy_hash}),
    }
    return info
