"""The node's own releases: counts of redacted reports, protected per sharing rule, with lineage.

One release is computed per sharing rule (a policy ``sharing`` entry: a peer node id or the role
``coordinator``) and closed period, and the same signed figures go to every node that rule
names: two coordinators get identical noise, so they cannot average it away, and the rule's
privacy budget is spent once (docs/adr/0601-one-release-per-rule.md).

A recount whose true counts differ from the stored release's (an erasure, a late redaction)
becomes the next revision of the same release id; an unchanged recount is no release at all.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import node
from anonymisation.disclosure.cells import AREA_UNKNOWN, CellCounts, CountableReport, count_grouped
from anonymisation.disclosure.periods import Period, parse_period, period_of
from anonymisation.disclosure.protect import protect
from anonymisation.disclosure.rules import SharingRule
from federation.messages import AggregateRelease, release_from_table
from node.context import NodeContext
from node.models.federation import BudgetEntry, LocalRelease
from node.models.reports import Report

log = logging.getLogger(__name__)

# How far back the push job releases closed periods that were never released.
HISTORY_PERIODS = {"month": 13, "quarter": 5, "year": 2}


class ReleaseError(Exception):
    """A release cannot be computed (no policy, no rule for the recipient)."""


@dataclass
class DatabaseBudgetLedger:
    """The disclosure budget ledger (``anonymisation.disclosure.budget.BudgetLedger``) in the DB.

    Writes go into the caller's transaction, so ε is recorded only if the release is stored.
    """

    session: Session

    def spent(self, recipient: str, period: str) -> float:
        total = self.session.execute(
            select(func.coalesce(func.sum(BudgetEntry.epsilon), 0.0)).where(
                BudgetEntry.recipient == recipient, BudgetEntry.period == period
            )
        ).scalar_one()
        return float(total)

    def record(self, recipient: str, period: str, epsilon: float, release_id: str) -> None:
        from node.models.base import utcnow

        self.session.add(
            BudgetEntry(
                recipient=recipient, period=period, epsilon=epsilon, release_id=release_id,
                at=utcnow(),
            )
        )
        self.session.flush()


def release_id_for(node_id: str, rule_name: str, period: str) -> str:
    """Stable across revisions: the receiver replaces revision n by n+1 of the same id."""
    return f"{node_id}.{rule_name}.{period}"


_COUNTABLE = (
    Report.status == "redacted",
    Report.erased_at.is_(None),
    Report.iccs_code.is_not(None),
)


def load_countable(session: Session) -> list[CountableReport]:
    """Every redacted, not erased report with an ICCS code: only code, time and area.

    For previews and tests; releases count in the database (:func:`period_groups`).
    """
    rows = session.execute(select(Report.iccs_code, Report.occurred_at, Report.area)
                           .where(*_COUNTABLE))
    return [CountableReport(iccs=str(c), occurred_at=t, area=a) for c, t, a in rows]


def history_areas(session: Session) -> set[str]:
    """Every area that any countable report ever had: the area axis, stable across periods."""
    rows = session.execute(select(Report.area).where(*_COUNTABLE).distinct())
    return {a or AREA_UNKNOWN for (a,) in rows}


def period_groups(session: Session, period: Period) -> list[tuple[str, str | None, int]]:
    """(ICCS code, area, count) of the countable reports of ``period``, grouped by the database."""
    rows = session.execute(
        select(Report.iccs_code, Report.area, func.count())
        .where(*_COUNTABLE, Report.occurred_at >= period.start, Report.occurred_at < period.end)
        .group_by(Report.iccs_code, Report.area)
    )
    return [(str(c), a, int(n)) for c, a, n in rows]


def pending_in(session: Session, period: Period) -> int:
    """Reports of ``period`` still waiting for redaction (coverage: not yet counted)."""
    return int(
        session.execute(
            select(func.count()).select_from(Report).where(
                Report.status == "pending",
                Report.erased_at.is_(None),
                Report.occurred_at >= period.start,
                Report.occurred_at < period.end,
            )
        ).scalar_one()
    )


def closed_periods(rule: SharingRule, now: datetime, count: int | None = None) -> list[Period]:
    """The last ``count`` closed periods of the rule's unit, oldest first."""
    current = period_of(now, rule.period)
    return current.previous(count or HISTORY_PERIODS[rule.period])


def counts_digest(counts: CellCounts) -> str:
    items = sorted(([k[0], k[1] or "", v] for k, v in counts.counts.items()))
    return hashlib.sha256(json.dumps(items).encode()).hexdigest()


