"""Role checks for API endpoints, declared next to each view and collected in one table.

``ENDPOINT_ROLES`` is what the role x endpoint matrix test walks, and what the OpenAPI document
states per operation, so the three cannot drift apart.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g, request

from node.auth import Principal, authenticate, hash_token
from node.errors import ApiError

F = TypeVar("F", bound=Callable[..., Any])
# view function qualified name -> roles allowed (empty tuple: public)
ENDPOINT_ROLES: dict[str, tuple[str, ...]] = {}


def requires(*roles: str) -> Callable[[F], F]:
    """Allow the decorated view only to tokens of ``roles`` (none given: public)."""

    def decorate(view: F) -> F:
        ENDPOINT_ROLES[f"{view.__module__}.{view.__name__}"] = roles

        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if roles:
                g.principal = current_principal(roles)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


# How long a process trusts a token it has looked up. Revoking a token takes effect within
# this time; in exchange most requests skip a database round trip.
PRINCIPAL_CACHE_SECONDS = 10.0


def _principal_for(ctx: Any, token: str) -> Principal | None:
    cache: dict[str, tuple[Principal, float]] = ctx.extras.setdefault("principal_cache", {})
    key = hash_token(token)
    hit = cache.get(key)
    now = time.monotonic()
    if hit is not None and hit[1] > now:
        return hit[0]
    # A plain session: most lookups only read the token row, and a commit would cost a disk
    # sync; authenticate() commits itself when it writes its (throttled) audit entry.
    with ctx.sessions() as session:
        principal = authenticate(session, token)
    if principal is None:
        cache.pop(key, None)
        return None
    if len(cache) > 10_000:
        cache.clear()
    cache[key] = (principal, now + PRINCIPAL_CACHE_SECONDS)
    return principal


def current_principal(roles: tuple[str, ...]) -> Principal:
    from node.app import node_context

    ctx = node_context()
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthorized", "Send a token: Authorization: Bearer <token>.")
    principal = _principal_for(ctx, token.strip())
    if principal is None:
        # Only failures are braked: a valid token keeps working even when a scan from the same
        # address (or a shared proxy) is being refused.
        brake = ctx.extras["auth_brake"]
        client = request.remote_addr or "unknown"
        brake.check(client)
        brake.failed(client)
        raise ApiError(401, "unauthorized", "The token is unknown or revoked.")
    if principal.role not in roles:
        raise ApiError(
            403,
            "forbidden",
            f"Role {principal.role!r} may not do this; allowed: {', '.join(roles)}.",
        )
    return principal
