"""The federation protocol between real node homes, over the in-memory transport (no sockets).

Two city nodes (SQLite) push to a coordinator on the ``database_url`` fixture (SQLite and
PostgreSQL): every release arrives once, a peer that was down gets everything when back, an
erasure gives a revision that supersedes, and pull queries are answered or refused in words.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, update

from anonymisation.disclosure.periods import period_of
from federation.eu_view import eu_aggregates
from federation.exchange import load_identity, push_round
from federation.outbox import deliver_due
from federation.query import new_query, send_query
from federation.transport import InMemoryTransport
from node.app import create_app
from node.cli import load_context
from node.db import transaction
from node.demo import NodeSpec, build_federation
from node.demo_data import generate_reports, write_jsonl
from node.importer import import_file
from node.models.federation import (
    BudgetEntry,
    LocalRelease,
    OutboxMessage,
    ReceivedRelease,
    SeenMessage,
)
from node.models.reports import Report


@dataclass
class Fed:
    ctxs: dict[str, Any]
    transport: InMemoryTransport
    root_dir: Path
    specs: dict[str, NodeSpec]

    def count(self, node: str, model: Any, *where: Any) -> int:
        with transaction(self.ctxs[node].sessions) as session:
            return int(session.execute(select(func.count()).select_from(model).where(*where))
                       .scalar_one())


def seed_redacted(ctx: Any, tmp: Path, count: int) -> None:
    """Import synthetic reports and mark them redacted (counting needs no text)."""
    path = tmp / f"{ctx.settings.node_id}.jsonl"
    write_jsonl(path, generate_reports(ctx.city, tuple(ctx.settings.languages),
                                       ctx.policy.categories.mapping, count=count,
                                       now=datetime.now(UTC)))
    import_file(ctx, path)
    with transaction(ctx.sessions) as session:
        session.execute(update(Report).values(status="redacted", redacted_text="[redacted]"))


@pytest.fixture
def fed(tmp_path: Path, database_url: str) -> Iterator[Fed]:
    specs = {
        "belfast": NodeSpec("belfast", "belfast", frozenset({"city"}), tmp_path / "belfast", 9101),
        "valencia": NodeSpec("valencia", "valencia", frozenset({"city"}), tmp_path / "valencia",
                             9102),
        "eu-coordinator": NodeSpec("eu-coordinator", "belfast", frozenset({"coordinator"}),
                                   tmp_path / "coord", 9103, database_url=database_url),
    }
    build_federation(list(specs.values()), tmp_path / "root", now=datetime.now(UTC))
    ctxs = {name: load_context(spec.home) for name, spec in specs.items()}
    apps = {spec.endpoint: create_app(ctxs[name].settings, context=ctxs[name],
                                      config={"TESTING": True})
            for name, spec in specs.items()}
    for city in ("belfast", "valencia"):
        seed_redacted(ctxs[city], tmp_path, 150)
    yield Fed(ctxs, InMemoryTransport(apps), tmp_path / "root", specs)
    for ctx in ctxs.values():
        ctx.engine.dispose()


def test_push_round_delivers_every_release_once(fed: Fed) -> None:
    first = push_round(fed.ctxs["belfast"], transport=fed.transport)
    assert first.releases_made > 0
    assert first.delivered == first.messages_queued == first.releases_made
    stored = fed.count("eu-coordinator", ReceivedRelease)
    assert stored == first.releases_made

    again = push_round(fed.ctxs["belfast"], transport=fed.transport)
    assert (again.releases_made, again.messages_queued, again.delivered) == (0, 0, 0)
    assert fed.count("eu-coordinator", ReceivedRelease) == stored


def test_release_carries_lineage_and_coverage(fed: Fed) -> None:
    push_round(fed.ctxs["belfast"], transport=fed.transport)
    with transaction(fed.ctxs["eu-coordinator"].sessions) as session:
        release = session.execute(select(ReceivedRelease).limit(1)).scalar_one()
        lineage = release.payload["lineage"]
    assert lineage["policy_hash"] == fed.ctxs["belfast"].policy_hash
    assert lineage["software_version"]
    steps = [s["step"] for s in lineage["steps"]]
    assert steps[0] == "count" and "primary_suppression" in steps and "rounding" in steps
    assert set(lineage["coverage"]) >= {"reports_counted", "reports_pending"}


def test_peer_down_for_hours_receives_everything_once_when_back(fed: Fed) -> None:
    coordinator = fed.specs["eu-coordinator"].endpoint
    fed.transport.down.add(coordinator)
    down = push_round(fed.ctxs["belfast"], transport=fed.transport)
    assert down.delivered == 0 and down.waiting == down.messages_queued > 0
    with transaction(fed.ctxs["belfast"].sessions) as session:
        rows = session.execute(select(OutboxMessage)).scalars().all()
        assert all(r.attempts == 1 and r.last_error.startswith("unreachable") for r in rows)
        assert all(r.next_attempt_at > datetime.now(UTC) for r in rows)

    identity = load_identity(fed.ctxs["belfast"])
    later = datetime.now(UTC) + timedelta(hours=3)
    for hour in range(1, 3):  # still down: attempts back off, nothing lost
        run = deliver_due(fed.ctxs["belfast"], identity, fed.transport,
                          now=datetime.now(UTC) + timedelta(hours=hour))
        assert run.delivered == 0 and run.waiting == down.waiting
    fed.transport.down.clear()
    back = deliver_due(fed.ctxs["belfast"], identity, fed.transport, now=later)
    assert back.delivered == down.waiting and back.waiting == 0
    assert fed.count("eu-coordinator", ReceivedRelease) == down.messages_queued
    assert deliver_due(fed.ctxs["belfast"], identity, fed.transport, now=later).delivered == 0


def test_lost_acknowledgement_does_not_store_twice(fed: Fed) -> None:
    push_round(fed.ctxs["belfast"], transport=fed.transport)
    stored = fed.count("eu-coordinator", ReceivedRelease)
    # The peer stored the messages but the sender never saw the answer: it sends them again.
    with transaction(fed.ctxs["belfast"].sessions) as session:
        session.execute(update(OutboxMessage).values(delivered_at=None))
    again = deliver_due(fed.ctxs["belfast"], load_identity(fed.ctxs["belfast"]), fed.transport,
                        now=datetime.now(UTC))
    assert again.delivered == stored and again.waiting == 0
    assert fed.count("eu-coordinator", ReceivedRelease) == stored


def test_erasure_gives_a_revision_that_supersedes_the_release(fed: Fed) -> None:
    from node.subjects import erase_report

    ctx = fed.ctxs["belfast"]
    push_round(ctx, transport=fed.transport)
    last_month = period_of(datetime.now(UTC), "month").previous(1)[0]
    with transaction(ctx.sessions) as session:
        victim = session.execute(
            select(Report.id).where(Report.occurred_at >= last_month.start,
                                    Report.occurred_at < last_month.end).limit(1)
        ).scalar_one()
        erase_report(ctx, session, victim, actor="test")
    revised = push_round(ctx, transport=fed.transport)
    assert revised.releases_made >= 1 and revised.delivered == revised.messages_queued
    release_id = f"belfast.coordinator.{last_month.label}"
    with transaction(fed.ctxs["eu-coordinator"].sessions) as session:
        rows = session.execute(
            select(ReceivedRelease.revision, ReceivedRelease.superseded)
            .where(ReceivedRelease.release_id == release_id).order_by(ReceivedRelease.revision)
        ).all()
    assert rows == [(1, True), (2, False)]


def test_eu_totals_are_the_sum_of_the_cities_released_figures(fed: Fed) -> None:
    for city in ("belfast", "valencia"):
        push_round(fed.ctxs[city], transport=fed.transport)
    with transaction(fed.ctxs["eu-coordinator"].sessions) as session:
        view = eu_aggregates(session, category=None, period_from=None, period_to=None,
                             group_by=("period", "category"),
                             expected_cities=["belfast", "valencia", "nicosia"],
                             now=datetime.now(UTC))
        released: dict[tuple[str, str], list[int | None]] = {}
        for r in session.execute(select(ReceivedRelease)).scalars():
            for cell in r.payload["cells"]:
                if cell["category"] != "_T" and cell.get("area") in (None, "_T"):
                    released.setdefault((cell["period"], cell["category"]), []).append(
                        cell["value"])
    assert view["missing_cities"] == ["nicosia"]
    assert view["coverage"] == {"expected": 3, "reporting": 2, "fraction": 0.6667}
    assert view["figures"]
    for fig in view["figures"]:
        key = (fig["key"]["period"], fig["key"]["category"])
        values = [v for v in released[key] if v is not None]
        assert fig["value"] == (sum(values) if values else None)
        assert fig["lower_bound"]  # nicosia is expected and missing everywhere
        assert fig["suppressed"] == (None in released[key])
        assert all(c["signature"] == "verified" for c in fig["contributions"])
    assert set(view["cities"]) == {"belfast", "valencia"}
    assert not any(c["stale"] for c in view["cities"].values())


def _query(fed: Fed, city: str, **kwargs: Any) -> Any:
    coordinator = fed.ctxs["eu-coordinator"]
    return send_query(coordinator, load_identity(coordinator), fed.transport, city,
                      new_query(**kwargs), now=datetime.now(UTC))


def _closed_month(back: int = 1) -> str:
    return period_of(datetime.now(UTC), "month").previous(back)[0].label


def test_pull_query_answers_with_the_signed_release(fed: Fed) -> None:
    result = _query(fed, "belfast", dimensions={"category", "period"}, category_level=2,
                    period_from=_closed_month(2), period_to=_closed_month(1))
    assert not result.refusals
    assert [r.period for r in result.releases] == [_closed_month(2), _closed_month(1)]
    assert fed.count("eu-coordinator", ReceivedRelease) == 2
    # Asked again: the same stored releases come back (no new revision, no new budget).
    again = _query(fed, "belfast", dimensions={"category", "period"}, category_level=2,
                   period_from=_closed_month(1), period_to=_closed_month(1))
    assert [r.revision for r in again.releases] == [1]
    assert fed.count("belfast", LocalRelease) == 2


@pytest.mark.parametrize(
    ("city", "query", "reason", "words"),
    [
        ("belfast", {"dimensions": {"category", "period", "area"}, "category_level": 2},
         "dimension_not_allowed", "dimension not allowed: area"),
        ("too_fine", {"dimensions": {"category", "period"}, "category_level": 3},
         "dimension_not_allowed", "ICCS level 3"),
        ("belfast_open", {"dimensions": {"category", "period"}, "category_level": 2},
         "period_not_closed", "period not closed"),
    ],
)
def test_query_the_policy_does_not_allow_is_refused_in_plain_words(
    fed: Fed, city: str, query: dict[str, Any], reason: str, words: str
) -> None:
    current = period_of(datetime.now(UTC), "month").label
    period = current if city == "belfast_open" else _closed_month(1)
    result = _query(fed, "belfast", period_from=period, period_to=period, **query)
    assert [r.reason for r in result.refusals] == [reason]
    assert words in result.refusals[0].message
    assert not result.releases
    assert fed.count("eu-coordinator", ReceivedRelease) == 0
    assert fed.count("belfast", LocalRelease) == 0


def test_query_over_budget_is_refused_and_spends_nothing(fed: Fed) -> None:
    period = _closed_month(1)
    valencia = fed.ctxs["valencia"]
    budget = valencia.policy.sharing["coordinator"].differential_privacy.budget_per_period
    with transaction(valencia.sessions) as session:
        session.add(BudgetEntry(recipient="coordinator", period=period, epsilon=budget,
                                release_id="earlier", at=datetime.now(UTC)))
    result = _query(fed, "valencia", dimensions={"category", "period"}, category_level=2,
                    period_from=period, period_to=period)
    assert [r.reason for r in result.refusals] == ["over_budget"]
    assert "over budget" in result.refusals[0].message
    assert fed.count("valencia", LocalRelease) == 0
    assert fed.count("valencia", BudgetEntry) == 1
    assert fed.count("eu-coordinator", ReceivedRelease) == 0


def test_dp_release_spends_budget_once_per_release(fed: Fed) -> None:
    valencia = fed.ctxs["valencia"]
    made = push_round(valencia, transport=fed.transport).releases_made
    rule = valencia.policy.sharing["coordinator"].differential_privacy
    with transaction(valencia.sessions) as session:
        spent = session.execute(select(func.sum(BudgetEntry.epsilon))).scalar_one()
    assert spent == pytest.approx(made * rule.epsilon_per_release)
    push_round(valencia, transport=fed.transport)
    assert fed.count("valencia", BudgetEntry) == made


def test_verify_release_reverifies_a_stored_release_offline(fed: Fed, tmp_path: Path) -> None:
    from node.cli import cli
    from node.commands.federation import register

    if "verify-release" not in cli.commands:
        register(cli)
    push_round(fed.ctxs["belfast"], transport=fed.transport)
    home = str(fed.specs["eu-coordinator"].home)
    release_id = f"belfast.coordinator.{_closed_month(1)}"
    out = tmp_path / "release.bin"
    runner = CliRunner()
    exported = runner.invoke(cli, ["federation", "export-release", release_id, "--out", str(out),
                                   "--home", home])
    assert exported.exit_code == 0, exported.output
    ok = runner.invoke(cli, ["verify-release", str(out), "--home", home])
    assert ok.exit_code == 0, ok.output
    assert f"verified: release {release_id} revision 1" in ok.output
    tampered = bytearray(out.read_bytes())
    tampered[tampered.index(b'"statement":"') + 20] ^= 1
    out.write_bytes(bytes(tampered))
    bad = runner.invoke(cli, ["verify-release", str(out), "--home", home])
    assert bad.exit_code == 1
    assert "NOT VERIFIED" in bad.output


def test_seen_ids_are_recorded_only_for_accepted_messages(fed: Fed) -> None:
    push_round(fed.ctxs["belfast"], transport=fed.transport)
    assert fed.count("eu-coordinator", SeenMessage) == fed.count("eu-coordinator",
                                                                  ReceivedRelease)


def test_a_city_whose_newest_release_is_old_is_marked_stale(fed: Fed) -> None:
    push_round(fed.ctxs["belfast"], transport=fed.transport)
    later = datetime.now(UTC) + timedelta(days=50)
    with transaction(fed.ctxs["eu-coordinator"].sessions) as session:
        view = eu_aggregates(session, category="05", period_from=None, period_to=None,
                             group_by=("city",), expected_cities=["belfast", "valencia"],
                             now=later)
    belfast = view["cities"]["belfast"]
    assert belfast["stale"] and belfast["age_seconds"] >= 50 * 86400
    assert view["missing_cities"] == ["valencia"]
    [figure] = view["figures"]
    assert figure["key"] == {"city": "belfast"}
    # One contribution per release summed into the figure (13 months), each marked stale.
    assert len(figure["contributions"]) == 13
    assert all(c["stale"] and c["city"] == "belfast" for c in figure["contributions"])
