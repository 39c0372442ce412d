"""The DPO's view of the policy: the one in force (and whether the file on disk is refused),
its history, and the exact text of any applied version. The audit log is ``/api/v1/audit``."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from node.access import requires
from node.app import node_context
from node.db import transaction
from node.errors import ApiError
from node.models.policy import PolicyVersion
from node.openapi import error_responses, op, register_paths
from node.policy_versions import history

bp = Blueprint("policy", __name__)
ROLES = ("dpo", "admin")


@bp.get("/api/v1/policy")
@requires(*ROLES)
def policy_in_force() -> ResponseReturnValue:
    ctx = node_context()
    policy = ctx.policy
    body = {
        "status": ctx.extras.get("policy_status", {}),
        "policy": None if policy is None else {
            "city": policy.city, "version": policy.version, "owner": policy.owner,
            "hash": policy.hash, "languages": list(policy.languages),
            "recipients": sorted(policy.sharing),
        },
    }
    return jsonify(body)


@bp.get("/api/v1/policy/history")
@requires(*ROLES)
def policy_history() -> ResponseReturnValue:
    with transaction(node_context().sessions) as session:
        return jsonify({"items": history(session)})


@bp.get("/api/v1/policy/versions/<policy_hash>")
@requires(*ROLES)
def policy_version(policy_hash: str) -> ResponseReturnValue:
    with transaction(node_context().sessions) as session:
        row = session.execute(
            select(PolicyVersion).where(PolicyVersion.hash == policy_hash)
            .order_by(PolicyVersion.id.desc()).limit(1)
        ).scalar()
        if row is None:
            raise ApiError(404, "not_found", "No applied policy has this hash; see "
                           "/api/v1/policy/history.")
        return jsonify({"hash": row.hash, "version": row.version, "source": row.source,
                        "applied_at": row.applied_at.isoformat(), "applied_by": row.applied_by,
                        "content": row.content})


def _ok(schema: dict[str, object]) -> dict[str, object]:
    return {"description": "OK", "content": {"application/json": {"schema": schema}}}


_STATUS = {
    "type": "object",
    "properties": {
        "state": {"type": "string", "description": "'in force', or 'invalid file: the last "
                  "valid policy stays in force'."},
        "hash": {"type": ["string", "null"]},
        "version": {"type": ["string", "null"]},
        "file": {"type": "string"},
        "problems": {"type": "array", "items": {"type": "string"},
                     "description": "FILE:LINE:COLUMN: message, for a refused file."},
        "checked_at": {"type": "string", "format": "date-time"},
    },
}
register_paths({
    "/api/v1/policy": {"get": op(
        "The policy in force and whether the policy file on disk was refused", ROLES,
        {"200": _ok({"type": "object", "properties": {
            "status": _STATUS, "policy": {"type": ["object", "null"]}}})})},
    "/api/v1/policy/history": {"get": op(
        "Every applied policy version, newest first, with who applied it", ROLES,
        {"200": _ok({"type": "object", "properties": {"items": {"type": "array"}}})})},
    "/api/v1/policy/versions/{policy_hash}": {"get": op(
        "The exact file text of an applied policy version", ROLES,
        {"200": _ok({"type": "object"}), **error_responses(404)},
        parameters=[{"name": "policy_hash", "in": "path", "required": True,
                     "schema": {"type": "string"}}])},
})
