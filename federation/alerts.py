"""The coordinator's early-warning job: rises in the cities' released counts, stored and sent.

Reads only the verified releases the node received (``received_releases``, current revisions),
builds each city × ICCS category monthly series with ``early_warning.series_from_eu_table``,
tests every period with ``early_warning.detect_rises`` and groups rises into EU patterns. A
suppressed cell is never tested and never appears in an alert (see federation/early_warning.py).

Each alert goes to the affected cities as a signed ``Alert`` message through the outbox. The
message to one city carries that city's own figures and statistics only, plus the names of the
other cities rising in the same category: another city's figures were released to the
coordinator under that city's sharing rule, not to its peers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from federation.early_warning import (
    Alert,
    EarlyWarningConfig,
    EUAlert,
    detect_eu_patterns,
    detect_rises,
    series_from_eu_table,
)
from federation.eu_merge import merge_releases
from node.models.alerts import EarlyWarningAlert
from node.models.base import utcnow
from node.models.federation import ReceivedRelease

log = logging.getLogger(__name__)

JOB_ID = "early-warning"
JOB_INTERVAL_SECONDS = 60


@dataclass(frozen=True)
class Findings:
    """What one run of the detector found over every period of the received releases."""

    rises: tuple[Alert, ...]
    patterns: tuple[EUAlert, ...]


def current_releases(session: Session) -> list[dict[str, Any]]:
    """The received releases not superseded by a later revision, as ``merge_releases`` input."""
    rows = session.execute(
        select(ReceivedRelease).where(ReceivedRelease.superseded.is_(False))
    ).scalars()
    return [
        {
            "city": row.city,
            "release_id": row.release_id,
            "revision": row.revision,
            "cells": list(row.payload.get("cells", [])),
        }
        for row in rows
    ]


def find_alerts(
    releases: Sequence[dict[str, Any]], config: EarlyWarningConfig | None = None
) -> Findings:
    """Rises per city × category for every released period, and the EU patterns among them."""
    config = config or EarlyWarningConfig()
    if not releases:
        return Findings((), ())
    table = merge_releases(releases, {r["city"] for r in releases})
    series = series_from_eu_table(table)
    periods = sorted({cell["period"] for r in releases for cell in r["cells"]})
    rises: list[Alert] = []
    for period in periods:
        if len(period) != 7:  # months only: the baseline is the twelve months before
            continue
        rises.extend(detect_rises(series, period, config))
    return Findings(tuple(rises), tuple(detect_eu_patterns(rises, config)))


def city_alert_id(alert: Alert) -> str:
    """Stable id of a city's rise, so re-running the job never stores it twice."""
    return f"ew-city-{alert.city}-{alert.category}-{alert.period}"


def eu_alert_id(pattern: EUAlert) -> str:
    """Stable id of an EU pattern (the cities are part of it: one more city is a new alert)."""
    return f"ew-eu-{pattern.category}-{pattern.period}-{'.'.join(pattern.cities)}"


def _rise_summary(alert: Alert) -> str:
    return (
        f"Unusual rise in ICCS {alert.category} in {alert.city} in {alert.period}: "
        f"{alert.observed} against a mean of {alert.baseline_mean:.1f} over "
        f"{len(alert.baseline_periods)} months (p={alert.p_value:.2g})."
    )


def _pattern_summary(pattern: EUAlert) -> str:
    return (
        f"ICCS {pattern.category} rose in {len(pattern.cities)} cities in {pattern.period}: "
        f"{', '.join(pattern.cities)}."
    )


def store_findings(session: Session, findings: Findings, now: datetime) -> list[EarlyWarningAlert]:
    """Insert the alerts not stored yet; returns the new rows."""
    existing = set(session.execute(select(EarlyWarningAlert.alert_id)).scalars())
    new: list[EarlyWarningAlert] = []
    for alert in findings.rises:
        row = EarlyWarningAlert(
            alert_id=city_alert_id(alert), kind="city", category=alert.category,
            period=alert.period, cities=[alert.city], severity="warning",
            summary=_rise_summary(alert), details=alert.as_dict(), created_at=now,
            send_status="pending_send", deliveries={},
        )
        if row.alert_id not in existing:
            new.append(row)
    for pattern in findings.patterns:
        row = EarlyWarningAlert(
            alert_id=eu_alert_id(pattern), kind="eu", category=pattern.category,
            period=pattern.period, cities=list(pattern.cities), severity="critical",
            summary=_pattern_summary(pattern), details=pattern.as_dict(), created_at=now,
            send_status="pending_send", deliveries={},
        )
        if row.alert_id not in existing:
            new.append(row)
    session.add_all(new)
    session.flush()
    return new


def message_details_for(row: EarlyWarningAlert, city: str) -> dict[str, Any]:
    """What the message to ``city`` may carry: its own statistics, other cities by name only."""
    if row.kind == "city":
        return dict(row.details)
    own = [a for a in row.details.get("alerts", []) if a.get("city") == city]
    return {
        "pattern": "eu",
        "cities": list(row.cities),
        "own": own[0] if own else None,
    }


def alert_message(row: EarlyWarningAlert, city: str) -> Any:
    """The signed-to-be ``Alert`` federation message about ``row`` for ``city``."""
    from federation.messages import Alert as AlertMessage

    return AlertMessage(
        alert_id=row.alert_id,
        cities=frozenset(row.cities),
        category=row.category,
        period=row.period,
        severity=row.severity,
        summary=row.summary,
        created_at=row.created_at,
        details=message_details_for(row, city),
    )


