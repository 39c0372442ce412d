"""Report endpoints: submit, read (redacted or raw), list."""

from __future__ import annotations

import uuid

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue

from keys.at_rest import AtRestError
from node import audit
from node.access import requires
from node.api.body import json_body
from node.app import node_context
from node.db import transaction
from node.errors import ApiError
from node.group_commit import committer_for
from node.models.base import utcnow
from node.models.reports import STATUSES, Report
from node.reports import (
    MAX_PAGE,
    ListFilter,
    existing_id,
    list_reports,
    prepare_report,
    raw_view,
    redacted_view,
)
from node.validation import Limits, ReportValidationError, parse_time, validate_report

bp = Blueprint("reports", __name__, url_prefix="/api/v1")

WRITE_ROLES = ("officer", "admin")
READ_ROLES = ("officer", "analyst", "dpo", "admin")
RAW_ROLES = ("officer", "dpo", "admin")


@bp.post("/reports")
@requires(*WRITE_ROLES)
def submit_report() -> ResponseReturnValue:
    ctx = node_context()
    settings = ctx.settings
    limits = Limits(
        tuple(settings.languages), settings.max_description_chars, settings.max_contact_chars
    )
    try:
        inp = validate_report(json_body(), limits, utcnow())
    except ReportValidationError as exc:
        raise ApiError(
            400, "invalid_report", "The report has invalid fields; see fields.", exc.fields
        ) from exc
    row = prepare_report(ctx, inp)
    with ctx.sessions() as session:
        stored = existing_id(session, row["source_key"])
    if stored is not None:
        return jsonify({"id": stored, "status": "duplicate"}), 200
    # Sealing happened above; the insert joins the next group commit and returns after it.
    report_id, created = committer_for(ctx).submit(row)
    # Reached only after the commit above succeeded: a 201 means the report is stored.
    status = 201 if created else 200
    return jsonify({"id": report_id, "status": "pending" if created else "duplicate"}), status


@bp.get("/reports/<report_id>")
@requires(*READ_ROLES)
def get_report(report_id: str) -> ResponseReturnValue:
    view = request.args.get("view", "redacted")
    if view not in ("redacted", "raw"):
        raise ApiError(
            400,
            "invalid_parameter",
            "view must be redacted or raw.",
            {"view": "expected redacted or raw"},
        )
    if view == "raw" and g.principal.role not in RAW_ROLES:
        raise ApiError(
            403,
            "forbidden",
            f"Role {g.principal.role!r} may not read raw reports; allowed: {', '.join(RAW_ROLES)}.",
        )
    _check_uuid(report_id)
    ctx = node_context()
    with transaction(ctx.sessions) as session:
        report = session.get(Report, report_id)
        if report is None or report.erased_at is not None:
            raise ApiError(404, "not_found", "No report with this id.")
        if view == "redacted":
            return jsonify(redacted_view(report))
        try:
            body = raw_view(ctx, session, report, g.principal.actor)
        except AtRestError:
            body = None
    if body is None:
        # A sealed value that does not open was edited or moved: refuse, and leave a trace
        # for the DPO (in its own transaction: the read's transaction was rolled back).
        with transaction(ctx.sessions) as session:
            audit.append(session, g.principal.actor, "report.sealed_value_invalid",
                         report_id=report_id)
        raise ApiError(409, "sealed_value_invalid",
                       "This report's stored data failed its integrity check and is not served; "
                       "the event is in the audit log for the data-protection officer.")
    return jsonify(body)


@bp.get("/reports")
@requires(*READ_ROLES)
def list_reports_view() -> ResponseReturnValue:
    args = request.args
    errors: dict[str, str] = {}
    known = {"status", "category", "iccs_code", "language", "from", "to", "limit", "cursor"}
    for unknown in sorted(set(args) - known):
        errors[unknown[:60]] = f"unknown parameter; allowed: {', '.join(sorted(known))}"
    status = args.get("status")
    if status is not None and status not in STATUSES:
        errors["status"] = f"expected one of {', '.join(STATUSES)}"
    now = utcnow()
    occurred_from = parse_time(args["from"], "from", errors, now) if "from" in args else None
    occurred_to = parse_time(args["to"], "to", errors, now) if "to" in args else None
    limit = _int_param(args.get("limit", "50"), "limit", 1, MAX_PAGE, errors)
    if errors:
        raise ApiError(400, "invalid_parameter", "Some query parameters are invalid.", errors)
    flt = ListFilter(
        status=status,
        category=args.get("category"),
        iccs_code=args.get("iccs_code"),
        language=args.get("language"),
        occurred_from=occurred_from,
        occurred_to=occurred_to,
    )
    ctx = node_context()
    with transaction(ctx.sessions) as session:
        try:
            rows, next_cursor = list_reports(session, flt, limit=limit, cursor=args.get("cursor"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApiError(
                400,
                "invalid_parameter",
                "The cursor is not one this node issued.",
                {"cursor": "use the next_cursor value of the previous page"},
            ) from exc
        items = [redacted_view(r) for r in rows]
    return jsonify({"items": items, "next_cursor": next_cursor})


def _int_param(raw: str, name: str, low: int, high: int, errors: dict[str, str]) -> int:
    try:
        value = int(raw)
    except ValueError:
        errors[name] = f"expected a whole number from {low} to {high}"
        return low
    if not low <= value <= high:
        errors[name] = f"expected a whole number from {low} to {high}"
    return value


def _check_uuid(report_id: str) -> None:
    try:
        uuid.UUID(report_id)
    except ValueError as exc:
        raise ApiError(404, "not_found", "No report with this id.") from exc
