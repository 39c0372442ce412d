"""``run_node.py federation push|status|query|export-release``, ``verify-release``, ``demo``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import click

from node.cli import friendly_errors, home_option, load_context


def register(cli: click.Group) -> None:
    """Add push/status/query/export-release to the ``federation`` group; verify-release, demo."""
    if not isinstance(cli.commands.get("federation"), click.Group):
        from node.commands import federation_admin

        federation_admin.register(cli)  # these commands extend the roots-and-roster group
    group = cli.commands["federation"]
    assert isinstance(group, click.Group)
    for command in (push, status, query, export_release):
        group.add_command(command)
    cli.add_command(verify_release)
    from node.demo import demo

    cli.add_command(demo)


def _not_federated(exc: Exception) -> click.ClickException:
    return click.ClickException(str(exc))


@click.command()
@home_option
@friendly_errors
def push(home: Path) -> None:
    """Make due releases, queue them for their recipients and deliver the outbox once."""
    from federation.exchange import NotFederatedError, push_round

    try:
        summary = push_round(load_context(home))
    except NotFederatedError as exc:
        raise _not_federated(exc) from exc
    click.echo(json.dumps(summary.as_dict()))


@click.command()
@home_option
@friendly_errors
def status(home: Path) -> None:
    """Roster version, outbox (waiting per recipient, last error), releases made and received."""
    from federation.exchange import federation_status

    click.echo(json.dumps(federation_status(load_context(home), now=datetime.now(UTC)), indent=2))


@click.command()
@home_option
@click.argument("node_id")
@click.option("--from", "period_from", required=True, help="First period, e.g. 2026-03.")
@click.option("--to", "period_to", default=None, help="Last period (default: --from).")
@click.option("--level", "category_level", default=2, type=click.IntRange(1, 4))
@click.option("--dimension", "dimensions", multiple=True, default=("category", "period"),
              type=click.Choice(["category", "period", "area"]), show_default=True)
@friendly_errors
def query(home: Path, node_id: str, period_from: str, period_to: str | None,
          category_level: int, dimensions: tuple[str, ...]) -> None:
    """Ask NODE_ID for its figures (coordinator); store releases, print refusals."""
    from federation.errors import EnvelopeError, MessageFormatError
    from federation.exchange import NotFederatedError, load_identity
    from federation.query import new_query, send_query
    from federation.transport import HttpTransport, PeerRejectedError, TransportError

    ctx = load_context(home)
    try:
        q = new_query(dimensions=set(dimensions), category_level=category_level,
                      period_from=period_from, period_to=period_to or period_from)
        result = send_query(ctx, load_identity(ctx), HttpTransport(), node_id, q,
                            now=datetime.now(UTC))
    except (NotFederatedError, EnvelopeError, MessageFormatError, PeerRejectedError,
            TransportError) as exc:
        raise click.ClickException(str(exc)) from exc
    for release in result.releases:
        click.echo(f"stored {release.release_id} revision {release.revision}")
    for refusal in result.refusals:
        click.echo(f"refused ({refusal.reason}): {refusal.message}")


@click.command("export-release")
@home_option
@click.argument("release_id")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@friendly_errors
def export_release(home: Path, release_id: str, out: Path) -> None:
    """Write the signed bytes of a received release (newest revision) for verify-release."""
    from sqlalchemy import select

    from node.db import transaction
    from node.models.federation import ReceivedRelease

    ctx = load_context(home)
    with transaction(ctx.sessions) as session:
        row = session.execute(
            select(ReceivedRelease)
            .where(ReceivedRelease.release_id == release_id)
            .order_by(ReceivedRelease.revision.desc())
            .limit(1)
        ).scalar_one_or_none()
        if row is None:
            raise click.ClickException(f"no received release {release_id!r} on this node")
        out.write_bytes(row.signed_record)
    click.echo(f"wrote {out} ({row.city} {row.period} revision {row.revision})")


@click.command("verify-release")
@home_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def verify_release(home: Path, file: Path) -> None:
    """Re-verify a stored signed release offline against this home's pinned roots and roster.

    Exit 0 and a summary when it verifies; exit 1 with the failed check otherwise.
    """
    from federation.envelope import verify_signed_record
    from federation.errors import EnvelopeError, RosterError
    from federation.messages import AggregateRelease
    from keys.trust_store import load_trusted_roster

    try:
        signed = load_trusted_roster(home)
    except RosterError as exc:
        raise click.ClickException(str(exc)) from exc
    if signed is None:
        raise click.ClickException(f"no trusted roster in {home}; import one first")
    try:
        opened = verify_signed_record(
            file.read_bytes(), roster=signed.roster,
            expected_types=(AggregateRelease.MESSAGE_TYPE,),
        )
    except EnvelopeError as exc:
        click.echo(f"NOT VERIFIED ({type(exc).__name__}): {exc}", err=True)
        raise SystemExit(1) from exc
    release = opened.message
    assert isinstance(release, AggregateRelease)
    click.echo(
        f"verified: release {release.release_id} revision {release.revision} of "
        f"{release.city} ({opened.sender}, key {opened.sender_key_id}) for {release.period}, "
        f"{len(release.cells)} cells, policy {release.lineage.policy_hash[:12]}, "
        f"signed for {opened.recipient} at {opened.issued_at.isoformat()} "
        f"(roster version {signed.roster.version})"
    )
