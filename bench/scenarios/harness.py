"""Real node homes and real server processes on loopback for the scenarios."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[2]
RUN_NODE = [sys.executable, str(ROOT / "run_node.py")]


def canary(label: str) -> str:
    """A string that appears nowhere unless this run put it there."""
    return f"CANARY{label.upper()}{uuid.uuid4().hex[:12]}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def init_home(path: Path, city: str = "belfast", database_url: str | None = None) -> Path:
    """A node home made by the real ``init`` command (in process: no interpreter start-up)."""
    from click.testing import CliRunner

    from node.cli import cli

    args = ["init", "--city", city, "--home", str(path)]
    if database_url:
        args += ["--database-url", database_url]
    result = CliRunner().invoke(cli, args)
    if result.exit_code != 0:
        raise RuntimeError(f"init of {path} failed: {result.output}")
    return path


@contextmanager
def context(home: Path) -> Iterator[Any]:
    """The node's own context (settings, engine, keyring), disposed afterwards."""
    from node.cli import load_context

    ctx = load_context(home)
    try:
        yield ctx
    finally:
        ctx.engine.dispose()


def create_token(home: Path, role: str) -> str:
    from node.auth import create_token as make
    from node.db import transaction

    with context(home) as ctx, transaction(ctx.sessions) as session:
        secret, _ = make(session, role, f"evidence {role}")
    return str(secret)


def report_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "occurred_at": "2026-03-01T18:30:00Z",
        "category": "burglary",
        "language": "en",
        "description": "Someone forced the back door and took a laptop.",
        "location": {"lat": 54.597, "lon": -5.93, "address": "12 Donegall Road"},
        "channel": "app",
        "reporter_contact": "witness@example.org",
    }
    body.update(overrides)
    return body


class Server:
    """``run_node.py serve`` in its own process group, its output kept in ``log_path``."""

    def __init__(self, home: Path, *, workers: int = 2, jobs: bool = False,
                 log_path: Path | None = None) -> None:
        self.home = home
        self.port = free_port()
        self.log_path = log_path or home.parent / f"server-{self.port}.log"
        args = [*RUN_NODE, "serve", "--home", str(home), "--port", str(self.port),
                "--workers", str(workers)]
        if not jobs:
            args.append("--no-jobs")
        self._log = self.log_path.open("ab")
        self.proc = subprocess.Popen(args, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True, cwd=ROOT)
        self.url = f"http://127.0.0.1:{self.port}"
        self._wait_healthy()

    def _wait_healthy(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; see "
                                   f"{self.log_path}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"server did not answer /healthz within {seconds} s")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole process group (gunicorn master, workers, jobs process)."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)
        self._log.close()

    def stop(self) -> None:
        self.kill(signal.SIGTERM)

    def log_text(self) -> str:
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def is_error_shape(resp: requests.Response) -> bool:
    """The node's one error shape: JSON ``{"error": {"code", "message", "fields"}}``."""
    if resp.headers.get("Content-Type", "").split(";")[0] != "application/json":
        return False
    try:
        body = resp.json()
    except ValueError:
        return False
    return (isinstance(body, dict) and set(body) == {"error"}
            and isinstance(body["error"], dict)
            and set(body["error"]) == {"code", "message", "fields"}
            and isinstance(body["error"]["message"], str) and bool(body["error"]["message"])
            and "Traceback" not in resp.text)


def bytes_under(path: Path) -> Iterator[tuple[Path, bytes]]:
    """Every file under ``path`` with its bytes (for canary searches)."""
    for file in sorted(path.rglob("*")):
        if file.is_file():
            yield file, file.read_bytes()


def count_reports(home: Path) -> int:
    from sqlalchemy import func, select

    from node.models.reports import Report

    with context(home) as ctx, ctx.sessions() as session:
        return int(session.execute(select(func.count()).select_from(Report)).scalar_one())


def run_cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*RUN_NODE, *args], capture_output=True, text=True, timeout=timeout,
                          cwd=ROOT, check=False)


def dumps(value: Any) -> bytes:
    return json.dumps(value).encode()


def seed_reports(home: Path, bodies: list[dict[str, Any]]) -> list[str]:
    """Store ``bodies`` through the node's own validation and sealing; returns their ids."""
    from node.db import transaction
    from node.models.base import utcnow
    from node.reports import create_report
    from node.validation import Limits, validate_report

    with context(home) as ctx:
        s = ctx.settings
        limits = Limits(tuple(s.languages), s.max_description_chars, s.max_contact_chars)
        ids = []
        with transaction(ctx.sessions) as session:
            for body in bodies:
                report_id, _ = create_report(ctx, session, validate_report(body, limits,
                                                                           utcnow()))
                ids.append(report_id)
    return ids


def english_texts() -> list[str]:
    """Incident texts with personal data in them (tests/data/pii, synthetic)."""
    path = ROOT / "tests" / "data" / "pii" / "incidents-en.jsonl"
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
