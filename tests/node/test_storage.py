"""Reports are sealed at rest, bound to their row, and survive data-key rotation."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update

from keys.at_rest import AtRestError, load_keyring, rotate_keyring
from node.db import transaction
from node.models.reports import Report
from node.reports import open_description

SECRET_TEXT = "Plaintext-canary-4b1d: Sean Murphy of 12 Falls Road saw it"
CONTACT = "sean.murphy.canary@example.org"


def _all_bytes(db_file: Path) -> bytes:
    """The database file plus its WAL and shared-memory files."""
    return b"".join(p.read_bytes() for p in db_file.parent.glob(db_file.name + "*") if p.is_file())


def test_plaintext_search_of_the_database_file_finds_nothing(sqlite_home, report_body) -> None:
    from node.app import create_app
    from node.auth import create_token
    from node.cli import load_context

    ctx = load_context(sqlite_home)
    client = create_app(ctx.settings, context=ctx).test_client()

    with transaction(ctx.sessions) as session:
        token, _ = create_token(session, "officer", "t")
    resp = client.post("/api/v1/reports",
                       json=report_body(description=SECRET_TEXT, reporter_contact=CONTACT),
                       headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 201
    db_file = Path(ctx.engine.url.database)
    stored_while_open = _all_bytes(db_file)
    ctx.engine.dispose()
    stored = _all_bytes(db_file) + stored_while_open
    assert stored, "the database file should exist"
    for needle in (SECRET_TEXT, "Sean Murphy", CONTACT, "12 Donegall Road"):
        assert needle.encode() not in stored
        assert needle.encode("utf-16-le") not in stored


def test_contact_is_kept_only_as_keyed_hash_and_sealed_value(ctx, client, auth,
                                                             report_body) -> None:
    report_id = client.post("/api/v1/reports", json=report_body(reporter_contact=CONTACT),
                            headers=auth("officer")).get_json()["id"]
    with ctx.sessions() as session:
        report = session.get(Report, report_id)
        assert report.contact_hash == ctx.keyring.contact_hash(" Sean.Murphy.Canary@Example.org ")
        assert CONTACT.encode() not in report.contact_sealed


def test_sealed_text_moved_to_another_report_does_not_open(ctx, client, auth,
                                                           report_body) -> None:
    first = client.post("/api/v1/reports", json=report_body(description="first"),
                        headers=auth("officer")).get_json()["id"]
    second = client.post("/api/v1/reports", json=report_body(description="second"),
                         headers=auth("officer")).get_json()["id"]
    with transaction(ctx.sessions) as session:
        stolen = session.get(Report, first).description_sealed
        session.execute(update(Report).where(Report.id == second)
                        .values(description_sealed=stolen))
    with ctx.sessions() as session, pytest.raises(AtRestError, match="integrity"):
        open_description(ctx, session.get(Report, second))


def test_rotation_keeps_old_reports_readable_and_reseal_moves_them(node_home, ctx, client, auth,
                                                                   report_body) -> None:
    from click.testing import CliRunner

    from node.cli import cli, load_context

    report_id = client.post("/api/v1/reports", json=report_body(description="before rotation"),
                            headers=auth("officer")).get_json()["id"]
    old_key = ctx.keyring.active_id
    rotate_keyring(ctx.settings.key_dir)
    rotated = load_context(node_home)
    assert rotated.keyring.active_id != old_key
    with rotated.sessions() as session:
        report = session.get(Report, report_id)
        assert open_description(rotated, report) == "before rotation"
        assert rotated.keyring.key_id_of(report.description_sealed) == old_key
    result = CliRunner().invoke(cli, ["data-key", "rotate", "--reseal", "--home", str(node_home)])
    assert result.exit_code == 0, result.output
    final = load_context(node_home)
    with final.sessions() as session:
        report = session.get(Report, report_id)
        assert final.keyring.key_id_of(report.description_sealed) == final.keyring.active_id
        assert open_description(final, report) == "before rotation"
    for c in (rotated, final):
        c.engine.dispose()


def test_world_readable_keyring_is_refused(ctx) -> None:
    path = ctx.settings.key_dir / "data-keys.json"
    path.chmod(0o644)
    with pytest.raises(AtRestError, match="chmod 600"):
        load_keyring(ctx.settings.key_dir)


def test_raw_read_of_a_moved_sealed_value_is_refused_and_audited(ctx, client, auth,
                                                                 report_body) -> None:
    from node.models.audit import AuditEntry

    first = client.post("/api/v1/reports", json=report_body(description="first"),
                        headers=auth("officer")).get_json()["id"]
    second = client.post("/api/v1/reports", json=report_body(description="second"),
                         headers=auth("officer")).get_json()["id"]
    with transaction(ctx.sessions) as session:
        stolen = session.get(Report, first).description_sealed
        session.execute(update(Report).where(Report.id == second)
                        .values(description_sealed=stolen))
    resp = client.get(f"/api/v1/reports/{second}?view=raw", headers=auth("dpo"))
    assert resp.status_code == 409
    assert resp.get_json()["error"]["code"] == "sealed_value_invalid"
    assert "first" not in resp.get_data(as_text=True)
    with ctx.sessions() as session:
        flagged = session.query(AuditEntry).filter_by(action="report.sealed_value_invalid").one()
    assert flagged.report_id == second
