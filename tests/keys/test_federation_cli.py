"""The admin workflow through the real CLI: roots, node keys, roster, signing, import, rotation.

Every key is generated at test time (INSECURE TEST KEY material in temporary directories).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from federation.envelope import open_envelope, seal_envelope
from federation.messages import QueryRefusal
from keys.node_keys import load_node_keys, node_key_dir
from keys.trust_store import load_trusted_roster
from node.commands.federation_admin import federation
from node.commands.keys import keys


@click.group()
def cli() -> None:
    """The two groups under test, as node/cli.py registers them."""


cli.add_command(keys)
cli.add_command(federation)


def run(*args: str | Path | int, ok: bool = True) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args], env={"INSPEC2T_KEY_PASSPHRASE": ""})
    assert (result.exit_code == 0) == ok, result.output
    return result


@pytest.fixture
def federation_dir(tmp_path: Path) -> Path:
    """Root 2-of-3, two node homes with keys, a roster signed by two roots."""
    root = tmp_path / "root"
    run("federation", "root", "create", "--out", root, "--shares", 3, "--threshold", 2)
    roster = tmp_path / "roster.json"
    run("federation", "roster", "new", "--out", roster, "--pin", root / "root-pin.json")
    for node_id, role in (("belfast", "city"), ("eu-coordinator", "coordinator")):
        home = tmp_path / node_id
        run("keys", "generate", "--home", home)
        run("keys", "export-public", "--home", home, "--out", tmp_path / f"{node_id}.pub.json")
        run("federation", "root", "pin", "--home", home, root / "root-pin.json")
        run(
            "federation",
            "roster",
            "add-member",
            roster,
            "--node-id",
            node_id,
            "--city",
            node_id.title(),
            "--endpoint",
            f"http://127.0.0.1:8470/{node_id}",
            "--role",
            role,
            "--keys",
            tmp_path / f"{node_id}.pub.json",
        )
    return tmp_path


def test_roster_needs_threshold_signatures_before_any_node_imports_it(
    federation_dir: Path,
) -> None:
    roster, root = federation_dir / "roster.json", federation_dir / "root"
    run("federation", "roster", "sign", roster, "--key", root / "root-1.key")
    refused = run(
        "federation", "roster", "verify", roster, "--pin", root / "root-pin.json", ok=False
    )
    assert "expected valid signatures from 2 distinct root keys, got 1" in refused.output
    run("federation", "roster", "sign", roster, "--key", root / "root-1.key")  # same root again
    run("federation", "roster", "verify", roster, "--pin", root / "root-pin.json", ok=False)
    run("federation", "roster", "sign", roster, "--key", root / "root-3.key")
    assert (
        "OK: roster version 1"
        in run("federation", "roster", "verify", roster, "--pin", root / "root-pin.json").output
    )
    home = federation_dir / "belfast"
    run("federation", "roster", "import", "--home", home, roster)
    shown = run("federation", "roster", "show", "--home", home).output
    assert "belfast" in shown and "eu-coordinator" in shown


def test_copies_signed_separately_are_combined(federation_dir: Path) -> None:
    roster, root = federation_dir / "roster.json", federation_dir / "root"
    copies = []
    for n in (1, 3):
        copy = federation_dir / f"copy-{n}.json"
        copy.write_bytes(roster.read_bytes())
        run("federation", "roster", "sign", copy, "--key", root / f"root-{n}.key")
        copies.append(copy)
    combined = federation_dir / "combined.json"
    run("federation", "roster", "combine", *copies, "--out", combined)
    run("federation", "roster", "verify", combined, "--pin", root / "root-pin.json")
    run("federation", "roster", "remove-member", copies[1], "belfast")
    refused = run("federation", "roster", "combine", *copies, "--out", combined, ok=False)
    assert "only signatures over the same roster content" in refused.output


def test_edited_roster_loses_its_signatures(federation_dir: Path) -> None:
    roster, root = federation_dir / "roster.json", federation_dir / "root"
    for n in (1, 2):
        run("federation", "roster", "sign", roster, "--key", root / f"root-{n}.key")
    run("federation", "roster", "remove-member", roster, "eu-coordinator")
    run("federation", "roster", "verify", roster, "--pin", root / "root-pin.json", ok=False)


def test_older_roster_cannot_replace_the_imported_one(federation_dir: Path) -> None:
    root, home = federation_dir / "root", federation_dir / "belfast"
    v1, v2 = federation_dir / "roster.json", federation_dir / "roster-v2.json"
    run("federation", "roster", "new", "--out", v2, "--pin", root / "root-pin.json", "--from", v1)
    for path in (v1, v2):
        for n in (1, 2):
            run("federation", "roster", "sign", path, "--key", root / f"root-{n}.key")
    run("federation", "roster", "import", "--home", home, v2)
    refused = run("federation", "roster", "import", "--home", home, v1, ok=False)
    assert "expected roster version 2 or higher, got 1" in refused.output


def test_nodes_set_up_by_the_cli_exchange_a_verified_message(federation_dir: Path) -> None:
    roster, root = federation_dir / "roster.json", federation_dir / "root"
    for n in (2, 3):
        run("federation", "roster", "sign", roster, "--key", root / f"root-{n}.key")
    for node in ("belfast", "eu-coordinator"):
        run("federation", "roster", "import", "--home", federation_dir / node, roster)
    now = datetime.now(UTC)
    sender = load_node_keys(node_key_dir(federation_dir / "belfast"))
    receiver = load_node_keys(node_key_dir(federation_dir / "eu-coordinator"))
    trusted = load_trusted_roster(federation_dir / "eu-coordinator")
    assert trusted is not None
    refusal = QueryRefusal("q-7", "dimension_not_allowed", "Area is not shared with you.")
    sealed = seal_envelope(
        refusal,
        sender="belfast",
        signing_key=sender.signing_key,
        recipient="eu-coordinator",
        recipient_key=trusted.roster.encryption_key_for("eu-coordinator", now),
        now=now,
    )
    opened = open_envelope(
        sealed.raw,
        roster=trusted.roster,
        my_node_id="eu-coordinator",
        my_decryption_keys=receiver.decryption_keys(now),
        now=now,
        seen=lambda _id: False,
        expected_types={"query-refusal"},
    )
    assert opened.message == refusal


def test_key_rotation_and_revocation_from_the_cli(tmp_path: Path) -> None:
    home = tmp_path / "node"
    run("keys", "generate", "--home", home)
    first = json.loads(run("keys", "show", "--home", home, "--json").output)
    old_signing = next(k["key_id"] for k in first if k["kind"] == "signing")
    refused = run("keys", "revoke", "--home", home, old_signing, ok=False)
    assert "rotate first" in refused.output
    run("keys", "rotate", "--home", home, "--grace-days", "0")
    run("keys", "revoke", "--home", home, old_signing)
    shown = run("keys", "show", "--home", home).output
    assert f"{old_signing}  signing     " in shown and "revoked" in shown
    assert shown.count("active") == 2


def test_sealed_keys_without_passphrase_give_a_plain_error(tmp_path: Path) -> None:
    passphrase = tmp_path / "pass.txt"
    passphrase.write_text("a long passphrase\n")
    home = tmp_path / "node"
    run("keys", "generate", "--home", home, "--passphrase-file", passphrase)
    refused = run("keys", "rotate", "--home", home, ok=False)
    assert "INSPEC2T_KEY_PASSPHRASE" in refused.output and "Traceback" not in refused.output
    run("keys", "rotate", "--home", home, "--passphrase-file", passphrase)
