"""Encryption of report text and contact details at rest (AES-256-GCM from ``cryptography``).

A keyring file in the node's key directory holds one active data key and any older ones, so
keys rotate without re-encrypting everything at once: new values use the active key, old values
still open with the key id stored in front of their ciphertext. Each ciphertext is bound to its
row and field through the associated data, so a sealed value copied into another report or field
does not open. Contact details are also kept as a keyed hash (HMAC-SHA256 with a separate key)
so a data-subject request can find them without decrypting every row.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEYRING_FILE = "data-keys.json"
_FORMAT = b"\x01"
_KEY_ID_LEN = 8
_NONCE_LEN = 12


class AtRestError(Exception):
    """A sealed value or the data keyring cannot be used; the message says what to do."""


@dataclass(frozen=True)
class DataKeyring:
    """Data keys by id, the id of the active one, and the key for contact hashes."""

    active_id: str
    keys: dict[str, bytes]
    hash_key: bytes

    def seal(self, plaintext: str, context: str) -> bytes:
        """Encrypt ``plaintext``, binding it to ``context`` (e.g. ``"report:<id>:description"``)."""
        nonce = os.urandom(_NONCE_LEN)
        key_id = bytes.fromhex(self.active_id)
        sealed = AESGCM(self.keys[self.active_id]).encrypt(
            nonce, plaintext.encode("utf-8"), _aad(key_id, context)
        )
        return _FORMAT + key_id + nonce + sealed

    def open(self, blob: bytes, context: str) -> str:
        """Decrypt a value sealed by :meth:`seal` under the same ``context``."""
        if len(blob) < 1 + _KEY_ID_LEN + _NONCE_LEN + 16 or blob[:1] != _FORMAT:
            raise AtRestError("sealed value is truncated or of an unknown format")
        key_id = blob[1 : 1 + _KEY_ID_LEN]
        nonce = blob[1 + _KEY_ID_LEN : 1 + _KEY_ID_LEN + _NONCE_LEN]
        key = self.keys.get(key_id.hex())
        if key is None:
            raise AtRestError(
                f"sealed with data key {key_id.hex()}, which is not in the keyring; "
                "restore the keyring from backup"
            )
        try:
            plain = AESGCM(key).decrypt(
                nonce, blob[1 + _KEY_ID_LEN + _NONCE_LEN :], _aad(key_id, context)
            )
        except InvalidTag as exc:
            raise AtRestError(
                "sealed value failed its integrity check (edited, or moved from another row)"
            ) from exc
        return plain.decode("utf-8")

    def key_id_of(self, blob: bytes) -> str:
        return blob[1 : 1 + _KEY_ID_LEN].hex()

    def contact_hash(self, contact: str) -> str:
        """Keyed hash of a contact value, normalised so trivial variants match."""
        normalised = unicodedata.normalize("NFKC", contact).strip().casefold()
        normalised = "".join(normalised.split())
        return hmac.new(self.hash_key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()

    def derive_secret(self, purpose: str) -> bytes:
        """A per-node secret for ``purpose`` (e.g. pseudonyms), stable across key rotation."""
        return hmac.new(self.hash_key, b"purpose:" + purpose.encode(), hashlib.sha256).digest()


def _aad(key_id: bytes, context: str) -> bytes:
    return b"inspec2t-at-rest-v1\x00" + key_id + b"\x00" + context.encode("utf-8")


def _new_key_id() -> str:
    return secrets.token_bytes(_KEY_ID_LEN).hex()


def create_keyring(key_dir: Path) -> DataKeyring:
    """Write a new keyring file (mode 0600); refuses to overwrite an existing one."""
    key_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = key_dir / KEYRING_FILE
    if path.exists():
        raise AtRestError(f"{path} already exists; refusing to overwrite data keys")
    ring = DataKeyring(_new_key_id(), {}, secrets.token_bytes(32))
    ring.keys[ring.active_id] = AESGCM.generate_key(bit_length=256)
    _write(path, ring)
    return ring


def rotate_keyring(key_dir: Path) -> DataKeyring:
    """Add a new active data key; old keys stay so existing values still open."""
    ring = load_keyring(key_dir)
    new_id = _new_key_id()
    keys = dict(ring.keys)
    keys[new_id] = AESGCM.generate_key(bit_length=256)
    rotated = DataKeyring(new_id, keys, ring.hash_key)
    _write(key_dir / KEYRING_FILE, rotated)
    return rotated


def load_keyring(key_dir: Path) -> DataKeyring:
    """Read the keyring; refuses a file that others can read."""
    path = key_dir / KEYRING_FILE
    if not path.is_file():
        raise AtRestError(f"data keyring {path} is missing; restore it from backup")
    if path.stat().st_mode & 0o077:
        raise AtRestError(f"{path} is readable by other users; run `chmod 600 {path}`")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        keys = {k: base64.b64decode(v) for k, v in raw["keys"].items()}
        ring = DataKeyring(raw["active"], keys, base64.b64decode(raw["hash_key"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise AtRestError(f"{path} is damaged; restore it from backup") from exc
    if ring.active_id not in ring.keys:
        raise AtRestError(f"{path}: active key {ring.active_id} is not in the keyring")
    return ring


def _write(path: Path, ring: DataKeyring) -> None:
    body = json.dumps(
        {
            "active": ring.active_id,
            "keys": {k: base64.b64encode(v).decode() for k, v in ring.keys.items()},
            "hash_key": base64.b64encode(ring.hash_key).decode(),
        },
        indent=1,
    )
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(body)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