def latest_local(session: Session, release_id: str) -> LocalRelease | None:
    return session.execute(
        select(LocalRelease)
        .where(LocalRelease.release_id == release_id)
        .order_by(LocalRelease.revision.desc())
        .limit(1)
    ).scalar_one_or_none()


def ensure_release(
    ctx: NodeContext,
    session: Session,
    rule_name: str,
    period: str,
    *,
    now: datetime,
    areas: set[str] | None = None,
) -> tuple[LocalRelease, bool]:
    """The current release of ``period`` for ``rule_name``: (release, newly made).

    Recounts; returns the stored release when the counts are unchanged, otherwise protects the
    counts (spending ε for a DP rule) and stores revision n+1. Raises PeriodNotClosedError,
    BudgetExceededError (nothing stored or spent) and ReleaseError.
    """
    rule = sharing_rule(ctx, rule_name)
    node_id = str(ctx.settings.node_id)
    categories = sorted(
        {code[: 2 * rule.category_level] for code in ctx.policy.categories.mapping.values()}
    )
    closed = parse_period(period, rule.period)
    # The area grid comes from the whole history (stable across periods); the counting itself
    # is one GROUP BY over the period, so no report is loaded into Python.
    if "area" in rule.dimensions and areas is None:
        areas = history_areas(session)
    counts = count_grouped(period_groups(session, closed), rule, period, now=now,
                           categories=categories, areas=areas)
    digest = counts_digest(counts)
    release_id = release_id_for(node_id, rule_name, counts.period.label)
    previous = latest_local(session, release_id)
    if previous is not None and previous.counts_digest == digest:
        return previous, False
    table = protect(
        counts,
        rule,
        ledger=DatabaseBudgetLedger(session),
        recipient=rule_name,
        now=now,
        reports_pending=pending_in(session, counts.period),
        release_id=release_id,
    )
    revision = 1 if previous is None else previous.revision + 1
    message = release_from_table(
        table,
        node_id=node_id,
        city=ctx.city,
        revision=revision,
        policy_hash=str(ctx.policy_hash),
        software_version=node.__version__,
        created_at=now.replace(microsecond=0),
    )
    payload = message.to_dict()
    payload["lineage"]["steps"] = [
        {"step": "count", "parameters": {"node": node_id, "period": table.period,
                                         "dimensions": list(rule.dimensions),
                                         "category_level": rule.category_level}},
        *payload["lineage"]["steps"],
    ]
    local = LocalRelease(
        release_id=release_id,
        recipient=rule_name,
        period=table.period,
        revision=revision,
        payload=AggregateRelease.from_dict(payload).to_dict(),
        policy_hash=str(ctx.policy_hash),
        counts_digest=digest,
        created_at=now,
    )
    session.add(local)
    session.flush()
    return local, True


def sharing_rule(ctx: NodeContext, rule_name: str) -> SharingRule:
    """The policy's sharing rule named ``rule_name`` (ReleaseError if there is none)."""
    if ctx.policy is None:
        raise ReleaseError("no policy is loaded; nothing may be released (fail closed)")
    rule = ctx.policy.sharing.get(rule_name)
    if rule is None:
        raise ReleaseError(
            f"the policy has no sharing rule for {rule_name!r}; it names "
            f"{', '.join(sorted(ctx.policy.sharing)) or 'none'}"
        )
    return rule  # type: ignore[no-any-return]


def release_due(
    ctx: NodeContext, session: Session, *, now: datetime, rule_names: Iterable[str] | None = None
) -> list[LocalRelease]:
    """Make every missing or outdated release of the recent closed periods; return the new ones.

    A rule whose budget is spent for a period is skipped for that period (logged without data).
    """
    from anonymisation.disclosure.errors import BudgetExceededError

    if ctx.policy is None:
        return []
    areas = history_areas(session)
    made = []
    for name in sorted(rule_names if rule_names is not None else ctx.policy.sharing):
        rule = sharing_rule(ctx, name)
        for period in closed_periods(rule, now):
            try:
                local, new = ensure_release(
                    ctx, session, name, period.label, now=now, areas=areas
                )
            except BudgetExceededError as exc:
                log.warning("release %s %s not made: %s", name, period.label, exc)
                continue
            if new:
                made.append(local)
    return made


def as_message(local: LocalRelease) -> AggregateRelease:
    """The stored release as its message (strictly re-parsed)."""
    return AggregateRelease.from_dict(local.payload)
