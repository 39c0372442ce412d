"""Federation endpoints: the peer inbox, the pull-query endpoint, and the outbox status.

The inbox and query endpoints take no bearer token: the sealed envelope is the authentication
(its signature is checked against the pinned roster in ``federation.envelope``), so a stolen or
missing token neither helps nor hurts (docs/adr/0600-envelope-is-the-peer-credential.md).
Every rejection uses the node's one JSON error shape with the failed check's plain reason.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import RequestEntityTooLarge

from federation.errors import EnvelopeError, ExpiredRosterError
from federation.exchange import NotFederatedError, federation_status, limits_for, load_identity
from federation.inbox import InboxError, error_code, receive
from federation.query import answer_query
from node.access import requires
from node.app import node_context
from node.errors import ApiError
from node.openapi import error_responses, op, register_paths

log = logging.getLogger(__name__)
bp = Blueprint("federation", __name__)

_STATUS = {
    "oversized_message": 413,
    "replayed_message": 409,
    "unknown_sender": 403,
    "sender_not_active": 403,
    "unknown_signing_key": 403,
    "revoked_key": 403,
    "key_not_valid": 403,
    "bad_signature": 403,
    "unauthorised_sender": 403,
}


def _body() -> bytes:
    limit = limits_for(node_context()).max_message_bytes
    # Federation messages have their own size limit, above the API's default for reports.
    request.max_content_length = limit
    try:
        return request.get_data(cache=False)
    except RequestEntityTooLarge as exc:
        raise ApiError(
            413, "oversized_message", f"expected a message of at most {limit} bytes"
        ) from exc


def _rejected(exc: Exception) -> ApiError:
    if isinstance(exc, EnvelopeError):
        code = error_code(exc)
        log.warning("federation message rejected: %s", code)
        return ApiError(_STATUS.get(code, 400), code, str(exc), {"check": type(exc).__name__})
    if isinstance(exc, InboxError):
        log.warning("federation message refused: %s", exc.code)
        return ApiError(422, exc.code, str(exc))
    # A node outside a federation is in the wrong state for the request, not broken: 409, and
    # no file paths of the node in the answer (the operator sees them in `status`).
    if isinstance(exc, ExpiredRosterError):
        return ApiError(409, "roster_expired",
                        "this node's trust roster has expired; its operator must import a new one")
    return ApiError(409, "not_federated",
                    "this node has no trusted roster yet; its operator must import one")


@bp.post("/api/v1/federation/inbox")
@requires()
def inbox() -> ResponseReturnValue:
    ctx = node_context()
    raw = _body()
    try:
        receipt = receive(ctx, load_identity(ctx), raw, now=datetime.now(UTC))
    except (EnvelopeError, InboxError, ExpiredRosterError, NotFederatedError) as exc:
        raise _rejected(exc) from exc
    log.info("federation %s %s from %s: %s", receipt.message_type, receipt.message_id,
             receipt.sender, receipt.status)
    status = 201 if receipt.status == "stored" else 200
    return jsonify(receipt.as_dict()), status


@bp.post("/api/v1/federation/query")
@requires()
def query() -> ResponseReturnValue:
    ctx = node_context()
    raw = _body()
    try:
        body = answer_query(ctx, load_identity(ctx), raw, now=datetime.now(UTC))
    except (EnvelopeError, ExpiredRosterError, NotFederatedError) as exc:
        raise _rejected(exc) from exc
    return Response(body, status=200, mimetype="application/json")


@bp.get("/api/v1/federation/status")
@requires("admin", "coordinator")
def status() -> ResponseReturnValue:
    return jsonify(federation_status(node_context(), now=datetime.now(UTC)))


_SEALED_BODY: dict[str, Any] = {
    "required": True,
    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
}


def _ok(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"type": "object"}}}}


register_paths(
    {
        "/api/v1/federation/inbox": {
            "post": op(
                "Receive a sealed federation message (the envelope signature authenticates)",
                (),
                {
                    "201": _ok("Verified and stored"),
                    "200": _ok("Verified; this release revision was already held"),
                    **error_responses(400, 403, 409, 413, 422),
                },
                requestBody=_SEALED_BODY,
            )
        },
        "/api/v1/federation/query": {
            "post": op(
                "Answer a coordinator's sealed query with sealed releases or a sealed refusal",
                (),
                {
                    "200": _ok("inspec2t-query-answer/1: base64 sealed messages"),
                    **error_responses(400, 403, 409, 413),
                },
                requestBody=_SEALED_BODY,
            )
        },
        "/api/v1/federation/status": {
            "get": op(
                "Outbox, received releases and local releases (counts and ids, no figures)",
                ("admin", "coordinator"),
                {"200": _ok("Federation status")},
            )
        },
    }
)
