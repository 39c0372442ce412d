"""Security headers on every response and a brake on repeated bad tokens."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("path", ["/healthz", "/api/v1/openapi.json", "/api/v1/reports",
                                  "/nowhere"])
def test_every_response_carries_security_headers(client, path) -> None:
    resp = client.get(path)
    assert "default-src" in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["Referrer-Policy"] == "no-referrer"


def test_repeated_bad_tokens_are_slowed_with_429(client, auth) -> None:
    statuses = [client.get("/api/v1/reports", headers={"Authorization": f"Bearer bad{i}"})
                .status_code for i in range(25)]
    assert statuses[:20] == [401] * 20
    assert set(statuses[20:]) == {429}
    refused = client.get("/api/v1/reports", headers={"Authorization": "Bearer bad-again"})
    assert refused.get_json()["error"]["code"] == "too_many_failures"
    # A valid token from the same address (e.g. behind a shared proxy) keeps working.
    assert client.get("/api/v1/reports", headers=auth("analyst")).status_code == 200


def test_good_tokens_do_not_count_as_failures(client, auth) -> None:
    for _ in range(30):
        assert client.get("/api/v1/reports", headers=auth("analyst")).status_code == 200
