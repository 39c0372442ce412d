"""A real coordinator node served by `run_node.py serve` on loopback, holding planted releases."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
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


@pytest.fixture(scope="module")
def served_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedNode]:
    from federation.alerts import run_early_warning
    from node.auth import create_token
    from node.cli import cli, load_context
    from node.db import transaction
    from tests.coordinator import federation_data

    home = tmp_path_factory.mktemp("coordinator") / "home"
    result = CliRunner().invoke(cli, ["init", "--city", "belfast", "--home", str(home)])
    assert result.exit_code == 0, result.output
    ctx = load_context(home)
    federation_data.store_releases(ctx)
    run_early_warning(ctx, now=federation_data.NOW)
    with transaction(ctx.sessions) as session:
        token, _ = create_token(session, "coordinator", "browser test")
    ctx.engine.dispose()
    port = _free_port()
    log = (tmp_path_factory.getbasetemp() / "serve.log").open("wb")
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
        yield ServedNode(url, token, home)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


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
