"""``run_node.py federation ...``: federation roots, the signed trust roster, and pinning.

Admin workflow: ``root create`` once (hand each root key file to a different custodian);
``roster new`` -> ``add-member`` (from each node's ``keys export-public``) -> ``sign`` by m
custodians -> ``verify`` -> send the file to every node, where the operator runs ``roster import``.
Editing a roster drops its signatures: what was signed is no longer what the file says.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import click

from federation.canonical import format_time, truncate_to_second
from federation.errors import MessageFormatError, RosterError
from federation.roster import (
    ROLES,
    Roster,
    RosterMember,
    SignedRoster,
    combine_signatures,
    sign_roster,
    verify_roster,
)
from keys.errors import KeyStoreError
from keys.federation_root import create_federation_root, load_root_key, read_pin_file
from keys.node_keys import parse_public_keys
from keys.roster_admin import member_from_key_records, new_roster
from keys.trust_store import import_roster, load_pinned_roots, load_trusted_roster, pin_roots
from node.cli import home_option
from node.commands.keys import passphrase_option, read_passphrase

F = TypeVar("F", bound=Callable[..., Any])
_IN_FILE = click.Path(dir_okay=False, exists=True, path_type=Path)
_OUT_FILE = click.Path(dir_okay=False, path_type=Path)


def register(cli: click.Group) -> None:
    """Add the ``federation`` group to the node's CLI."""
    cli.add_command(federation)


def plain_errors(func: F) -> F:
    """Roster, key-store and format errors become one-line CLI errors."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (RosterError, KeyStoreError, MessageFormatError) as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


def _now() -> datetime:
    return truncate_to_second(datetime.now(UTC))


def _read_draft(path: Path) -> SignedRoster:
    return SignedRoster.from_bytes(path.read_bytes())


def _write_draft(path: Path, roster: Roster) -> None:
    """Write an edited roster, unsigned."""
    path.write_bytes(SignedRoster(roster).to_bytes())


def _summary(signed: SignedRoster) -> str:
    r = signed.roster
    lines = [
        f"roster version {r.version}, issued {format_time(r.issued_at)}, expires "
        f"{format_time(r.expires_at)}, {len({k for k, _ in signed.signatures})} signature(s), "
        f"threshold {r.threshold} of {len(r.root_key_ids)} roots",
    ]
    for m in r.members:
        lines.append(
            f"  {m.node_id:<16} {m.city:<12} {','.join(sorted(m.roles)):<17} {m.endpoint}  "
            f"signing {','.join(k.key_id for k in m.signing_keys)}"
            + (f"  revoked {','.join(sorted(m.revoked_key_ids))}" if m.revoked_key_ids else "")
        )
    return "\n".join(lines)


@click.group()
def federation() -> None:
    """Federation roots and the signed trust roster."""


@federation.group()
def root() -> None:
    """Federation root keys (m-of-n) and pinning them on a node."""


@root.command("create")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--shares", required=True, type=click.IntRange(1, 100), help="Root keys (n).")
@click.option("--threshold", required=True, type=click.IntRange(1, 100), help="Needed (m).")
@passphrase_option
@plain_errors
def root_create(out: Path, shares: int, threshold: int, passphrase_file: Path | None) -> None:
    """Create n root key files and root-pin.json (the public part every node pins)."""
    pin = create_federation_root(
        out, shares=shares, threshold=threshold, passphrase=read_passphrase(passphrase_file)
    )
    click.echo(f"created {shares} root keys in {out} (any {threshold} sign a roster)")
    for kid in sorted(pin.public_keys):
        click.echo(f"  root key {kid}")
    click.echo(f"Give each root-N.key to a different custodian; send {out}/root-pin.json to nodes")


@root.command("pin")
@home_option
@click.argument("pin_file", type=_IN_FILE)
@plain_errors
def root_pin(home: Path, pin_file: Path) -> None:
    """Pin the federation roots of PIN_FILE on this node (trust starts here)."""
    pin = read_pin_file(pin_file)
    pin_roots(home, pin)
    click.echo(f"pinned {len(pin.public_keys)} root keys, threshold {pin.threshold}, in {home}")


@federation.group()
def roster() -> None:
    """Create, edit, sign, verify and import the trust roster."""


@roster.command("new")
@click.option("--out", required=True, type=_OUT_FILE, help="Where to write the unsigned roster.")
@click.option("--pin", "pin_file", required=True, type=_IN_FILE, help="The root-pin.json.")
@click.option("--from", "previous", type=_IN_FILE, default=None, help="Copy members; version+1.")
@click.option("--version", type=click.IntRange(min=1), default=None, help="Default 1 (or +1).")
@click.option("--expires-days", type=click.IntRange(min=1), default=90, show_default=True)
@plain_errors
def roster_new(
    out: Path, pin_file: Path, previous: Path | None, version: int | None, expires_days: int
) -> None:
    """Start a roster: a new empty one, or the next version of an existing one."""
    pin = read_pin_file(pin_file)
    members: tuple[RosterMember, ...] = ()
    next_version = 1
    if previous is not None:
        before = _read_draft(previous).roster
        members, next_version = before.members, before.version + 1
    draft = new_roster(
        pin,
        version=version or next_version,
        now=_now(),
        lifetime=timedelta(days=expires_days),
        members=members,
    )
    _write_draft(out, draft)
    click.echo(f"wrote unsigned roster version {draft.version} to {out}")


@roster.command("add-member")
@click.argument("roster_file", type=_IN_FILE)
@click.option("--node-id", required=True)
@click.option("--city", required=True)
@click.option("--endpoint", required=True, help="Base URL of the node, e.g. https://host:8470")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(sorted(ROLES)))
@click.option("--keys", "keys_file", required=True, type=_IN_FILE, help="From keys export-public.")
@plain_errors
def roster_add_member(
    roster_file: Path,
    node_id: str,
    city: str,
    endpoint: str,
    roles: tuple[str, ...],
    keys_file: Path,
) -> None:
    """Add a member (or replace the member with the same node id) from its public keys."""
    records, revoked = parse_public_keys(json.loads(keys_file.read_text("utf-8")), keys_file)
    member = member_from_key_records(
        node_id=node_id,
        city=city,
        endpoint=endpoint,
        roles=roles,
        records=records,
        revoked_key_ids=revoked,
    )
    draft = _read_draft(roster_file).roster.with_member(member)
    _write_draft(roster_file, draft)
    click.echo(f"{node_id} added to roster version {draft.version}; signatures cleared")


@roster.command("remove-member")
@click.argument("roster_file", type=_IN_FILE)
@click.argument("node_id")
@plain_errors
def roster_remove_member(roster_file: Path, node_id: str) -> None:
    """Remove a member; its messages are rejected once nodes import the signed roster."""
    draft = _read_draft(roster_file).roster.without_member(node_id)
    _write_draft(roster_file, draft)
    click.echo(f"{node_id} removed from roster version {draft.version}; signatures cleared")


@roster.command("revoke-key")
@click.argument("roster_file", type=_IN_FILE)
@click.argument("node_id")
@click.argument("key_id")
@plain_errors
def roster_revoke_key(roster_file: Path, node_id: str, key_id: str) -> None:
    """List KEY_ID of NODE_ID as revoked: messages signed with it are rejected."""
    draft = _read_draft(roster_file).roster
    member = draft.member(node_id)
    if member is None:
        raise click.ClickException(f"{node_id!r} is not in roster version {draft.version}")
    known = {k.key_id for k in (*member.signing_keys, *member.encryption_keys)}
    if key_id not in known:
        raise click.ClickException(
            f"expected one of {node_id}'s key ids ({', '.join(sorted(known))}), got {key_id!r}"
        )
    updated = replace(member, revoked_key_ids=member.revoked_key_ids | {key_id})
    _write_draft(roster_file, draft.with_member(updated))
    click.echo(f"key {key_id} of {node_id} revoked in roster version {draft.version}")


@roster.command("sign")
@click.argument("roster_file", type=_IN_FILE)
@click.option("--key", "key_file", required=True, type=_IN_FILE, help="One root-N.key file.")
@passphrase_option
@plain_errors
def roster_sign(roster_file: Path, key_file: Path, passphrase_file: Path | None) -> None:
    """Add one root's signature (custodians sign one after the other, same file)."""
    signed = sign_roster(
        _read_draft(roster_file), load_root_key(key_file, read_passphrase(passphrase_file))
    )
    roster_file.write_bytes(signed.to_bytes())
    count = len({k for k, _ in signed.signatures})
    click.echo(f"signed; {count} of {signed.roster.threshold} needed signature(s)")


