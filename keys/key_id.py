"""Key ids: short, stable names for public keys."""

from __future__ import annotations

import hashlib

KEY_ID_PATTERN = r"[0-9a-f]{16}"


def key_id_for(public_key: bytes) -> str:
    """First 16 hex characters of the SHA-256 of the raw public key bytes."""
    return hashlib.sha256(public_key).hexdigest()[:16]
