"""The whole role x endpoint matrix, walked against the real app."""

from __future__ import annotations

import re

import pytest

from node.access import ENDPOINT_ROLES
from node.auth import ROLES


def _routes(app) -> list[tuple[str, str, str]]:
    """(method, concrete path, view name) for every route of the app."""
    out = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        name = f"{view.__module__}.{view.__name__}"
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", "00000000-0000-0000-0000-000000000000", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            out.append((method, path, name))
    return out


def test_every_route_declares_its_roles(app) -> None:
    undeclared = [name for _, _, name in _routes(app) if name not in ENDPOINT_ROLES]
    assert undeclared == []


def test_role_matrix_is_enforced_on_every_endpoint(app, auth) -> None:
    client = app.test_client()
    checked = 0
    for method, path, name in _routes(app):
        allowed = ENDPOINT_ROLES[name]
        for role in ROLES:
            resp = client.open(path, method=method, headers=auth(role), json={})
            if allowed and role not in allowed:
                assert resp.status_code == 403, (method, path, role)
            else:
                assert resp.status_code not in (401, 403), (method, path, role)
            checked += 1
        anonymous = client.open(path, method=method, json={})
        if allowed:
            assert anonymous.status_code == 401, (method, path)
    assert checked >= len(ROLES) * 5


@pytest.mark.parametrize("role", sorted(ROLES))
def test_raw_view_only_for_roles_that_may_see_it(client, auth, report_body, role) -> None:
    report_id = client.post("/api/v1/reports", json=report_body(),
                            headers=auth("officer")).get_json()["id"]
    resp = client.get(f"/api/v1/reports/{report_id}?view=raw", headers=auth(role))
    if role in ("officer", "dpo", "admin"):
        assert resp.status_code == 200
    else:
        assert resp.status_code == 403


def test_revoked_token_is_refused(client, ctx, make_token) -> None:
    from node.auth import hash_token
    from node.db import transaction
    from node.models.auth import ApiToken
    from node.models.base import utcnow

    token = make_token("analyst")
    with transaction(ctx.sessions) as session:
        row = session.query(ApiToken).filter_by(token_hash=hash_token(token)).one()
        row.revoked_at = utcnow()
    resp = client.get("/api/v1/reports", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 401


def test_tokens_are_stored_only_as_hashes(ctx, make_token) -> None:
    from node.models.auth import ApiToken

    token = make_token("admin")
    with ctx.sessions() as session:
        stored = [row.token_hash for row in session.query(ApiToken)]
    assert token not in stored and all(len(h) == 64 for h in stored)


def test_revocation_takes_effect_once_the_lookup_cache_expires(client, ctx, make_token,
                                                                monkeypatch) -> None:
    import node.access
    from node.auth import hash_token
    from node.db import transaction
    from node.models.auth import ApiToken
    from node.models.base import utcnow

    monkeypatch.setattr(node.access, "PRINCIPAL_CACHE_SECONDS", 0.0)
    token = make_token("analyst")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/reports", headers=headers).status_code == 200
    with transaction(ctx.sessions) as session:
        session.query(ApiToken).filter_by(token_hash=hash_token(token)).one().revoked_at = utcnow()
    assert client.get("/api/v1/reports", headers=headers).status_code == 401