@roster.command("combine")
@click.argument("copies", nargs=-1, required=True, type=_IN_FILE)
@click.option("--out", required=True, type=_OUT_FILE, help="Where to write the combined roster.")
@plain_errors
def roster_combine(copies: tuple[Path, ...], out: Path) -> None:
    """Merge the signatures of copies of one roster signed separately by custodians."""
    combined = combine_signatures(_read_draft(path) for path in copies)
    out.write_bytes(combined.to_bytes())
    count = len({k for k, _ in combined.signatures})
    click.echo(f"combined {count} distinct signature(s) into {out}")


@roster.command("verify")
@click.argument("roster_file", type=_IN_FILE)
@click.option("--pin", "pin_file", type=_IN_FILE, default=None, help="Check against this pin.")
@home_option
@plain_errors
def roster_verify(roster_file: Path, pin_file: Path | None, home: Path) -> None:
    """Check a roster as a node would: threshold signatures, version, expiry."""
    if pin_file is not None:
        pin, trusted = read_pin_file(pin_file), None
    else:
        pin = load_pinned_roots(home)
        current = load_trusted_roster(home)
        trusted = None if current is None else current.roster
    signed = verify_roster(roster_file.read_bytes(), pin=pin, trusted=trusted, now=_now())
    click.echo("OK: " + _summary(signed))


@roster.command("import")
@home_option
@click.argument("roster_file", type=_IN_FILE)
@plain_errors
def roster_import(home: Path, roster_file: Path) -> None:
    """Verify FILE against the pinned roots and the current roster, then trust it."""
    signed = import_roster(home, roster_file.read_bytes(), now=_now())
    click.echo("imported " + _summary(signed))


@roster.command("show")
@home_option
@plain_errors
def roster_show(home: Path) -> None:
    """Show the roster this node trusts."""
    signed = load_trusted_roster(home)
    if signed is None:
        raise click.ClickException(f"no roster imported in {home}; run federation roster import")
    click.echo(_summary(signed))
