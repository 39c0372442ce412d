"""A report that got a 201 survives SIGKILL of the production server mid-load."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from node.models.reports import Report

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(home: Path, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "run_node.py"), "serve", "--home", str(home), "--port",
         str(port), "--workers", "2", "--no-jobs"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                return proc
        except requests.RequestException:
            time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    raise AssertionError("server did not start within 60 s")


@pytest.mark.slow
def test_sigkill_mid_load_loses_no_acknowledged_report(node_home, ctx, make_token,
                                                       report_body) -> None:
    token = make_token("officer")
    port = free_port()
    proc = start_server(node_home, port)
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def client(n: int) -> None:
        session = requests.Session()
        i = 0
        while not stop.is_set():
            i += 1
            try:
                resp = session.post(
                    f"http://127.0.0.1:{port}/api/v1/reports",
                    json=report_body(description=f"client {n} report {i}"),
                    headers={"Authorization": f"Bearer {token}"}, timeout=5)
            except requests.RequestException:
                return
            if resp.status_code == 201:
                with lock:
                    acknowledged.append(resp.json()["id"])

    threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    time.sleep(3)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    stop.set()
    for t in threads:
        t.join(timeout=10)
    assert len(acknowledged) > 20, "the load should have stored reports before the kill"
    with ctx.sessions() as session:
        stored = {r for (r,) in session.query(Report.id)}
    assert set(acknowledged) <= stored
    # The node comes back on the same data.
    proc = start_server(node_home, port)
    try:
        resp = requests.get(f"http://127.0.0.1:{port}/api/v1/reports/{acknowledged[-1]}",
                            headers={"Authorization": f"Bearer {make_token('analyst')}"},
                            timeout=5)
        assert resp.status_code == 200
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
