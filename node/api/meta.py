"""Health, node status, the audit log and the OpenAPI document."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select, text

from node.access import requires
from node.app import node_context
from node.db import transaction
from node.errors import ApiError, error_response
from node.models.audit import AuditEntry

bp = Blueprint("meta", __name__)


@bp.get("/healthz")
@requires()
def healthz() -> ResponseReturnValue:
    ctx = node_context()
    try:
        with ctx.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:
        return error_response(503, "database_unreachable",
                              "The node cannot reach its database; check database_url and disk.")
    return jsonify({"status": "ok", "node": ctx.settings.node_id})


@bp.get("/api/v1/openapi.json")
@requires()
def openapi() -> ResponseReturnValue:
    from node.openapi import build_openapi

    return jsonify(build_openapi())


@bp.get("/api/v1/status")
@requires("admin", "dpo", "officer", "analyst")
def status() -> ResponseReturnValue:
    from node.status import node_status

    return jsonify(node_status(node_context()))


@bp.get("/api/v1/audit")
@requires("dpo", "admin")
def audit_log() -> ResponseReturnValue:
    try:
        after = int(request.args.get("after", "0"))
        limit = min(max(int(request.args.get("limit", "100")), 1), 500)
        if not 0 <= after < 2**63:
            raise ValueError("after out of range")
    except ValueError as exc:
        raise ApiError(
            400,
            "invalid_parameter",
            "after must be a sequence number (0 or more) and limit a whole number.",
            {"after": "a sequence number, 0 or more", "limit": "1 to 500"},
        ) from exc
    ctx = node_context()
    with transaction(ctx.sessions) as session:
        rows = session.execute(
            select(AuditEntry).where(AuditEntry.seq > after).order_by(AuditEntry.seq).limit(limit)
        ).scalars()
        items = [
            {
                "seq": r.seq,
                "at": r.at.isoformat().replace("+00:00", "Z"),
                "actor": r.actor,
                "action": r.action,
                "report_id": r.report_id,
                "details": r.details,
                "hash": r.hash,
            }
            for r in rows
        ]
    return jsonify({"items": items})
