"""A real coordinator node served by `run_node.py serve` on loopback, holding planted releases."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@dataclass(frozen=True)
class ServedNode:
    url: str
    token: str
    home: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(home: Path, log_dir: Path) -> Iterator[str]:
    """``run_node.py serve`` of ``home`` on a free loopback port (no jobs); yields its URL."""
    port = _free_port()
    log = (log_dir / f"serve-{port}.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, str(REPO / "run_node.py"), "serve", "--home", str(home), "--no-jobs",
         "--port", str(port), "--workers", "1"],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "NODE_LOG_LEVEL": "WARNING"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if requests.get(url + "/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if proc.poll() is not None:
                raise RuntimeError(f"the node exited with {proc.returncode}; see {log.name}")
            time.sleep(0.2)
        else:
            raise RuntimeError(f"the node did not answer on {url} within 30 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def _coordinator_token(ctx: object) -> str:
    from node.auth import create_token
    from node.db import transaction

    with transaction(ctx.sessions) as session:  # type: ignore[attr-defined]
        token, _ = create_token(session, "coordinator", "browser test")
    return token


@pytest.fixture(scope="module")
def served_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedNode]:
    """A coordinator with the planted releases of tests/coordinator/federation_data.py."""
    from federation.alerts import run_early_warning
    from node.cli import cli, load_context
    from tests.coordinator import federation_data

    home = tmp_path_factory.mktemp("coordinator") / "home"
    result = CliRunner().invoke(cli, ["init", "--city", "belfast", "--home", str(home)])
    assert result.exit_code == 0, result.output
    ctx = load_context(home)
    federation_data.store_releases(ctx)
    run_early_warning(ctx, now=federation_data.NOW)
    token = _coordinator_token(ctx)
    ctx.engine.dispose()
    with serve(home, tmp_path_factory.getbasetemp()) as url:
        yield ServedNode(url, token, home)


@pytest.fixture(scope="module")
def served_federation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedNode]:
    """A coordinator holding real signed releases pushed by three city nodes (demo data with
    its burglary spike), its alerts delivered to the cities, served over HTTP."""
    from datetime import UTC, datetime

    from federation.alerts import run_early_warning
    from federation.exchange import load_identity
    from federation.outbox import deliver_due
    from tests.coordinator import federation_data

    base = tmp_path_factory.mktemp("federation")
    fed = federation_data.small_federation(base, ("belfast", "preston", "valencia"))
    coordinator = fed["ctxs"]["eu-coordinator"]
    run_early_warning(coordinator)
    deliver_due(coordinator, load_identity(coordinator), fed["transport"], now=datetime.now(UTC))
    token = _coordinator_token(coordinator)
    for ctx in fed["ctxs"].values():
        ctx.engine.dispose()
    with serve(fed["coord_home"], base) as url:
        yield ServedNode(url, token, fed["coord_home"])


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            raise RuntimeError(f"{CHROMIUM} is required in CI (.ci/run installs it)")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
