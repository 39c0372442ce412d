"""Real node processes on loopback: push, a coordinator that goes down and comes back, pull
queries and offline verification, all through ``run_node.py`` commands."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from sqlalchemy import select, update

from anonymisation.disclosure.periods import period_of
from node.cli import load_context
from node.db import transaction
from node.demo import NodeSpec, build_federation, free_port, start_servers, stop, wait_healthy
from node.demo_data import generate_reports, write_jsonl
from node.importer import import_file
from node.models.reports import Report

pytestmark = [pytest.mark.slow, pytest.mark.timeout(420)]


def run_node(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "node.cli_entry", *args], capture_output=True,
                          text=True, timeout=180, check=False)


def _received(coordinator: NodeSpec, token: str) -> dict[str, int]:
    status = requests.get(f"{coordinator.endpoint}/api/v1/federation/status",
                          headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
    return {city: v["releases"] for city, v in status["received"].items()}


def test_push_survives_a_coordinator_outage_and_pull_answers(tmp_path: Path) -> None:
    belfast = NodeSpec("belfast", "belfast", frozenset({"city"}), tmp_path / "belfast",
                       free_port())
    coordinator = NodeSpec("eu-coordinator", "belfast", frozenset({"coordinator"}),
                           tmp_path / "coord", free_port())
    build_federation([belfast, coordinator], tmp_path / "root", now=datetime.now(UTC))
    ctx = load_context(belfast.home)
    rows = generate_reports("belfast", ("en",), ctx.policy.categories.mapping, count=200,
                            now=datetime.now(UTC))
    write_jsonl(tmp_path / "reports.jsonl", rows)
    import_file(ctx, tmp_path / "reports.jsonl")
    with transaction(ctx.sessions) as session:
        session.execute(update(Report).values(status="redacted", redacted_text="[redacted]"))
    token = run_node("tokens", "create", "--role", "admin", "--home",
                     str(coordinator.home)).stdout.strip()
    procs = start_servers([belfast, coordinator], tmp_path)
    try:
        wait_healthy([belfast, coordinator])
        first = run_node("federation", "push", "--home", str(belfast.home))
        assert first.returncode == 0, first.stderr
        summary = json.loads(first.stdout)
        assert summary["delivered"] == summary["messages_queued"] > 0
        assert _received(coordinator, token) == {"belfast": summary["delivered"]}

        # The coordinator goes down; an erasure makes a revision that must wait in the outbox.
        stop([procs.pop()])
        last_month = period_of(datetime.now(UTC), "month").previous(1)[0]
        with transaction(ctx.sessions) as session:
            victim = session.execute(select(Report).where(
                Report.occurred_at >= last_month.start, Report.occurred_at < last_month.end
            ).limit(1)).scalar_one()
            victim.erased_at = datetime.now(UTC)
        down = json.loads(run_node("federation", "push", "--home", str(belfast.home)).stdout)
        assert down["delivered"] == 0 and down["waiting"] == down["messages_queued"] >= 1
        state = json.loads(run_node("federation", "status", "--home", str(belfast.home)).stdout)
        assert "unreachable" in state["outbox"]["waiting"]["eu-coordinator"]["last_error"]

        procs += start_servers([coordinator], tmp_path)
        wait_healthy([coordinator])
        # Back-off: the retry is due a few seconds later; the next push delivers it, once.
        time.sleep(6)
        back = json.loads(run_node("federation", "push", "--home", str(belfast.home)).stdout)
        assert back["delivered"] == down["waiting"] and back["waiting"] == 0
        assert _received(coordinator, token) == {"belfast": summary["delivered"]}

        pulled = run_node("federation", "query", "belfast", "--from", last_month.label,
                          "--home", str(coordinator.home))
        assert pulled.returncode == 0, pulled.stderr
        assert f"stored belfast.coordinator.{last_month.label} revision 2" in pulled.stdout
        refused = run_node("federation", "query", "belfast", "--from", last_month.label,
                           "--dimension", "category", "--dimension", "area",
                           "--home", str(coordinator.home))
        assert "refused (dimension_not_allowed)" in refused.stdout

        out = tmp_path / "release.bin"
        exported = run_node("federation", "export-release",
                            f"belfast.coordinator.{last_month.label}", "--out", str(out),
                            "--home", str(coordinator.home))
        assert exported.returncode == 0, exported.stderr
        verified = run_node("verify-release", str(out), "--home", str(coordinator.home))
        assert verified.returncode == 0, verified.stderr
        assert "revision 2" in verified.stdout
    finally:
        stop(procs)
        ctx.engine.dispose()
