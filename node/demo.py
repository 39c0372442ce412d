"""``run_node.py demo``: five city nodes and an EU coordinator on loopback, one federation round.

Steps (each uses the node's real code paths):

1. a node home per city and one for the coordinator (SQLite, temporary directory, fresh keys);
2. a federation root (2 of 3 root keys), a signed roster naming every node, pinned and imported
   on each node (``build_federation``, also used by the integration tests);
3. a few hundred synthetic reports per city in its languages, with personal data in the text,
   imported with the bulk importer and redacted by the redaction worker (a process per city);
4. every node served by ``run_node.py serve`` on its own loopback port;
5. one push round per city over HTTP to the coordinator, then the EU table from the
   coordinator's verified releases (``federation.eu_view``).

Then it prints the table, the dashboard address and a coordinator token, and keeps serving (and
pushing each minute) until Ctrl-C; ``--once --json FILE`` writes the figures and stops instead.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click
import requests

CITIES = ("belfast", "preston", "valencia", "nicosia", "groningen")
COORDINATOR_ID = "eu-coordinator"
REPORTS_PER_CITY = 300
INSECURE_LABEL = "INSECURE DEMO KEY"


@dataclass(frozen=True)
class NodeSpec:
    """One node of a federation to build: id, settings city, roster roles and where it lives."""

    node_id: str
    city: str
    roles: frozenset[str]
    home: Path
    port: int
    database_url: str | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def roster_city(self) -> str:
        # Releases carry the settings city; the roster names coordinators "EU".
        return self.city if "city" in self.roles else "EU"


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def init_home(spec: NodeSpec) -> None:
    """``run_node.py init`` for ``spec``, then its federation node id, URL and keys."""
    from keys.node_keys import generate_node_keys, node_key_dir
    from node.cli import init

    args = ["--city", spec.city, "--home", str(spec.home), "--port", str(spec.port)]
    if spec.database_url:
        args += ["--database-url", spec.database_url]
    with contextlib.redirect_stdout(io.StringIO()):
        init.main(args, standalone_mode=False)
    with (spec.home / "settings.toml").open("a", encoding="utf-8") as f:
        f.write(f'\nnode_id = "{spec.node_id}"\npublic_url = "{spec.endpoint}"\n'
                'sqlite_synchronous = "NORMAL"\n')
    if not (node_key_dir(spec.home) / "node-keys.json").exists():
        generate_node_keys(node_key_dir(spec.home), label=INSECURE_LABEL)


def build_federation(
    specs: Sequence[NodeSpec], root_dir: Path, *, now: datetime, init: bool = True
) -> bytes:
    """Create homes (if ``init``), a 2-of-3 federation root, and a signed roster imported on
    every node. Returns the signed roster bytes."""
    from federation.roster import SignedRoster, sign_roster
    from keys.federation_root import create_federation_root, load_root_key
    from keys.node_keys import node_key_dir, read_key_records
    from keys.roster_admin import member_from_key_records, new_roster
    from keys.trust_store import import_roster, pin_roots

    if init:
        for spec in specs:
            init_home(spec)
    pin = create_federation_root(root_dir, shares=3, threshold=2, label=INSECURE_LABEL)
    members = [
        member_from_key_records(
            node_id=s.node_id, city=s.roster_city, endpoint=s.endpoint, roles=s.roles,
            records=read_key_records(node_key_dir(s.home)),
        )
        for s in specs
    ]
    roster = new_roster(pin, version=1, now=now - timedelta(minutes=1), members=members)
    signed = SignedRoster(roster)
    for index in (1, 2):
        signed = sign_roster(signed, load_root_key(root_dir / f"root-{index}.key"))
    raw = signed.to_bytes()
    for spec in specs:
        pin_roots(spec.home, pin)
        import_roster(spec.home, raw, now=now)
    return raw


def demo_specs(base: Path) -> list[NodeSpec]:
    """The five pilot cities and one coordinator, each on a free loopback port."""
    specs = [NodeSpec(c, c, frozenset({"city"}), base / c, free_port()) for c in CITIES]
    specs.append(
        NodeSpec(COORDINATOR_ID, "belfast", frozenset({"coordinator"}), base / COORDINATOR_ID,
                 free_port())
    )
    return specs


def feed_reports(spec: NodeSpec, count: int, now: datetime) -> int:
    """Import ``count`` synthetic reports (plus the spike) into the city node."""
    from node.cli import load_context
    from node.demo_data import generate_reports, write_jsonl
    from node.importer import import_file
    from node.settings import CITIES as LANGUAGES

    ctx = load_context(spec.home)
    try:
        rows = generate_reports(spec.city, LANGUAGES[spec.city],
                                ctx.policy.categories.mapping, count=count, now=now)
        path = spec.home / "demo-reports.jsonl"
        write_jsonl(path, rows)
        summary = import_file(ctx, path)
        path.unlink()
        return summary.added
    finally:
        ctx.engine.dispose()


def _run_node(*args: str) -> list[str]:
    return [sys.executable, "-m", "node.cli_entry", *args]


def start_servers(
    specs: Iterable[NodeSpec], log_dir: Path, *, jobs_on_coordinators: bool = False
) -> list[subprocess.Popen[bytes]]:
    """``run_node.py serve --workers 1`` per node, logs in ``log_dir``.

    City nodes run without their jobs process: the demo pushes itself, so that a scheduled push
    never races it. Coordinators may run theirs (early warning, alert delivery).
    """
    procs = []
    for spec in specs:
        log = (log_dir / f"{spec.node_id}.log").open("wb")
        jobs = jobs_on_coordinators and "coordinator" in spec.roles
        args = ["serve", "--home", str(spec.home), "--workers", "1"]
        procs.append(
            subprocess.Popen(
                _run_node(*args, *([] if jobs else ["--no-jobs"])),
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        )
    return procs


def wait_healthy(specs: Iterable[NodeSpec], timeout: float = 90.0) -> None:
    """Wait until every node answers /healthz (RuntimeError naming the ones that do not)."""
    waiting = {s.node_id: s for s in specs}
    deadline = time.monotonic() + timeout
    while waiting and time.monotonic() < deadline:
        for node_id, spec in list(waiting.items()):
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{spec.endpoint}/healthz", timeout=2).status_code == 200:
                    del waiting[node_id]
        time.sleep(0.2)
    if waiting:
        raise RuntimeError(f"nodes did not start within {timeout:.0f} s: {', '.join(waiting)}")


def stop(procs: Iterable[subprocess.Popen[bytes]]) -> None:
    """Stop each started server (SIGINT to its own process group, SIGKILL after 20 s)."""
    procs = list(procs)
    for p in procs:
        if p.poll() is None:
            # SIGINT: gunicorn's quick shutdown (SIGTERM waits for its graceful timeout).
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGINT)
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)
            p.wait()


def push_all(specs: Iterable[NodeSpec], log_dir: Path) -> dict[str, dict[str, int]]:
    """``run_node.py federation push`` on every city node at once (a process each: the first
    round's disclosure control is CPU work), over HTTP to the running peers."""
    procs = []
    for spec in specs:
        if "city" in spec.roles:
            log = (log_dir / f"{spec.node_id}-push.log").open("ab")
            procs.append((spec, subprocess.Popen(
                _run_node("federation", "push", "--home", str(spec.home)),
                stdout=subprocess.PIPE, stderr=log)))
    results = {}
    for spec, p in procs:
        out, _ = p.communicate()
        if p.returncode != 0:
            raise RuntimeError(f"push failed on {spec.node_id}; see {log_dir}")
        results[spec.node_id] = json.loads(out)
    return results


def city_figures(specs: Iterable[NodeSpec]) -> dict[str, list[dict[str, Any]]]:
    """Each city's current releases for the coordinator rule, as released."""
    from federation.exchange import COORDINATOR_RULE, current_local_releases
    from node.cli import load_context
    from node.db import transaction

    out: dict[str, list[dict[str, Any]]] = {}
    for spec in specs:
        if "city" not in spec.roles:
            continue
        ctx = load_context(spec.home)
        try:
            with transaction(ctx.sessions) as session:
                out[spec.city] = [
                    {"release_id": r.release_id, "revision": r.revision, "period": r.period,
                     "cells": r.payload["cells"], "lineage": r.payload["lineage"]}
                    for r in current_local_releases(session) if r.recipient == COORDINATOR_RULE
                ]
        finally:
            ctx.engine.dispose()
    return out


def eu_view(coordinator: NodeSpec, cities: Sequence[str], now: datetime) -> dict[str, Any]:
    """The coordinator's EU figures by period and category."""
    from federation.eu_view import eu_aggregates
    from node.cli import load_context
    from node.db import transaction

    ctx = load_context(coordinator.home)
    try:
        with transaction(ctx.sessions) as session:
            return eu_aggregates(session, category=None, period_from=None, period_to=None,
                                 group_by=("period", "category"), expected_cities=cities,
                                 now=now)
    finally:
        ctx.engine.dispose()


def format_table(view: dict[str, Any], last_periods: int = 2) -> str:
    """The EU table as text: ``~`` lower bound, ``*`` suppressed part, ``r`` rounded, ``n`` noised;
    cities missing from a figure are named."""
    from anonymisation.disclosure.periods import parse_period

    # The most recent periods of each unit (months, and the quarters of level-1 releases).
    by_unit: dict[str, list[str]] = {}
    for label in {f["key"]["period"] for f in view["figures"]}:
        by_unit.setdefault(parse_period(label).unit, []).append(label)
    periods = {p for labels in by_unit.values() for p in sorted(labels)[-last_periods:]}
    lines = [f"{'period':<9} {'ICCS':<5} {'EU':>6}  flags  contributions (missing)"]
    for fig in view["figures"]:
        key = fig["key"]
        if key["period"] not in periods:
            continue
        value = "-" if fig["value"] is None else str(fig["value"])
        flags = ("~" if fig["lower_bound"] else " ") + ("*" if fig["suppressed"] else " ") + (
            "r" if fig["rounded"] else " ") + ("n" if fig["noised"] else " ")
        parts = " ".join(
            f"{c['city']}={'*' if c['value'] is None else c['value']}"
            for c in fig["contributions"]
        )
        missing = f" (missing: {', '.join(fig['missing_cities'])})" if fig["missing_cities"] else ""
        lines.append(f"{key['period']:<9} {key['category']:<5} {value:>6}  {flags}  {parts}"
                     f"{missing}")
    lines.append("~ lower bound (a part suppressed or a city missing)  * suppressed part  "
                 "r rounded  n noised (differential privacy)")
    if view["missing_cities"]:
        lines.append(f"cities with no release at all: {', '.join(view['missing_cities'])}")
    return "\n".join(lines)


def coordinator_token(coordinator: NodeSpec) -> str:
    from node.auth import create_token
    from node.cli import load_context
    from node.db import transaction

    ctx = load_context(coordinator.home)
    try:
        with transaction(ctx.sessions) as session:
            secret, _ = create_token(session, "coordinator", "demo coordinator")
        return secret
    finally:
        ctx.engine.dispose()


def redact_all(specs: Iterable[NodeSpec], log_dir: Path) -> None:
    """``run_node.py redact`` for every city in parallel (the long pole of the demo)."""
    procs = []
    for spec in specs:
        if "city" in spec.roles:
            log = (log_dir / f"{spec.node_id}-redact.log").open("wb")
            procs.append((spec, subprocess.Popen(
                _run_node("redact", "--home", str(spec.home)), stdout=log,
                stderr=subprocess.STDOUT)))
    for spec, p in procs:
        if p.wait() != 0:
            raise RuntimeError(f"redaction failed on {spec.node_id}; see {log_dir}")


def progress() -> Callable[[str], None]:
    """``say(message)``: a progress line on stderr with the seconds since the demo started."""
    started = time.monotonic()

    def say(message: str) -> None:
        click.echo(f"[demo {time.monotonic() - started:5.1f} s] {message}", err=True)

    return say


@click.command()
@click.option("--once", is_flag=True, help="Run one round, write --json, stop everything.")
@click.option("--json", "json_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Write the cities' released figures and the EU table here.")
@click.option("--reports", default=REPORTS_PER_CITY, show_default=True, type=click.IntRange(1),
              help="Synthetic reports per city.")
@click.option("--keep", is_flag=True, help="Keep the temporary node homes afterwards.")
def demo(once: bool, json_file: Path | None, reports: int, keep: bool) -> None:
    """Five city nodes and an EU coordinator on loopback: synthetic reports, redaction, one
    signed and encrypted federation round, the EU table and the dashboard address."""
    from federation.alerts import alert_round

    started = time.monotonic()
    say = progress()
    base = Path(tempfile.mkdtemp(prefix="inspec2t-demo-"))
    logs = base / "logs"
    logs.mkdir()
    specs = demo_specs(base)
    coordinator = specs[-1]
    cities = [s for s in specs if "city" in s.roles]
    procs: list[subprocess.Popen[bytes]] = []
    try:
        now = datetime.now(UTC)
        say(f"node homes in {base} (temporary; INSECURE DEMO KEYS)")
        build_federation(specs, base / "federation-root", now=now)
        say("federation root (2 of 3) and signed roster pinned on 6 nodes")
        procs = start_servers(specs, logs, jobs_on_coordinators=True)
        fed = {s.city: feed_reports(s, reports, now) for s in cities}
        say(f"reports imported: {json.dumps(fed)}; redacting (a process per city)")
        redact_all(cities, logs)
        wait_healthy(specs)
        say(f"redaction done, {len(specs)} nodes serving; federation round")
        pushed = push_all(cities, logs)
        warned = alert_round(coordinator.home)  # early warning -> signed alerts to the cities
        say(f"early warning: {warned['alerts']} alerts, {warned['delivered']} sent")
        view = eu_view(coordinator, [s.city for s in cities], datetime.now(UTC))
        elapsed = time.monotonic() - started
        if json_file is not None:
            json_file.write_text(json.dumps(
                {"cities": city_figures(cities), "eu": view, "push": pushed,
                 "seconds": round(elapsed, 1)}, indent=2), encoding="utf-8")
        if once:
            say(f"one round in {elapsed:.0f} s; stopping the nodes")
            return
        click.echo(format_table(view))
        click.echo(f"\nFirst round in {elapsed:.0f} s. Dashboard: {coordinator.endpoint}/dashboard")
        click.echo(f"Coordinator token: {coordinator_token(coordinator)}")
        for s in cities:
            click.echo(f"  {s.node_id:<10} {s.endpoint}")
        click.echo("Serving; pushing every 60 s. Ctrl-C to stop.")
        while True:
            time.sleep(60)
            try:
                push_all(cities, logs)
            except RuntimeError as exc:
                say(str(exc))
    except KeyboardInterrupt:
        click.echo("stopping", err=True)
    finally:
        stop(procs)
        if not keep:
            shutil.rmtree(base, ignore_errors=True)
        else:
            say(f"kept {base}")


class LoopbackServer:
    """A threaded WSGI server bound to a free loopback port *before* its app exists.

    Building a federation needs each node's endpoint (its port) in the roster before the node's
    app can be made; binding first means no other program can take the port in between.
    Used by the integration tests and the federation benchmark.
    """

    def __init__(self) -> None:
        from werkzeug.serving import make_server

        self.app: Any = None
        self._server = make_server("127.0.0.1", 0, self._dispatch, threaded=True)
        self.port = int(self._server.server_port)
        self._thread: Any = None

    def _dispatch(self, environ: Any, start_response: Any) -> Any:
        return self.app(environ, start_response)

    def start(self, app: Any) -> None:
        import threading

        self.app = app
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(5)
        self._server.server_close()
