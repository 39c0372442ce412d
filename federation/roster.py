"""The trust roster: who is in the federation, with which keys and roles, signed by the roots.

Trust comes from the *pin*, not from the roster: each node pins the federation root public keys
and the m-of-n threshold at ``init`` (``RootPin``). A roster is trusted only if at least
``threshold`` distinct pinned root keys signed its canonical bytes, its version is above the
trusted one (the same version is accepted only with identical content, so a redelivered roster
is harmless), and it has not expired. ``verify_roster`` does that with no I/O, in the spirit of
python-tuf's ``TrustedMetadataSet``; ``keys/trust_store.py`` keeps the files.

Root rotation is not supported: a roster naming other root keys or another threshold than the
pin is rejected, and changing roots means re-pinning every node.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

import nacl.exceptions
import nacl.signing

from federation.canonical import b64encode, canonical_bytes, format_time, parse_canonical
from federation.errors import (
    CanonicalJSONError,
    ExpiredRosterError,
    MalformedRosterError,
    NotInRosterError,
    RosterPinMismatchError,
    RosterRollbackError,
    RosterThresholdError,
    RosterVersionConflictError,
)
from federation.fields import StrictObject
from federation.limits import DEFAULT_LIMITS, FederationLimits
from keys.key_id import KEY_ID_PATTERN, key_id_for

ROSTER_DOMAIN = b"INSPEC2T-v1:roster\x00"
ROSTER_FORMAT = "inspec2t-roster/1"
PIN_FORMAT = "inspec2t-root-pin/1"
ROLES = frozenset({"city", "coordinator"})
NODE_ID_PATTERN = r"[a-z0-9][a-z0-9_.-]{0,63}"
_ENDPOINT_PATTERN = r"https?://[^\s]+"
_PUBLIC_KEY_BYTES = 32


@dataclass(frozen=True)
class MemberKey:
    """A member's public key (Ed25519 for signing or X25519 for encryption) and its validity."""

    key_id: str
    public_key: bytes
    valid_from: datetime
    valid_until: datetime | None = None

    def valid_at(self, moment: datetime, *, skew: timedelta | None = None) -> bool:
        """True if ``moment`` is inside [valid_from - skew, valid_until)."""
        start = self.valid_from if skew is None else self.valid_from - skew
        return start <= moment and (self.valid_until is None or moment < self.valid_until)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key_id": self.key_id,
            "public_key": b64encode(self.public_key),
            "valid_from": format_time(self.valid_from),
            "valid_until": None if self.valid_until is None else format_time(self.valid_until),
        }

    @classmethod
    def from_dict(cls, data: object, where: str) -> MemberKey:
        obj = StrictObject(
            data,
            where,
            required=("key_id", "public_key", "valid_from", "valid_until"),
            error=MalformedRosterError,
        )
        key = cls(
            key_id=obj.text("key_id", pattern=KEY_ID_PATTERN),
            public_key=obj.b64("public_key"),
            valid_from=obj.time("valid_from"),
            valid_until=obj.optional_time("valid_until"),
        )
        if len(key.public_key) != _PUBLIC_KEY_BYTES:
            raise MalformedRosterError(f"{where}.public_key: expected 32 bytes")
        if key_id_for(key.public_key) != key.key_id:
            raise MalformedRosterError(f"{where}.key_id: expected the id of its public key")
        if key.valid_until is not None and key.valid_until <= key.valid_from:
            raise MalformedRosterError(f"{where}: expected valid_until after valid_from")
        return key


