"""The node's own keys: an Ed25519 signing key and an X25519 encryption key, with rotation.

Layout of the key directory (``HOME/keys``, mode 0700; every file mode 0600)::

    node-keys.json        the key list: id, kind, public key, created, valid-until, revoked-at
    signing-<id>.key      an Ed25519 seed, plain or sealed with a passphrase
    encryption-<id>.key   an X25519 private key, plain or sealed with a passphrase

Exactly one key of each kind is *active* (no ``valid_until``). ``rotate`` makes a new active
pair and gives the old pair a ``valid_until`` at the end of the grace period: until then the
node still decrypts messages sent to the old encryption key, and peers still accept the old
signing key if the roster lists it. ``revoke`` deletes a retired key's private file and records
when; peers learn about a revocation only from the roster (``federation roster revoke-key``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import nacl.public
import nacl.signing

from federation.canonical import b64decode_strict, b64encode, format_time, parse_time
from federation.errors import CanonicalJSONError
from keys.errors import (
    CorruptKeyFileError,
    KeyFileMissingError,
    KeyStateError,
    PassphraseRequiredError,
)
from keys.key_id import key_id_for
from keys.secure_files import (
    KdfParams,
    check_private_mode,
    ensure_private_dir,
    open_sealed_secret,
    read_private_json,
    seal_secret,
    write_private_json,
)

KEY_LIST_FILE = "node-keys.json"
PASSPHRASE_ENV = "INSPEC2T_KEY_PASSPHRASE"  # noqa: S105 (the variable name, not a secret)
KEY_LIST_FORMAT = "inspec2t-node-keys/1"
PRIVATE_KEY_FORMAT = "inspec2t-private-key/1"
PUBLIC_KEYS_FORMAT = "inspec2t-public-keys/1"
KeyKind = Literal["signing", "encryption"]
KINDS: tuple[KeyKind, ...] = ("signing", "encryption")


@dataclass(frozen=True)
class KeyRecord:
    """Public facts about one of the node's keys (no secret material)."""

    key_id: str
    kind: KeyKind
    public_key: bytes
    created_at: datetime
    valid_until: datetime | None = None
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.valid_until is None and self.revoked_at is None

    def usable_at(self, now: datetime) -> bool:
        """True if not revoked and ``now`` is before the end of its validity (grace) period."""
        if self.revoked_at is not None:
            return False
        return self.valid_until is None or now < self.valid_until

    def to_dict(self) -> dict[str, Any]:
        return {
            "key_id": self.key_id,
            "kind": self.kind,
            "public_key": b64encode(self.public_key),
            "created_at": format_time(self.created_at),
            "valid_until": None if self.valid_until is None else format_time(self.valid_until),
            "revoked_at": None if self.revoked_at is None else format_time(self.revoked_at),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: Path) -> KeyRecord:
        try:
            kind = data["kind"]
            if kind not in KINDS:
                raise ValueError(f"unknown kind {kind!r}")
            public_key = b64decode_strict(data["public_key"], "public_key")
            record = cls(
                key_id=str(data["key_id"]),
                kind=kind,
                public_key=public_key,
                created_at=parse_time(data["created_at"], "created_at"),
                valid_until=_optional_time(data.get("valid_until"), "valid_until"),
                revoked_at=_optional_time(data.get("revoked_at"), "revoked_at"),
            )
        except (KeyError, TypeError, ValueError, CanonicalJSONError) as exc:
            raise CorruptKeyFileError(f"{where}: a key entry is incomplete or invalid") from exc
        if key_id_for(public_key) != record.key_id:
            raise CorruptKeyFileError(f"{where}: key id {record.key_id} does not match its key")
        return record


@dataclass(frozen=True)
class NodeKeys:
    """All of the node's keys, loaded: the active pair plus retired keys still in their grace."""

    records: tuple[KeyRecord, ...]
    signing_keys: Mapping[str, nacl.signing.SigningKey]
    encryption_keys: Mapping[str, nacl.public.PrivateKey]

    def active(self, kind: KeyKind) -> KeyRecord:
        """The active key record of ``kind``."""
        for record in self.records:
            if record.kind == kind and record.active:
                return record
        raise KeyStateError(f"expected one active {kind} key, found none; run keys rotate")

    @property
    def signing_key_id(self) -> str:
        return self.active("signing").key_id

    @property
    def signing_key(self) -> nacl.signing.SigningKey:
        """The active Ed25519 signing key (used for every new message)."""
        return self.signing_keys[self.signing_key_id]

    @property
    def encryption_key_id(self) -> str:
        return self.active("encryption").key_id

    @property
    def encryption_public_key(self) -> bytes:
        return self.active("encryption").public_key

    def decryption_keys(self, now: datetime) -> dict[str, nacl.public.PrivateKey]:
        """Private X25519 keys usable at ``now``, by key id: the active one and any in grace."""
        usable = {r.key_id for r in self.records if r.kind == "encryption" and r.usable_at(now)}
        return {kid: key for kid, key in self.encryption_keys.items() if kid in usable}

    def public_keys(self) -> dict[str, Any]:
        """Public keys for the federation admin (``keys export-public``): no secrets."""
        return export_public_keys(self.records)


