"""Submitting, reading and listing reports through the real app and database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from node.models.audit import AuditEntry


def test_submit_returns_201_and_the_report_is_stored_pending(client, auth, report_body) -> None:
    resp = client.post("/api/v1/reports", json=report_body(), headers=auth("officer"))
    assert resp.status_code == 201
    report_id = resp.get_json()["id"]
    got = client.get(f"/api/v1/reports/{report_id}", headers=auth("analyst")).get_json()
    assert got["status"] == "pending"
    assert got["category"] == "burglary"
    assert got["occurred_at"] == "2026-03-01T18:30:00Z"


def test_pending_report_is_never_shown_as_redacted_text(client, auth, report_body) -> None:
    report_id = client.post("/api/v1/reports", json=report_body(),
                            headers=auth("officer")).get_json()["id"]
    got = client.get(f"/api/v1/reports/{report_id}", headers=auth("analyst")).get_json()
    assert got["text"] is None
    assert "description" not in got and "reporter_contact" not in got


def test_raw_read_returns_the_text_and_is_audited(client, auth, ctx, report_body) -> None:
    body = report_body(description="Raw text for the audit test.")
    report_id = client.post("/api/v1/reports", json=body, headers=auth("officer")).get_json()["id"]
    raw = client.get(f"/api/v1/reports/{report_id}?view=raw", headers=auth("dpo")).get_json()
    assert raw["description"] == "Raw text for the audit test."
    assert raw["reporter_contact"] == "witness@example.org"
    assert raw["location"]["address"] == "12 Donegall Road"
    with ctx.sessions() as session:
        reads = session.execute(
            select(AuditEntry).where(AuditEntry.action == "report.raw_read")
        ).scalars().all()
    assert [r.report_id for r in reads] == [report_id]
    assert "Raw text" not in str(reads[0].details)


def test_analyst_cannot_read_raw(client, auth, report_body) -> None:
    report_id = client.post("/api/v1/reports", json=report_body(),
                            headers=auth("officer")).get_json()["id"]
    resp = client.get(f"/api/v1/reports/{report_id}?view=raw", headers=auth("analyst"))
    assert resp.status_code == 403


def test_retry_with_same_external_id_does_not_duplicate(client, auth, report_body) -> None:
    body = report_body(external_id="backoffice:4711")
    first = client.post("/api/v1/reports", json=body, headers=auth("officer"))
    second = client.post("/api/v1/reports", json=body, headers=auth("officer"))
    assert first.status_code == 201 and second.status_code == 200
    assert first.get_json()["id"] == second.get_json()["id"]
    listing = client.get("/api/v1/reports", headers=auth("analyst")).get_json()
    assert len(listing["items"]) == 1


def test_list_pages_through_every_report_once(client, auth, report_body) -> None:
    ids = {
        client.post("/api/v1/reports", json=report_body(description=f"report {i}"),
                    headers=auth("officer")).get_json()["id"]
        for i in range(7)
    }
    seen: list[str] = []
    cursor: Any = None
    while True:
        query = "?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(f"/api/v1/reports{query}", headers=auth("analyst")).get_json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(ids)


def test_list_filters_by_category_and_time(client, auth, report_body) -> None:
    client.post("/api/v1/reports", json=report_body(category="theft",
                occurred_at="2026-01-05T10:00:00Z"), headers=auth("officer"))
    client.post("/api/v1/reports", json=report_body(category="burglary",
                occurred_at="2026-02-05T10:00:00Z"), headers=auth("officer"))
    only_theft = client.get("/api/v1/reports?category=theft", headers=auth("analyst")).get_json()
    assert [i["category"] for i in only_theft["items"]] == ["theft"]
    feb = client.get("/api/v1/reports?from=2026-02-01T00:00:00Z&to=2026-03-01T00:00:00Z",
                     headers=auth("analyst")).get_json()
    assert [i["category"] for i in feb["items"]] == ["burglary"]


def test_healthz_is_public_and_checks_the_database(client) -> None:
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.get_json()["status"] == "ok"