@dataclass(frozen=True)
class RosterMember:
    """One federation member: a city node or a coordinator."""

    node_id: str
    city: str
    endpoint: str
    roles: frozenset[str]
    signing_keys: tuple[MemberKey, ...]
    encryption_keys: tuple[MemberKey, ...]
    valid_from: datetime
    valid_until: datetime | None = None
    revoked_key_ids: frozenset[str] = field(default_factory=frozenset)

    def active_at(self, moment: datetime) -> bool:
        return self.valid_from <= moment and (self.valid_until is None or moment < self.valid_until)

    def signing_key(self, key_id: str) -> MemberKey | None:
        return next((k for k in self.signing_keys if k.key_id == key_id), None)

    def current_encryption_key(self, now: datetime) -> MemberKey:
        """The newest non-revoked encryption key valid at ``now`` (what senders encrypt to)."""
        usable = [
            k
            for k in self.encryption_keys
            if k.key_id not in self.revoked_key_ids and k.valid_at(now)
        ]
        if not usable:
            raise NotInRosterError(
                f"node {self.node_id} has no encryption key valid at {format_time(now)}; "
                "publish a roster with its current key"
            )
        return max(usable, key=lambda k: k.valid_from)

    def to_dict(self) -> dict[str, Any]:
        return {
            "node_id": self.node_id,
            "city": self.city,
            "endpoint": self.endpoint,
            "roles": sorted(self.roles),
            "signing_keys": [k.to_dict() for k in self.signing_keys],
            "encryption_keys": [k.to_dict() for k in self.encryption_keys],
            "valid_from": format_time(self.valid_from),
            "valid_until": None if self.valid_until is None else format_time(self.valid_until),
            "revoked_key_ids": sorted(self.revoked_key_ids),
        }

    @classmethod
    def from_dict(cls, data: object, where: str) -> RosterMember:
        obj = StrictObject(
            data,
            where,
            required=(
                "node_id",
                "city",
                "endpoint",
                "roles",
                "signing_keys",
                "encryption_keys",
                "valid_from",
                "valid_until",
                "revoked_key_ids",
            ),
            error=MalformedRosterError,
        )
        node_id = obj.text("node_id", pattern=NODE_ID_PATTERN)
        where = f"{where}({node_id})"
        member = cls(
            node_id=node_id,
            city=obj.text("city", max_len=100),
            endpoint=obj.text("endpoint", pattern=_ENDPOINT_PATTERN, max_len=2000),
            roles=obj.text_set("roles", choices=ROLES),
            signing_keys=_keys(obj.items("signing_keys", max_items=100), f"{where}.signing_keys"),
            encryption_keys=_keys(
                obj.items("encryption_keys", max_items=100), f"{where}.encryption_keys"
            ),
            valid_from=obj.time("valid_from"),
            valid_until=obj.optional_time("valid_until"),
            revoked_key_ids=obj.text_set("revoked_key_ids", pattern=KEY_ID_PATTERN),
        )
        if not member.roles:
            raise MalformedRosterError(f"{where}.roles: expected at least one of city, coordinator")
        if not member.signing_keys or not member.encryption_keys:
            raise MalformedRosterError(f"{where}: expected at least one signing and encryption key")
        if member.valid_until is not None and member.valid_until <= member.valid_from:
            raise MalformedRosterError(f"{where}: expected valid_until after valid_from")
        return member


@dataclass(frozen=True)
class Roster:
    """The signed part of a roster document."""

    version: int
    issued_at: datetime
    expires_at: datetime
    root_key_ids: tuple[str, ...]
    threshold: int
    members: tuple[RosterMember, ...] = ()

    def member(self, node_id: str) -> RosterMember | None:
        return next((m for m in self.members if m.node_id == node_id), None)

    def encryption_key_for(self, node_id: str, now: datetime) -> MemberKey:
        """The key to encrypt to when sending to ``node_id`` (NotInRosterError if none)."""
        member = self.member(node_id)
        if member is None or not member.active_at(now):
            raise NotInRosterError(f"node {node_id!r} is not a current member of the roster")
        return member.current_encryption_key(now)

    def with_member(self, member: RosterMember) -> Roster:
        """A copy with ``member`` added, or replacing the member with the same node id."""
        others = [m for m in self.members if m.node_id != member.node_id]
        return replace(self, members=tuple(sorted([*others, member], key=lambda m: m.node_id)))

    def without_member(self, node_id: str) -> Roster:
        if self.member(node_id) is None:
            raise NotInRosterError(f"node {node_id!r} is not in roster version {self.version}")
        return replace(self, members=tuple(m for m in self.members if m.node_id != node_id))

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": ROSTER_FORMAT,
            "version": self.version,
            "issued_at": format_time(self.issued_at),
            "expires_at": format_time(self.expires_at),
            "root_key_ids": sorted(self.root_key_ids),
            "threshold": self.threshold,
            "members": [m.to_dict() for m in self.members],
        }

    def to_canonical_bytes(self) -> bytes:
        """The bytes the roots sign (after the roster domain prefix)."""
        return canonical_bytes(self.to_dict())

    @classmethod
    def from_dict(cls, data: object, *, limits: FederationLimits = DEFAULT_LIMITS) -> Roster:
        obj = StrictObject(
            data,
            "roster",
            required=(
                "format",
                "version",
                "issued_at",
                "expires_at",
                "root_key_ids",
                "threshold",
                "members",
            ),
            error=MalformedRosterError,
        )
        obj.choice("format", {ROSTER_FORMAT})
        raw_members = obj.items("members", max_items=limits.max_roster_members)
        roster = cls(
            version=obj.integer("version", minimum=1),
            issued_at=obj.time("issued_at"),
            expires_at=obj.time("expires_at"),
            root_key_ids=tuple(sorted(obj.text_set("root_key_ids", pattern=KEY_ID_PATTERN))),
            threshold=obj.integer("threshold", minimum=1),
            members=tuple(
                RosterMember.from_dict(m, f"roster.members[{i}]") for i, m in enumerate(raw_members)
            ),
        )
        ids = [m.node_id for m in roster.members]
        if ids != sorted(set(ids)):
            raise MalformedRosterError("roster.members: expected distinct node ids in sorted order")
        if roster.expires_at <= roster.issued_at:
            raise MalformedRosterError("roster: expected expires_at after issued_at")
        return roster


