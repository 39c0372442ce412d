"""Bearer tokens with roles, and the one table of which role may call which endpoint.

Tokens are random, high-entropy strings, so a plain SHA-256 of each (not a slow password hash)
is enough to store them safely and look them up in one indexed query.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from node import audit
from node.models.auth import ApiToken
from node.models.base import utcnow

ROLES: dict[str, str] = {
    "officer": "police officer: submits reports, reads them raw (audited) to follow them up",
    "analyst": "police analyst: reads redacted reports and local statistics",
    "dpo": "data-protection officer: policy, audit log, raw reads (audited), erasure",
    "coordinator": "EU coordinator: federated aggregates and alerts",
    "admin": "node operator: everything a local role can do",
    "peer": "another federation node: delivers signed messages",
}
TOKEN_PREFIX = "i2t_"  # noqa: S105 - a visible prefix, not a secret
# How often one token's use is written to the audit log (every request would swamp it).
TOKEN_USE_AUDIT_INTERVAL = timedelta(hours=1)


@dataclass(frozen=True)
class Principal:
    token_id: int
    role: str
    label: str

    @property
    def actor(self) -> str:
        return f"token:{self.token_id}:{self.role}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(session: Session, role: str, label: str, actor: str = "cli") -> tuple[str, int]:
    """Create a token; returns the secret (shown once) and its id."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(token_hash=hash_token(secret), role=role, label=label, created_at=utcnow())
    session.add(row)
    session.flush()
    audit.append(session, actor, "token.created", details={"token_id": row.id, "role": role})
    return secret, row.id


def authenticate(session: Session, token: str) -> Principal | None:
    """The principal for ``token``, or None if unknown or revoked.

    Audits use (throttled) and commits that entry itself, so callers can use a read-only session.
    """
    row = session.execute(
        select(ApiToken).where(ApiToken.token_hash == hash_token(token))
    ).scalar_one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    now = utcnow()
    if row.last_audited_at is None or now - row.last_audited_at >= TOKEN_USE_AUDIT_INTERVAL:
        row.last_audited_at = now
        audit.append(
            session, f"token:{row.id}:{row.role}", "token.used", details={"token_id": row.id}
        )
        session.commit()
    return Principal(row.id, row.role, row.label)
