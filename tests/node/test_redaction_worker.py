"""The worker redacts stored reports; a failure leaves the report pending, text unlogged."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from node.db import transaction
from node.models.reports import Report
from node.redaction import build_redactor, redact_pending
from node.reports import create_report
from node.validation import ReportInput

NAME = "Siobhan McAllister"
PHONE = "07912 345678"


@pytest.fixture(scope="module")
def redactor_cache() -> dict:
    return {}


@pytest.fixture
def redactor(ctx, redactor_cache):
    # The analyzer takes seconds to load: one per policy hash for the module.
    key = ctx.policy_hash
    if key not in redactor_cache:
        redactor_cache[key] = build_redactor(ctx, workers=1)
    return redactor_cache[key]


def _store(ctx, text: str, language: str = "en") -> str:
    inp = ReportInput(datetime(2026, 3, 1, 18, 30, tzinfo=UTC), "burglary", None, language,
                      text, None, None, None, "app", None, None)
    with transaction(ctx.sessions) as session:
        report_id, _ = create_report(ctx, session, inp)
    return report_id


def test_worker_redacts_pending_reports_and_records_the_policy(ctx, redactor) -> None:
    report_id = _store(ctx, f"My neighbour {NAME} saw two men; call me on {PHONE}.")
    run = redact_pending(ctx, redactor, limit=10)
    assert run.as_dict() == {"redacted": 1, "failed": 0}
    with ctx.sessions() as session:
        report = session.get(Report, report_id)
    assert report.status == "redacted"
    assert NAME not in report.redacted_text and "McAllister" not in report.redacted_text
    assert "345678" not in report.redacted_text
    assert report.findings_summary.get("PERSON", 0) >= 1
    assert report.findings_summary.get("PHONE", 0) == 1
    assert report.policy_hash == ctx.policy_hash
    assert NAME not in str(report.findings_summary)


def test_failed_redaction_leaves_report_pending_and_logs_no_text(ctx, redactor,
                                                                 caplog) -> None:
    # The Belfast policy has no Dutch rules: analysis of a Dutch report fails for real.
    report_id = _store(ctx, f"Mijn buurman {NAME} belde {PHONE}.", language="nl")
    with caplog.at_level("DEBUG"):
        run = redact_pending(ctx, redactor, limit=10)
    assert run.failed == 1 and run.redacted == 0
    with ctx.sessions() as session:
        report = session.get(Report, report_id)
    assert report.status == "pending" and report.redacted_text is None
    assert report.redaction_attempts == 1
    assert NAME not in caplog.text and PHONE not in caplog.text and "buurman" not in caplog.text


def test_redacted_view_shows_text_only_after_redaction(ctx, client, auth, redactor,
                                                       report_body) -> None:
    body = report_body(description=f"{NAME} was threatened outside the shop.")
    report_id = client.post("/api/v1/reports", json=body, headers=auth("officer")).get_json()["id"]
    assert client.get(f"/api/v1/reports/{report_id}",
                      headers=auth("analyst")).get_json()["text"] is None
    redact_pending(ctx, redactor, limit=10)
    view = client.get(f"/api/v1/reports/{report_id}", headers=auth("analyst")).get_json()
    assert view["status"] == "redacted"
    assert "threatened outside the shop" in view["text"] and NAME not in view["text"]
