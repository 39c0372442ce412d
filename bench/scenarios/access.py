"""Who may call what: the whole role × endpoint matrix over HTTP, and guessed tokens.

The matrix is read from the app the server runs (every route, every method) and from
``node.access.ENDPOINT_ROLES``; each (route, role) and each route without a token is one
attempt against the real server. A refused attempt must be 401/403 in the error shape; an
allowed one must not be 401/403.
"""

from __future__ import annotations

import re
import secrets
from collections import Counter
from pathlib import Path

import requests

from bench.scenarios.harness import (
    Server,
    context,
    create_token,
    init_home,
    is_error_shape,
)
from bench.scenarios.outcome import Outcome

ANY_ID = "00000000-0000-0000-0000-000000000000"


def routes(home: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    """(method, concrete path, allowed roles; empty = public) for every route of the app."""
    from node.access import ENDPOINT_ROLES
    from node.app import create_app

    with context(home) as ctx:
        app = create_app(ctx.settings, context=ctx)
        out = []
        for rule in app.url_map.iter_rules():
            view = app.view_functions[rule.endpoint]
            name = f"{view.__module__}.{view.__name__}"
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", ANY_ID, rule.rule)
            roles = ENDPOINT_ROLES.get(name)
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                # A route missing from the table is a failure of its own (None below).
                out.append((method, path, roles if roles is not None else ("?undeclared",)))
    return out


def run(workdir: Path, n: int) -> list[Outcome]:
    """The matrix once (it is exhaustive), then ``n`` × 10 guessed tokens."""
    from node.auth import ROLES

    home = init_home(workdir / "home")
    tokens = {role: create_token(home, role) for role in ROLES}
    table = routes(home)
    matrix = Outcome("access", "role × endpoint matrix (every route, method, role, no token)",
                     tried=0, expected="403 for other roles, 401 without a token")
    allowed_ok = 0
    guesses = Outcome("access", "guessed bearer tokens from one address", tried=0,
                      expected="401, then 429 after 20 failures per worker")
    with Server(home, workers=2) as server:
        session = requests.Session()
        for method, path, allowed in table:
            for role in [*ROLES, None]:
                headers = {"Authorization": f"Bearer {tokens[role]}"} if role else {}
                resp = session.request(method, server.url + path, json={}, headers=headers,
                                       timeout=60, allow_redirects=False)
                matrix.tried += 1
                if not allowed:  # public
                    refused_wrongly = resp.status_code in (401, 403)
                    if refused_wrongly:
                        matrix.failed += 1
                    else:
                        allowed_ok += 1
                    continue
                if role is None:
                    expected = 401
                elif role in allowed:
                    expected = 0
                else:
                    expected = 403
                if expected == 0:
                    if resp.status_code in (401, 403):
                        matrix.failed += 1
                    else:
                        allowed_ok += 1
                elif resp.status_code == expected and is_error_shape(resp):
                    matrix.rejected += 1
                else:
                    matrix.failed += 1
        matrix.observed = (f"{len(table)} route-methods × {len(ROLES)} roles + anonymous; "
                           f"{matrix.rejected} refused, {allowed_ok} allowed as declared")

        statuses: Counter[int] = Counter()
        first_429 = 0
        for i in range(10 * n):
            resp = session.get(f"{server.url}/api/v1/reports", timeout=60,
                               headers={"Authorization": f"Bearer i2t_{secrets.token_urlsafe(32)}"})
            guesses.tried += 1
            statuses[resp.status_code] += 1
            if resp.status_code == 429 and not first_429:
                first_429 = i + 1
            if resp.status_code in (401, 429) and is_error_shape(resp):
                guesses.rejected += 1
            else:
                guesses.failed += 1
        valid = session.get(f"{server.url}/api/v1/reports", timeout=60,
                            headers={"Authorization": f"Bearer {tokens['analyst']}"})
        guesses.observed = (", ".join(f"{s} ×{c}" for s, c in sorted(statuses.items()))
                            + f"; first 429 at attempt {first_429 or 'never'}; a valid token "
                            f"from the same address meanwhile gets {valid.status_code}")
        if 10 * n > 40 and not first_429:
            guesses.failed += 1
    return [matrix, guesses]
