"""Received releases of five cities, stored through the real models as the inbox stores them.

Monthly burglary (ICCS 0501) and theft (0502) counts with their city total "_T", 2025-04 to
2026-10. Planted on purpose:

* Belfast and Preston: a burglary spike in 2026-10 (the EU pattern the alert job must find);
* Valencia: burglary suppressed in 2026-06 and 2026-10 (never shown as 0, never in an alert);
* Groningen: no release at all for 2026-09 (missing, a lower bound);
* Nicosia: releases stop after 2026-08 and are old (stale).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from anonymisation.disclosure.periods import parse_period

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
CITIES = ("belfast", "groningen", "nicosia", "preston", "valencia")
MONTHS = [f"2025-{m:02d}" for m in range(4, 13)] + [f"2026-{m:02d}" for m in range(1, 11)]
BASE = {"belfast": 12, "groningen": 9, "nicosia": 7, "preston": 10, "valencia": 14}
SPIKE = {("belfast", "2026-10"): 41, ("preston", "2026-10"): 37}
SUPPRESSED = {("valencia", "2026-06"), ("valencia", "2026-10")}
NOT_SENT = {("groningen", "2026-09"), ("nicosia", "2026-09"), ("nicosia", "2026-10")}


def burglary(city: str, month: str) -> int | None:
    """The released burglary value (None where suppressed); a small steady wobble otherwise."""
    if (city, month) in SUPPRESSED:
        return None
    if (city, month) in SPIKE:
        return SPIKE[(city, month)]
    return BASE[city] + (MONTHS.index(month) % 3) - 1


def theft(city: str, month: str) -> int:
    return 2 * BASE[city] + MONTHS.index(month) % 4


def _flags(suppressed: bool) -> dict[str, bool]:
    return {"noised": False, "rounded": False, "suppressed": suppressed}


def release_payload(city: str, month: str, created_at: datetime) -> dict[str, Any]:
    """An ``AggregateRelease.to_dict()`` as the inbox stores it."""
    b, t = burglary(city, month), theft(city, month)
    total = (b if b is not None else 3) + t
    cells = [
        {"category": "0501", "period": month, "value": b, "flags": _flags(b is None)},
        {"category": "0502", "period": month, "value": t, "flags": _flags(False)},
        {"category": "_T", "period": month, "value": total, "flags": _flags(False)},
    ]
    steps = [{"step": "count", "parameters": {"iccs_level": 2}},
             {"step": "primary_suppression", "parameters": {"min_count": 5}}]
    return {
        "release_id": f"{city}-coordinator-{month}",
        "node_id": f"{city}-node",
        "city": city,
        "period": month,
        "revision": 1,
        "cells": cells,
        "lineage": {"node_id": f"{city}-node", "policy_hash": f"sha256:{city}policy",
                    "software_version": "0.1.0", "steps": steps,
                    "coverage": {"reports_counted": total, "reports_pending": 0}},
        "created_at": created_at.isoformat().replace("+00:00", "Z"),
    }


def store_releases(ctx: Any) -> int:
    """Insert every planted release; returns how many."""
    from node.db import transaction
    from node.models.federation import ReceivedRelease

    count = 0
    with transaction(ctx.sessions) as session:
        for city in CITIES:
            for month in MONTHS:
                if (city, month) in NOT_SENT:
                    continue
                created = parse_period(month).end + timedelta(days=1)
                if city != "nicosia":
                    created = min(created, NOW - timedelta(days=1))
                payload = release_payload(city, month, created)
                session.add(ReceivedRelease(
                    release_id=payload["release_id"], sender=payload["node_id"], city=city,
                    period=month, revision=1, message_type="aggregate-release",
                    message_id=f"m{count:08d}",
                    # Stands in for the signed record; the bundle must return it byte for byte.
                    signed_record=json.dumps({"record": payload["release_id"]}).encode(),
                    payload=payload, created_at=created, received_at=created, superseded=False,
                ))
                count += 1
    return count


def small_federation(base: Any, cities: tuple[str, ...]) -> dict[str, Any]:
    """Real city homes and a coordinator (keys, signed roster), the demo's synthetic reports
    (with its burglary spike), one push round over the in-memory transport between real apps.

    Returns ``ctxs`` (node id -> context), ``transport``, ``coord_home`` and ``now``.
    """
    from sqlalchemy import update

    from federation.exchange import push_round
    from federation.transport import InMemoryTransport
    from node.app import create_app
    from node.cli import load_context
    from node.db import transaction
    from node.demo import NodeSpec, build_federation
    from node.demo_data import generate_reports, write_jsonl
    from node.importer import import_file
    from node.models.reports import Report

    now = datetime.now(UTC)
    specs = [NodeSpec(c, c, frozenset({"city"}), base / c, 9200 + i)
             for i, c in enumerate(cities)]
    specs.append(NodeSpec("eu-coordinator", "belfast", frozenset({"coordinator"}),
                          base / "coord", 9299))
    build_federation(specs, base / "root", now=now)
    ctxs = {s.node_id: load_context(s.home) for s in specs}
    apps = {s.endpoint: create_app(ctxs[s.node_id].settings, context=ctxs[s.node_id],
                                   config={"TESTING": True}) for s in specs}
    transport = InMemoryTransport(apps)
    for city in cities:
        ctx = ctxs[city]
        path = base / f"{city}.jsonl"
        write_jsonl(path, generate_reports(ctx.city, tuple(ctx.settings.languages),
                                           ctx.policy.categories.mapping, count=400, now=now))
        import_file(ctx, path)
        with transaction(ctx.sessions) as session:
            # Counting needs no text: mark redacted instead of running the redactor.
            session.execute(update(Report).values(status="redacted", redacted_text="[redacted]"))
        push_round(ctx, transport=transport)
    return {"ctxs": ctxs, "transport": transport, "coord_home": base / "coord", "now": now}
