"""Federation root keys: n independent Ed25519 keys, any m of which sign a roster.

``create_federation_root`` writes ``root-1.key`` .. ``root-N.key`` (mode 0600, optionally sealed
with a passphrase; hand each file to a different custodian) and ``root-pin.json``, the public
keys plus threshold that every node pins at ``init``. These are whole keys, not secret shares:
m-of-n comes from the roster verifier counting distinct valid root signatures.
"""

from __future__ import annotations

import json
from pathlib import Path

import nacl.signing

from federation.canonical import b64decode_strict, b64encode
from federation.errors import CanonicalJSONError, RosterError
from federation.roster import RootPin
from keys.errors import CorruptKeyFileError, KeyStateError, PassphraseRequiredError
from keys.key_id import key_id_for
from keys.secure_files import (
    KdfParams,
    ensure_private_dir,
    open_sealed_secret,
    read_private_json,
    seal_secret,
    write_private_json,
)

ROOT_KEY_FORMAT = "inspec2t-root-key/1"
PIN_FILE = "root-pin.json"


def create_federation_root(
    out_dir: Path,
    *,
    shares: int,
    threshold: int,
    passphrase: str | None = None,
    kdf: KdfParams | None = None,
    label: str | None = None,
) -> RootPin:
    """Create ``shares`` root keys needing ``threshold`` signatures; write keys and the pin."""
    if not 1 <= threshold <= shares <= 100:
        raise KeyStateError(
            f"expected 1 <= threshold <= shares <= 100, got threshold {threshold} of {shares}"
        )
    ensure_private_dir(out_dir)
    existing = sorted(p.name for p in out_dir.glob("root-*.key")) + (
        [PIN_FILE] if (out_dir / PIN_FILE).exists() else []
    )
    if existing:
        raise KeyStateError(
            f"{out_dir} already holds {', '.join(existing)}; refusing to overwrite a federation "
            "root, choose an empty --out directory"
        )
    keys = [nacl.signing.SigningKey.generate() for _ in range(shares)]
    for index, key in enumerate(keys, start=1):
        kid = key_id_for(bytes(key.verify_key))
        content: dict[str, object] = {
            "format": ROOT_KEY_FORMAT,
            "key_id": kid,
            "public_key": b64encode(bytes(key.verify_key)),
            "label": label,
        }
        if passphrase is None:
            content["secret"] = b64encode(bytes(key))
        else:
            content.update(seal_secret(bytes(key), passphrase, kdf or KdfParams()))
        write_private_json(out_dir / f"root-{index}.key", content)
    pin = RootPin({key_id_for(bytes(k.verify_key)): bytes(k.verify_key) for k in keys}, threshold)
    write_pin_file(out_dir / PIN_FILE, pin)
    return pin


def load_root_key(path: Path, passphrase: str | None = None) -> nacl.signing.SigningKey:
    """Load one root key file (mode 0600 required; passphrase if it is sealed)."""
    content = read_private_json(path)
    if content.get("format") != ROOT_KEY_FORMAT:
        raise CorruptKeyFileError(f"{path}: expected a {ROOT_KEY_FORMAT} file")
    if "sealed_secret" in content:
        if passphrase is None:
            raise PassphraseRequiredError(f"{path} is sealed; give its passphrase")
        seed = open_sealed_secret(content, passphrase, path)
    else:
        try:
            seed = b64decode_strict(content.get("secret"), "secret")  # type: ignore[arg-type]
        except CanonicalJSONError as exc:
            raise CorruptKeyFileError(f"{path}: expected a base64 secret") from exc
    key = nacl.signing.SigningKey(seed)
    if key_id_for(bytes(key.verify_key)) != content.get("key_id"):
        raise CorruptKeyFileError(f"{path}: the key does not match its key id")
    return key


def write_pin_file(path: Path, pin: RootPin) -> None:
    """Write a root pin (public keys + threshold) as readable JSON."""
    path.write_text(json.dumps(pin.to_dict(), indent=2, sort_keys=True) + "\n", encoding="utf-8")


def read_pin_file(path: Path) -> RootPin:
    """Read a root pin file written by ``write_pin_file``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RosterError(f"expected a root pin file at {path}, found nothing") from exc
    except (OSError, ValueError) as exc:
        raise RosterError(f"{path}: expected a JSON root pin file") from exc
    return RootPin.from_dict(data)
