"""The OpenAPI 3.1 document of the node's HTTP API.

Kept as data beside the code; tests/test_openapi.py checks that every route of the real app is
documented with the roles that ``node.access`` enforces, and that nothing documented is missing.
Other areas add their operations through ``EXTRA_PATHS`` hooks (see ``register_paths``).
"""

from __future__ import annotations

from typing import Any

from node import __version__ as NODE_VERSION

ERROR = {"$ref": "#/components/schemas/Error"}
_EXTRA_PATHS: dict[str, dict[str, Any]] = {}
_EXTRA_SCHEMAS: dict[str, Any] = {}


def register_paths(paths: dict[str, dict[str, Any]], schemas: dict[str, Any] | None = None) -> None:
    """Add another area's operations (called by that area's blueprint module)."""
    for path, ops in paths.items():
        _EXTRA_PATHS.setdefault(path, {}).update(ops)
    _EXTRA_SCHEMAS.update(schemas or {})


def error_responses(*codes: int) -> dict[str, Any]:
    return {
        str(c): {
            "description": _DESCRIPTIONS[c],
            "content": {"application/json": {"schema": ERROR}},
        }
        for c in codes
    }


_DESCRIPTIONS = {
    400: "Invalid input; `error.fields` names each wrong field.",
    401: "Missing, unknown or revoked token.",
    403: "The token's role may not do this.",
    404: "Not found.",
    409: "Conflict.",
    413: "Body larger than the configured limit.",
    415: "Body is not application/json.",
    422: "Refused.",
    503: "Not available.",
}


def op(
    summary: str, roles: tuple[str, ...], responses: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    """One operation with its roles stated both for humans and for the matrix test."""
    body: dict[str, Any] = {"summary": summary, "x-roles": list(roles), "responses": responses}
    if roles:
        body["security"] = [{"bearer": []}]
        responses.update(error_responses(401, 403))
    body.update(extra)
    return body


def _json(schema: Any, description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


REPORT_VIEW = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "city": {"type": "string"},
        "received_at": {"type": "string", "format": "date-time"},
        "occurred_at": {"type": "string", "format": "date-time"},
        "category": {"type": "string"},
        "iccs_code": {"type": ["string", "null"]},
        "language": {"type": "string"},
        "area": {"type": ["string", "null"]},
        "channel": {"type": "string"},
        "status": {"type": "string", "enum": ["pending", "redacted"]},
        "text": {"type": ["string", "null"], "description": "Redacted text; null while pending."},
        "findings": {"type": ["object", "null"], "additionalProperties": {"type": "integer"}},
        "policy_hash": {"type": ["string", "null"]},
        "retention_until": {"type": "string", "format": "date-time"},
        "erased": {"type": "boolean"},
        "description": {"type": ["string", "null"], "description": "Raw view only."},
        "reporter_contact": {"type": ["string", "null"], "description": "Raw view only."},
        "location": {"type": "object", "description": "Raw view only."},
    },
    "required": ["id", "status", "text"],
}

REPORT_INPUT = {
    "type": "object",
    "additionalProperties": False,
    "required": ["occurred_at", "category", "description"],
    "properties": {
        "occurred_at": {
            "type": "string",
            "format": "date-time",
            "description": "When it happened, ISO 8601 with a time zone.",
        },
        "category": {
            "type": "string",
            "maxLength": 120,
            "description": "The city's local category; mapped to ICCS by the policy.",
        },
        "iccs_code": {"type": "string", "pattern": "^[0-9]{2}([0-9]{2})?$"},
        "language": {"type": "string", "description": "ISO 639-1; one the node accepts."},
        "description": {"type": "string", "minLength": 1},
        "location": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "lat": {"type": "number", "minimum": -90, "maximum": 90},
                "lon": {"type": "number", "minimum": -180, "maximum": 180},
                "address": {"type": "string", "maxLength": 500},
            },
        },
        "channel": {
            "type": "string",
            "enum": ["app", "web", "phone", "desk", "backoffice", "import"],
        },
        "reporter_contact": {"type": "string"},
        "external_id": {
            "type": "string",
            "pattern": "^[A-Za-z0-9._:/-]{1,120}$",
            "description": "The sender's own id; a retry with it never duplicates.",
        },
    },
}


def build_openapi() -> dict[str, Any]:
    from node.access import ENDPOINT_ROLES

    def roles(view: str) -> tuple[str, ...]:
        return ENDPOINT_ROLES[view]

    paths: dict[str, dict[str, Any]] = {
        "/healthz": {
            "get": op(
                "Liveness and database reachability",
                roles("node.api.meta.healthz"),
                {
                    "200": _json({"type": "object"}),
                    **error_responses(503),
                },
            )
        },
        "/api/v1/openapi.json": {
            "get": op(
                "This document", roles("node.api.meta.openapi"), {"200": _json({"type": "object"})}
            )
        },
        "/api/v1/status": {
            "get": op(
                "Node status: report counts, schema, policy in force",
                roles("node.api.meta.status"),
                {"200": _json({"type": "object"})},
            )
        },
        "/api/v1/audit": {
            "get": op(
                "The hash-chained audit log",
                roles("node.api.meta.audit_log"),
                {"200": _json({"type": "object"}), **error_responses(400)},
                parameters=[_query("after", "integer"), _query("limit", "integer")],
            )
        },
        "/api/v1/reports": {
            "post": op(
                "Submit a report; 201 only after it is committed",
                roles("node.api.reports.submit_report"),
                {
                    "201": _json(
                        {"type": "object", "properties": {"id": {"type": "string"}}}, "Stored"
                    ),
                    "200": _json({"type": "object"}, "Already stored under this external_id"),
                    **error_responses(400, 413, 415),
                },
                requestBody={
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/ReportInput"}}
                    },
                },
            ),
            "get": op(
                "List reports (redacted view), newest first, cursor pagination",
                roles("node.api.reports.list_reports_view"),
                {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {
                                "items": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Report"},
                                },
                                "next_cursor": {"type": ["string", "null"]},
                            },
                        }
                    ),
                    **error_responses(400),
                },
                parameters=[
                    _query(n, "string")
                    for n in ("status", "category", "iccs_code", "language", "from", "to", "cursor")
                ]
                + [_query("limit", "integer")],
            ),
        },
        "/api/v1/reports/{report_id}": {
            "get": op(
                "One report; view=raw (officer, dpo, admin) is audited",
                roles("node.api.reports.get_report"),
                {
                    "200": _json({"$ref": "#/components/schemas/Report"}),
                    **error_responses(400, 404, 409),
                },
                parameters=[
                    {
                        "name": "report_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                    _query("view", "string", enum=["redacted", "raw"]),
                ],
            )
        },
    }
    for path, ops in _EXTRA_PATHS.items():
        paths.setdefault(path, {}).update(ops)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "INSPEC2T city node",
            "version": NODE_VERSION,
            "description": "Citizen incident reports in; disclosure-controlled, signed "
            "aggregates out. Errors always use the Error schema.",
        },
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["code", "message", "fields"],
                            "properties": {
                                "code": {"type": "string"},
                                "message": {"type": "string"},
                                "fields": {
                                    "type": "object",
                                    "additionalProperties": {"type": "string"},
                                },
                            },
                        }
                    },
                },
                "Report": REPORT_VIEW,
                "ReportInput": REPORT_INPUT,
                **_EXTRA_SCHEMAS,
            },
        },
    }


def _query(name: str, typ: str, **schema: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": {"type": typ, **schema}}
