"""The policy on a real node: versions, reload that fails closed, retention, erasure, export,
and the DPO's API. SQLite and PostgreSQL, through the real CLI, app and redaction worker."""

from __future__ import annotations

import json
import logging
import os
import stat
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from node.app import create_app
from node.auth import create_token
from node.cli import cli, load_context
from node.db import transaction
from node.models.audit import AuditEntry
from node.models.base import utcnow
from node.models.policy import AggregateRevision, PolicyVersion
from node.models.reports import Report
from node.policy_versions import IN_FORCE, KEPT_LAST_VALID, WATCHER
from tests.conftest import make_home
from tests.policies.conftest import POLICY_DIR


@pytest.fixture
def home(tmp_path: Path, database_url: str) -> Path:
    """A Belfast node whose policy file is a copy the test may edit."""
    policy = tmp_path / "belfast.yaml"
    policy.write_text((POLICY_DIR / "belfast.yaml").read_text(encoding="utf-8"),
                      encoding="utf-8")
    node_home = make_home(tmp_path / "home", "belfast", database_url)
    settings = node_home / "settings.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        '# policy_file = ""', f'policy_file = "{policy}"'), encoding="utf-8")
    return node_home


@pytest.fixture
def node(home: Path) -> Iterator[Any]:
    ctx = load_context(home)
    yield ctx
    ctx.engine.dispose()


def policy_file(ctx: Any) -> Path:
    return Path(ctx.settings.policy_file)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def audit_actions(ctx: Any) -> list[tuple[str, dict[str, Any]]]:
    with transaction(ctx.sessions) as session:
        return [(e.action, e.details) for e in
                session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars()]


def token(ctx: Any, role: str) -> dict[str, str]:
    with transaction(ctx.sessions) as session:
        secret, _ = create_token(session, role, f"test {role}")
    return {"Authorization": f"Bearer {secret}"}


def add_report(ctx: Any, client: Any, headers: dict[str, str], **overrides: Any) -> str:
    body = {"occurred_at": "2026-03-01T18:30:00Z", "category": "burglary", "language": "en",
            "description": "Someone forced the back door and took a laptop.",
            "location": {"lat": 54.597, "lon": -5.93, "address": "12 Donegall Road"},
            "channel": "app", "reporter_contact": "witness@example.org"}
    body.update(overrides)
    response = client.post("/api/v1/reports", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return str(response.get_json()["id"])


def age(ctx: Any, report_id: str, days: int) -> None:
    with transaction(ctx.sessions) as session:
        session.execute(update(Report).where(Report.id == report_id)
                        .values(received_at=utcnow() - timedelta(days=days)))


# --- versions and reload -------------------------------------------------------------------

def test_applied_policy_is_recorded_once_with_who_applied_it(home: Path, node: Any) -> None:
    for _ in range(2):
        code, out = run("policy", "apply", "--home", str(home), "--by", "DPO office")
        assert code == 0, out
    with transaction(node.sessions) as session:
        rows = session.execute(select(PolicyVersion)).scalars().all()
        assert [(r.hash, r.applied_by) for r in rows] == [
            (node.policy.hash, "DPO office (policy apply)")]
        assert rows[0].content == policy_file(node).read_text(encoding="utf-8")
    assert [a for a, _ in audit_actions(node) if a.startswith("policy.")] == ["policy.applied"]


def test_valid_edit_takes_effect_without_restart(node: Any) -> None:
    watcher = node.extras[WATCHER]
    watcher.check()
    old_hash = node.policy.hash
    path = policy_file(node)
    path.write_text(path.read_text(encoding="utf-8").replace(
        "min_cell_count: 10\n    secondary_suppression: true\n    rounding_base: 5\n  preston",
        "min_cell_count: 20\n    secondary_suppression: true\n    rounding_base: 5\n  preston"),
        encoding="utf-8")
    status = watcher.check()
    assert status["state"] == IN_FORCE
    assert node.policy.hash != old_hash and status["hash"] == node.policy.hash
    assert node.policy.sharing["coordinator"].min_cell_count == 20
    with transaction(node.sessions) as session:
        assert [r.hash for r in session.execute(
            select(PolicyVersion).order_by(PolicyVersion.id)).scalars()] == [
            old_hash, node.policy.hash]


def test_invalid_edit_keeps_the_last_valid_policy_and_says_so_loudly(
    node: Any, caplog: pytest.LogCaptureFixture,
) -> None:
    watcher = node.extras[WATCHER]
    watcher.check()
    kept = node.policy
    path = policy_file(node)
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines) if "min_cell_count: 10" in text)
    lines[line] = lines[line].replace("10", "ten")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="node.policy_versions"):
        status = watcher.check()
    assert node.policy is kept
    assert status["state"] == KEPT_LAST_VALID and status["hash"] == kept.hash
    assert status["problems"] == [f"{path}:{line + 1}:21: expected a whole number, got the text "
                                  "'ten'"]
    assert any("stays in force" in r.getMessage() for r in caplog.records)
    assert audit_actions(node)[-1][0] == "policy.rejected"
    # The status command, the status API and the policy API all carry the state.
    app = create_app(node.settings, context=node, config={"TESTING": True})
    client = app.test_client()
    dpo = token(node, "dpo")
    assert client.get("/api/v1/status", headers=dpo).get_json()["policy"]["state"] == \
        KEPT_LAST_VALID
    body = client.get("/api/v1/policy", headers=dpo).get_json()
    assert body["status"]["problems"] == status["problems"]
    assert body["policy"]["hash"] == kept.hash


