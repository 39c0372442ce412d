"""Re-encrypt stored values with the active data key (after a rotation)."""

from __future__ import annotations

from sqlalchemy import select

from node.context import NodeContext
from node.db import transaction
from node.models.reports import Report

_FIELDS = (
    ("description_sealed", "description"),
    ("contact_sealed", "contact"),
    ("address_sealed", "address"),
)


def reseal_all(ctx: NodeContext, batch: int = 500) -> int:
    """Re-encrypt every value not yet under the active key; returns how many were changed."""
    ring = ctx.keyring
    changed = 0
    last_id = ""
    while True:
        with transaction(ctx.sessions) as session:
            rows = list(
                session.execute(
                    select(Report).where(Report.id > last_id).order_by(Report.id).limit(batch)
                ).scalars()
            )
            if not rows:
                return changed
            for report in rows:
                for column, label in _FIELDS:
                    blob = getattr(report, column)
                    if blob is None or ring.key_id_of(blob) == ring.active_id:
                        continue
                    context = f"report:{report.id}:{label}"
                    setattr(report, column, ring.seal(ring.open(blob, context), context))
                    changed += 1
            last_id = rows[-1].id
