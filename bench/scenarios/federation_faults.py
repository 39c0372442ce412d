"""The federation under faults, with real node processes on loopback (``run_node.py serve``).

One federation is built as the demo builds it (five cities and a coordinator, fresh keys, a
signed 2-of-3 roster), each city fed synthetic reports with a unique canary planted in every
description and contact, and redacted by the real ``run_node.py redact``. Then:

1. SIGKILL of ``run_node.py federation push`` at several moments of a push;
2. SIGKILL of the coordinator's server while cities push to it; it comes back and the cities'
   outboxes deliver: every release exactly once (lost = queued for the coordinator but not
   stored there);
3. two cities down for the round: the coordinator's EU answer must name them as missing and
   mark the totals as lower bounds;
4. the whole-federation canary: every byte pushed (recorded at the transport, and each sealed
   message decrypted with the recipient's key), every log line of every node, every EU export
   and dashboard page of the coordinator, every page of each city, and every file of the
   coordinator's home: no canary anywhere.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import sqlite3
import subprocess
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

from bench.scenarios.harness import ROOT, RUN_NODE, bytes_under, canary, context, create_token
from bench.scenarios.outcome import Outcome

DOWN = ("preston", "groningen")  # the two cities kept down for the round


@dataclass
class RecordingTransport:
    """The node's real HTTP transport, keeping every request and response body."""

    wire: list[bytes] = field(default_factory=list)

    def send(self, url: str, body: bytes) -> bytes:
        from federation.transport import HttpTransport

        self.wire.append(body)
        answer = HttpTransport().send(url, body)
        self.wire.append(answer)
        return bytes(answer)


