"""Owner-only files for secrets: atomic writes with mode 0600 in 0700 directories, and checks.

Also passphrase sealing of secret bytes: argon2id (libsodium, through PyNaCl) derives a key
that seals the secret with XSalsa20-Poly1305 (``nacl.secret.SecretBox``).
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nacl.exceptions
import nacl.pwhash
import nacl.secret
import nacl.utils

from federation.canonical import b64decode_strict, b64encode
from federation.errors import CanonicalJSONError
from keys.errors import (
    CorruptKeyFileError,
    InsecureKeyFileError,
    KeyFileMissingError,
    WrongPassphraseError,
)

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


@dataclass(frozen=True)
class KdfParams:
    """argon2id cost. Defaults are libsodium's INTERACTIVE limits (64 MiB, 2 passes)."""

    opslimit: int = nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE
    memlimit: int = nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE


def ensure_private_dir(directory: Path) -> None:
    """Create ``directory`` (and parents) and make it owner-only (0700)."""
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, PRIVATE_DIR_MODE)


def write_private_json(path: Path, content: dict[str, Any]) -> None:
    """Write ``content`` as indented JSON to ``path`` atomically, created with mode 0600."""
    text = json.dumps(content, indent=2, sort_keys=True) + "\n"
    write_private_bytes(path, text.encode("utf-8"))


def write_private_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temp file, fsync, rename), mode 0600."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def read_private_json(path: Path) -> dict[str, Any]:
    """Read a JSON object from an owner-only file; refuse files other users can read or write."""
    if not path.exists():
        raise KeyFileMissingError(
            f"expected key file {path}, found nothing; generate keys first "
            "(run_node.py init) or check --home"
        )
    check_private_mode(path)
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CorruptKeyFileError(
            f"{path}: expected a JSON key file, got unreadable content"
        ) from exc
    if not isinstance(content, dict):
        raise CorruptKeyFileError(f"{path}: expected a JSON object, got {type(content).__name__}")
    return content


def check_private_mode(path: Path) -> None:
    """Raise InsecureKeyFileError if group or others have any permission on ``path``."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        expected = PRIVATE_DIR_MODE if path.is_dir() else PRIVATE_FILE_MODE
        raise InsecureKeyFileError(
            f"{path}: expected mode {expected:04o} (owner only), got {mode:04o}; "
            f"fix with: chmod {expected:o} {path}"
        )


def seal_secret(secret: bytes, passphrase: str, kdf: KdfParams) -> dict[str, Any]:
    """Seal ``secret`` under ``passphrase``; returns the JSON fields to store."""
    salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
    box = nacl.secret.SecretBox(_derive(passphrase, salt, kdf))
    return {
        "kdf": "argon2id",
        "salt": b64encode(salt),
        "opslimit": kdf.opslimit,
        "memlimit": kdf.memlimit,
        "sealed_secret": b64encode(bytes(box.encrypt(secret))),
    }


def open_sealed_secret(fields: dict[str, Any], passphrase: str, where: Path) -> bytes:
    """Open a secret sealed by ``seal_secret``; WrongPassphraseError if it does not open."""
    try:
        if fields.get("kdf") != "argon2id":
            raise CorruptKeyFileError(f"{where}: expected kdf argon2id, got {fields.get('kdf')!r}")
        salt = b64decode_strict(fields["salt"], "salt")
        kdf = KdfParams(opslimit=int(fields["opslimit"]), memlimit=int(fields["memlimit"]))
        sealed = b64decode_strict(fields["sealed_secret"], "sealed_secret")
    except (KeyError, TypeError, ValueError, CanonicalJSONError) as exc:
        raise CorruptKeyFileError(f"{where}: sealed key fields are incomplete or invalid") from exc
    try:
        return nacl.secret.SecretBox(_derive(passphrase, salt, kdf)).decrypt(sealed)
    except nacl.exceptions.CryptoError as exc:
        raise WrongPassphraseError(
            f"{where}: the passphrase does not open this key; expected the passphrase given "
            "when the keys were generated"
        ) from exc


def _derive(passphrase: str, salt: bytes, kdf: KdfParams) -> bytes:
    return nacl.pwhash.argon2id.kdf(
        nacl.secret.SecretBox.KEY_SIZE,
        passphrase.encode("utf-8"),
        salt,
        opslimit=kdf.opslimit,
        memlimit=kdf.memlimit,
    )
