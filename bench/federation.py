"""Benchmark: a federation round and a coordinator query, for 5 real nodes and 100 simulated.

    python -P bench/federation.py [--reports 300] [--simulated 100] [--json FILE]

(``-P``: bench/anonymisation.py must not shadow the ``anonymisation`` package.)

Five nodes: five real city homes (SQLite, the pilot policies) with ``--reports`` synthetic
redacted reports each, and a coordinator served over real HTTP on loopback (a WSGI server in a
thread). Timed: the push round of every city (recount, disclosure control, sign, encrypt,
outbox, HTTP delivery, verify and store at the coordinator) and the coordinator's EU query
(``eu_aggregates`` by period and category over every verified release).

100 nodes: 100 generated node key pairs in a signed roster with the coordinator; each
simulated city seals 12 monthly releases (13 categories each, with totals) that are fed into
the coordinator's inbox (``federation.inbox.receive``: decrypt, verify, store). Timed: that
feeding, and then the EU query over all of them.

Redaction is not part of a round (it happens as reports arrive): reports are marked redacted.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import nacl.public
import nacl.signing
from sqlalchemy import update
from werkzeug.serving import make_server

from anonymisation.disclosure.periods import period_of
from federation.envelope import seal_envelope
from federation.eu_view import eu_aggregates
from federation.exchange import load_identity, push_round
from federation.inbox import receive
from federation.messages import AggregateRelease
from federation.roster import MemberKey, RosterMember, SignedRoster, sign_roster
from federation.transport import HttpTransport
from keys.federation_root import load_root_key
from keys.key_id import key_id_for
from keys.node_keys import node_key_dir, read_key_records
from keys.roster_admin import member_from_key_records, new_roster
from keys.trust_store import import_roster, load_pinned_roots
from node.app import create_app
from node.cli import load_context
from node.db import transaction
from node.demo import CITIES, COORDINATOR_ID, NodeSpec, build_federation, free_port
from node.demo_data import generate_reports, write_jsonl
from node.importer import import_file
from node.models.reports import Report

CATEGORIES = ("0101", "0201", "0208", "0301", "0401", "0501", "0502", "0504", "0601", "0701",
              "0801", "0901", "1001")


def _timed(func: Any, repeat: int = 5) -> dict[str, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return {"median_s": round(statistics.median(times), 4), "max_s": round(max(times), 4)}


def _serve(app: Any, port: int) -> Any:
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _query(ctx: Any, cities: list[str]) -> None:
    with transaction(ctx.sessions) as session:
        view = eu_aggregates(session, category=None, period_from=None, period_to=None,
                             group_by=("period", "category"), expected_cities=cities,
                             now=datetime.now(UTC))
    assert view["figures"]


def five_nodes(base: Path, reports: int) -> dict[str, Any]:
    specs = [NodeSpec(c, c, frozenset({"city"}), base / c, free_port()) for c in CITIES]
    specs.append(NodeSpec(COORDINATOR_ID, "belfast", frozenset({"coordinator"}),
                          base / "coord", free_port()))
    build_federation(specs, base / "root", now=datetime.now(UTC))
    ctxs = {s.node_id: load_context(s.home) for s in specs}
    for spec in specs[:-1]:
        ctx = ctxs[spec.node_id]
        path = base / f"{spec.node_id}.jsonl"
        write_jsonl(path, generate_reports(spec.city, tuple(ctx.settings.languages),
                                           ctx.policy.categories.mapping, count=reports,
                                           now=datetime.now(UTC)))
        import_file(ctx, path)
        with transaction(ctx.sessions) as session:
            session.execute(update(Report).values(status="redacted", redacted_text="[r]"))
    coordinator = ctxs[COORDINATOR_ID]
    server = _serve(create_app(coordinator.settings, context=coordinator), specs[-1].port)
    logging.getLogger().setLevel(logging.WARNING)  # one INFO line per message is noise here
    transport = HttpTransport()
    try:
        start = time.perf_counter()
        summaries = {s.node_id: push_round(ctxs[s.node_id], transport=transport).as_dict()
                     for s in specs[:-1]}
        first_round = time.perf_counter() - start
        delivered = sum(s["delivered"] for s in summaries.values())
        # A steady-state round: nothing changed, so recount and compare only.
        steady = _timed(lambda: [push_round(ctxs[s.node_id], transport=transport)
                                 for s in specs[:-1]], repeat=3)
        query = _timed(lambda: _query(coordinator, list(CITIES)))
    finally:
        server.shutdown()
        for ctx in ctxs.values():
            ctx.engine.dispose()
    return {"nodes": 5, "reports_per_city": reports, "releases_delivered": delivered,
            "first_round_s": round(first_round, 3), "steady_round": steady,
            "eu_query": query}


def hundred_nodes(base: Path, count: int) -> dict[str, Any]:
    now = datetime.now(UTC)
    coord = NodeSpec(COORDINATOR_ID, "belfast", frozenset({"coordinator"}), base / "coord",
                     free_port())
    build_federation([coord], base / "root", now=now)
    now = datetime.now(UTC)  # after the coordinator's keys exist
    rng = random.Random(5)
    sims = []
    members = [member_from_key_records(node_id=coord.node_id, city="EU",
                                       endpoint=coord.endpoint, roles={"coordinator"},
                                       records=read_key_records(node_key_dir(coord.home)))]
    valid_from = now - timedelta(days=1)
    for i in range(count):
        node_id = f"sim-{i:03d}"
        signing = nacl.signing.SigningKey.generate()
        encryption = nacl.public.PrivateKey.generate()
        sims.append((node_id, signing))
        members.append(RosterMember(
            node_id=node_id, city=node_id, endpoint=f"http://127.0.0.1:1/{node_id}",
            roles=frozenset({"city"}),
            signing_keys=(MemberKey(key_id_for(bytes(signing.verify_key)),
                                    bytes(signing.verify_key), valid_from),),
            encryption_keys=(MemberKey(key_id_for(bytes(encryption.public_key)),
                                       bytes(encryption.public_key), valid_from),),
            valid_from=valid_from,
        ))
    pin_dir = base / "root"
    signed = SignedRoster(new_roster(load_pinned_roots(coord.home), version=2,
                                     now=now - timedelta(seconds=30), members=members))
    for index in (1, 2):
        signed = sign_roster(signed, load_root_key(pin_dir / f"root-{index}.key"))
    import_roster(coord.home, signed.to_bytes(), now=now)
    ctx = load_context(coord.home)
    identity = load_identity(ctx)
    coordinator_key = identity.roster.encryption_key_for(coord.node_id, now)
    periods = [p.label for p in period_of(now, "month").previous(12)]
    sealed = []
    for node_id, signing in sims:
        for period in periods:
            sealed.append(seal_envelope(
                _release(node_id, period, rng, now), sender=node_id, signing_key=signing,
                recipient=coord.node_id, recipient_key=coordinator_key, now=now,
            ).raw)
    start = time.perf_counter()
    for raw in sealed:
        receive(ctx, identity, raw, now=datetime.now(UTC))
    feeding = time.perf_counter() - start
    query = _timed(lambda: _query(ctx, [n for n, _ in sims]), repeat=3)
    ctx.engine.dispose()
    return {"nodes": count, "releases_received": len(sealed),
            "receive_all_s": round(feeding, 3),
            "receive_per_message_ms": round(1000 * feeding / len(sealed), 2),
            "eu_query": query}


def _release(node_id: str, period: str, rng: random.Random, now: datetime) -> AggregateRelease:
    cells = []
    total = 0
    for category in CATEGORIES:
        value = rng.randrange(0, 40)
        suppressed = 0 < value < 5
        total += value
        cells.append({"category": category, "period": period,
                      "value": None if suppressed else value,
                      "flags": {"suppressed": suppressed, "rounded": False, "noised": False}})
    cells.append({"category": "_T", "period": period, "value": total,
                  "flags": {"suppressed": False, "rounded": False, "noised": False}})
    return AggregateRelease.from_dict({
        "release_id": f"{node_id}.coordinator.{period}", "node_id": node_id, "city": node_id,
        "period": period, "revision": 1, "cells": cells,
        "lineage": {"policy_hash": "0" * 64, "software_version": "bench",
                    "steps": [{"step": "primary_suppression",
                               "parameters": {"min_cell_count": 5}}],
                    "coverage": {"reports_counted": total,
                                 "reports_counted_flags": {"suppressed": False,
                                                           "rounded": False, "noised": False},
                                 "reports_pending": 0},
                    "epsilon_spent": 0.0, "warnings": []},
        "created_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
    })


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--simulated", type=int, default=100)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-federation-") as tmp:
        base = Path(tmp)
        result: dict[str, Any] = {"at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
        result["five"] = five_nodes(base / "five", args.reports)
        print(json.dumps(result["five"]), flush=True)
        result["simulated"] = hundred_nodes(base / "sim", args.simulated)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
