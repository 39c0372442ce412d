"""Background jobs on APScheduler: redaction of pending reports and whatever other areas add."""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from typing import Any

from apscheduler.schedulers.blocking import BlockingScheduler

from node.context import NodeContext

log = logging.getLogger(__name__)

# (job id, function(ctx), interval seconds from settings or a number); other areas append.
JOB_FACTORIES: list[Callable[[NodeContext], list[tuple[str, Callable[[], Any], int]]]] = []


def _default_factories() -> list[Any]:
    from federation.alerts import early_warning_jobs
    from federation.exchange import federation_jobs
    from node.policy_versions import policy_jobs
    from node.redaction import redaction_jobs
    from node.retention import retention_jobs

    return [redaction_jobs, policy_jobs, retention_jobs, federation_jobs, early_warning_jobs]


def build_scheduler(ctx: NodeContext) -> BlockingScheduler:
    scheduler = BlockingScheduler(timezone="UTC")
    for factory in [*_default_factories(), *JOB_FACTORIES]:
        for job_id, func, seconds in factory(ctx):
            scheduler.add_job(
                func, "interval", seconds=seconds, id=job_id, max_instances=1, coalesce=True
            )
            log.info("job %s every %ss", job_id, seconds)
    return scheduler


def run_jobs_forever(ctx: NodeContext) -> None:
    logging.basicConfig(
        level=ctx.settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    scheduler = build_scheduler(ctx)
    signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))
    scheduler.start()
