"""Role checks for API endpoints, declared next to each view and collected in one table.

``ENDPOINT_ROLES`` is what the role x endpoint matrix test walks, and what the OpenAPI document
states per operation, so the three cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g, request

from node.auth import Principal, authenticate
from node.errors import ApiError

F = TypeVar("F", bound=Callable[..., Any])
PUBLIC: tuple[str, ...] = ()
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


def current_principal(roles: tuple[str, ...]) -> Principal:
    from node.app import node_context

    ctx = node_context()
    brake = ctx.extras["auth_brake"]
    client = request.remote_addr or "unknown"
    brake.check(client)
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthorized", "Send a token: Authorization: Bearer <token>.")
    # A plain session: most requests only read the token row, and a commit there would cost a
    # second disk sync per request; authenticate() commits itself when it writes an audit entry.
    with ctx.sessions() as session:
        principal = authenticate(session, token.strip())
    if principal is None:
        brake.failed(client)
        raise ApiError(401, "unauthorized", "The token is unknown or revoked.")
    if principal.role not in roles:
        raise ApiError(
            403,
            "forbidden",
            f"Role {principal.role!r} may not do this; allowed: {', '.join(roles)}.",
        )
    return principal
