"""Dashboard pages through the real app: session login, headers, figures drawn as such."""

from __future__ import annotations

import re

from tests.coordinator import federation_data as data

HTML = {"Accept": "text/html"}
PAGE = "/dashboard/?category=0501&from=2025-11&to=2026-10"


def _login(client, make_token, role="coordinator"):
    token = make_token(role)
    resp = client.post("/dashboard/login", data={"token": token}, headers=HTML)
    return token, resp


def test_login_sets_an_httponly_samesite_strict_session_cookie(client, make_token):
    token, resp = _login(client, make_token)
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/dashboard/")
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert token.removeprefix("i2t_")[:16] not in cookie  # the token is never in the cookie


def test_anonymous_browser_gets_the_login_page_with_401(client):
    resp = client.get("/dashboard/", headers=HTML)
    assert resp.status_code == 401
    assert b'name="token"' in resp.data


def test_wrong_token_is_refused_and_starts_no_session(client):
    resp = client.post("/dashboard/login", data={"token": "i2t_nope"}, headers=HTML)
    assert resp.status_code == 401 and "Set-Cookie" not in resp.headers


def test_pages_send_a_strict_csp_and_load_no_inline_or_remote_script(client, make_token,
                                                                     releases):
    _login(client, make_token)
    resp = client.get(PAGE, headers=HTML)
    assert resp.status_code == 200
    csp = resp.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    html = resp.get_data(as_text=True)
    for tag in re.findall(r"<script[^>]*>", html):
        assert 'type="application/json"' in tag or re.search(r'src="/dashboard/static/', tag)
    assert "http://" not in html and "https://" not in html


def test_suppressed_and_missing_figures_are_labelled_never_zero(client, make_token, releases):
    _login(client, make_token)
    html = client.get(PAGE, headers=HTML).get_data(as_text=True)
    cell = re.search(r'data-city="valencia" data-period="2026-06" data-status="suppressed">'
                     r'\s*<span class="nodata suppressed">suppressed</span>', html)
    assert cell is not None
    missing = re.search(r'data-city="groningen" data-period="2026-09" data-status="no data">'
                        r'\s*<span class="nodata missing">no data</span>', html)
    assert missing is not None


def test_provenance_names_the_signing_city_release_and_policy(client, make_token, releases):
    _login(client, make_token)
    html = client.get("/dashboard/provenance?city=belfast&period=2026-10&category=0501",
                      headers=HTML).get_data(as_text=True)
    assert "belfast-coordinator-2026-10" in html
    assert "belfast (node belfast-node)" in html
    assert "verified" in html and "sha256:belfastpolicy" in html
    assert "primary_suppression" in html


def test_revoking_the_token_ends_the_session(client, make_token, ctx, releases):
    from node.auth import hash_token
    from node.db import transaction
    from node.models.auth import ApiToken
    from node.models.base import utcnow

    token, _ = _login(client, make_token)
    assert client.get(PAGE, headers=HTML).status_code == 200
    with transaction(ctx.sessions) as session:
        session.query(ApiToken).filter_by(token_hash=hash_token(token)).one().revoked_at = utcnow()
    assert client.get(PAGE, headers=HTML).status_code == 401


def test_logout_ends_the_session(client, make_token, releases):
    _login(client, make_token)
    client.post("/dashboard/logout", headers=HTML)
    assert client.get(PAGE, headers=HTML).status_code == 401


def test_city_roles_see_their_pages_not_the_eu_dashboard(client, make_token):
    _, resp = _login(client, make_token, "analyst")
    assert resp.headers["Location"].endswith("/dashboard/city/reports")
    assert client.get("/dashboard/", headers=HTML).status_code == 403
    assert client.get("/dashboard/city/releases", headers=HTML).status_code == 200


def test_report_text_is_escaped_on_the_reports_page(client, make_token, ctx, auth, report_body):
    from node.db import transaction
    from node.models.reports import Report

    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    rid = client.post("/api/v1/reports", json=report_body(), headers=auth("officer")).get_json()
    with transaction(ctx.sessions) as session:
        report = session.get(Report, rid["id"])
        report.status, report.redacted_text = "redacted", payload
    _login(client, make_token, "analyst")
    html = client.get("/dashboard/city/reports", headers=HTML).get_data(as_text=True)
    assert payload not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_dashboard_csv_download_matches_the_api(client, make_token, auth, releases):
    _login(client, make_token)
    page_csv = client.get("/dashboard/export?format=csv&category=0501&from=2025-11&to=2026-10",
                          headers=HTML)
    api_csv = client.get("/api/v1/eu/aggregates?format=csv&category=0501&from=2025-11"
                         "&to=2026-10&group_by=city,period", headers=auth("coordinator"))
    assert page_csv.status_code == 200 and page_csv.data == api_csv.data
    assert str(data.SPIKE[("belfast", "2026-10")]) in page_csv.get_data(as_text=True)


def test_hostile_text_in_a_signed_release_cannot_inject_script(client, make_token, ctx):
    """A city's release is signed, not trusted: its area names reach the page only escaped."""
    from datetime import timedelta

    from node.db import transaction
    from node.models.federation import ReceivedRelease

    hostile = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
    payload = data.release_payload("belfast", "2026-10", data.NOW - timedelta(days=3))
    payload["cells"].append({"category": "0501", "period": "2026-10", "area": hostile,
                             "value": 9, "flags": {"noised": False, "rounded": False,
                                                   "suppressed": False}})
    with transaction(ctx.sessions) as session:
        session.add(ReceivedRelease(
            release_id="belfast-x", sender="belfast-node", city="belfast", period="2026-10",
            revision=1, message_type="aggregate-release", message_id="m-hostile",
            signed_record=b"{}", payload=payload, created_at=data.NOW, received_at=data.NOW,
            superseded=False,
        ))
    _login(client, make_token)
    html = client.get(PAGE, headers=HTML).get_data(as_text=True)
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in html  # the areas table, escaped
    assert hostile not in html and "<script>alert" not in html
    assert "\\u003c/script\\u003e" in html  # the JSON block, escaped by tojson
