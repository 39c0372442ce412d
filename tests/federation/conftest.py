"""Federation test fixtures: an in-memory federation of root keys, node keys and signed rosters.

Every key is generated at test time (INSECURE TEST KEY material, never written to the repo).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import nacl.public
import nacl.signing
import pytest

from federation.roster import MemberKey, RootPin, Roster, RosterMember, SignedRoster, sign_roster
from keys.key_id import key_id_for

T0 = datetime(2026, 11, 1, 12, 0, 0, tzinfo=UTC)


@dataclass
class SimNode:
    """A node's keys held in memory (INSECURE TEST KEY)."""

    node_id: str
    roles: frozenset[str]
    signing: nacl.signing.SigningKey = field(default_factory=nacl.signing.SigningKey.generate)
    encryption: nacl.public.PrivateKey = field(default_factory=nacl.public.PrivateKey.generate)

    @property
    def signing_key_id(self) -> str:
        return key_id_for(bytes(self.signing.verify_key))

    @property
    def encryption_key_id(self) -> str:
        return key_id_for(bytes(self.encryption.public_key))

    def member(self, valid_from: datetime, **overrides: object) -> RosterMember:
        fields: dict[str, object] = {
            "node_id": self.node_id,
            "city": self.node_id.title(),
            "endpoint": f"http://127.0.0.1:8000/{self.node_id}",
            "roles": self.roles,
            "signing_keys": (
                MemberKey(self.signing_key_id, bytes(self.signing.verify_key), valid_from),
            ),
            "encryption_keys": (
                MemberKey(self.encryption_key_id, bytes(self.encryption.public_key), valid_from),
            ),
            "valid_from": valid_from,
        }
        fields.update(overrides)
        return RosterMember(**fields)  # type: ignore[arg-type]


@dataclass
class SimFederation:
    roots: list[nacl.signing.SigningKey]
    pin: RootPin
    nodes: dict[str, SimNode]

    def roster(
        self,
        *,
        version: int,
        issued_at: datetime,
        lifetime: timedelta = timedelta(days=90),
        members: tuple[RosterMember, ...] | None = None,
    ) -> Roster:
        if members is None:
            members = tuple(
                node.member(issued_at - timedelta(days=1)) for node in self.nodes.values()
            )
        return Roster(
            version=version,
            issued_at=issued_at,
            expires_at=issued_at + lifetime,
            root_key_ids=tuple(sorted(self.pin.public_keys)),
            threshold=self.pin.threshold,
            members=tuple(sorted(members, key=lambda m: m.node_id)),
        )

    def sign(self, roster: Roster, signers: list[int] | None = None) -> SignedRoster:
        signed = SignedRoster(roster)
        for index in range(self.pin.threshold) if signers is None else signers:
            signed = sign_roster(signed, self.roots[index])
        return signed


def make_federation(
    nodes: dict[str, frozenset[str]] | None = None, *, roots: int = 3, threshold: int = 2
) -> SimFederation:
    """Default: three cities and a coordinator, 2-of-3 roots."""
    if nodes is None:
        nodes = {
            "belfast": frozenset({"city"}),
            "valencia": frozenset({"city"}),
            "nicosia": frozenset({"city"}),
            "eu-coordinator": frozenset({"coordinator"}),
        }
    root_keys = [nacl.signing.SigningKey.generate() for _ in range(roots)]
    pin = RootPin(
        {key_id_for(bytes(k.verify_key)): bytes(k.verify_key) for k in root_keys}, threshold
    )
    return SimFederation(root_keys, pin, {nid: SimNode(nid, roles) for nid, roles in nodes.items()})


@pytest.fixture
def fed() -> SimFederation:
    """Three cities and a coordinator with fresh keys, federation roots 2-of-3."""
    return make_federation()


@pytest.fixture(scope="session")
def federation_factory() -> object:
    """``make_federation`` itself, for tests that need other members or thresholds."""
    return make_federation
