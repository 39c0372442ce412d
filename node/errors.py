"""The one JSON error shape of the API: ``{"error": {"code", "message", "fields"}}``.

Every error response, whatever raised it, goes through :func:`register_error_handlers`, so a
client never sees HTML, a stack trace or its own submitted text echoed back.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error for the client: HTTP status, a stable code, a plain message, per-field reasons."""

    def __init__(
        self, status: int, code: str, message: str, fields: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}


def error_response(
    status: int, code: str, message: str, fields: dict[str, str] | None = None
) -> Response:
    resp = jsonify({"error": {"code": code, "message": message, "fields": fields or {}}})
    resp.status_code = status
    return resp


_HTTP_CODES: dict[int, tuple[str, str]] = {
    400: ("bad_request", "The request could not be understood."),
    401: ("unauthorized", "Send a valid token: Authorization: Bearer <token>."),
    403: ("forbidden", "Your token's role may not do this."),
    404: ("not_found", "No such resource."),
    405: ("method_not_allowed", "This method is not allowed here."),
    413: ("body_too_large", "The request body is larger than this node accepts."),
    415: ("unsupported_media_type", "Send the body as application/json."),
    429: ("too_many_requests", "Too many requests; wait and retry."),
}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Response:
        return error_response(exc.status, exc.code, exc.message, exc.fields)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        code, message = _HTTP_CODES.get(status, ("http_error", "The request failed."))
        if status == 413:
            limit = app.config.get("MAX_CONTENT_LENGTH")
            message = f"The request body is larger than the {limit} bytes this node accepts."
        resp = error_response(status, code, message)
        if status == 405 and exc.get_response().headers.get("Allow"):
            resp.headers["Allow"] = exc.get_response().headers["Allow"]
        return resp

    @app.errorhandler(OperationalError)
    @app.errorhandler(TimeoutError)
    def _database_unavailable(exc: Exception) -> Response:
        # The operator needs to know which; the client only that nothing was stored and when
        # to retry. The driver's message names the condition, never the statement's values.
        detail = str(getattr(exc, "orig", "") or "").lower()
        kind = ("locked" if "locked" in detail or isinstance(exc, TimeoutError)
                else "full" if "full" in detail else "unavailable")
        log.error("database %s (%s)", kind, type(getattr(exc, "orig", exc)).__name__)
        resp = error_response(503, f"database_{kind}",
                              "The node's database cannot take this request right now; nothing "
                              "was stored. Retry later.")
        resp.headers["Retry-After"] = "5"
        return resp

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        # Log only the type and where it happened: exception messages can carry submitted data.
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        where: Any = (tb.tb_frame.f_code.co_filename, tb.tb_lineno) if tb else "?"
        log.error("unexpected %s at %s", type(exc).__name__, where)
        return error_response(
            500,
            "internal_error",
            "The node hit an internal error; nothing was stored. "
            "Retry, and tell the node operator if it persists.",
        )
