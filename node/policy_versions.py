"""The policy in force: recorded versions, and reload without a restart that fails closed.

Every process of the node (each API worker and the jobs process) holds its own copy of the
policy. A :class:`PolicyWatcher` per process re-reads the policy file every
``policy_check_seconds`` (a setting): a valid new content replaces the policy and is recorded
(hash, file text, who) once per node; an invalid file keeps the last valid policy in force
and says so loudly: an ERROR log line, ``status``'s ``policy`` field and ``GET /api/v1/policy``.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from node import audit
from node.context import NodeContext
from node.db import transaction
from node.models.base import utcnow
from node.models.policy import PolicyVersion
from policies.errors import PolicyError
from policies.loader import load_policy_bytes
from policies.model import Policy

log = logging.getLogger(__name__)

# How often each process looks at the policy file. A DPO's edit takes effect within this time.
WATCHER = "policy_watcher"
IN_FORCE = "in force"
KEPT_LAST_VALID = "invalid file: the last valid policy stays in force"


def record_applied(session: Session, policy: Policy, content: str, actor: str) -> bool:
    """Store ``policy`` as applied unless it is already the latest version; True if stored."""
    latest = session.execute(
        select(PolicyVersion.hash).order_by(PolicyVersion.id.desc()).limit(1)
    ).scalar()
    if latest == policy.hash:
        return False
    session.add(PolicyVersion(
        hash=policy.hash, version=policy.version, city=policy.city, owner=policy.owner,
        source=policy.source[:500], content=content, applied_at=utcnow(), applied_by=actor,
    ))
    audit.append(session, actor, "policy.applied",
                 details={"hash": policy.hash, "version": policy.version,
                          "previous_hash": latest})
    return True


def history(session: Session) -> list[dict[str, Any]]:
    """Every applied version, newest first, without the file text."""
    rows = session.execute(select(PolicyVersion).order_by(PolicyVersion.id.desc())).scalars()
    return [
        {"hash": r.hash, "version": r.version, "city": r.city, "owner": r.owner,
         "source": r.source, "applied_at": r.applied_at.isoformat(), "applied_by": r.applied_by}
        for r in rows
    ]


class PolicyWatcher:
    """Keeps ``ctx.policy`` in step with the policy file, never replacing it with an invalid one."""

    def __init__(self, ctx: NodeContext) -> None:
        self.ctx = ctx
        self.path = Path(ctx.settings.policy_file)
        self._lock = threading.Lock()
        self._seen: str | None = None  # sha256 of the file bytes last looked at
        self._next_check = 0.0
        self.status: dict[str, Any] = self._status(IN_FORCE if ctx.policy else "no policy", [])
        ctx.extras["policy_status"] = self.status

    def _status(self, state: str, problems: list[str]) -> dict[str, Any]:
        policy = self.ctx.policy
        return {
            "state": state,
            "hash": policy.hash if policy else None,
            "version": policy.version if policy else None,
            "file": str(self.path),
            "problems": problems,
            "checked_at": utcnow().replace(microsecond=0).isoformat(),
        }

    def maybe_check(self) -> None:
        """Check the file if ``policy_check_seconds`` have passed since the last check."""
        if time.monotonic() >= self._next_check:
            self.check()

    def check(self, actor: str = "policy-watcher") -> dict[str, Any]:
        """Look at the file now; apply and record a valid change; return the status.

        The first check of a process also records the policy loaded at start-up (once per
        node: an unchanged hash is not stored again).
        """
        with self._lock:
            self._next_check = time.monotonic() + self.ctx.settings.policy_check_seconds
            try:
                raw = self.path.read_bytes()
            except OSError as exc:
                return self._reject([f"{self.path}: cannot read the file ({exc.strerror})"],
                                    actor, digest=None)
            digest = hashlib.sha256(raw).hexdigest()
            if digest == self._seen:
                return self.status
            self._seen = digest
            try:
                policy = load_policy_bytes(raw, str(self.path))
            except PolicyError as exc:
                return self._reject([str(p) for p in exc.problems], actor, digest)
            previous = self.ctx.policy
            self.ctx.policy = policy
            with transaction(self.ctx.sessions) as session:
                record_applied(session, policy, raw.decode("utf-8-sig"), actor)
            if previous is not None and previous.hash != policy.hash:
                log.warning("policy %s (hash %s) is now in force, replacing hash %s",
                            policy.version, policy.hash[:12], previous.hash[:12])
            self._set(IN_FORCE, [])
            return self.status

    def _reject(self, problems: list[str], actor: str, digest: str | None) -> dict[str, Any]:
        already_said = self.status["state"] == KEPT_LAST_VALID and self.status["problems"] == \
            problems
        self._set(KEPT_LAST_VALID, problems)
        if not already_said:
            kept = self.ctx.policy.hash[:12] if self.ctx.policy else "none"
            log.error("the policy file %s is invalid (%d problems); the last valid policy "
                      "(hash %s) stays in force. Run `run_node.py policy check %s`.",
                      self.path, len(problems), kept, self.path)
            with transaction(self.ctx.sessions) as session:
                audit.append(session, actor, "policy.rejected",
                             details={"file": str(self.path), "problems": len(problems),
                                      "file_sha256": digest, "kept_hash": self.status["hash"]})
        return self.status

    def _set(self, state: str, problems: list[str]) -> None:
        self.status = self._status(state, problems)
        self.ctx.extras["policy_status"] = self.status


def install_watcher(ctx: NodeContext) -> None:
    """Context hook: a watcher per process, checked before API requests (throttled)."""
    watcher = PolicyWatcher(ctx)
    ctx.extras[WATCHER] = watcher

    def register(app: Any) -> None:
        from node.api.policy import bp

        app.before_request(watcher.maybe_check)
        app.register_blueprint(bp)

    ctx.extras.setdefault("blueprint_hooks", []).append(register)


def policy_jobs(ctx: NodeContext) -> list[tuple[str, Any, int]]:
    """The jobs process checks the file on a schedule too (it serves no requests)."""
    watcher: PolicyWatcher | None = ctx.extras.get(WATCHER)
    if watcher is None:
        return []
    return [("policy-reload", watcher.check, int(ctx.settings.policy_check_seconds))]
