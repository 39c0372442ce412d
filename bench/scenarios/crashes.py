"""SIGKILL at the worst moments: mid-ingest (gunicorn) and mid-redaction (CLI and jobs process).

Ingest: concurrent clients post reports to a real server that is killed with SIGKILL (whole
process group); every report that got a 201 must be stored. Lost = acknowledged but missing.

Redaction: N pending English reports; ``run_node.py redact`` (or the ``jobs`` process) is
killed with SIGKILL once some batches are done. Afterwards every report must be wholly pending
or wholly redacted (text, findings, time and policy hash together), and a second run must
finish the rest without touching a report already redacted (nothing redacted twice).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import requests

from bench.scenarios.harness import (
    ROOT,
    RUN_NODE,
    Server,
    create_token,
    english_texts,
    init_home,
    report_body,
    run_cli,
    seed_reports,
)
from bench.scenarios.outcome import Outcome


def _load(server: Server, token: str, acknowledged: list[str], stop: threading.Event,
          clients: int) -> list[threading.Thread]:
    lock = threading.Lock()

    def client(n: int) -> None:
        session = requests.Session()
        i = 0
        while not stop.is_set():
            i += 1
            try:
                resp = session.post(f"{server.url}/api/v1/reports", timeout=10,
                                    json=report_body(description=f"client {n} report {i}"),
                                    headers={"Authorization": f"Bearer {token}"})
            except requests.RequestException:
                return
            if resp.status_code == 201:
                with lock:
                    acknowledged.append(resp.json()["id"])

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    return threads


def _stored_ids(home: Path) -> set[str]:
    with sqlite3.connect(home / "node.db", timeout=30) as db:
        return {r for (r,) in db.execute("SELECT id FROM reports")}


def run_ingest(workdir: Path, rounds: int, *, seconds: float = 2.0) -> Outcome:
    home = init_home(workdir / "ingest")
    token = create_token(home, "officer")
    out = Outcome("crash", "SIGKILL of the server during ingest (4 clients)", tried=0,
                  expected="every 201'd report stored")
    acknowledged_total = 0
    for _ in range(rounds):
        server = Server(home, workers=2)
        acknowledged: list[str] = []
        stop = threading.Event()
        threads = _load(server, token, acknowledged, stop, clients=4)
        time.sleep(seconds)
        server.kill(signal.SIGKILL)
        stop.set()
        for t in threads:
            t.join(timeout=15)
        stored = _stored_ids(home)
        out.tried += 1
        out.lost += len(set(acknowledged) - stored)
        acknowledged_total += len(acknowledged)
    with sqlite3.connect(home / "node.db") as db:
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
    if check != "ok":
        out.failed += 1
    out.rejected = out.tried - out.failed
    out.observed = (f"{rounds} kills, {acknowledged_total} reports acknowledged, "
                    f"{out.lost} missing; integrity_check {check}")
    return out


def _redaction_state(home: Path) -> tuple[dict[str, str | None], int, int]:
    """(id -> redacted_at for redacted reports, half-done rows, pending)."""
    with sqlite3.connect(home / "node.db", timeout=30) as db:
        rows = db.execute("SELECT id, status, redacted_text, findings_summary, redacted_at, "
                          "policy_hash FROM reports").fetchall()
    done: dict[str, str | None] = {}
    half = pending = 0
    for report_id, status, text, findings, at, policy in rows:
        parts = (text, findings, at, policy)
        if status == "redacted" and all(p is not None for p in parts):
            done[report_id] = at
        elif status == "pending" and all(p is None for p in parts):
            pending += 1
        else:
            half += 1
    return done, half, pending


def run_redaction(workdir: Path, n: int, *, via: str) -> Outcome:
    """``via`` is "redact" (the CLI command) or "jobs" (the background jobs process)."""
    home = init_home(workdir / f"redaction-{via}")
    texts = english_texts()
    seed_reports(home, [report_body(description=texts[i % len(texts)]) for i in range(n)])
    out = Outcome("crash", f"SIGKILL of the {via} process mid-redaction ({n} reports)", tried=n,
                  expected="each report wholly pending or wholly redacted; none redacted twice")
    proc = subprocess.Popen([*RUN_NODE, via, "--home", str(home)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 600
    done: dict[str, str | None] = {}
    while time.monotonic() < deadline and proc.poll() is None:
        done, _, _ = _redaction_state(home)
        if done:
            break
        time.sleep(0.05)
    # Let it get well into the next batch before the kill.
    time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    before, half, pending = _redaction_state(home)
    killed_at = f"killed with {len(before)} redacted, {pending} pending, {half} half-done"
    out.failed += half
    finish = run_cli("redact", "--home", str(home))
    after, half_after, pending_after = _redaction_state(home)
    twice = sum(1 for rid, at in before.items() if after.get(rid) != at)
    out.failed += twice + half_after + (0 if finish.returncode == 0 else 1)
    out.lost = n - len(after)
    out.rejected = n - out.failed - out.lost
    out.observed = (f"{killed_at}; after a second run {len(after)} redacted, "
                    f"{pending_after} pending, {twice} redacted twice")
    return out


def run(workdir: Path, n: int) -> list[Outcome]:
    return [
        run_ingest(workdir, rounds=max(2, n // 3)),
        run_redaction(workdir, 30 * n, via="redact"),
        run_redaction(workdir, 30 * n, via="jobs"),
    ]
