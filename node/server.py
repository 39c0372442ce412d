"""Production serving: gunicorn workers for the API, one separate process for background jobs.

The jobs run in their own process (not in gunicorn's workers, not in its master) so that each
scheduled job runs once however many workers serve requests, and a fork never copies a running
scheduler thread.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication


class _NodeServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, home: Path, options: dict[str, Any]) -> None:
        self.home = home
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # Built in each worker after the fork: every worker gets its own database connections.
        from node.app import create_app
        from node.cli import load_context

        ctx = load_context(self.home)
        return create_app(ctx.settings, context=ctx)


def run_server(home: Path, host: str, port: int, workers: int, threads: int, *, jobs: bool) -> None:
    jobs_proc: subprocess.Popen[bytes] | None = None

    def when_ready(_server: Any) -> None:
        nonlocal jobs_proc
        if jobs:
            jobs_proc = subprocess.Popen(
                [sys.executable, "-m", "node.cli_entry", "jobs", "--home", str(home)]
            )

    def on_exit(_server: Any) -> None:
        if jobs_proc is not None:
            jobs_proc.terminate()
            jobs_proc.wait(timeout=30)

    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "accesslog": "-",
        # Only method, path and status: query strings can carry filters, never personal data,
        # but bodies are never logged.
        "access_log_format": '%(h)s "%(m)s %(U)s" %(s)s %(M)sms',
        "graceful_timeout": 10,
        "when_ready": when_ready,
        "on_exit": on_exit,
    }
    _NodeServer(home, options).run()
