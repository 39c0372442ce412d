"""Dashboard pages. Every figure shown comes from the same query code as the EU API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    g,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from node.api.eu import (
    answer,
    answer_in,
    bundle_response,
    bundle_zip,
    export_response,
    list_alerts,
    parse_or_400,
)
from node.api.eu_export import alerts_to_csv, figure_status
from node.api.eu_query import EUQuery, expected_cities
from node.app import node_context
from node.auth import authenticate
from node.dashboard.session import page, refusal, session_principal
from node.db import transaction
from node.errors import ApiError
from node.models.base import utcnow
from node.models.federation import LocalRelease, ReceivedRelease
from node.openapi import error_responses, op, register_paths
from node.reports import ListFilter, list_reports, redacted_view
from policies.iccs import DIVISIONS, SECTIONS

STATIC = Path(__file__).resolve().parent / "static"
bp = Blueprint("dashboard", __name__, url_prefix="/dashboard", template_folder="templates")
EU_ROLES = ("coordinator", "admin")
REPORT_ROLES = ("officer", "analyst", "dpo", "admin")
RELEASE_ROLES = ("analyst", "dpo", "admin")
POLICY_ROLES = ("analyst", "dpo", "admin")
# Scripts, styles and images only from this node; no inline code; no framing.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
# Every ICCS level-1 and level-2 name (UNODC ICCS 1.0), for labels and the category picker.
ICCS_NAMES: dict[str, str] = {**SECTIONS, **DIVISIONS}


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError) -> Response:
    # A wrong query on a page: the error page for a browser, the JSON shape for scripts.
    return refusal(exc.status, exc.code, exc.message)


@bp.after_request
def _page_headers(resp: Response) -> Response:
    resp.headers["Content-Security-Policy"] = PAGE_CSP
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/static/<path:filename>")
@page()
def static(filename: str) -> ResponseReturnValue:
    resp = send_from_directory(STATIC, filename, max_age=3600)
    resp.headers["Cache-Control"] = "public, max-age=3600"
    return resp


@bp.get("/login")
@page()
def login_form() -> ResponseReturnValue:
    return render_template("login.html", status=200, message=None, principal=None)


@bp.post("/login")
@page()
def login() -> ResponseReturnValue:
    token = (request.form.get("token") or "").strip()
    if not token:
        return login_refusal(400, "invalid_parameter", "Paste your node token.")
    ctx = node_context()
    client = request.remote_addr or "?"
    brake = ctx.extras["auth_brake"]
    brake.check(client)  # the same brake on guessing as the API's bearer check
    with transaction(ctx.sessions) as db:
        principal = authenticate(db, token)
    if principal is None:
        brake.failed(client)
        return login_refusal(401, "unauthorized", "That token is unknown or revoked.")
    session.clear()
    session["token_id"] = principal.token_id
    session["started"] = utcnow().timestamp()
    target = "dashboard.eu" if principal.role in EU_ROLES else "dashboard.city_reports"
    return redirect(url_for(target), code=303)


def login_refusal(status: int, code: str, message: str) -> Response:
    """The login form again with the reason (a browser), or the JSON error shape."""
    if request.accept_mimetypes.best == "text/html":
        html = render_template("login.html", status=status, message=message, principal=None)
        return Response(html, status=status, mimetype="text/html")
    return refusal(status, code, message)


@bp.post("/logout")
@page()
def logout() -> ResponseReturnValue:
    session.clear()
    return redirect(url_for("dashboard.login_form"), code=303)


def _query(group_by: str, **override: str) -> EUQuery:
    args = {k: v for k, v in request.args.items() if k in ("category", "from", "to")}
    args.update(override)
    args["group_by"] = group_by
    return parse_or_400(args, allow_format=False)


def _cell(figure: dict[str, Any] | None) -> dict[str, Any]:
    """What a chart point or table cell shows: value, or why there is none (never 0)."""
    if figure is None:
        return {"value": None, "status": "no data", "lower_bound": False, "stale": False}
    return {
        "value": figure["value"],
        "status": figure_status(figure),
        "lower_bound": bool(figure["lower_bound"]),
        "rounded": bool(figure["rounded"]),
        "noised": bool(figure["noised"]),
        "stale": bool(figure.get("stale")),
    }


def eu_page_data(base: EUQuery) -> dict[str, Any]:
    """Everything the EU page draws: totals, cities, categories, areas, with statuses."""
    months = base.periods()
    breakdown_filter = base.category if base.category and len(base.category) == 2 else ""
    # One session for the four queries: the releases are loaded once (identity map).
    with transaction(node_context().sessions) as db:
        totals = answer_in(db, _query("period"))
        cities_answer = answer_in(db, _query("city,period"))
        categories = answer_in(db, _query("category", category=breakdown_filter))
        areas = answer_in(db, _query("city,area"))
    by_period = {f["period"]: f for f in totals["figures"]}
    expected = expected_cities(node_context(), utcnow())
    cities = sorted(set(expected) | {f["city"] for f in cities_answer["figures"]})
    grid = {(f["city"], f["period"]): f for f in cities_answer["figures"]}
    return {
        "query": base.as_dict(),
        "months": months,
        "totals": [{"period": m, **_cell(by_period.get(m))} for m in months],
        "cities": [
            {"city": c, "points": [{"period": m, **_cell(grid.get((c, m)))} for m in months],
             "status": totals["cities"].get(c)}
            for c in cities
        ],
        "categories": [
            {"category": f["category"], "name": ICCS_NAMES.get(f["category"], ""), **_cell(f)}
            for f in categories["figures"]
        ],
        "areas": [
            {"city": f["city"], "area": f["area"], **_cell(f)}
            for f in areas["figures"]
            if f.get("area") not in (None, "_T")
        ],
        "missing_cities": totals["missing_cities"],
        "coverage": totals["coverage"],
    }


@bp.get("/")
@page(*EU_ROLES)
def eu() -> ResponseReturnValue:
    base = _query("period")
    data = eu_page_data(base)
    with transaction(node_context().sessions) as db:
        alerts = list_alerts(db, limit=50)
    return render_template(
        "eu.html", data=data, alerts=alerts, principal=g.principal, iccs=ICCS_NAMES,
        export_args={k: v for k, v in data["query"].items() if k in ("category", "from", "to")
                     and v},
    )


@bp.get("/provenance")
@page(*EU_ROLES)
def provenance() -> ResponseReturnValue:
    period = request.args.get("period", "")
    city = request.args.get("city", "")
    query = _query("city,period" if city else "period", **{"from": period, "to": period})
    body = answer(query)
    figures = [f for f in body["figures"] if not city or f["city"] == city]
    if not figures:
        abort(404)
    figure = figures[0]
    wanted = {(c["release_id"], c["revision"]) for c in figure["contributions"]}
    with transaction(node_context().sessions) as db:
        rows = db.execute(
            select(ReceivedRelease).where(
                ReceivedRelease.release_id.in_(sorted({w[0] for w in wanted}))
            )
        ).scalars().all()
        roster = _trusted_roster()
        releases = {
            (r.release_id, r.revision): {
                "sender": r.sender, "city": r.city, "received_at": r.received_at,
                "created_at": r.created_at, "lineage": r.payload.get("lineage", {}),
                "check": reverify(r.signed_record, roster),
            }
            for r in rows
            if (r.release_id, r.revision) in wanted
        }
    return render_template(
        "provenance.html", figure=figure, releases=releases, query=query.as_dict(), city=city,
        period=period, cell=_cell(figure), principal=g.principal, iccs=ICCS_NAMES,
    )


def _trusted_roster() -> Any:
    """This node's verified roster, or None when it is not federated (yet)."""
    from federation.exchange import NotFederatedError, load_identity

    try:
        return load_identity(node_context()).roster
    except NotFederatedError:
        return None