def export_public_keys(records: tuple[KeyRecord, ...]) -> dict[str, Any]:
    """The public-keys document a federation admin turns into a roster member."""
    return {
        "format": PUBLIC_KEYS_FORMAT,
        "keys": [r.to_dict() for r in records if r.revoked_at is None],
        "revoked_key_ids": sorted(r.key_id for r in records if r.revoked_at is not None),
    }


def parse_public_keys(data: Any, where: Path) -> tuple[tuple[KeyRecord, ...], frozenset[str]]:
    """Read a document written by ``export_public_keys``: (key records, revoked key ids)."""
    if not isinstance(data, dict) or data.get("format") != PUBLIC_KEYS_FORMAT:
        raise CorruptKeyFileError(f"{where}: expected a {PUBLIC_KEYS_FORMAT} document")
    entries, revoked = data.get("keys"), data.get("revoked_key_ids")
    if not isinstance(entries, list) or not isinstance(revoked, list):
        raise CorruptKeyFileError(f"{where}: expected lists 'keys' and 'revoked_key_ids'")
    return tuple(KeyRecord.from_dict(e, where) for e in entries), frozenset(map(str, revoked))


def node_key_dir(home: Path) -> Path:
    """Where a node home keeps its keys (the same directory as ``Settings.key_dir``)."""
    return home / "keys"


def passphrase_from_env() -> str | None:
    """The key passphrase from ``INSPEC2T_KEY_PASSPHRASE``, or None if unset or empty.

    Not ``NODE_*``: those names are reserved for the settings registry.
    """
    return os.environ.get(PASSPHRASE_ENV) or None


def read_key_records(key_dir: Path) -> tuple[KeyRecord, ...]:
    """The key list without touching any private key (no passphrase needed)."""
    if not key_dir.is_dir():
        raise KeyFileMissingError(
            f"expected key directory {key_dir}, found nothing; generate keys first "
            "(run_node.py init or keys generate) or check --home"
        )
    check_private_mode(key_dir)
    return tuple(_read_key_list(key_dir))


def generate_node_keys(
    key_dir: Path,
    *,
    passphrase: str | None = None,
    now: datetime | None = None,
    kdf: KdfParams | None = None,
    label: str | None = None,
) -> NodeKeys:
    """Create the node's first signing and encryption keys in ``key_dir``.

    Refuses to overwrite existing keys. ``label`` is written into each private key file (tests
    pass "INSECURE TEST KEY").
    """
    ensure_private_dir(key_dir)
    if (key_dir / KEY_LIST_FILE).exists():
        raise KeyStateError(
            f"{key_dir / KEY_LIST_FILE} already exists; refusing to overwrite keys "
            "(use keys rotate to replace them)"
        )
    signing, encryption, records = _new_pair(
        key_dir, now or datetime.now(UTC), passphrase, kdf or KdfParams(), label
    )
    _write_key_list(key_dir, records)
    return NodeKeys(tuple(records), {records[0].key_id: signing}, {records[1].key_id: encryption})


def load_node_keys(key_dir: Path, passphrase: str | None = None) -> NodeKeys:
    """Load every non-revoked key; clear errors for missing files, loose modes, bad passphrase."""
    records = read_key_records(key_dir)
    signing: dict[str, nacl.signing.SigningKey] = {}
    encryption: dict[str, nacl.public.PrivateKey] = {}
    for record in records:
        if record.revoked_at is not None:
            continue
        secret = _read_secret(key_dir, record, passphrase)
        try:
            if record.kind == "signing":
                key = nacl.signing.SigningKey(secret)
                public = bytes(key.verify_key)
                signing[record.key_id] = key
            else:
                private = nacl.public.PrivateKey(secret)
                public = bytes(private.public_key)
                encryption[record.key_id] = private
        except (TypeError, ValueError) as exc:
            raise CorruptKeyFileError(f"{_key_path(key_dir, record)}: not a valid key") from exc
        if public != record.public_key:
            raise CorruptKeyFileError(
                f"{_key_path(key_dir, record)}: private key does not match public key "
                f"{record.key_id} in {KEY_LIST_FILE}"
            )
    keys = NodeKeys(tuple(records), signing, encryption)
    for kind in KINDS:
        keys.active(kind)
    return keys


