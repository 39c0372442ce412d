"""A node's part in the federation: its identity, who receives what, and the push round.

The push round (a scheduled job, also ``run_node.py federation push``):

1. make every missing or outdated release of the recent closed periods (``releases``);
2. for each current release and each node its sharing rule names (``recipients_for``), seal it
   once and put it in the persisted outbox, unless that release revision is already there;
3. deliver what is due (``outbox.deliver_due``), with retries and back-off.

Steps 1-2 run in one transaction, so a release and its outbox rows exist together or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import nacl.public
import nacl.signing
from sqlalchemy import select

from federation.envelope import SealedEnvelope, seal_envelope
from federation.errors import NotInRosterError, RosterError
from federation.limits import DEFAULT_LIMITS, FederationLimits
from federation.messages import Message
from federation.roster import Roster
from federation.transport import HttpTransport, Transport
from keys.node_keys import NodeKeys, load_node_keys, passphrase_from_env
from keys.trust_store import load_trusted_roster
from node.context import NodeContext
from node.db import transaction
from node.models.federation import LocalRelease

log = logging.getLogger(__name__)

RELEASE_INTERVAL_SECONDS = 60
DELIVERY_INTERVAL_SECONDS = 5
COORDINATOR_RULE = "coordinator"


class NotFederatedError(Exception):
    """This node has no pinned roots, no trusted roster or no keys yet; says what to run."""


@dataclass(frozen=True)
class Identity:
    """What a node needs to seal and open messages: its id, keys, trusted roster and limits."""

    node_id: str
    keys: NodeKeys
    roster: Roster
    limits: FederationLimits

    @property
    def signing_key(self) -> nacl.signing.SigningKey:
        return self.keys.signing_key

    def decryption_keys(self, now: datetime) -> dict[str, nacl.public.PrivateKey]:
        return self.keys.decryption_keys(now)

    def seal(self, message: Message, recipient: str, now: datetime) -> SealedEnvelope:
        """Sign as this node and encrypt to ``recipient``'s current key in the roster."""
        return seal_envelope(
            message,
            sender=self.node_id,
            signing_key=self.signing_key,
            recipient=recipient,
            recipient_key=self.roster.encryption_key_for(recipient, now),
            now=now,
            lifetime=self.limits.max_message_lifetime,
            limits=self.limits,
        )


def limits_for(ctx: NodeContext) -> FederationLimits:
    """The protocol limits with this node's configured clock skew."""
    return FederationLimits(
        max_message_bytes=DEFAULT_LIMITS.max_message_bytes,
        clock_skew=timedelta(seconds=int(ctx.settings.clock_skew_seconds)),
    )


def load_identity(ctx: NodeContext) -> Identity:
    """The node's federation identity from its home (NotFederatedError if incomplete).

    Keys are cached per process and reloaded when the key list file changes (rotation); the
    roster is re-read each time, so an imported roster takes effect at once.
    """
    home: Path = ctx.settings.home
    limits = limits_for(ctx)
    try:
        signed = load_trusted_roster(home, limits=limits)
    except RosterError as exc:
        raise NotFederatedError(str(exc)) from exc
    if signed is None:
        raise NotFederatedError(
            f"no trusted roster in {home}; run: run_node.py federation roster import FILE "
            f"--home {home}"
        )
    return Identity(str(ctx.settings.node_id), _cached_keys(ctx), signed.roster, limits)


def _cached_keys(ctx: NodeContext) -> NodeKeys:
    key_list = ctx.settings.key_dir / "node-keys.json"
    stamp = key_list.stat().st_mtime_ns if key_list.exists() else None
    cached = ctx.extras.get("federation_keys")
    if cached is not None and cached[0] == stamp:
        return cached[1]  # type: ignore[no-any-return]
    try:
        keys = load_node_keys(ctx.settings.key_dir, passphrase_from_env())
    except Exception as exc:  # every keys/ error says what to do; keep its message
        raise NotFederatedError(f"the node's federation keys cannot be loaded: {exc}") from exc
    ctx.extras["federation_keys"] = (stamp, keys)
    return keys


def recipients_for(rule_name: str, roster: Roster, me: str, now: datetime) -> list[str]:
    """Node ids a sharing rule sends to: every current coordinator, or the named peer."""
    if rule_name == COORDINATOR_RULE:
        names = [m.node_id for m in roster.members if "coordinator" in m.roles and m.active_at(now)]
    else:
        member = roster.member(rule_name)
        names = [rule_name] if member is not None and member.active_at(now) else []
    return [n for n in names if n != me]


def current_local_releases(session: Any) -> list[LocalRelease]:
    """The highest revision of every local release."""
    rows = session.execute(
        select(LocalRelease).order_by(LocalRelease.release_id, LocalRelease.revision)
    ).scalars()
    latest: dict[str, LocalRelease] = {}
    for row in rows:
        latest[row.release_id] = row
    return list(latest.values())