@dataclass(frozen=True)
class SignedRoster:
    """A roster plus root signatures (key id -> Ed25519 signature); see ``verify_roster``."""

    roster: Roster
    signatures: tuple[tuple[str, bytes], ...] = ()

    def to_bytes(self) -> bytes:
        """The distributable document: canonical JSON {"signed": ..., "signatures": [...]}."""
        return canonical_bytes(
            {
                "signed": self.roster.to_dict(),
                "signatures": [
                    {"key_id": kid, "signature": b64encode(sig)}
                    for kid, sig in sorted(self.signatures)
                ],
            }
        )

    @classmethod
    def from_bytes(cls, raw: bytes, *, limits: FederationLimits = DEFAULT_LIMITS) -> SignedRoster:
        """Parse a roster document strictly (checks no signature: use ``verify_roster``)."""
        if len(raw) > limits.max_roster_bytes:
            raise MalformedRosterError(
                f"expected a roster of at most {limits.max_roster_bytes} bytes, got {len(raw)}"
            )
        try:
            document = parse_canonical(raw)
        except CanonicalJSONError as exc:
            raise MalformedRosterError(f"roster document: {exc}") from exc
        obj = StrictObject(
            document,
            "roster document",
            required=("signed", "signatures"),
            error=MalformedRosterError,
        )
        signatures = []
        for index, item in enumerate(obj.items("signatures", max_items=100)):
            sig = StrictObject(
                item,
                f"signatures[{index}]",
                required=("key_id", "signature"),
                error=MalformedRosterError,
            )
            signatures.append((sig.text("key_id", pattern=KEY_ID_PATTERN), sig.b64("signature")))
        return cls(Roster.from_dict(obj.data["signed"], limits=limits), tuple(signatures))


@dataclass(frozen=True)
class RootPin:
    """The federation root public keys (key id -> Ed25519 key) and threshold a node trusts."""

    public_keys: Mapping[str, bytes]
    threshold: int

    def __post_init__(self) -> None:
        if not 1 <= self.threshold <= len(self.public_keys):
            raise RosterPinMismatchError(
                f"expected a threshold between 1 and {len(self.public_keys)} root keys, "
                f"got {self.threshold}"
            )
        for kid, public in self.public_keys.items():
            if key_id_for(public) != kid:
                raise RosterPinMismatchError(f"root key id {kid} does not match its public key")

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": PIN_FORMAT,
            "threshold": self.threshold,
            "root_keys": [
                {"key_id": kid, "public_key": b64encode(pk)}
                for kid, pk in sorted(self.public_keys.items())
            ],
        }

    @classmethod
    def from_dict(cls, data: object) -> RootPin:
        obj = StrictObject(
            data,
            "root pin",
            required=("format", "threshold", "root_keys"),
            error=MalformedRosterError,
        )
        obj.choice("format", {PIN_FORMAT})
        keys: dict[str, bytes] = {}
        for index, item in enumerate(obj.items("root_keys", max_items=100)):
            key = StrictObject(
                item,
                f"root_keys[{index}]",
                required=("key_id", "public_key"),
                error=MalformedRosterError,
            )
            keys[key.text("key_id", pattern=KEY_ID_PATTERN)] = key.b64("public_key")
        return cls(keys, obj.integer("threshold", minimum=1))