@dataclass
class Federation:
    base: Path
    specs: list[Any]
    procs: dict[str, subprocess.Popen[bytes]]
    canaries: list[str]

    @property
    def coordinator(self) -> Any:
        return self.specs[-1]

    @property
    def cities(self) -> list[Any]:
        return self.specs[:-1]

    def start(self, spec: Any) -> None:
        """``serve`` for ``spec``, appending to its log (a restart keeps the earlier lines)."""
        from node.demo import wait_healthy

        with (self.base / "logs" / f"{spec.node_id}.log").open("ab") as log:
            self.procs[spec.node_id] = subprocess.Popen(
                [*RUN_NODE, "serve", "--home", str(spec.home), "--workers", "1", "--no-jobs"],
                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_healthy([spec], timeout=180)

    def kill(self, spec: Any, sig: int = signal.SIGKILL) -> None:
        proc = self.procs.pop(spec.node_id)
        os.killpg(proc.pid, sig)
        proc.wait(timeout=60)

    def stop_all(self) -> None:
        for node_id in list(self.procs):
            self.kill(next(s for s in self.specs if s.node_id == node_id), signal.SIGTERM)


def _feed(spec: Any, count: int, now: datetime, canaries: list[str]) -> None:
    """The demo's synthetic reports for ``spec``'s city, each with a canary name and contact."""
    from node.demo_data import generate_reports, write_jsonl
    from node.importer import import_file
    from node.settings import CITIES as LANGUAGES

    with context(spec.home) as ctx:
        rows = []
        for row in generate_reports(spec.city, LANGUAGES[spec.city],
                                    ctx.policy.categories.mapping, count=count, now=now):
            name, contact = canary("n"), f"{canary('c').lower()}@example.org"
            canaries += [name, contact]
            row["description"] = f"{row['description']} Reported by {name}, mail {contact}."
            row["reporter_contact"] = contact
            rows.append(row)
        path = spec.home / "feed.jsonl"
        write_jsonl(path, rows)
        import_file(ctx, path)
        path.unlink()


def build(workdir: Path, reports: int) -> Federation:
    from node.demo import build_federation, demo_specs, redact_all

    now = datetime.now(UTC)
    specs = demo_specs(workdir)
    build_federation(specs, workdir / "federation-root", now=now)
    (workdir / "logs").mkdir(exist_ok=True)
    fed = Federation(workdir, specs, {}, [])
    for spec in fed.cities:
        _feed(spec, reports, now, fed.canaries)
    redact_all(fed.cities, workdir / "logs")
    try:
        for spec in specs:
            fed.start(spec)
    except BaseException:
        fed.stop_all()
        raise
    return fed


def _received(fed: Federation) -> list[tuple[str, str, int]]:
    with sqlite3.connect(fed.coordinator.home / "node.db", timeout=30) as db:
        return db.execute("SELECT sender, release_id, revision FROM received_releases").fetchall()


def _queued_for_coordinator(spec: Any) -> set[tuple[str, str, int]]:
    with sqlite3.connect(spec.home / "node.db", timeout=30) as db:
        rows = db.execute("SELECT release_id, revision FROM local_releases "
                          "WHERE recipient = 'coordinator'").fetchall()
    return {(spec.node_id, r, v) for r, v in rows}


def _push(spec: Any, transport: Any, now: datetime) -> Any:
    from federation.exchange import push_round

    with context(spec.home) as ctx:
        return push_round(ctx, transport=transport, now=now)


def kill_pusher(fed: Federation, delays: list[float]) -> Outcome:
    spec = fed.cities[0]
    out = Outcome("federation", "SIGKILL of `federation push` mid-push (then a normal push)",
                  tried=0, expected="every release stored once at the coordinator")
    for delay in delays:
        proc = subprocess.Popen([*RUN_NODE, "federation", "push", "--home", str(spec.home)],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        time.sleep(delay)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        out.tried += 1
    return out


def run(workdir: Path, n: int, *, reports: int = 60) -> list[Outcome]:
    fed = build(workdir, reports)
    try:
        return _scenarios(fed, n)
    finally:
        fed.stop_all()


def _scenarios(fed: Federation, n: int) -> list[Outcome]:
    transport = RecordingTransport()
    now = datetime.now(UTC)
    up = [s for s in fed.cities if s.city not in DOWN]
    for spec in fed.cities:
        if spec.city in DOWN:
            fed.kill(spec)

    # 1. The pushing process killed at several moments.
    pusher = kill_pusher(fed, [0.5 + 1.5 * i for i in range(n)])

    # 2. The coordinator killed while cities push; back later; outboxes deliver.
    coordinator_kill = Outcome("federation", "SIGKILL of the coordinator during a push round, "
                               "back later", tried=0,
                               expected="every queued release stored exactly once")
    pushing = [threading.Thread(target=_push, args=(s, transport, now)) for s in up[1:]]
    for t in pushing:
        t.start()
    time.sleep(1.0)
    fed.kill(fed.coordinator)
    for t in pushing:
        t.join(timeout=300)
    down_round = {s.node_id: _push(s, transport, now).as_dict() for s in up}
    fed.start(fed.coordinator)
    later = now
    for _ in range(6):  # past every back-off step of the outbox
        later += timedelta(hours=2)
        for spec in up:
            _push(spec, transport, later)
    expected = set().union(*(_queued_for_coordinator(s) for s in up))
    received = _received(fed)
    coordinator_kill.tried = len(expected)
    coordinator_kill.lost = len(expected - set(received))
    duplicates = len(received) - len(set(received))
    extra = len(set(received) - expected)
    coordinator_kill.failed = duplicates + extra
    coordinator_kill.rejected = len(expected & set(received))
    coordinator_kill.observed = (f"while down: {json.dumps(down_round)}; afterwards "
                                 f"{len(received)} stored for {len(expected)} queued, "
                                 f"{duplicates} duplicates")
    mine = {r for r in received if r[0] == fed.cities[0].node_id}
    pusher_expected = _queued_for_coordinator(fed.cities[0])
    pusher.lost = len(pusher_expected - mine)
    pusher.rejected = pusher.tried if not pusher.lost else 0
    pusher.observed = f"{len(mine)} of {len(pusher_expected)} releases stored once afterwards"

    # 3. Two cities down: the coordinator's answer says so.
    partial = _partial_answer(fed)

    # 4. The whole-federation canary.
    leak = _canary_search(fed, transport)
    return [pusher, coordinator_kill, partial, leak]


def _coordinator_token(fed: Federation) -> str:
    return create_token(fed.coordinator.home, "coordinator")


def _partial_answer(fed: Federation) -> Outcome:
    out = Outcome("federation", f"coordinator query with two cities down ({', '.join(DOWN)})",
                  tried=0, expected="every figure names both as missing, total a lower bound")
    token = _coordinator_token(fed)
    resp = requests.get(f"{fed.coordinator.endpoint}/api/v1/eu/aggregates",
                        params={"group_by": "period,category"}, timeout=120,
                        headers={"Authorization": f"Bearer {token}"})
    if resp.status_code != 200:
        out.failed, out.observed = 1, f"status {resp.status_code}"
        return out
    body = resp.json()
    for fig in body.get("figures", []):
        out.tried += 1
        if set(DOWN) <= set(fig.get("missing_cities", ())) and fig.get("lower_bound"):
            out.rejected += 1
        else:
            out.failed += 1
    out.observed = (f"{out.tried} figures, {out.rejected} flag both cities missing and lower "
                    f"bound; answer lists missing cities {body.get('missing_cities')}")
    return out


def _opened(raw: bytes, keys: dict[str, Any]) -> list[bytes]:
    import nacl.public

    from federation.canonical import parse_canonical

    envelope = parse_canonical(raw)
    box = nacl.public.SealedBox(keys[envelope["recipient_key_id"]])
    record = box.decrypt(base64.b64decode(envelope["ciphertext"]))
    return [record, base64.b64decode(parse_canonical(record)["statement"])]


def _pages(spec: Any, token: str) -> list[bytes]:
    """Every GET page and export of a node (dashboard, EU API in each format) as ``token``."""
    from bench.scenarios.access import routes

    out = []
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    for method, path, _ in routes(spec.home):
        if method != "GET":
            continue
        variants = [path]
        if path.startswith("/api/v1/eu/"):
            variants += [f"{path}?format=csv", f"{path}?format=sdmx-csv"]
        for url in variants:
            resp = session.get(spec.endpoint + url, timeout=120)
            out.append(resp.content)
    return out


def _canary_search(fed: Federation, transport: RecordingTransport) -> Outcome:
    from federation.exchange import load_identity

    now = datetime.now(UTC)
    keys: dict[str, Any] = {}
    for spec in [fed.coordinator, *fed.cities]:
        with context(spec.home) as ctx:
            keys.update(load_identity(ctx).decryption_keys(now))
    haystack: list[tuple[str, bytes]] = []
    opened = 0
    for body in transport.wire:
        haystack.append(("wire", body))
        if body.startswith(b'{"ciphertext"'):
            haystack += [("decrypted", b) for b in _opened(body, keys)]
            opened += 1
    for log in sorted((fed.base / "logs").glob("*.log")):
        haystack.append((f"log {log.name}", log.read_bytes()))
    coordinator_token = _coordinator_token(fed)
    haystack += [("coordinator page", p) for p in _pages(fed.coordinator, coordinator_token)]
    for spec in fed.cities:
        if spec.node_id in fed.procs:
            haystack += [(f"{spec.city} page", p)
                         for p in _pages(spec, create_token(spec.home, "analyst"))]
    haystack += [(f"coordinator file {p.name}", data)
                 for p, data in bytes_under(fed.coordinator.home)]
    out = Outcome("leak", "whole-federation canary (5 cities, coordinator, real processes)",
                  tried=len(fed.canaries), expected="no canary in any byte sent, decrypted, "
                  "logged, exported or shown")
    where: set[str] = set()
    for mark in fed.canaries:
        needle = mark.encode()
        # A city's own pages show its redacted report text to its analysts: that text never
        # leaves the node and keeps words the redactor does not take for personal data (the
        # canary names are made-up tokens), so there only the contacts (e-mail) must be gone.
        hits = [name for name, data in haystack
                if (needle in data or needle.lower() in data)
                and (b"@" in needle or not name.endswith(" page") or name.startswith("coord"))]
        if hits:
            out.leaked += 1
            where.update(hits)
        else:
            out.rejected += 1
    sizes = sum(len(d) for _, d in haystack)
    out.observed = (f"{len(fed.canaries)} canaries searched in {len(haystack)} items "
                    f"({sizes / 1e6:.1f} MB: {len(transport.wire)} wire bodies, {opened} "
                    f"decrypted envelopes, logs, pages, exports, coordinator files)"
                    + (f"; found in {sorted(where)[:5]}" if where else ""))
    if not opened:
        out.failed += 1  # a search that opened nothing proves nothing
    return out


# ------------------------------------------------------------------ network cut (ip netns)

@dataclass(frozen=True)
class _NetnsSpec:
    """Stands in for node.demo.NodeSpec for a node reached at ``address`` (inside a netns)."""

    node_id: str
    city: str
    roles: frozenset[str]
    home: Path
    port: int
    address: str
    database_url: str | None = None

    @property
    def endpoint(self) -> str:
        return f"http://{self.address}:{self.port}"

    @property
    def roster_city(self) -> str:
        return self.city if "city" in self.roles else "EU"


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


def run_network_cut(workdir: Path, n: int, *, reports: int = 60) -> Outcome:
    """A coordinator in its own network namespace behind a veth pair; the link is cut during
    push rounds (in flight and before), then restored: every release arrives exactly once."""
    from node.demo import build_federation, free_port

    out = Outcome("federation", "network cut (veth link down) between a city and the "
                  "coordinator in its own netns, during and between pushes", tried=0,
                  expected="every queued release stored exactly once after the link is back")
    tag = f"{os.getpid() % 100000}"
    ns, host_if, peer_if = f"ev{tag}", f"evh{tag}", f"evc{tag}"
    try:
        _ip("netns", "add", ns)
    except (OSError, subprocess.CalledProcessError):
        out.observed = "not run: cannot create a network namespace here (needs root, iproute2)"
        return out
    proc = None
    try:
        _ip("link", "add", host_if, "type", "veth", "peer", "name", peer_if)
        _ip("link", "set", peer_if, "netns", ns)
        _ip("addr", "add", "10.231.7.1/30", "dev", host_if)
        _ip("link", "set", host_if, "up")
        _ip("netns", "exec", ns, "ip", "addr", "add", "10.231.7.2/30", "dev", peer_if)
        _ip("netns", "exec", ns, "ip", "link", "set", peer_if, "up")
        _ip("netns", "exec", ns, "ip", "link", "set", "lo", "up")
        now = datetime.now(UTC)
        city = _NetnsSpec("belfast", "belfast", frozenset({"city"}), workdir / "belfast",
                          free_port(), "127.0.0.1")
        coord = _NetnsSpec("eu-coordinator", "belfast", frozenset({"coordinator"}),
                           workdir / "coordinator", free_port(), "10.231.7.2")
        build_federation([city, coord], workdir / "root", now=now)  # type: ignore[list-item]
        _feed(city, reports, now, [])
        with sqlite3.connect(city.home / "node.db") as db:  # counting needs no redacted text
            db.execute("UPDATE reports SET status = 'redacted', redacted_text = '', "
                       "findings_summary = '{}', redacted_at = received_at")
        with (workdir / "coordinator.log").open("ab") as log:
            proc = subprocess.Popen(
                ["ip", "netns", "exec", ns, *RUN_NODE, "serve", "--home", str(coord.home),
                 "--host", coord.address, "--port", str(coord.port), "--workers", "1",
                 "--no-jobs"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{coord.endpoint}/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.3)
        transport = RecordingTransport()
        rounds = []
        # Cut in flight: start the round, pull the link a moment later.
        pushing = threading.Thread(target=lambda: rounds.append(
            _push(city, transport, now).as_dict()))
        pushing.start()
        time.sleep(0.3)
        _ip("link", "set", host_if, "down")
        pushing.join(timeout=300)
        # Clocks stay within the coordinator's skew (300 s): a message from further in the
        # future is refused (and retried), so "later" is at most four minutes ahead.
        for i in range(n):  # rounds while the link stays down, past each back-off
            rounds.append(_push(city, transport, datetime.now(UTC)
                                + timedelta(seconds=30 * (i + 1))).as_dict())
        _ip("link", "set", host_if, "up")
        time.sleep(1.0)
        for _ in range(3):
            rounds.append(_push(city, transport,
                                datetime.now(UTC) + timedelta(minutes=4)).as_dict())
        expected = _queued_for_coordinator(city)
        with sqlite3.connect(coord.home / "node.db", timeout=30) as db:
            received = db.execute(
                "SELECT sender, release_id, revision FROM received_releases").fetchall()
        out.tried = len(expected)
        out.lost = len(expected - set(received))
        out.failed = len(received) - len(set(received)) + len(set(received) - expected)
        out.rejected = len(expected & set(received))
        cut = rounds[: n + 1]
        out.observed = (f"rounds with the link down delivered "
                        f"{sum(r['delivered'] for r in cut)} (failed "
                        f"{sum(r['failed'] for r in cut)}); after it came back {len(received)} "
                        f"stored for {len(expected)} queued")
    finally:
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=60)
        subprocess.run(["ip", "link", "del", host_if], capture_output=True, check=False)
        subprocess.run(["ip", "netns", "del", ns], capture_output=True, check=False)
    return out