def rotate(
    key_dir: Path,
    grace: timedelta,
    *,
    passphrase: str | None = None,
    now: datetime | None = None,
    kdf: KdfParams | None = None,
) -> NodeKeys:
    """Make a new active signing+encryption pair; the old pair stays usable until now + grace.

    The passphrase must open the current keys (so every key stays under one passphrase).
    Publish the new public keys in the roster before the grace period ends.
    """
    if grace < timedelta(0):
        raise KeyStateError(f"expected a grace period of zero or more, got {grace}")
    now = now or datetime.now(UTC)
    current = load_node_keys(key_dir, passphrase)
    label = _label_of(key_dir, current.active("signing"))
    signing, encryption, new_records = _new_pair(
        key_dir, now, passphrase, kdf or KdfParams(), label
    )
    records = [
        replace(r, valid_until=(now + grace).replace(microsecond=0)) if r.active else r
        for r in current.records
    ] + new_records
    _write_key_list(key_dir, records)
    return NodeKeys(
        tuple(records),
        {**current.signing_keys, new_records[0].key_id: signing},
        {**current.encryption_keys, new_records[1].key_id: encryption},
    )


def revoke(key_dir: Path, key_id: str, *, now: datetime | None = None) -> KeyRecord:
    """Mark a retired key revoked and delete its private file; the active keys cannot be revoked.

    To revoke a compromised active key: ``keys rotate --grace-days 0``, then revoke the old id,
    then publish the revocation in the roster.
    """
    records = list(read_key_records(key_dir))
    matches = [r for r in records if r.key_id == key_id]
    if not matches:
        known = ", ".join(r.key_id for r in records)
        raise KeyStateError(f"expected one of the node's key ids ({known}), got {key_id!r}")
    target = matches[0]
    if target.active:
        raise KeyStateError(
            f"key {key_id} is the active {target.kind} key; rotate first "
            "(keys rotate --grace-days 0), then revoke it"
        )
    if target.revoked_at is not None:
        return target
    revoked = replace(target, revoked_at=(now or datetime.now(UTC)).replace(microsecond=0))
    _write_key_list(key_dir, [revoked if r.key_id == key_id else r for r in records])
    _key_path(key_dir, target).unlink(missing_ok=True)
    return revoked


def _new_pair(
    key_dir: Path, now: datetime, passphrase: str | None, kdf: KdfParams, label: str | None
) -> tuple[nacl.signing.SigningKey, nacl.public.PrivateKey, list[KeyRecord]]:
    signing = nacl.signing.SigningKey.generate()
    encryption = nacl.public.PrivateKey.generate()
    created = now.replace(microsecond=0)
    records = [
        KeyRecord(
            key_id_for(bytes(signing.verify_key)), "signing", bytes(signing.verify_key), created
        ),
        KeyRecord(
            key_id_for(bytes(encryption.public_key)),
            "encryption",
            bytes(encryption.public_key),
            created,
        ),
    ]
    for record, secret in zip(records, (bytes(signing), bytes(encryption)), strict=True):
        content: dict[str, Any] = {
            "format": PRIVATE_KEY_FORMAT,
            "kind": record.kind,
            "key_id": record.key_id,
            "label": label,
        }
        if passphrase is None:
            content["secret"] = b64encode(secret)
        else:
            content.update(seal_secret(secret, passphrase, kdf))
        write_private_json(_key_path(key_dir, record), content)
    return signing, encryption, records


def _read_secret(key_dir: Path, record: KeyRecord, passphrase: str | None) -> bytes:
    path = _key_path(key_dir, record)
    content = read_private_json(path)
    if content.get("format") != PRIVATE_KEY_FORMAT or content.get("key_id") != record.key_id:
        raise CorruptKeyFileError(f"{path}: expected {PRIVATE_KEY_FORMAT} for key {record.key_id}")
    if "sealed_secret" in content:
        if passphrase is None:
            raise PassphraseRequiredError(
                f"{path} is sealed with a passphrase; give it with --passphrase-file or "
                f"the environment variable {PASSPHRASE_ENV}"
            )
        return open_sealed_secret(content, passphrase, path)
    try:
        return b64decode_strict(content["secret"], "secret")
    except (KeyError, CanonicalJSONError) as exc:
        raise CorruptKeyFileError(f"{path}: expected a base64 secret") from exc


def _label_of(key_dir: Path, record: KeyRecord) -> str | None:
    label = read_private_json(_key_path(key_dir, record)).get("label")
    return label if isinstance(label, str) else None


def _read_key_list(key_dir: Path) -> list[KeyRecord]:
    path = key_dir / KEY_LIST_FILE
    content = read_private_json(path)
    if content.get("format") != KEY_LIST_FORMAT or not isinstance(content.get("keys"), list):
        raise CorruptKeyFileError(f"{path}: expected format {KEY_LIST_FORMAT} with a key list")
    return [KeyRecord.from_dict(entry, path) for entry in content["keys"]]


def _write_key_list(key_dir: Path, records: list[KeyRecord]) -> None:
    write_private_json(
        key_dir / KEY_LIST_FILE,
        {"format": KEY_LIST_FORMAT, "keys": [r.to_dict() for r in records]},
    )


def _key_path(key_dir: Path, record: KeyRecord) -> Path:
    return key_dir / f"{record.kind}-{record.key_id}.key"


def _optional_time(value: object, what: str) -> datetime | None:
    return None if value is None else parse_time(value, what)