def reverify(signed_record: bytes, roster: Any) -> str:
    """Check a stored release's signature again, now, against the trusted roster."""
    from federation.envelope import verify_signed_record
    from federation.errors import EnvelopeError
    from federation.messages import AggregateRelease

    if roster is None:
        return "verified on receipt (no roster here to re-check against)"
    try:
        opened = verify_signed_record(
            signed_record, roster=roster, expected_types=(AggregateRelease.MESSAGE_TYPE,)
        )
    except EnvelopeError as exc:
        return f"NOT VERIFIED: {type(exc).__name__}"
    return f"verified now: signed by {opened.sender} with key {opened.sender_key_id}"


@bp.get("/export")
@page(*EU_ROLES)
def export() -> ResponseReturnValue:
    fmt = request.args.get("format", "csv")
    query = parse_or_400({k: v for k, v in request.args.items() if k != "format"},
                         allow_format=False)
    return export_response(answer(query), "sdmx-csv" if fmt == "sdmx-csv" else "csv")


@bp.get("/releases.bundle")
@page(*EU_ROLES)
def releases_bundle() -> ResponseReturnValue:
    query = parse_or_400(request.args, allow_format=False)
    with transaction(node_context().sessions) as db:
        data = bundle_zip(db, answer(query))
    return bundle_response(data, query)


