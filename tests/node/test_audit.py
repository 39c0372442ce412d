"""The audit log is a hash chain: an edited, inserted or deleted entry is detected."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import delete, func, update

from node import audit
from node.cli import cli
from node.db import transaction
from node.models.audit import AuditEntry


def _fill(ctx, n: int = 5) -> None:
    for i in range(n):
        with transaction(ctx.sessions) as session:
            audit.append(session, "test", "thing.done", details={"n": i})


def _verify(ctx) -> list:
    with ctx.sessions() as session:
        return audit.verify(session)


def test_intact_chain_verifies(ctx, node_home) -> None:
    _fill(ctx)
    assert _verify(ctx) == []
    result = CliRunner().invoke(cli, ["audit", "verify", "--home", str(node_home)])
    assert result.exit_code == 0 and "intact" in result.output


def test_edited_entry_is_detected(ctx, node_home) -> None:
    _fill(ctx)
    with transaction(ctx.sessions) as session:
        session.execute(update(AuditEntry).where(AuditEntry.seq == 3)
                        .values(details={"n": 99}))
    problems = _verify(ctx)
    assert [p.seq for p in problems] == [3]
    result = CliRunner().invoke(cli, ["audit", "verify", "--home", str(node_home)])
    assert result.exit_code == 1 and "audit entry 3" in result.output


def test_deleted_middle_entry_is_detected(ctx) -> None:
    _fill(ctx)
    with transaction(ctx.sessions) as session:
        session.execute(delete(AuditEntry).where(AuditEntry.seq == 2))
    assert any("missing" in p.problem for p in _verify(ctx))


def test_deleted_newest_entry_is_detected(ctx) -> None:
    _fill(ctx)
    with transaction(ctx.sessions) as session:
        newest = session.query(func.max(AuditEntry.seq)).scalar()
        session.execute(delete(AuditEntry).where(AuditEntry.seq == newest))
    assert any("newest" in p.problem for p in _verify(ctx))


def test_entry_rewritten_with_recomputed_hash_breaks_the_link(ctx) -> None:
    _fill(ctx)
    with transaction(ctx.sessions) as session:
        entry = session.get(AuditEntry, 2)
        entry.details = {"n": 42}
        entry.hash = audit._entry_hash(entry.prev_hash, entry.seq, entry.at.isoformat(),
                                       entry.actor, entry.action, entry.report_id, entry.details)
    assert any(p.seq == 3 and "link" in p.problem for p in _verify(ctx))


def test_imports_tokens_and_raw_reads_are_audited(ctx, client, auth, report_body) -> None:
    report_id = client.post("/api/v1/reports", json=report_body(),
                            headers=auth("officer")).get_json()["id"]
    client.get(f"/api/v1/reports/{report_id}?view=raw", headers=auth("dpo"))
    with ctx.sessions() as session:
        actions = [e.action for e in session.query(AuditEntry).order_by(AuditEntry.seq)]
    assert {"token.created", "token.used", "report.raw_read"} <= set(actions)
    assert _verify(ctx) == []


def test_settings_changes_are_audited_once_per_change(node_home) -> None:
    from node.cli import load_context

    def changes() -> list[dict]:
        c = load_context(node_home)
        with c.sessions() as session:
            rows = [e.details for e in session.query(AuditEntry)
                    .filter_by(action="settings.changed").order_by(AuditEntry.seq)]
        c.engine.dispose()
        return rows

    assert len(changes()) == 1
    assert len(changes()) == 1  # loading again with the same settings adds nothing
    settings_file = node_home / "settings.toml"
    settings_file.write_text(settings_file.read_text() + "\nmax_body_bytes = 1000\n")
    rows = changes()
    assert len(rows) == 2 and rows[-1]["changed"] == ["max_body_bytes"]