def test_node_refuses_to_start_on_an_invalid_policy(home: Path, node: Any) -> None:
    policy_file(node).write_text("version: [\n", encoding="utf-8")
    code, out = run("status", "--home", str(home))
    assert code == 1
    assert "will not start under an invalid policy" in out and "Traceback" not in out


def test_dpo_api_serves_history_and_exact_text_and_refuses_analysts(node: Any) -> None:
    node.extras[WATCHER].check(actor="DPO office")
    client = create_app(node.settings, context=node, config={"TESTING": True}).test_client()
    dpo = token(node, "dpo")
    items = client.get("/api/v1/policy/history", headers=dpo).get_json()["items"]
    assert [(i["hash"], i["applied_by"]) for i in items] == [(node.policy.hash, "DPO office")]
    version = client.get(f"/api/v1/policy/versions/{node.policy.hash}", headers=dpo).get_json()
    assert version["content"] == policy_file(node).read_text(encoding="utf-8")
    assert client.get("/api/v1/policy/versions/feed", headers=dpo).status_code == 404
    assert client.get("/api/v1/policy", headers=token(node, "analyst")).status_code == 403


# --- retention -----------------------------------------------------------------------------

def test_retention_removes_each_part_when_its_time_is_up(home: Path, node: Any) -> None:
    client = create_app(node.settings, context=node, config={"TESTING": True}).test_client()
    officer = token(node, "officer")
    fresh = add_report(node, client, officer)
    raw_due = add_report(node, client, officer)       # 0501 default: raw 90d, redacted 2y
    whole_due = add_report(node, client, officer)
    age(node, raw_due, 100)
    age(node, whole_due, 800)
    with transaction(node.sessions) as session:
        session.execute(update(Report).where(Report.id == raw_due)
                        .values(status="redacted", redacted_text="<redacted>"))

    code, out = run("retention", "--dry-run", "--home", str(home))
    assert code == 0
    assert f"{raw_due}" in out and "raw_text, contact" in out
    assert f"{whole_due}" in out and "whole_report" in out and fresh not in out
    assert "2 report(s)" in out
    with transaction(node.sessions) as session:
        assert session.get(Report, raw_due).description_sealed is not None  # dry run

    code, out = run("retention", "--home", str(home))
    assert json.loads(out) == {"deleted": {"raw_text": 1, "contact": 1, "whole_report": 1}}
    with transaction(node.sessions) as session:
        kept = session.get(Report, raw_due)
        assert (kept.description_sealed, kept.address_sealed, kept.contact_sealed,
                kept.contact_hash, kept.lat) == (None, None, None, None, None)
        assert kept.redacted_text == "<redacted>" and kept.erased_at is None
        assert kept.area is not None  # the coarse area still counts
        gone = session.get(Report, whole_due)
        assert gone.erased_at is not None and gone.description_sealed is None
        assert session.get(Report, fresh).description_sealed is not None
    action, details = audit_actions(node)[-1]
    assert action == "retention.enforced"
    assert details["counts"] == {"raw_text": 1, "contact": 1, "whole_report": 1}


