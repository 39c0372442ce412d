"""Coordinator speed: EU query, CSV export, dashboard page and the early-warning job.

Builds a coordinator node home (SQLite, temporary) holding received releases of N cities × M
months (10 ICCS categories and the city total per release, a few cells suppressed), then times,
best of ``--repeat`` runs:

* ``GET /api/v1/eu/aggregates`` for one category, 12 months, by city and period (JSON and CSV);
* the EU dashboard page (five queries and the template);
* one run of the early-warning job over every release (detects, stores nothing new on reruns).

    /work/venv/bin/python -P bench/coordinator.py --cities 5 100 --months 24

(``-P``: bench/ must not come first on sys.path, where federation.py would shadow the package.)
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner

CATEGORIES = ("0101", "0201", "0301", "0401", "0501", "0502", "0504", "0601", "0701", "0801")


def _months(count: int, last: tuple[int, int]) -> list[str]:
    year, month = last
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out[::-1]


def build(home: Path, cities: int, months: int, now: datetime) -> Any:
    """A coordinator home with ``cities`` × ``months`` stored releases."""
    from node.cli import cli, load_context
    from node.db import transaction
    from node.models.federation import ReceivedRelease

    result = CliRunner().invoke(cli, ["init", "--city", "belfast", "--home", str(home)])
    assert result.exit_code == 0, result.output
    ctx = load_context(home)
    rng = random.Random(7)
    labels = _months(months, (now.year, now.month - 1) if now.month > 1 else (now.year - 1, 12))
    with transaction(ctx.sessions) as session:
        for c in range(cities):
            city = f"city{c:03d}"
            for label in labels:
                cells = []
                total = 0
                for cat in CATEGORIES:
                    value = rng.randint(0, 40)
                    hidden = value < 5
                    total += value
                    cells.append({"category": cat, "period": label,
                                  "value": None if hidden else value,
                                  "flags": {"noised": False, "rounded": False,
                                            "suppressed": hidden}})
                cells.append({"category": "_T", "period": label, "value": total,
                              "flags": {"noised": False, "rounded": False, "suppressed": False}})
                release_id = f"{city}.coordinator.{label}"
                session.add(ReceivedRelease(
                    release_id=release_id, sender=city, city=city, period=label, revision=1,
                    message_type="aggregate-release", message_id=f"{c:03d}{label}",
                    signed_record=b"{}", payload={"cells": cells, "lineage": {}},
                    created_at=now - timedelta(days=2), received_at=now - timedelta(days=2),
                    superseded=False,
                ))
    return ctx


def best(func: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(cities: int, months: int, repeat: int, now: datetime) -> tuple[float, ...]:
    """(query s, csv s, dashboard s, alert job s, alerts found) for one federation size."""
    from federation.alerts import run_early_warning
    from node.app import create_app
    from node.auth import create_token
    from node.db import transaction

    with tempfile.TemporaryDirectory() as tmp:
        ctx = build(Path(tmp) / "home", cities, months, now)
        with transaction(ctx.sessions) as session:
            token, _ = create_token(session, "coordinator", "bench")
        client = create_app(ctx.settings, context=ctx).test_client()
        headers = {"Authorization": f"Bearer {token}", "Accept": "text/html"}
        query = "/api/v1/eu/aggregates?category=0501&group_by=city,period"

        def get(url: str) -> None:
            resp = client.get(url, headers=headers)
            assert resp.status_code == 200, resp.status_code

        found: list[int] = []
        timings = (
            best(lambda: get(query), repeat),
            best(lambda: get(query + "&format=csv"), repeat),
            best(lambda: get("/dashboard/?category=0501"), repeat),
            best(lambda: found.append(len(run_early_warning(ctx))), repeat),
        )
        ctx.engine.dispose()
    return (*timings, found[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, nargs="+", default=[5, 100])
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    now = datetime.now(UTC)
    print(f"{'cities':>6} {'releases':>8} {'query json s':>12} {'csv s':>7} "
          f"{'dashboard s':>11} {'alert job s':>11} {'alerts':>6}")
    for cities in args.cities:
        q, c, d, a, found = measure(cities, args.months, args.repeat, now)
        print(f"{cities:>6} {cities * args.months:>8} {q:>12.3f} {c:>7.3f} {d:>11.3f} "
              f"{a:>11.3f} {int(found):>6}")


if __name__ == "__main__":
    main()
