"""Record changes to the node's settings in the audit log, once per change."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select

from node import audit
from node.context import NodeContext
from node.db import transaction
from node.models.audit import AuditEntry

ACTION = "settings.changed"


def record_settings_change(ctx: NodeContext, actor: str = "node") -> list[str]:
    """Compare the settings in force with the last recorded ones; audit what changed.

    Returns the names of changed settings (all of them on first start). Values are stored as
    shown by ``Settings.public_dict`` (credentials in a database URL are hidden).
    """
    shown: dict[str, Any] = ctx.settings.public_dict()
    digest = hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode()).hexdigest()
    with transaction(ctx.sessions) as session:
        last = session.execute(
            select(AuditEntry).where(AuditEntry.action == ACTION)
            .order_by(AuditEntry.seq.desc()).limit(1)
        ).scalar_one_or_none()
        if last is not None and last.details.get("hash") == digest:
            return []
        before: dict[str, Any] = dict(last.details.get("values", {})) if last else {}
        changed = sorted(k for k in shown if before.get(k) != _jsonable(shown[k]))
        audit.append(session, actor, ACTION,
                     details={"hash": digest, "changed": changed,
                              "values": {k: _jsonable(v) for k, v in shown.items()}})
    return changed


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))
