"""The database under pressure: another program holds its lock; the disk is full.

Locked: while a second connection holds an exclusive SQLite write lock, reports are posted to a
real server. Each answer must be a 201 for a stored report or the one error shape with no stack
trace; after the lock goes, nothing is half-stored and the database passes integrity_check.

Disk full: the node home lives on a small tmpfs that is filled up; reports posted then must get
the error shape; after space is freed the database passes integrity_check, every report that
got a 201 reads back whole, and the node takes reports again. Needs root (mount); otherwise the
row says it was not run.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import requests

from bench.scenarios.harness import (
    Server,
    canary,
    create_token,
    init_home,
    is_error_shape,
    report_body,
)
from bench.scenarios.outcome import Outcome


def run_locked(workdir: Path, n: int) -> Outcome:
    home = init_home(workdir / "locked")
    token = create_token(home, "officer")
    headers = {"Authorization": f"Bearer {token}"}
    out = Outcome("storage", "SQLite file locked by another program (exclusive write lock)",
                  tried=0, expected="error shape, no stack trace; 201 only if stored")
    marks = [canary("lock") for _ in range(n)]
    answers: list[tuple[str, requests.Response | None, float]] = []
    with Server(home, workers=2) as server:
        # The first use of a token writes an audit entry; do it before the lock is taken.
        requests.get(f"{server.url}/api/v1/reports", headers=headers, timeout=60)
        holder = sqlite3.connect(home / "node.db", timeout=1, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        lock = threading.Lock()

        def post(mark: str) -> None:
            started = time.monotonic()
            try:
                resp: requests.Response | None = requests.post(
                    f"{server.url}/api/v1/reports", headers=headers, timeout=120,
                    json=report_body(description=f"{mark} while locked"))
            except requests.RequestException:
                resp = None
            with lock:
                answers.append((mark, resp, time.monotonic() - started))

        threads = [threading.Thread(target=post, args=(m,)) for m in marks]
        for t in threads:
            t.start()
        try:
            read_status: int | str = requests.get(f"{server.url}/api/v1/reports",
                                                  headers=headers, timeout=120).status_code
        except requests.RequestException:
            read_status = "no answer within 120 s"
        for t in threads:
            t.join(timeout=180)
        holder.execute("ROLLBACK")
        holder.close()
        after = requests.post(f"{server.url}/api/v1/reports", headers=headers, timeout=60,
                              json=report_body())
        log = server.log_text()
    with sqlite3.connect(home / "node.db") as db:
        stored = db.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
    statuses: Counter[int | str] = Counter()
    created = 0
    for mark, resp, _ in answers:
        out.tried += 1
        statuses[resp.status_code if resp is not None else "no answer"] += 1
        if resp is not None and resp.status_code == 201:
            created += 1
        elif resp is not None and resp.status_code >= 400 and is_error_shape(resp):
            out.rejected += 1
        else:
            out.failed += 1
        if (resp is not None and mark in resp.text) or mark in log:
            out.leaked += 1
    stored_during = stored - (1 if after.status_code == 201 else 0)
    unanswered = statuses["no answer"]
    out.lost += max(0, created - stored_during)
    # A request the client gave up on may still be stored once the lock goes (a retry with the
    # same external_id is then answered 200, not duplicated); one answered with an error and
    # stored anyway would be a lie.
    out.failed += max(0, stored_during - created - unanswered)
    if check != "ok" or read_status != 200:
        out.failed += 1
    slowest = max((s for _, _, s in answers), default=0.0)
    out.observed = (", ".join(f"{k} ×{v}" for k, v in sorted(statuses.items(), key=str))
                    + f" after up to {slowest:.0f} s; {stored_during} stored for {created} "
                    f"acknowledged; a read meanwhile got {read_status}; "
                    f"after the lock a post got {after.status_code}; integrity_check {check}")
    return out


def _mount_tmpfs(path: Path, size: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True, check=False)
    return done.returncode == 0


def _fill(path: Path, leave: int) -> Path:
    """A file taking all free space on ``path``'s filesystem but ``leave`` bytes."""
    filler = path / "filler.bin"
    free = shutil.disk_usage(path).free - leave
    with filler.open("wb") as f:
        chunk = b"\0" * 65536
        while free > 0:
            f.write(chunk[: min(len(chunk), free)])
            free -= len(chunk)
    return filler


def run_disk_full(workdir: Path, n: int, *, size: str = "4m") -> Outcome:
    out = Outcome("storage", f"disk full (node home on a {size} tmpfs, filled)", tried=0,
                  expected="error shape; afterwards integrity_check ok, every 201 readable")
    mount = workdir / "tmpfs"
    if not _mount_tmpfs(mount, size):
        out.observed = "not run: cannot mount a tmpfs here (needs root)"
        return out
    try:
        home = init_home(mount / "home")
        officer = create_token(home, "officer")
        headers = {"Authorization": f"Bearer {officer}"}
        acknowledged: dict[str, str] = {}
        statuses: Counter[int] = Counter()
        with Server(home, workers=1, log_path=workdir / "disk-full-server.log") as server:
            requests.get(f"{server.url}/api/v1/reports", headers=headers, timeout=60)
            filler = _fill(mount, leave=64 * 1024)
            refused_in_a_row = 0
            attempts = 0
            while refused_in_a_row < n and attempts < 20 * n + 5000:
                attempts += 1
                mark = canary("disk")
                resp = requests.post(f"{server.url}/api/v1/reports", headers=headers,
                                     timeout=120, json=report_body(description=f"{mark} text"))
                statuses[resp.status_code] += 1
                if resp.status_code == 201:
                    acknowledged[resp.json()["id"]] = mark
                    refused_in_a_row = 0
                    continue
                refused_in_a_row += 1
                out.tried += 1
                if resp.status_code >= 400 and is_error_shape(resp):
                    out.rejected += 1
                else:
                    out.failed += 1
                if mark in resp.text:
                    out.leaked += 1
            filler.unlink()
            with sqlite3.connect(home / "node.db") as db:
                check = db.execute("PRAGMA integrity_check").fetchone()[0]
            for report_id, mark in acknowledged.items():
                resp = requests.get(f"{server.url}/api/v1/reports/{report_id}?view=raw",
                                    headers=headers, timeout=60)
                if resp.status_code != 200 or mark not in resp.json().get("description", ""):
                    out.lost += 1
            recovered = requests.post(f"{server.url}/api/v1/reports", headers=headers,
                                      timeout=60, json=report_body()).status_code
        log = (workdir / "disk-full-server.log").read_text(errors="replace")
        out.leaked += sum(1 for mark in acknowledged.values() if mark in log)
        if check != "ok":
            out.failed += 1
        if recovered != 201:
            out.failed += 1
        out.observed = (", ".join(f"{k} ×{v}" for k, v in sorted(statuses.items()))
                        + f" while full; {len(acknowledged)} acknowledged before; "
                        f"integrity_check {check}; after freeing space a post got {recovered}")
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
    return out


def run(workdir: Path, n: int) -> list[Outcome]:
    return [run_locked(workdir, n), run_disk_full(workdir, n)]