def sign_roster(signed: SignedRoster, root_key: nacl.signing.SigningKey) -> SignedRoster:
    """Add ``root_key``'s signature (replacing an earlier one by the same key)."""
    kid = key_id_for(bytes(root_key.verify_key))
    signature = root_key.sign(ROSTER_DOMAIN + signed.roster.to_canonical_bytes()).signature
    others = tuple(s for s in signed.signatures if s[0] != kid)
    return SignedRoster(signed.roster, (*others, (kid, bytes(signature))))


def combine_signatures(copies: Iterable[SignedRoster]) -> SignedRoster:
    """Merge signatures that custodians added to separate copies of the same roster.

    Raises RosterVersionConflictError if the copies do not carry identical roster content.
    """
    copies = list(copies)
    if not copies:
        raise MalformedRosterError("expected at least one roster copy to combine")
    content = copies[0].roster.to_canonical_bytes()
    signatures: dict[tuple[str, bytes], None] = {}
    for index, copy in enumerate(copies):
        if copy.roster.to_canonical_bytes() != content:
            raise RosterVersionConflictError(
                f"copy {index + 1} differs from copy 1: only signatures over the same roster "
                "content can be combined"
            )
        signatures.update(dict.fromkeys(copy.signatures))
    return SignedRoster(copies[0].roster, tuple(signatures))


def verify_roster(
    raw: bytes,
    *,
    pin: RootPin,
    trusted: Roster | None,
    now: datetime,
    limits: FederationLimits = DEFAULT_LIMITS,
) -> SignedRoster:
    """Verify a roster document against the pin and the currently trusted roster (no I/O).

    Returns the parsed roster if it may replace ``trusted``; raises a RosterError subclass
    otherwise.
    """
    # (1) size and strict parse (MalformedRosterError)
    signed = SignedRoster.from_bytes(raw, limits=limits)
    roster = signed.roster
    # (2) the roster must name exactly the pinned roots: no root rotation through the roster
    if set(roster.root_key_ids) != set(pin.public_keys) or roster.threshold != pin.threshold:
        raise RosterPinMismatchError(
            f"expected root keys {sorted(pin.public_keys)} with threshold {pin.threshold}, got "
            f"{list(roster.root_key_ids)} with threshold {roster.threshold}; root rotation is "
            "not supported, re-pin the node if the federation changed its roots"
        )
    # (3) threshold of distinct pinned roots whose signature verifies
    check_root_signatures(signed, pin)
    # (4) versions only go up; the same version is accepted only with identical content
    if trusted is not None:
        if roster.version < trusted.version:
            raise RosterRollbackError(
                f"expected roster version {trusted.version} or higher, got {roster.version}"
            )
        if (
            roster.version == trusted.version
            and roster.to_canonical_bytes() != trusted.to_canonical_bytes()
        ):
            raise RosterVersionConflictError(
                f"roster version {roster.version} differs from the trusted roster of the same "
                "version; a changed roster needs a higher version"
            )
    # (5) not expired
    if roster.expires_at <= now:
        raise ExpiredRosterError(
            f"roster version {roster.version} expired at {format_time(roster.expires_at)}; "
            "ask the federation admin for a newly signed roster"
        )
    return signed


def check_root_signatures(signed: SignedRoster, pin: RootPin) -> None:
    """Raise RosterThresholdError unless ``pin.threshold`` distinct pinned roots signed.

    Signatures by unknown keys are ignored; two signatures by the same root count once.
    """
    message = ROSTER_DOMAIN + signed.roster.to_canonical_bytes()
    valid = {kid for kid, sig in signed.signatures if _root_signature_ok(pin, kid, sig, message)}
    if len(valid) < pin.threshold:
        raise RosterThresholdError(
            f"expected valid signatures from {pin.threshold} distinct root keys, got "
            f"{len(valid)}; collect more signatures with: federation roster sign"
        )


def _root_signature_ok(pin: RootPin, kid: str, signature: bytes, message: bytes) -> bool:
    public = pin.public_keys.get(kid)
    if public is None:
        return False
    try:
        nacl.signing.VerifyKey(public).verify(message, signature)
    except (nacl.exceptions.BadSignatureError, ValueError, TypeError):
        return False
    return True


def _keys(items: Iterable[object], where: str) -> tuple[MemberKey, ...]:
    keys = tuple(MemberKey.from_dict(item, f"{where}[{i}]") for i, item in enumerate(items))
    ids = [k.key_id for k in keys]
    if len(ids) != len(set(ids)):
        raise MalformedRosterError(f"{where}: expected distinct key ids")
    return keys