@bp.get("/alerts.csv")
@page(*EU_ROLES)
def alerts_csv() -> ResponseReturnValue:
    with transaction(node_context().sessions) as db:
        items = list_alerts(db)
    return Response(alerts_to_csv(items), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="alerts.csv"'})


@bp.get("/city/reports")
@page(*REPORT_ROLES)
def city_reports() -> ResponseReturnValue:
    with transaction(node_context().sessions) as db:
        rows, _ = list_reports(db, ListFilter(), limit=100, cursor=None)
        reports = [redacted_view(r) for r in rows]
    return render_template("reports.html", reports=reports, principal=g.principal)


@bp.get("/city/releases")
@page(*RELEASE_ROLES)
def city_releases() -> ResponseReturnValue:
    with transaction(node_context().sessions) as db:
        rows = db.execute(
            select(LocalRelease).order_by(LocalRelease.period.desc(), LocalRelease.recipient)
            .limit(200)
        ).scalars().all()
        releases = [
            {
                "release_id": r.release_id, "recipient": r.recipient, "period": r.period,
                "revision": r.revision, "policy_hash": r.policy_hash, "created_at": r.created_at,
                "cells": r.payload.get("cells", []),
                "steps": r.payload.get("lineage", {}).get("steps", []),
            }
            for r in rows
        ]
        received = [a for a in list_alerts(db, limit=100) if a["send_status"] == "received"]
    return render_template("releases.html", releases=releases, alerts=received,
                           principal=g.principal)


@bp.get("/city/policy")
@page(*POLICY_ROLES)
def city_policy() -> ResponseReturnValue:
    ctx = node_context()
    policy = ctx.policy
    info = None if policy is None else {
        "city": policy.city, "version": policy.version, "owner": policy.owner,
        "hash": policy.hash, "languages": list(policy.languages),
        "recipients": sorted(policy.sharing),
    }
    return render_template("policy.html", policy=info, status=ctx.extras.get("policy_status", {}),
                           principal=g.principal)


def _html(summary: str, roles: tuple[str, ...], *errors: int, **extra: Any) -> dict[str, Any]:
    return op(summary, roles, {"200": {"description": "HTML page",
                                       "content": {"text/html": {"schema": {"type": "string"}}}},
                               **error_responses(*errors)},
              **extra)


def _csv_op(summary: str) -> dict[str, Any]:
    return op(summary, EU_ROLES, {"200": {"description": "CSV",
                                          "content": {"text/csv": {"schema": {"type": "string"}}}},
                                  **error_responses(400)})


_QUERY = [{"name": n, "in": "query", "required": False, "schema": {"type": "string"}}
          for n in ("category", "from", "to")]
_SEE_OTHER = {"303": {"description": "Redirect to the next page"}}

register_paths({
    "/dashboard/static/{filename}": {"get": op(
        "Dashboard assets (scripts, styles, the vendored chart library)", (),
        {"200": {"description": "A file", "content": {"*/*": {"schema": {"type": "string"}}}},
         **error_responses(404)},
        parameters=[{"name": "filename", "in": "path", "required": True,
                     "schema": {"type": "string"}}])},
    "/dashboard/login": {
        "get": _html("Login page: paste a node token", ()),
        "post": op("Start a dashboard session (HttpOnly, SameSite=Strict cookie)", (),
                   {**_SEE_OTHER, **error_responses(400, 401)},
                   requestBody={"content": {"application/x-www-form-urlencoded": {
                       "schema": {"type": "object",
                                  "properties": {"token": {"type": "string"}}}}}}),
    },
    "/dashboard/logout": {"post": op("End the dashboard session", (), dict(_SEE_OTHER))},
    "/dashboard/": {"get": _html("EU dashboard: totals, cities, categories, areas, alerts",
                                 EU_ROLES, 400, parameters=_QUERY)},
    "/dashboard/provenance": {"get": _html(
        "Provenance of one EU figure", EU_ROLES, 400, 404,
        parameters=[*_QUERY[:1], *({"name": n, "in": "query", "required": False,
                                    "schema": {"type": "string"}} for n in ("city", "period"))])},
    "/dashboard/export": {"get": _csv_op("The dashboard's query as CSV or SDMX-CSV")},
    "/dashboard/releases.bundle": {"get": op(
        "The signed releases behind the dashboard's query", EU_ROLES,
        {"200": {"description": "Zip archive",
                 "content": {"application/zip": {"schema": {"type": "string"}}}},
         **error_responses(400)}, parameters=_QUERY)},
    "/dashboard/alerts.csv": {"get": _csv_op("Early-warning alerts as CSV")},
    "/dashboard/city/reports": {"get": _html("This city's reports, redacted text only",
                                             REPORT_ROLES)},
    "/dashboard/city/releases": {"get": _html("This city's releases and the alerts it received",
                                              RELEASE_ROLES)},
    "/dashboard/city/policy": {"get": _html("This city's policy status", POLICY_ROLES)},
})

__all__ = ["bp", "eu_page_data", "session_principal"]
