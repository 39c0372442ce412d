"""Every bad request gets the one error shape, a clear message, and never echoes the input."""

from __future__ import annotations

import json

import pytest

CANARY = "CANARY-7f3e-Maria-Lopez"


def _assert_error_shape(resp, status: int) -> dict:
    assert resp.status_code == status, resp.get_data(as_text=True)
    assert resp.mimetype == "application/json"
    body = resp.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["fields"], dict)
    assert CANARY not in resp.get_data(as_text=True)
    return body["error"]


BAD_BODIES = [
    # (case, raw body bytes, content type, status, field expected in error.fields or None)
    ("malformed json", b'{"occurred_at": ', "application/json", 400, None),
    ("not an object", b'["a list"]', "application/json", 400, "body"),
    ("wrong type category", json.dumps({"occurred_at": "2026-03-01T10:00:00Z", "category": 5,
     "description": CANARY}).encode(), "application/json", 400, "category"),
    ("unknown field", json.dumps({"occurred_at": "2026-03-01T10:00:00Z", "category": "theft",
     "description": CANARY, "secret_field": CANARY}).encode(), "application/json", 400,
     "secret_field"),
    ("missing description", json.dumps({"occurred_at": "2026-03-01T10:00:00Z",
     "category": "theft"}).encode(), "application/json", 400, "description"),
    ("invalid utf-8", b'{"description": "\xff\xfe' + CANARY.encode() + b'"}', "application/json",
     400, None),
    ("nul byte", json.dumps({"occurred_at": "2026-03-01T10:00:00Z", "category": "theft",
     "description": CANARY + "\x00"}).encode(), "application/json", 400, "description"),
    ("absurd date", json.dumps({"occurred_at": "1066-10-14T10:00:00Z", "category": "theft",
     "description": CANARY}).encode(), "application/json", 400, "occurred_at"),
    ("year one with an offset", json.dumps({"occurred_at": "0001-01-01T00:01:00+01:00",
     "category": "theft", "description": CANARY}).encode(), "application/json", 400,
     "occurred_at"),
    ("future date", json.dumps({"occurred_at": "2999-01-01T00:00:00Z", "category": "theft",
     "description": CANARY}).encode(), "application/json", 400, "occurred_at"),
    ("naive date", json.dumps({"occurred_at": "2026-03-01T10:00:00", "category": "theft",
     "description": CANARY}).encode(), "application/json", 400, "occurred_at"),
    ("latitude out of range", json.dumps({"occurred_at": "2026-03-01T10:00:00Z",
     "category": "theft", "description": CANARY, "location": {"lat": 91, "lon": 0}}).encode(),
     "application/json", 400, "location.lat"),
    ("longitude not a number", json.dumps({"occurred_at": "2026-03-01T10:00:00Z",
     "category": "theft", "description": CANARY, "location": {"lat": 1, "lon": "west"}}).encode(),
     "application/json", 400, "location.lon"),
    ("NaN coordinate", b'{"occurred_at": "2026-03-01T10:00:00Z", "category": "theft", '
     b'"description": "x", "location": {"lat": NaN, "lon": 0}}', "application/json", 400, None),
    ("duplicate key", b'{"category": "theft", "category": "fraud"}', "application/json", 400,
     "category"),
    ("boolean as language", json.dumps({"occurred_at": "2026-03-01T10:00:00Z",
     "category": "theft", "description": CANARY, "language": True}).encode(), "application/json",
     400, "language"),
    ("unsupported language", json.dumps({"occurred_at": "2026-03-01T10:00:00Z",
     "category": "theft", "description": CANARY, "language": "xx"}).encode(),
     "application/json", 400, "language"),
    ("wrong content type", b"occurred_at=2026", "application/x-www-form-urlencoded", 415, None),
    ("empty body", b"", "application/json", 400, None),
    ("deeply nested", b"[" * 30000 + b"]" * 30000, "application/json", 400, None),
]


@pytest.mark.parametrize(("case", "raw", "ctype", "status", "field"), BAD_BODIES,
                         ids=[c[0] for c in BAD_BODIES])
def test_bad_report_bodies_get_the_error_shape(client, auth, case, raw, ctype, status,
                                               field) -> None:
    resp = client.post("/api/v1/reports", data=raw, content_type=ctype, headers=auth("officer"))
    error = _assert_error_shape(resp, status)
    if field is not None:
        assert field in error["fields"], error


def test_body_over_the_limit_is_413(client, auth, report_body) -> None:
    body = json.dumps(report_body(description="x" * 70000))
    resp = client.post("/api/v1/reports", data=body, content_type="application/json",
                       headers=auth("officer"))
    _assert_error_shape(resp, 413)


@pytest.mark.parametrize(("path", "status"), [
    ("/api/v1/reports/not-a-uuid", 404),
    ("/api/v1/reports/00000000-0000-0000-0000-000000000000", 404),
    ("/api/v1/reports?limit=abc", 400),
    ("/api/v1/reports?cursor=%25%25%25", 400),
    ("/api/v1/reports?status=done", 400),
    ("/api/v1/reports?bogus=1", 400),
    ("/no/such/page", 404),
])
def test_bad_reads_get_the_error_shape(client, auth, path, status) -> None:
    _assert_error_shape(client.get(path, headers=auth("analyst")), status)


def test_missing_and_bad_tokens_get_401(client) -> None:
    _assert_error_shape(client.get("/api/v1/reports"), 401)
    _assert_error_shape(client.get("/api/v1/reports",
                                   headers={"Authorization": "Bearer i2t_wrong"}), 401)
    _assert_error_shape(client.get("/api/v1/reports", headers={"Authorization": "Basic xx"}), 401)


def test_wrong_method_gets_405_in_the_error_shape(client) -> None:
    _assert_error_shape(client.delete("/healthz"), 405)


def test_rejected_report_text_never_reaches_the_log(client, auth, caplog) -> None:
    body = {"occurred_at": "1900-01-01T00:00:00Z", "category": CANARY, "description": CANARY}
    with caplog.at_level("DEBUG"):
        client.post("/api/v1/reports", json=body, headers=auth("officer"))
    assert CANARY not in caplog.text


@pytest.mark.parametrize("query", ["after=-5", "after=99999999999999999999999999", "after=x",
                                   "limit=abc"])
def test_audit_paging_parameters_out_of_range_are_400(client, auth, query) -> None:
    _assert_error_shape(client.get(f"/api/v1/audit?{query}", headers=auth("dpo")), 400)
