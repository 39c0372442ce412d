"""Who is looking at a dashboard page: a session cookie made from a pasted token, or a token.

The cookie holds only the token's id and the login time, signed with a key derived from the
node's keyring; every request re-reads the token row, so revoking the token ends the session.
Cookies are HttpOnly and SameSite=Strict: no other site can send a request that carries them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Response, g, render_template, request, session
from sqlalchemy import select

from node.access import ENDPOINT_ROLES, current_principal
from node.auth import Principal
from node.db import transaction
from node.errors import ApiError, error_response
from node.models.auth import ApiToken
from node.models.base import utcnow

F = TypeVar("F", bound=Callable[..., Any])
SESSION_LIFETIME = timedelta(hours=8)
COOKIE_NAME = "i2t_dashboard"


def configure_sessions(app: Flask, secret: bytes) -> None:
    """Signed, HttpOnly, SameSite=Strict session cookies for the dashboard."""
    app.secret_key = secret
    app.config.update(
        SESSION_COOKIE_NAME=COOKIE_NAME,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_PATH="/dashboard",
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
    )


def session_principal() -> Principal | None:
    """The principal of the session cookie, or None (no session, expired, token revoked)."""
    from node.app import node_context

    token_id, started = session.get("token_id"), session.get("started")
    if not isinstance(token_id, int) or not isinstance(started, (int, float)):
        return None
    if utcnow().timestamp() - started > SESSION_LIFETIME.total_seconds():
        return None
    with transaction(node_context().sessions) as db:
        row = db.execute(select(ApiToken).where(ApiToken.id == token_id)).scalar_one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    return Principal(row.id, row.role, row.label)


def _wants_html() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html" and request.accept_mimetypes[best] > request.accept_mimetypes[
        "application/json"
    ]


def refusal(status: int, code: str, message: str) -> Response:
    """An error as an HTML page for a browser, else the API's one JSON error shape."""
    if not _wants_html():
        return error_response(status, code, message)
    template = "login.html" if status == 401 else "error.html"
    html = render_template(template, status=status, message=message, principal=None)
    return Response(html, status=status, mimetype="text/html")


def page(*roles: str) -> Callable[[F], F]:
    """Allow a dashboard page to ``roles``, by session cookie or by bearer token.

    Registered in ``node.access.ENDPOINT_ROLES`` like every API view, so the role matrix test
    and the OpenAPI document cover the dashboard too.
    """

    def decorate(view: F) -> F:
        ENDPOINT_ROLES[f"{view.__module__}.{view.__name__}"] = roles

        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if roles:
                principal = session_principal()
                if principal is None:
                    if not request.headers.get("Authorization"):
                        return refusal(401, "unauthorized", "Log in with your node token.")
                    try:
                        principal = current_principal(roles)
                    except ApiError as exc:
                        return refusal(exc.status, exc.code, exc.message)
                if principal.role not in roles:
                    return refusal(
                        403, "forbidden",
                        f"Role {principal.role!r} may not see this page; allowed: "
                        f"{', '.join(roles)}.",
                    )
                g.principal = principal
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
