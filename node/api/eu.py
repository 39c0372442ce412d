"""The coordinator's EU API: aggregates (JSON, CSV, SDMX-CSV), the signed releases behind
them as a bundle, and the early-warning alerts."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Response, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from node.access import requires
from node.api.eu_export import alerts_to_csv, to_csv, to_sdmx_csv
from node.api.eu_query import EUQuery, QueryError, expected_cities, parse_query, run_query
from node.app import node_context
from node.db import transaction
from node.errors import ApiError
from node.models.alerts import EarlyWarningAlert
from node.models.base import utcnow
from node.models.federation import OutboxMessage, ReceivedRelease
from node.openapi import error_responses, op, register_paths

bp = Blueprint("eu", __name__, url_prefix="/api/v1/eu")
ROLES = ("coordinator", "admin")
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "sdmx-csv": "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8",
}


def parse_or_400(args: Mapping[str, str], *, allow_format: bool = True) -> EUQuery:
    """The query, or the one error shape naming the wrong parameter."""
    try:
        return parse_query(args, utcnow(), allow_format=allow_format)
    except QueryError as exc:
        raise ApiError(400, "invalid_parameter", exc.message, {exc.parameter: exc.message}) from exc


def answer(query: EUQuery) -> dict[str, Any]:
    """The EU view's figures for ``query`` on this node's database."""
    ctx, now = node_context(), utcnow()
    with transaction(ctx.sessions) as session:
        return run_query(session, query, now, expected_cities(ctx, now))


def answer_in(session: Session, query: EUQuery) -> dict[str, Any]:
    """``answer`` within an open session."""
    ctx, now = node_context(), utcnow()
    return run_query(session, query, now, expected_cities(ctx, now))


def export_response(body: dict[str, Any], fmt: str) -> Response:
    """``body`` as JSON, or as a CSV / SDMX-CSV download."""
    if fmt == "json":
        return jsonify(body)
    text = to_csv(body) if fmt == "csv" else to_sdmx_csv(body)
    q = body["query"]
    name = f"eu-{q['category'] or 'all'}-{q['from']}-{q['to']}.{fmt}.csv"
    return Response(
        text,
        headers={
            "Content-Type": MEDIA[fmt],
            "Content-Disposition": f'attachment; filename="{name}"',
        },
    )


@bp.get("/aggregates")
@requires(*ROLES)
def aggregates() -> ResponseReturnValue:
    query = parse_or_400(request.args)
    return export_response(answer(query), query.format)


def bundle_zip(session: Session, body: Mapping[str, Any]) -> bytes:
    """A zip of the signed releases behind the figures of ``body``, byte for byte as stored.

    Each ``CITY/RELEASE_ID.rREVISION.signed`` file is what ``run_node.py verify-release FILE``
    checks; ``manifest.json`` lists them with city, period and sender.
    """
    wanted: set[tuple[str, int]] = set()
    for figure in body.get("figures", []):
        for c in figure.get("contributions") or []:
            wanted.add((str(c["release_id"]), int(c["revision"])))
    rows: list[ReceivedRelease] = []
    if wanted:
        rows = [
            row for row in session.execute(
                select(ReceivedRelease).where(
                    ReceivedRelease.release_id.in_(sorted({w[0] for w in wanted}))
                )
            ).scalars()
            if (row.release_id, row.revision) in wanted
        ]
    rows.sort(key=lambda r: (r.city, r.period, r.release_id, r.revision))
    manifest = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for row in rows:
            name = f"{_safe(row.city)}/{_safe(row.release_id)}.r{row.revision}.signed"
            archive.writestr(name, row.signed_record)
            manifest.append({
                "file": name, "release_id": row.release_id, "revision": row.revision,
                "city": row.city, "period": row.period, "sender": row.sender,
                "sha256": hashlib.sha256(row.signed_record).hexdigest(),
            })
        archive.writestr("manifest.json", json.dumps(
            {"query": body.get("query"), "releases": manifest}, indent=2, sort_keys=True))
    return buffer.getvalue()


def _safe(name: str) -> str:
    # Release ids and cities are validated on receipt; keep file names plain all the same.
    return "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in name)


def bundle_response(data: bytes, query: EUQuery) -> Response:
    """The zip as a download."""
    name = f"releases-{query.category or 'all'}-{query.period_from}-{query.period_to}.zip"
    return Response(data, mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/releases.bundle")
@requires(*ROLES)
def releases_bundle() -> ResponseReturnValue:
    query = parse_or_400(request.args, allow_format=False)
    with transaction(node_context().sessions) as session:
        data = bundle_zip(session, answer_in(session, query))
    return bundle_response(data, query)


def alert_dict(row: EarlyWarningAlert, delivered: set[str] | None = None) -> dict[str, Any]:
    """An alert as the API, the dashboard and the CSV show it.

    ``delivered`` holds the outbox message ids the recipients acknowledged; an alert whose
    messages were all acknowledged reads ``delivered``.
    """
    status = row.send_status
    messages = set((row.deliveries or {}).values())
    if status == "queued" and delivered is not None and messages and messages <= delivered:
        status = "delivered"
    return {
        "alert_id": row.alert_id,
        "kind": row.kind,
        "category": row.category,
        "period": row.period,
        "cities": list(row.cities),
        "severity": row.severity,
        "summary": row.summary,
        "details": row.details,
        "created_at": row.created_at.isoformat().replace("+00:00", "Z"),
        "send_status": status,
        "deliveries": row.deliveries,
    }


def list_alerts(session: Session, limit: int = 500) -> list[dict[str, Any]]:
    """Newest period first, EU patterns before the city alerts of the same period."""
    rows = session.execute(
        select(EarlyWarningAlert)
        .order_by(EarlyWarningAlert.period.desc(), EarlyWarningAlert.kind.desc(),
                  EarlyWarningAlert.alert_id)
        .limit(limit)
    ).scalars().all()
    ids = sorted({m for r in rows if r.send_status == "queued" for m in r.deliveries.values()})
    delivered = set(session.execute(
        select(OutboxMessage.message_id).where(
            OutboxMessage.message_id.in_(ids), OutboxMessage.delivered_at.is_not(None)
        )
    ).scalars()) if ids else set()
    return [alert_dict(r, delivered) for r in rows]


@bp.get("/alerts")
@requires(*ROLES)
def alerts() -> ResponseReturnValue:
    unknown = sorted(set(request.args) - {"format"})
    if unknown:
        raise ApiError(400, "invalid_parameter", f"{unknown[0]}: unknown parameter; expected "
                       "format", {unknown[0]: "unknown parameter"})
    fmt = request.args.get("format", "json")
    if fmt not in ("json", "csv"):
        raise ApiError(400, "invalid_parameter", f"format: expected json or csv, got {fmt[:20]!r}",
                       {"format": "json or csv"})
    with transaction(node_context().sessions) as session:
        items = list_alerts(session)
    if fmt == "json":
        return jsonify({"items": items})
    return Response(alerts_to_csv(items), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="alerts.csv"'})


def _q(name: str, description: str, **schema: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": "string", **schema}}


QUERY_PARAMETERS = [
    _q("category", "An ICCS code of level 1 or 2 (e.g. 0501); all categories if absent",
       pattern=r"^\d{2}(\d{2})?$"),
    _q("from", "First month, e.g. 2025-04 (default: 12 months before `to`)",
       pattern=r"^\d{4}-(0[1-9]|1[0-2])$"),
    _q("to", "Last month (default: the last closed month)", pattern=r"^\d{4}-(0[1-9]|1[0-2])$"),
    _q("group_by", "Any of city, period, category, area, comma-separated (default city,period)"),
]
CSV = {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}

register_paths(
    {
        "/api/v1/eu/aggregates": {
            "get": op(
                "EU figures from the cities' verified releases, with per-figure provenance",
                ROLES,
                {
                    "200": {
                        "description": "Figures (JSON), or a CSV / SDMX-CSV 2.0 download",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/EUAggregates"}
                            },
                            "text/csv": {"schema": {"type": "string"}},
                            "application/vnd.sdmx.data+csv": {"schema": {"type": "string"}},
                        },
                    },
                    **error_responses(400),
                },
                parameters=[*QUERY_PARAMETERS,
                            _q("format", "Answer format", enum=["json", "csv", "sdmx-csv"])],
            )
        },
        "/api/v1/eu/releases.bundle": {
            "get": op(
                "The signed releases behind a query as a zip, each file checkable with "
                "`run_node.py verify-release FILE`, plus manifest.json",
                ROLES,
                {"200": {"description": "Zip archive",
                         "content": {"application/zip": {"schema": {"type": "string",
                                                                    "format": "binary"}}}},
                 **error_responses(400)},
                parameters=QUERY_PARAMETERS,
            )
        },
        "/api/v1/eu/alerts": {
            "get": op(
                "Early-warning alerts (city rises and EU patterns), newest period first",
                ROLES,
                {"200": {"description": "Alerts", "content": {
                    "application/json": {"schema": {"type": "object"}},
                    "text/csv": {"schema": {"type": "string"}}}},
                 **error_responses(400)},
                parameters=[_q("format", "Answer format", enum=["json", "csv"])],
            )
        },
    },
    {
        "EUAggregates": {
            "type": "object",
            "required": ["query", "figures"],
            "properties": {
                "query": {"type": "object"},
                "figures": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "description": "value is null when suppressed or missing, never 0",
                        "properties": {
                            "value": {"type": ["integer", "null"]},
                            "lower_bound": {"type": "boolean"},
                            "suppressed": {"type": "boolean"},
                            "rounded": {"type": "boolean"},
                            "noised": {"type": "boolean"},
                            "contributions": {"type": "array", "items": {"type": "object"}},
                            "missing_cities": {"type": "array", "items": {"type": "string"}},
                        },
                    },
                },
                "missing_cities": {"type": "array", "items": {"type": "string"}},
            },
        }
    },
)