# --- data-subject requests -----------------------------------------------------------------

def test_erase_by_contact_matches_variants_and_marks_counted_cells(home: Path, node: Any) -> None:
    from node.redaction import build_redactor, redact_pending

    client = create_app(node.settings, context=node, config={"TESTING": True}).test_client()
    officer = token(node, "officer")
    mine = add_report(node, client, officer, reporter_contact="Witness@Example.org")
    also_mine = add_report(node, client, officer, reporter_contact=" witness@example.org ")
    other = add_report(node, client, officer, reporter_contact="someone@example.org")
    assert redact_pending(node, build_redactor(node), limit=10).redacted == 3

    code, out = run("erase", "--contact", "WITNESS@example.org", "--home", str(home),
                    "--by", "DPO office")
    assert code == 0, out
    receipt = json.loads(out)
    assert sorted(r["id"] for r in receipt["reports"]) == sorted([mine, also_mine])
    assert receipt["cells_to_revise"] == 2
    assert "witness" not in out.lower()
    with transaction(node.sessions) as session:
        for report_id in (mine, also_mine):
            report = session.get(Report, report_id)
            assert report.erased_at is not None
            assert (report.description_sealed, report.redacted_text, report.contact_hash) == \
                (None, None, None)
        assert session.get(Report, other).erased_at is None
        revisions = session.execute(select(AggregateRevision)).scalars().all()
        assert {(r.iccs_code, r.reason) for r in revisions} == {("0501", "erasure")}
    erased = [d for a, d in audit_actions(node) if a == "subject.erased"]
    assert len(erased) == 2 and "witness" not in json.dumps(erased).lower()


def test_erase_of_an_unknown_report_is_a_clean_error(home: Path) -> None:
    code, out = run("erase", "--report", "no-such-id", "--home", str(home))
    assert code == 1 and "unknown or already erased" in out


def test_export_subject_hands_over_what_the_node_holds(home: Path, node: Any,
                                                       tmp_path: Path) -> None:
    client = create_app(node.settings, context=node, config={"TESTING": True}).test_client()
    officer = token(node, "officer")
    report_id = add_report(node, client, officer)
    add_report(node, client, officer, reporter_contact="someone@example.org")
    out_file = tmp_path / "export.json"
    code, out = run("export-subject", "--contact", "witness@example.org", "--home", str(home),
                    "--out", str(out_file))
    assert code == 0, out
    assert stat.S_IMODE(os.stat(out_file).st_mode) == 0o600
    data = json.loads(out_file.read_text(encoding="utf-8"))
    assert [r["id"] for r in data["reports"]] == [report_id]
    assert data["reports"][0]["description"] == "Someone forced the back door and took a laptop."
    assert data["reports"][0]["reporter_contact"] == "witness@example.org"
    assert [d for a, d in audit_actions(node) if a == "subject.exported"] == [{"reports": 1}]


def test_reports_redacted_after_a_reload_carry_the_new_policy_hash(node: Any) -> None:
    from node.redaction import redaction_jobs

    client = create_app(node.settings, context=node, config={"TESTING": True}).test_client()
    officer = token(node, "officer")
    watcher = node.extras[WATCHER]
    watcher.check()
    [(_, redact_job, _)] = redaction_jobs(node)
    witness = "Mary Johnson saw two men force the back door of the shop."
    before = add_report(node, client, officer, description=witness)
    redact_job()
    old_hash = node.policy.hash
    path = policy_file(node)
    path.write_text(path.read_text(encoding="utf-8").replace(
        "PERSON: pseudonymise", "PERSON: redact"), encoding="utf-8")
    assert watcher.check()["state"] == IN_FORCE and node.policy.hash != old_hash
    after = add_report(node, client, officer, description=witness)
    redact_job()
    with transaction(node.sessions) as session:
        first, second = session.get(Report, before), session.get(Report, after)
        # The hash stamped is the one whose operators produced the text.
        assert first.policy_hash == old_hash and "<PERSON-" in first.redacted_text
        assert second.policy_hash == node.policy.hash
        assert "Mary" not in second.redacted_text and "<PERSON" not in second.redacted_text
