"""``run_node.py eu export|bundle|alerts``: the coordinator's EU figures and alerts as files."""

from __future__ import annotations

import json
from pathlib import Path

import click

from node.api.eu_query import EUQuery
from node.cli import friendly_errors, home_option, load_context


def register(cli: click.Group) -> None:
    """Add the ``eu`` group."""
    cli.add_command(eu)


@click.group()
def eu() -> None:
    """EU coordinator: figures from the cities' releases, signed bundles, early warnings."""


def _query_options(func: click.decorators.FC) -> click.decorators.FC:
    for option in reversed([
        click.option("--category", default="", help="ICCS code, level 1 or 2 (e.g. 0501)."),
        click.option("--from", "period_from", default="", help="First month, e.g. 2025-11."),
        click.option("--to", "period_to", default="", help="Last month (default: last closed)."),
        click.option("--group-by", default="city,period", show_default=True,
                     help="Any of city, period, category, area, comma-separated."),
    ]):
        func = option(func)
    return func


def _parse(category: str, period_from: str, period_to: str, group_by: str) -> EUQuery:
    from node.api.eu_query import QueryError, parse_query
    from node.models.base import utcnow

    args = {"category": category, "from": period_from, "to": period_to, "group_by": group_by}
    try:
        return parse_query({k: v for k, v in args.items() if v}, utcnow(), allow_format=False)
    except QueryError as exc:
        raise click.BadParameter(exc.message, param_hint=f"--{exc.parameter}") from exc


def _write(out: Path | None, data: str | bytes) -> None:
    if out is None:
        click.echo(data if isinstance(data, str) else data.decode("utf-8"), nl=False)
    elif isinstance(data, bytes):
        out.write_bytes(data)
    else:
        out.write_text(data, encoding="utf-8", newline="")


@eu.command("export")
@home_option
@_query_options
@click.option("--format", "fmt", type=click.Choice(["csv", "sdmx-csv", "json"]), default="csv",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output).")
@friendly_errors
def export(home: Path, category: str, period_from: str, period_to: str, group_by: str,
           fmt: str, out: Path | None) -> None:
    """The EU figures of a query as CSV, SDMX-CSV 2.0 or JSON (same as the API)."""
    from node.api.eu_export import to_csv, to_sdmx_csv
    from node.api.eu_query import expected_cities, run_query
    from node.db import transaction
    from node.models.base import utcnow

    query = _parse(category, period_from, period_to, group_by)
    ctx = load_context(home)
    with transaction(ctx.sessions) as session:
        body = run_query(session, query, utcnow(), expected_cities(ctx, utcnow()))
    text = {"csv": to_csv, "sdmx-csv": to_sdmx_csv}.get(fmt, lambda b: json.dumps(b, indent=2))
    _write(out, text(body))


@eu.command("bundle")
@home_option
@_query_options
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@friendly_errors
def bundle(home: Path, category: str, period_from: str, period_to: str, group_by: str,
           out: Path) -> None:
    """A zip of the signed releases behind a query; each file checks with verify-release."""
    from node.api.eu import bundle_zip
    from node.api.eu_query import expected_cities, run_query
    from node.db import transaction
    from node.models.base import utcnow

    query = _parse(category, period_from, period_to, group_by)
    ctx = load_context(home)
    with transaction(ctx.sessions) as session:
        data = bundle_zip(session, run_query(session, query, utcnow(),
                                             expected_cities(ctx, utcnow())))
    _write(out, data)
    click.echo(f"wrote {out}", err=True)


@eu.command("alerts")
@home_option
@click.option("--run", "run_now", is_flag=True,
              help="Run the early-warning job now (detect, store, queue messages) first.")
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text",
              show_default=True)
@friendly_errors
def alerts(home: Path, run_now: bool, fmt: str) -> None:
    """List the early-warning alerts, newest month first."""
    from federation.alerts import run_early_warning
    from node.api.eu import list_alerts
    from node.api.eu_export import alerts_to_csv
    from node.db import transaction

    ctx = load_context(home)
    if run_now:
        new = run_early_warning(ctx)
        click.echo(f"{len(new)} new alerts", err=True)
    with transaction(ctx.sessions) as session:
        items = list_alerts(session)
    if fmt == "csv":
        click.echo(alerts_to_csv(items), nl=False)
    elif fmt == "json":
        click.echo(json.dumps(items, indent=2))
    else:
        for a in items:
            sent = "queued to cities" if a["send_status"] == "queued" else a["send_status"]
            click.echo(f"{a['period']} {a['category']} [{a['severity']}] {a['summary']} ({sent})")