@dataclass(frozen=True)
class PushSummary:
    releases_made: int
    messages_queued: int
    delivered: int
    failed: int
    waiting: int

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def queue_releases(ctx: NodeContext, identity: Identity, *, now: datetime) -> tuple[int, int]:
    """Steps 1-2 of the round: (releases made, messages queued)."""
    from federation.outbox import enqueue, queued_releases
    from federation.releases import as_message, release_due

    me = identity.roster.member(identity.node_id)
    if me is None or "city" not in me.roles:
        return 0, 0  # only city members release figures
    if ctx.policy is None:
        return 0, 0
    # Rules naming no current member release nothing: no budget spent on figures nobody gets.
    rules = [n for n in ctx.policy.sharing
             if recipients_for(n, identity.roster, identity.node_id, now)]
    with transaction(ctx.sessions) as session:
        made = release_due(ctx, session, now=now, rule_names=rules)
        queued = 0
        already = queued_releases(session)
        for local in current_local_releases(session):
            names = recipients_for(local.recipient, identity.roster, identity.node_id, now)
            for recipient in names:
                if (recipient, local.release_id, local.revision) in already:
                    continue
                try:
                    sealed = identity.seal(as_message(local), recipient, now)
                except NotInRosterError as exc:
                    log.warning("not sending %s to %s: %s", local.release_id, recipient, exc)
                    continue
                enqueue(session, sealed, release_id=local.release_id, revision=local.revision,
                        now=now)
                queued += 1
    return len(made), queued


def push_round(
    ctx: NodeContext, *, transport: Transport | None = None, now: datetime | None = None
) -> PushSummary:
    """One full push round (steps 1-3); raises NotFederatedError on an unfederated node."""
    from federation.outbox import deliver_due

    now = now or datetime.now(UTC)
    identity = load_identity(ctx)
    made, queued = queue_releases(ctx, identity, now=now)
    run = deliver_due(ctx, identity, transport or HttpTransport(), now=now)
    return PushSummary(made, queued, run.delivered, run.failed, run.waiting)


def federation_jobs(ctx: NodeContext) -> list[tuple[str, Callable[[], Any], int]]:
    """Scheduled jobs: make and queue releases each minute, deliver the outbox every 5 s."""
    from federation.outbox import deliver_due

    transport = HttpTransport()

    def release_job() -> None:
        from federation.inbox import prune_seen

        now = datetime.now(UTC)
        with transaction(ctx.sessions) as session:
            prune_seen(session, now)
        try:
            made, queued = queue_releases(ctx, load_identity(ctx), now=now)
        except NotFederatedError as exc:
            log.info("federation releases skipped: %s", exc)
            return
        if made or queued:
            log.info("federation: %d releases made, %d messages queued", made, queued)

    def delivery_job() -> None:
        try:
            identity = load_identity(ctx)
        except NotFederatedError:
            return
        run = deliver_due(ctx, identity, transport, now=datetime.now(UTC))
        if run.delivered or run.failed:
            log.info("federation outbox: %d delivered, %d failed, %d waiting",
                     run.delivered, run.failed, run.waiting)

    return [
        ("federation-release", release_job, RELEASE_INTERVAL_SECONDS),
        ("federation-deliver", delivery_job, DELIVERY_INTERVAL_SECONDS),
    ]


def federation_status(ctx: NodeContext, *, now: datetime) -> dict[str, Any]:
    """Counts and ids only (no figures): roster, outbox, local and received releases."""
    from sqlalchemy import func

    from node.models.federation import OutboxMessage, ReceivedRelease

    try:
        identity: Identity | None = load_identity(ctx)
        problem = None
    except NotFederatedError as exc:
        identity, problem = None, str(exc)
    with transaction(ctx.sessions) as session:
        waiting = session.execute(
            select(OutboxMessage.recipient, func.count(), func.max(OutboxMessage.attempts))
            .where(OutboxMessage.delivered_at.is_(None))
            .group_by(OutboxMessage.recipient)
        ).all()
        errors = dict(
            session.execute(
                select(OutboxMessage.recipient, OutboxMessage.last_error).where(
                    OutboxMessage.delivered_at.is_(None), OutboxMessage.last_error.is_not(None)
                )
            ).all()
        )
        delivered = session.execute(
            select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.delivered_at.is_not(None)
            )
        ).scalar_one()
        received = session.execute(
            select(ReceivedRelease.city, func.count(), func.max(ReceivedRelease.received_at))
            .where(ReceivedRelease.superseded.is_(False))
            .group_by(ReceivedRelease.city)
        ).all()
        local = current_local_releases(session)
    return {
        "node_id": str(ctx.settings.node_id),
        "federated": identity is not None,
        "problem": problem,
        "roster_version": None if identity is None else identity.roster.version,
        "outbox": {
            "delivered": delivered,
            "waiting": {
                r: {"messages": n, "attempts": a, "last_error": errors.get(r)}
                for r, n, a in waiting
            },
        },
        "local_releases": sorted(
            ({"release_id": r.release_id, "revision": r.revision, "recipient": r.recipient}
             for r in local),
            key=lambda d: str(d["release_id"]),
        ),
        "received": {
            city: {"releases": n, "last_received_at": at.isoformat()} for city, n, at in received
        },
        "checked_at": now.isoformat(),
    }
