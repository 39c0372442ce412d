"""What a node trusts, kept in its home: the pinned federation roots and the current roster.

``HOME/trust/root-pin.json`` is written once (``pin_roots``, at init) and never replaced by a
roster; ``HOME/trust/roster.json`` holds the exact bytes of the last roster that passed
``verify_roster`` against the pin and the roster before it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from federation.errors import RosterError
from federation.limits import DEFAULT_LIMITS, FederationLimits
from federation.roster import RootPin, SignedRoster, check_root_signatures, verify_roster
from keys.errors import KeyStateError
from keys.federation_root import read_pin_file, write_pin_file
from keys.secure_files import check_private_mode, ensure_private_dir, write_private_bytes

TRUST_DIR = "trust"
PIN_FILE = "root-pin.json"
ROSTER_FILE = "roster.json"


def pin_roots(home: Path, pin: RootPin) -> None:
    """Pin the federation roots for this node; refuses to change an existing, different pin."""
    trust_dir = home / TRUST_DIR
    ensure_private_dir(trust_dir)
    target = trust_dir / PIN_FILE
    if target.exists():
        if read_pin_file(target) == pin:
            return
        raise KeyStateError(
            f"{target} already pins other federation roots; re-pinning is a deliberate act: "
            "remove the file yourself if the federation really changed its roots"
        )
    write_pin_file(target, pin)


def load_pinned_roots(home: Path) -> RootPin:
    """The pinned roots (RosterError if the node was never pinned)."""
    path = home / TRUST_DIR / PIN_FILE
    if (home / TRUST_DIR).is_dir():
        # whoever can write here could swap the roots this node trusts
        check_private_mode(home / TRUST_DIR)
    if not path.exists():
        raise RosterError(
            f"no federation roots pinned at {path}; run: run_node.py federation root pin "
            "PIN_FILE --home HOME"
        )
    return read_pin_file(path)


def load_trusted_roster(
    home: Path, *, limits: FederationLimits = DEFAULT_LIMITS
) -> SignedRoster | None:
    """The last imported roster, its root signatures re-checked against the pin; None if none.

    Expiry is not checked here (``open_envelope`` refuses to use an expired roster), so an
    operator can still inspect an expired one.
    """
    path = home / TRUST_DIR / ROSTER_FILE
    if not path.exists():
        return None
    signed = SignedRoster.from_bytes(path.read_bytes(), limits=limits)
    check_root_signatures(signed, load_pinned_roots(home))
    return signed


def import_roster(
    home: Path, raw: bytes, *, now: datetime, limits: FederationLimits = DEFAULT_LIMITS
) -> SignedRoster:
    """Verify ``raw`` against the pin and the trusted roster, then make it the trusted roster."""
    pin = load_pinned_roots(home)
    current = load_trusted_roster(home, limits=limits)
    signed = verify_roster(
        raw, pin=pin, trusted=None if current is None else current.roster, now=now, limits=limits
    )
    write_private_bytes(home / TRUST_DIR / ROSTER_FILE, signed.to_bytes())
    return signed
