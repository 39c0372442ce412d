"""The redaction worker: pending reports in, redacted text and a findings summary out.

A report moves to ``redacted`` only in the same transaction that stores its redacted text; if
analysis fails the report stays ``pending`` (fail closed) and the failure is logged by type and
report id, never with the text.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update

from node.context import NodeContext
from node.db import transaction
from node.models.base import utcnow
from node.models.reports import Report
from node.reports import open_description

log = logging.getLogger(__name__)
PSEUDONYM_PURPOSE = "pseudonym-tags"
# After this many failed attempts a report is left for the operator (`status` counts them)
# instead of being retried on every run.
MAX_REDACTION_ATTEMPTS = 5


@dataclass
class RedactionRun:
    redacted: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"redacted": self.redacted, "failed": self.failed}


def build_redactor(ctx: NodeContext, *, workers: int | None = None) -> Any:
    """The Presidio-based redactor for the policy in force, with this node's pseudonym secret."""
    from anonymisation.redactor import Redactor, default_redaction_config

    config = ctx.policy.redaction if ctx.policy is not None else default_redaction_config()
    redactor = Redactor(config, ctx.keyring.derive_secret(PSEUDONYM_PURPOSE),
                        dict(ctx.settings.spacy_models), workers=workers)
    for language, detectors in redactor.detectors().items():
        log.info("redaction detectors for %s: %s", language, ", ".join(detectors))
    return redactor


def redact_pending(ctx: NodeContext, redactor: Any, *, limit: int) -> RedactionRun:
    """Redact up to ``limit`` pending reports, oldest first."""
    run = RedactionRun()
    with ctx.sessions() as session:
        rows = session.execute(
            select(Report).where(Report.status == "pending", Report.erased_at.is_(None),
                                 Report.redaction_attempts < MAX_REDACTION_ATTEMPTS)
            .order_by(Report.received_at).limit(limit)
        ).scalars().all()
        by_language: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for report in rows:
            try:
                by_language[report.language].append((report.id, open_description(ctx, report)
                                                      or ""))
            except Exception as exc:
                _failed(ctx, report.id, exc)
                run.failed += 1
    policy_hash = ctx.policy_hash or "built-in-default"
    for language, items in by_language.items():
        try:
            results = redactor.redact_many([text for _, text in items], language)
        except Exception as exc:
            for report_id, _ in items:
                _failed(ctx, report_id, exc)
            run.failed += len(items)
            continue
        now = utcnow()
        with transaction(ctx.sessions) as session:
            for (report_id, _), result in zip(items, results, strict=True):
                # Only a report still pending is updated: an erasure in between wins.
                changed = session.execute(
                    update(Report).where(Report.id == report_id, Report.status == "pending",
                                         Report.erased_at.is_(None))
                    .values(status="redacted", redacted_text=result.text,
                            findings_summary=result.summary(), policy_hash=policy_hash,
                            redacted_at=now)
                ).rowcount
                run.redacted += changed
    return run


def _failed(ctx: NodeContext, report_id: str, exc: BaseException) -> None:
    log.warning("redaction of report %s failed (%s); it stays pending", report_id,
                type(exc).__name__)
    with transaction(ctx.sessions) as session:
        session.execute(update(Report).where(Report.id == report_id)
                        .values(redaction_attempts=Report.redaction_attempts + 1))


def redaction_jobs(ctx: NodeContext) -> list[tuple[str, Any, int]]:
    """The scheduled redaction job (the redactor is loaded once, on first run)."""
    state: dict[str, Any] = {}

    def job() -> None:
        # A reloaded policy (node/policy_versions.py) needs a redactor built on its rules.
        if "redactor" not in state or state.get("policy_hash") != ctx.policy_hash:
            state["redactor"] = build_redactor(ctx)
            state["policy_hash"] = ctx.policy_hash
        while True:
            run = redact_pending(ctx, state["redactor"], limit=ctx.settings.redaction_batch_size)
            if run.redacted:
                log.info("redacted %d reports (%d failed)", run.redacted, run.failed)
            if run.redacted + run.failed < ctx.settings.redaction_batch_size:
                return

    return [("redaction", job, int(ctx.settings.redaction_interval_seconds))]
