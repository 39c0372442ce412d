"""Time of a release over a large store: 100,000 and 1,000,000 redacted reports.

Fills a fresh SQLite node home with redacted reports (bulk INSERTs straight into the reports
table: the text columns are irrelevant to counting and left empty) spread over 22 months, the
city's policy categories and areas; then, for the closed month 2026-09, times each step the
node's release runs: loading the countable rows (``federation.releases.load_countable``),
``count_cells``, ``protect`` and the whole ``ensure_release`` (what the push job calls) for
the policy's ``coordinator`` (category × month) and ``preston`` (category × area × quarter)
rules. Target: under 10 s at 1,000,000 reports.

    python -P bench/release_scale.py [--sizes 100000,1000000] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

NOW = datetime(2026, 11, 28, tzinfo=UTC)
FIRST = datetime(2025, 1, 1, tzinfo=UTC)
SPAN = NOW.replace(day=1) - FIRST  # 22 months, all closed
PERIODS = {"coordinator": "2026-09", "preston": "2026-Q3"}


def fill(home: Path, rows: int, seed: int = 1) -> dict[str, int]:
    """Insert ``rows`` redacted reports; returns how many categories and areas they use."""
    from bench.scenarios.harness import context

    rng = random.Random(seed)
    with context(home) as ctx:
        codes = sorted({str(c) for c in ctx.policy.categories.mapping.values()})
        areas = sorted({a for a in (ctx.area_for(54.55 + rng.random() * 0.1,
                                                 -6.0 + rng.random() * 0.15)
                                    for _ in range(2000)) if a})
        city, policy_hash = ctx.city, str(ctx.policy_hash)
    # Busy and quiet categories, as in a real month: weights from a skewed distribution.
    weights = [rng.paretovariate(1.2) for _ in codes]
    db = sqlite3.connect(home / "node.db")
    db.execute("PRAGMA synchronous=OFF")
    sql = ("INSERT INTO reports (id, city, received_at, occurred_at, local_category, iccs_code, "
           "language, area, channel, status, redacted_text, findings_summary, policy_hash, "
           "redacted_at, redaction_attempts, retention_until) "
           "VALUES (?, ?, ?, ?, ?, ?, 'en', ?, 'app', 'redacted', '', '{}', ?, ?, 0, ?)")
    batch: list[tuple[Any, ...]] = []
    seconds = int(SPAN.total_seconds())
    for _ in range(rows):
        occurred = FIRST + timedelta(seconds=rng.randrange(seconds))
        stamp = occurred.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        code = rng.choices(codes, weights)[0]
        batch.append((str(uuid.uuid4()), city, stamp, stamp, "bench", code,
                      rng.choice(areas), policy_hash, stamp, "2030-01-01 00:00:00.000000"))
        if len(batch) == 50_000:
            db.executemany(sql, batch)
            batch.clear()
    db.executemany(sql, batch)
    db.commit()
    db.close()
    return {"categories": len(codes), "areas": len(areas)}


def time_release(home: Path) -> list[dict[str, Any]]:
    from anonymisation.disclosure.cells import count_cells
    from anonymisation.disclosure.protect import protect
    from bench.scenarios.harness import context
    from federation.releases import (
        DatabaseBudgetLedger,
        ensure_release,
        load_countable,
        sharing_rule,
    )
    from node.db import transaction

    out = []
    with context(home) as ctx:
        for rule_name, period in PERIODS.items():
            rule = sharing_rule(ctx, rule_name)
            categories = sorted({code[: 2 * rule.category_level]
                                 for code in ctx.policy.categories.mapping.values()})
            with transaction(ctx.sessions) as session:
                t0 = time.perf_counter()
                records = load_countable(session)
                t1 = time.perf_counter()
                counts = count_cells(records, rule, period, now=NOW, categories=categories)
                t2 = time.perf_counter()
                table = protect(counts, rule, ledger=DatabaseBudgetLedger(session),
                                recipient=rule_name, now=NOW)
                t3 = time.perf_counter()
                session.rollback()
            t6 = time.perf_counter()
            sql_cells = _sql_counts(home, rule.category_level, counts.period.start,
                                    counts.period.end, "area" in rule.dimensions)
            t7 = time.perf_counter()
            with transaction(ctx.sessions) as session:
                t4 = time.perf_counter()
                _, made = ensure_release(ctx, session, rule_name, period, now=NOW)
                t5 = time.perf_counter()
            out.append({
                "rule": rule_name, "period": counts.period.label,
                "dimensions": list(rule.dimensions),
                "cells": len(table.cells),
                "reports_in_period": sum(counts.counts.values()),
                "load_s": round(t1 - t0, 2), "count_s": round(t2 - t1, 2),
                "protect_s": round(t3 - t2, 2), "ensure_release_s": round(t5 - t4, 2),
                "made": made,
                # The same counts as one GROUP BY over the period only (what a fix could do).
                "sql_group_by_s": round(t7 - t6, 2),
                "sql_matches": sql_cells == {k: v for k, v in counts.counts.items() if v},
            })
    return out


def _sql_counts(home: Path, level: int, start: datetime, end: datetime,
                with_area: bool) -> dict[tuple[str, str | None], int]:
    """Counts of the period's redacted reports by category (and area) in one SQL query."""
    area = "COALESCE(area, '_U')" if with_area else "NULL"
    stamp = "%Y-%m-%d %H:%M:%S.%f"
    with sqlite3.connect(home / "node.db") as db:
        rows = db.execute(
            f"SELECT substr(iccs_code, 1, ?), {area}, COUNT(*) FROM reports "  # noqa: S608
            "WHERE status = 'redacted' AND erased_at IS NULL AND iccs_code IS NOT NULL "
            "AND occurred_at >= ? AND occurred_at < ? GROUP BY 1, 2",
            (2 * level, start.replace(tzinfo=None).strftime(stamp),
             end.replace(tzinfo=None).strftime(stamp))).fetchall()
    return {(c, a): n for c, a, n in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    from bench.scenarios.harness import init_home

    runs = []
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            home = init_home(Path(tmp) / "home")
            started = time.perf_counter()
            shape = fill(home, size)
            filled = time.perf_counter() - started
            runs.append({"reports": size, **shape, "fill_s": round(filled, 1),
                         "releases": time_release(home)})
    print("| stored reports | rule | cells | in period | load s | count s | protect s | "
          "ensure_release s | SQL GROUP BY s (same counts) |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for run in runs:
        for r in run["releases"]:
            print(f"| {run['reports']:,} | {r['rule']} ({r['period']}) | {r['cells']} | "
                  f"{r['reports_in_period']:,} | {r['load_s']} | {r['count_s']} | "
                  f"{r['protect_s']} | {r['ensure_release_s']} | {r['sql_group_by_s']} "
                  f"({r['sql_matches']}) |")
    if args.json:
        args.json.write_text(json.dumps({"target_s": 10, "runs": runs}, indent=2),
                             encoding="utf-8")


if __name__ == "__main__":
    main()