# (session, city, message) -> outbox message id, or None when it cannot be queued for that city.
Enqueue = Callable[[Session, str, Any], "str | None"]


def queue_pending(session: Session, enqueue: Enqueue | None) -> int:
    """Hand every pending alert to the outbox, one message per affected city; returns count.

    An alert stays ``pending_send`` until every one of its cities has its message queued.
    """
    if enqueue is None:
        return 0
    rows = session.execute(
        select(EarlyWarningAlert).where(EarlyWarningAlert.send_status == "pending_send")
    ).scalars().all()
    queued = 0
    for row in rows:
        deliveries = dict(row.deliveries or {})
        for city in row.cities:
            if city in deliveries:
                continue
            message_id = enqueue(session, city, alert_message(row, city))
            if message_id is not None:
                deliveries[city] = message_id
                queued += 1
        row.deliveries = deliveries
        if all(city in deliveries for city in row.cities):
            row.send_status = "queued"
    return queued


def run_early_warning(
    ctx: Any, *, now: datetime | None = None, enqueue: Enqueue | None = None
) -> list[EarlyWarningAlert]:
    """One run of the job: detect, store new alerts, queue pending ones. Returns new alerts."""
    from node.db import transaction

    now = now or utcnow()
    enqueue = enqueue if enqueue is not None else outbox_enqueue(ctx, now)
    with transaction(ctx.sessions) as session:
        findings = find_alerts(current_releases(session))
        new = store_findings(session, findings, now)
        queued = queue_pending(session, enqueue)
    if new or queued:
        log.info("early warning: %d new alerts, %d messages queued", len(new), queued)
    return new


def node_for_city(session: Session, city: str) -> str | None:
    """The node that signs ``city``'s releases (the sender of its newest one), if any."""
    return session.execute(
        select(ReceivedRelease.sender)
        .where(ReceivedRelease.city == city)
        .order_by(ReceivedRelease.received_at.desc())
        .limit(1)
    ).scalar_one_or_none()


def outbox_enqueue(ctx: Any, now: datetime) -> Enqueue | None:
    """The exchange's outbox as an ``Enqueue`` (sealed by this node, to the city's node), or
    None when this node is not federated yet (no roster or keys): alerts then wait."""
    from federation import outbox
    from federation.errors import NotInRosterError
    from federation.exchange import NotFederatedError, load_identity

    try:
        identity = load_identity(ctx)
    except NotFederatedError:
        return None

    def enqueue(session: Session, city: str, message: Any) -> str | None:
        node_id = node_for_city(session, city)
        if node_id is None:
            return None
        try:
            sealed = identity.seal(message, node_id, now)
        except NotInRosterError:
            log.warning("early warning: node %s is not a current roster member; alert waits",
                        node_id)
            return None
        return str(outbox.enqueue(session, sealed, now=now).message_id)

    return enqueue


def receive_alert(session: Session, opened: Any, now: datetime) -> str:
    """Inbox handler on a city node: keep a coordinator's alert to show on the local pages."""
    message = opened.message
    alert_id = f"in-{opened.sender}-{message.alert_id}"[:128]
    exists = session.execute(
        select(EarlyWarningAlert.id).where(EarlyWarningAlert.alert_id == alert_id)
    ).first()
    if exists is not None:
        return "duplicate"
    session.add(EarlyWarningAlert(
        alert_id=alert_id, kind="eu" if message.details.get("pattern") == "eu" else "city",
        category=message.category, period=message.period, cities=sorted(message.cities),
        severity=message.severity, summary=message.summary, details=dict(message.details),
        created_at=now, send_status="received", deliveries={"from": opened.sender},
    ))
    return "stored"


def install_inbox_handler() -> None:
    """Let this node's inbox accept signed ``Alert`` messages (from a coordinator)."""
    from federation.inbox import INBOX_HANDLERS
    from federation.messages import Alert as AlertMessage

    INBOX_HANDLERS.setdefault(AlertMessage.MESSAGE_TYPE, receive_alert)


def alert_round(home: Any, transport: Any = None) -> dict[str, int]:
    """Run the job once on the coordinator at ``home`` and deliver its outbox now (for the demo;
    a serving node's scheduled jobs do the same on their own)."""
    from federation.exchange import NotFederatedError, load_identity
    from federation.outbox import deliver_due
    from federation.transport import HttpTransport
    from node.cli import load_context

    ctx = load_context(home)
    try:
        new = run_early_warning(ctx)
        try:
            identity = load_identity(ctx)
        except NotFederatedError:
            return {"alerts": len(new), "delivered": 0, "failed": 0}
        run = deliver_due(ctx, identity, transport or HttpTransport(), now=utcnow())
        return {"alerts": len(new), "delivered": run.delivered, "failed": run.failed}
    finally:
        ctx.engine.dispose()


def is_coordinator(ctx: Any) -> bool:
    """True when this node is a coordinator in its trusted roster (False when not federated)."""
    from federation.exchange import NotFederatedError, load_identity

    try:
        identity = load_identity(ctx)
    except NotFederatedError:
        return False
    member = identity.roster.member(identity.node_id)
    return member is not None and "coordinator" in member.roles


def early_warning_jobs(ctx: Any) -> list[tuple[str, Callable[[], Any], int]]:
    """The scheduled job (for ``node.jobs``): every minute, on coordinator nodes only (a city
    that receives its peers' releases does not warn them)."""

    def job() -> None:
        if is_coordinator(ctx):
            run_early_warning(ctx)

    return [(JOB_ID, job, JOB_INTERVAL_SECONDS)]
