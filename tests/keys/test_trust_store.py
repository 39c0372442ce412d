"""Federation root files and the node's trust store: pin once, import only verified rosters."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import nacl.pwhash
import pytest

from federation.errors import (
    MalformedRosterError,
    RosterError,
    RosterRollbackError,
    RosterThresholdError,
)
from federation.roster import MemberKey, Roster, RosterMember, SignedRoster, sign_roster
from keys.errors import InsecureKeyFileError, KeyStateError, WrongPassphraseError
from keys.federation_root import PIN_FILE, create_federation_root, load_root_key, read_pin_file
from keys.key_id import key_id_for
from keys.node_keys import generate_node_keys, load_node_keys, read_key_records, revoke, rotate
from keys.roster_admin import member_from_key_records
from keys.secure_files import KdfParams
from keys.trust_store import import_roster, load_pinned_roots, load_trusted_roster, pin_roots

NOW = datetime(2026, 11, 28, 1, 0, 0, tzinfo=UTC)
FAST_KDF = KdfParams(nacl.pwhash.argon2id.OPSLIMIT_MIN, nacl.pwhash.argon2id.MEMLIMIT_MIN)
LABEL = "INSECURE TEST KEY"


def roster(tmp_path: Path, version: int, pin_ids: tuple[str, ...], threshold: int) -> Roster:
    key_dir = tmp_path / "belfast-keys"
    if not key_dir.exists():
        generate_node_keys(key_dir, now=NOW, label=LABEL)
    keys = load_node_keys(key_dir)
    start = NOW - timedelta(days=1)
    member = RosterMember(
        node_id="belfast",
        city="Belfast",
        endpoint="http://127.0.0.1:8471",
        roles=frozenset({"city"}),
        signing_keys=(MemberKey(keys.signing_key_id, bytes(keys.signing_key.verify_key), start),),
        encryption_keys=(MemberKey(keys.encryption_key_id, keys.encryption_public_key, start),),
        valid_from=start,
    )
    return Roster(version, NOW, NOW + timedelta(days=30), pin_ids, threshold, (member,))


def test_root_creation_writes_owner_only_keys_and_a_public_pin(tmp_path: Path) -> None:
    pin = create_federation_root(tmp_path / "root", shares=3, threshold=2, label=LABEL)
    for index in (1, 2, 3):
        path = tmp_path / "root" / f"root-{index}.key"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert key_id_for(bytes(load_root_key(path).verify_key)) in pin.public_keys
    assert read_pin_file(tmp_path / "root" / PIN_FILE) == pin
    with pytest.raises(KeyStateError, match="refusing to overwrite"):
        create_federation_root(tmp_path / "root", shares=3, threshold=2)


@pytest.mark.parametrize(("shares", "threshold"), [(3, 0), (2, 3), (0, 0)])
def test_impossible_root_threshold_is_refused(tmp_path: Path, shares: int, threshold: int) -> None:
    with pytest.raises(KeyStateError, match="threshold"):
        create_federation_root(tmp_path, shares=shares, threshold=threshold)


def test_sealed_root_key_needs_its_passphrase(tmp_path: Path) -> None:
    create_federation_root(tmp_path, shares=1, threshold=1, passphrase="pw", kdf=FAST_KDF)
    assert load_root_key(tmp_path / "root-1.key", "pw")
    with pytest.raises(WrongPassphraseError):
        load_root_key(tmp_path / "root-1.key", "nope")


def test_node_imports_only_verified_rosters_and_never_rolls_back(tmp_path: Path) -> None:
    root_dir, home = tmp_path / "root", tmp_path / "home"
    pin = create_federation_root(root_dir, shares=3, threshold=2, label=LABEL)
    roots = [load_root_key(root_dir / f"root-{i}.key") for i in (1, 2, 3)]
    pin_roots(home, pin)
    ids = tuple(sorted(pin.public_keys))

    def signed(version: int, signers: list[int]) -> bytes:
        doc = SignedRoster(roster(tmp_path, version, ids, 2))
        for i in signers:
            doc = sign_roster(doc, roots[i])
        return doc.to_bytes()

    v1, v2 = signed(1, [0, 1]), signed(2, [1, 2])
    with pytest.raises(RosterThresholdError):
        import_roster(home, signed(1, [2]), now=NOW)
    assert load_trusted_roster(home) is None
    import_roster(home, v2, now=NOW)
    with pytest.raises(RosterRollbackError):
        import_roster(home, v1, now=NOW)
    trusted = load_trusted_roster(home)
    assert trusted is not None and trusted.roster.version == 2


def test_trusted_roster_edited_on_disk_is_refused(tmp_path: Path) -> None:
    root_dir, home = tmp_path / "root", tmp_path / "home"
    pin = create_federation_root(root_dir, shares=1, threshold=1, label=LABEL)
    pin_roots(home, pin)
    doc = sign_roster(
        SignedRoster(roster(tmp_path, 1, tuple(pin.public_keys), 1)),
        load_root_key(root_dir / "root-1.key"),
    )
    import_roster(home, doc.to_bytes(), now=NOW)
    path = home / "trust" / "roster.json"
    path.write_bytes(path.read_bytes().replace(b"http://127.0.0.1:8471", b"http://evil.test:80"))
    with pytest.raises(RosterThresholdError):
        load_trusted_roster(home)


def test_pinned_roots_cannot_be_silently_replaced(tmp_path: Path) -> None:
    first = create_federation_root(tmp_path / "a", shares=1, threshold=1)
    other = create_federation_root(tmp_path / "b", shares=1, threshold=1)
    pin_roots(tmp_path / "home", first)
    pin_roots(tmp_path / "home", first)  # same pin again: no-op
    with pytest.raises(KeyStateError, match="already pins"):
        pin_roots(tmp_path / "home", other)


def test_import_without_a_pin_says_how_to_pin(tmp_path: Path) -> None:
    with pytest.raises(RosterError, match="federation root pin"):
        import_roster(tmp_path, b"{}", now=NOW)


def test_member_is_built_from_public_records_without_revoked_keys(tmp_path: Path) -> None:
    generate_node_keys(tmp_path, now=NOW, label=LABEL)
    first = load_node_keys(tmp_path)
    rotate(tmp_path, timedelta(days=3), now=NOW + timedelta(days=1))
    revoke(tmp_path, first.signing_key_id, now=NOW + timedelta(days=1))
    member = member_from_key_records(
        node_id="belfast",
        city="Belfast",
        endpoint="http://127.0.0.1:8471",
        roles={"city"},
        records=read_key_records(tmp_path),
    )
    assert first.signing_key_id in member.revoked_key_ids
    assert first.signing_key_id not in {k.key_id for k in member.signing_keys}
    old_encryption = next(k for k in member.encryption_keys if k.key_id == first.encryption_key_id)
    assert old_encryption.valid_until == NOW + timedelta(days=4)
    with pytest.raises(MalformedRosterError, match="endpoint"):
        member_from_key_records(
            node_id="belfast",
            city="Belfast",
            endpoint="ftp://x",
            roles={"city"},
            records=read_key_records(tmp_path),
        )


def test_trust_directory_writable_by_others_is_refused(tmp_path: Path) -> None:
    pin_roots(tmp_path, create_federation_root(tmp_path / "root", shares=1, threshold=1))
    (tmp_path / "trust").chmod(0o777)
    with pytest.raises(InsecureKeyFileError, match="chmod 700"):
        load_pinned_roots(tmp_path)
