"""``run_node.py keys ...``: the node's federation keys (Ed25519 signing, X25519 encryption).

``init`` creates them through an init hook; these commands show, export, rotate and revoke.
A passphrase, if the keys are sealed, comes from ``--passphrase-file`` or the environment
variable INSPEC2T_KEY_PASSPHRASE.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import click

from federation.canonical import format_time
from keys.errors import KeyStoreError
from keys.node_keys import (
    export_public_keys,
    generate_node_keys,
    node_key_dir,
    passphrase_from_env,
    read_key_records,
    revoke,
    rotate,
)
from node.cli import INIT_HOOKS, home_option

F = TypeVar("F", bound=Callable[..., Any])


def register(cli: click.Group) -> None:
    """Add the ``keys`` group, and key generation as a step of ``init``."""
    cli.add_command(keys)
    if _generate_at_init not in INIT_HOOKS:
        INIT_HOOKS.append(_generate_at_init)


def _generate_at_init(ctx: Any) -> None:
    made = generate_node_keys(ctx.settings.key_dir, passphrase=passphrase_from_env())
    click.echo(
        f"  federation keys: signing {made.signing_key_id}, encryption {made.encryption_key_id}"
    )


def passphrase_option(func: F) -> F:
    return click.option(
        "--passphrase-file",
        type=click.Path(dir_okay=False, exists=True, path_type=Path),
        default=None,
        help="File whose first line is the key passphrase (else $INSPEC2T_KEY_PASSPHRASE).",
    )(func)


def read_passphrase(path: Path | None) -> str | None:
    """The passphrase from the file's first line, or the environment, or None."""
    if path is None:
        return passphrase_from_env()
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[0] if lines and lines[0] else None


def plain_errors(func: F) -> F:
    """Key-store errors become one-line CLI errors."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KeyStoreError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


@click.group()
def keys() -> None:
    """The node's federation signing and encryption keys."""


@keys.command("generate")
@home_option
@passphrase_option
@plain_errors
def generate_cmd(home: Path, passphrase_file: Path | None) -> None:
    """Create the node's first key pair (init does this; for older homes)."""
    made = generate_node_keys(node_key_dir(home), passphrase=read_passphrase(passphrase_file))
    click.echo(f"signing key {made.signing_key_id}, encryption key {made.encryption_key_id}")


@keys.command("show")
@home_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@plain_errors
def show_cmd(home: Path, as_json: bool) -> None:
    """List the node's keys: id, kind, created, valid until, status. No secrets."""
    now = datetime.now(UTC)
    records = read_key_records(node_key_dir(home))
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in records], indent=2))
        return
    for r in records:
        if r.revoked_at is not None:
            status = f"revoked {format_time(r.revoked_at)}"
        elif r.active:
            status = "active"
        elif r.usable_at(now):
            status = f"grace until {format_time(r.valid_until)}"  # type: ignore[arg-type]
        else:
            status = f"expired {format_time(r.valid_until)}"  # type: ignore[arg-type]
        click.echo(f"{r.key_id}  {r.kind:<10}  created {format_time(r.created_at)}  {status}")


@keys.command("export-public")
@home_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (default: standard output).",
)
@plain_errors
def export_public_cmd(home: Path, out: Path | None) -> None:
    """Public keys for the federation admin (``federation roster add-member --keys``)."""
    records = read_key_records(node_key_dir(home))
    text = json.dumps(export_public_keys(records), indent=2)
    if out is None:
        click.echo(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")
        click.echo(f"public keys written to {out}; send it to the federation admin")


@keys.command("rotate")
@home_option
@passphrase_option
@click.option(
    "--grace-days",
    type=click.IntRange(min=0),
    default=7,
    show_default=True,
    help="Days the old keys stay valid for peers' messages still in flight.",
)
@plain_errors
def rotate_cmd(home: Path, passphrase_file: Path | None, grace_days: int) -> None:
    """Make a new active key pair; the old pair stays valid for GRACE_DAYS."""
    made = rotate(
        node_key_dir(home), timedelta(days=grace_days), passphrase=read_passphrase(passphrase_file)
    )
    click.echo(f"new signing key {made.signing_key_id}, encryption key {made.encryption_key_id}")
    click.echo(
        "Next: keys export-public, and have the federation admin publish a roster with the new "
        f"keys within {grace_days} days"
    )


@keys.command("revoke")
@home_option
@click.argument("key_id")
@plain_errors
def revoke_cmd(home: Path, key_id: str) -> None:
    """Revoke a retired key now and delete its private file."""
    record = revoke(node_key_dir(home), key_id)
    click.echo(f"revoked {record.kind} key {record.key_id}")
    click.echo(
        "Peers still trust it until the federation admin runs: federation roster revoke-key "
        f"ROSTER NODE_ID {record.key_id} (then sign and distribute the roster)"
    )
