"""Node keys: owner-only files, passphrase sealing, rotation with grace, revocation.

Every key here is generated at test time and labelled INSECURE TEST KEY.
"""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import nacl.pwhash
import pytest

from keys.errors import (
    CorruptKeyFileError,
    InsecureKeyFileError,
    KeyFileMissingError,
    KeyStateError,
    PassphraseRequiredError,
    WrongPassphraseError,
)
from keys.key_id import key_id_for
from keys.node_keys import KEY_LIST_FILE, generate_node_keys, load_node_keys, revoke, rotate
from keys.secure_files import KdfParams

NOW = datetime(2026, 11, 28, 1, 0, 0, tzinfo=UTC)
LABEL = "INSECURE TEST KEY"
# The cheapest argon2id cost libsodium allows: these tests check behaviour, not strength.
FAST_KDF = KdfParams(nacl.pwhash.argon2id.OPSLIMIT_MIN, nacl.pwhash.argon2id.MEMLIMIT_MIN)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_generated_keys_are_owner_only_and_load_back(tmp_path: Path) -> None:
    key_dir = tmp_path / "home" / "keys"
    made = generate_node_keys(key_dir, now=NOW, label=LABEL)
    assert mode(key_dir) == 0o700
    files = sorted(key_dir.iterdir())
    assert len(files) == 3 and all(mode(f) == 0o600 for f in files)
    loaded = load_node_keys(key_dir)
    assert loaded.signing_key_id == made.signing_key_id
    assert loaded.signing_key_id == key_id_for(bytes(loaded.signing_key.verify_key))
    assert loaded.encryption_key_id == key_id_for(loaded.encryption_public_key)
    assert set(loaded.decryption_keys(NOW)) == {made.encryption_key_id}
    for f in files:
        if f.name != KEY_LIST_FILE:
            assert json.loads(f.read_text())["label"] == LABEL


def test_generating_twice_refuses_to_overwrite(tmp_path: Path) -> None:
    generate_node_keys(tmp_path, now=NOW, label=LABEL)
    with pytest.raises(KeyStateError, match="refusing to overwrite"):
        generate_node_keys(tmp_path, now=NOW, label=LABEL)


def test_sealed_keys_need_the_right_passphrase(tmp_path: Path) -> None:
    made = generate_node_keys(
        tmp_path, passphrase="correct horse", now=NOW, kdf=FAST_KDF, label=LABEL
    )
    for path in tmp_path.glob("*.key"):
        content = json.loads(path.read_text())
        assert "secret" not in content and "sealed_secret" in content
    assert load_node_keys(tmp_path, "correct horse").signing_key_id == made.signing_key_id
    with pytest.raises(WrongPassphraseError, match="passphrase does not open"):
        load_node_keys(tmp_path, "wrong horse")
    with pytest.raises(PassphraseRequiredError):
        load_node_keys(tmp_path)


@pytest.mark.parametrize(
    ("target", "loose_mode"),
    [("signing", 0o644), ("encryption", 0o604), ("list", 0o640), ("dir", 0o755)],
)
def test_private_key_readable_by_others_is_refused(
    tmp_path: Path, target: str, loose_mode: int
) -> None:
    made = generate_node_keys(tmp_path, now=NOW, label=LABEL)
    path = {
        "signing": tmp_path / f"signing-{made.signing_key_id}.key",
        "encryption": tmp_path / f"encryption-{made.encryption_key_id}.key",
        "list": tmp_path / KEY_LIST_FILE,
        "dir": tmp_path,
    }[target]
    os.chmod(path, loose_mode)
    with pytest.raises(InsecureKeyFileError, match="chmod"):
        load_node_keys(tmp_path)


def test_missing_keys_say_how_to_create_them(tmp_path: Path) -> None:
    with pytest.raises(KeyFileMissingError, match="init"):
        load_node_keys(tmp_path / "nowhere")
    made = generate_node_keys(tmp_path, now=NOW, label=LABEL)
    (tmp_path / f"signing-{made.signing_key_id}.key").unlink()
    with pytest.raises(KeyFileMissingError):
        load_node_keys(tmp_path)


def test_swapped_private_key_file_is_detected(tmp_path: Path) -> None:
    a = generate_node_keys(tmp_path / "a", now=NOW, label=LABEL)
    b = generate_node_keys(tmp_path / "b", now=NOW, label=LABEL)
    content = json.loads((tmp_path / "b" / f"signing-{b.signing_key_id}.key").read_text())
    content["key_id"] = a.signing_key_id
    target = tmp_path / "a" / f"signing-{a.signing_key_id}.key"
    target.write_text(json.dumps(content))
    with pytest.raises(CorruptKeyFileError, match="does not match"):
        load_node_keys(tmp_path / "a")


def test_rotated_keys_keep_the_old_pair_only_until_grace_ends(tmp_path: Path) -> None:
    old = generate_node_keys(tmp_path, now=NOW, label=LABEL)
    new = rotate(tmp_path, timedelta(days=7), now=NOW + timedelta(days=1))
    assert new.signing_key_id != old.signing_key_id
    assert new.encryption_key_id != old.encryption_key_id
    loaded = load_node_keys(tmp_path)
    assert loaded.signing_key_id == new.signing_key_id
    in_grace = loaded.decryption_keys(NOW + timedelta(days=7))
    assert set(in_grace) == {old.encryption_key_id, new.encryption_key_id}
    after_grace = loaded.decryption_keys(NOW + timedelta(days=8, seconds=1))
    assert set(after_grace) == {new.encryption_key_id}
    exported = loaded.public_keys()
    assert {k["key_id"] for k in exported["keys"]} == {
        old.signing_key_id,
        old.encryption_key_id,
        new.signing_key_id,
        new.encryption_key_id,
    }
    assert "secret" not in json.dumps(exported)


def test_rotation_with_wrong_passphrase_changes_nothing(tmp_path: Path) -> None:
    generate_node_keys(tmp_path, passphrase="pw", now=NOW, kdf=FAST_KDF, label=LABEL)
    before = (tmp_path / KEY_LIST_FILE).read_bytes()
    with pytest.raises(WrongPassphraseError):
        rotate(tmp_path, timedelta(days=1), passphrase="other", now=NOW, kdf=FAST_KDF)
    assert (tmp_path / KEY_LIST_FILE).read_bytes() == before


def test_revoked_key_is_gone_and_never_used_again(tmp_path: Path) -> None:
    old = generate_node_keys(tmp_path, now=NOW, label=LABEL)
    rotate(tmp_path, timedelta(days=7), now=NOW)
    record = revoke(tmp_path, old.encryption_key_id, now=NOW + timedelta(hours=1))
    assert record.revoked_at is not None
    assert not (tmp_path / f"encryption-{old.encryption_key_id}.key").exists()
    loaded = load_node_keys(tmp_path)
    assert old.encryption_key_id not in loaded.decryption_keys(NOW + timedelta(hours=2))
    assert old.encryption_key_id in loaded.public_keys()["revoked_key_ids"]


def test_active_key_cannot_be_revoked_without_rotating_first(tmp_path: Path) -> None:
    made = generate_node_keys(tmp_path, now=NOW, label=LABEL)
    with pytest.raises(KeyStateError, match="rotate first"):
        revoke(tmp_path, made.signing_key_id, now=NOW)
    with pytest.raises(KeyStateError, match="expected one of"):
        revoke(tmp_path, "0" * 16, now=NOW)
