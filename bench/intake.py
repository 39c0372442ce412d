"""Intake benchmark: POST /api/v1/reports against the production server on loopback.

Starts `run_node.py serve` (gunicorn) on a fresh node home, drives it with 1, 8 and 32
concurrent keep-alive clients (spread over client processes), and reports throughput and
p50/p99 latency of 201 responses; then times a 100,000-row `import`. Figures go to stdout as a
Markdown table and, with --json, to a file.

    python bench/intake.py [--database-url URL] [--seconds 10] [--clients 1,8,32]
                           [--import-rows 100000] [--json out.json]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RUN_NODE = [sys.executable, str(ROOT / "run_node.py")]

BODY = {
    "occurred_at": "2026-03-01T18:30:00Z",
    "category": "burglary",
    "language": "en",
    "description": "Back door forced overnight; a laptop and a bicycle were taken from the hall. "
                   "A neighbour heard glass breaking around 2am.",
    "location": {"lat": 54.597, "lon": -5.93, "address": "12 Example Road"},
    "reporter_contact": "reporter@example.org",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(args: list[str], **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*RUN_NODE, *args], check=True, capture_output=True, text=True, **kw)


def _client_process(port: int, token: str, threads: int, seconds: float,
                    out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    body = json.dumps(BODY)
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    deadline = time.monotonic() + seconds

    def loop() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        bad = 0
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                conn.request("POST", "/api/v1/reports", body=body, headers=headers)
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 201
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                ok = False
            if ok:
                mine.append(time.perf_counter() - start)
            else:
                bad += 1
        with lock:
            latencies.extend(mine)
            errors += bad

    workers = [threading.Thread(target=loop) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    out.put((latencies, errors))


def drive(port: int, token: str, clients: int, seconds: float) -> dict[str, float]:
    procs_n = min(clients, 4)
    per = [clients // procs_n + (1 if i < clients % procs_n else 0) for i in range(procs_n)]
    queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    procs = [multiprocessing.Process(target=_client_process, args=(port, token, n, seconds, queue))
             for n in per]
    started = time.perf_counter()
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - started
    lat = sorted(x for r in results for x in r[0])
    errors = sum(r[1] for r in results)
    return {
        "clients": clients,
        "requests": len(lat),
        "errors": errors,
        "reports_per_s": round(len(lat) / elapsed, 1),
        "p50_ms": round(statistics.median(lat) * 1000, 1) if lat else float("nan"),
        "p99_ms": round(lat[int(len(lat) * 0.99) - 1] * 1000, 1) if lat else float("nan"),
    }


def time_import(home: Path, rows: int) -> dict[str, float]:
    src = home.parent / "import.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for i in range(rows):
            fh.write(json.dumps({**BODY, "external_id": f"bench-{i}",
                                 "description": f"{BODY['description']} #{i}"}) + "\n")
    started = time.perf_counter()
    _run(["import", str(src), "--home", str(home)])
    elapsed = time.perf_counter() - started
    return {"rows": rows, "seconds": round(elapsed, 1), "rows_per_s": round(rows / elapsed, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temp home")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        init = ["init", "--city", "belfast", "--home", str(home)]
        if args.database_url:
            init += ["--database-url", args.database_url]
        _run(init)
        created = _run(["tokens", "create", "--role", "officer", "--home", str(home)])
        token = created.stdout.split()[0]
        port = _free_port()
        server = subprocess.Popen(
            [*RUN_NODE, "serve", "--home", str(home), "--port", str(port), "--workers",
             str(args.workers), "--no-jobs"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            _wait(port)
            runs = [drive(port, token, int(c), args.seconds) for c in args.clients.split(",")]
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        imported = time_import(home, args.import_rows) if args.import_rows else None

    result = {
        "machine": {"cores": os.cpu_count(), "cpu": _cpu_model(),
                    "python": platform.python_version()},
        "database": "postgresql" if args.database_url else "sqlite",
        "server_workers": args.workers,
        "intake": runs,
        "import": imported,
    }
    print(f"database: {result['database']}, gunicorn workers: {args.workers}, "
          f"{result['machine']['cores']} cores ({result['machine']['cpu']})")
    print("| clients | requests | errors | reports/s | p50 ms | p99 ms |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in runs:
        print(f"| {r['clients']} | {r['requests']} | {r['errors']} | {r['reports_per_s']} | "
              f"{r['p50_ms']} | {r['p99_ms']} |")
    if imported:
        print(f"import of {imported['rows']} rows: {imported['seconds']} s "
              f"({imported['rows_per_s']} rows/s)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")


def _wait(port: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("server did not start")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


if __name__ == "__main__":
    main()
