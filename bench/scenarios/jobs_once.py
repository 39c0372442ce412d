"""The scheduler runs once however many server workers there are.

``serve --workers W`` with jobs on is started on a real home; the node's processes are found in
/proc by their command line (``serve --home HOME`` for gunicorn's master and its forked workers,
``jobs --home HOME`` for the jobs process), and the schedulers started are counted from the log
line each one writes per job (``job redaction every``). After SIGTERM none may be left.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

from bench.scenarios.harness import Server


def node_processes(home: Path) -> dict[str, int]:
    """How many live processes run ``serve`` and ``jobs`` for ``home``."""
    counts = {"serve": 0, "jobs": 0}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if str(home).encode() not in args:
            continue
        for kind in counts:
            if kind.encode() in args:
                counts[kind] += 1
    return counts


def count_node_processes(home: Path, workers: int, settle: float = 8.0) -> dict[str, int]:
    server = Server(home, workers=workers, jobs=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if "job redaction every" in server.log_text():
                break
            time.sleep(0.2)
        time.sleep(settle)  # time for a second scheduler to show up if there were one
        running = node_processes(home)
        schedulers = server.log_text().count("job redaction every")
    finally:
        server.kill(signal.SIGTERM)
    time.sleep(1)
    left = sum(node_processes(home).values())
    return {"gunicorn": running["serve"], "jobs": running["jobs"], "schedulers": schedulers,
            "left_after_stop": left}
