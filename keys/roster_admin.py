"""Building rosters from what nodes export: used by ``federation roster`` and by the demo.

A roster entry is made from a node's ``keys export-public`` document (or its loaded key
records), never from private material.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from federation.canonical import truncate_to_second
from federation.errors import MalformedRosterError
from federation.roster import MemberKey, RootPin, Roster, RosterMember
from keys.node_keys import KeyRecord


def member_from_key_records(
    *,
    node_id: str,
    city: str,
    endpoint: str,
    roles: Iterable[str],
    records: Iterable[KeyRecord],
    revoked_key_ids: Iterable[str] = (),
) -> RosterMember:
    """A roster member whose keys (and their validity windows) are the node's own records.

    Revoked records are left out and listed in ``revoked_key_ids``. The result is parsed back
    strictly, so a bad node id or endpoint fails here rather than on every node.
    """
    usable = [r for r in records if r.revoked_at is None]
    revoked = set(revoked_key_ids) | {r.key_id for r in records if r.revoked_at is not None}

    def keys_of(kind: str) -> tuple[MemberKey, ...]:
        return tuple(
            MemberKey(r.key_id, r.public_key, r.created_at, r.valid_until)
            for r in usable
            if r.kind == kind
        )

    signing, encryption = keys_of("signing"), keys_of("encryption")
    if not signing or not encryption:
        raise MalformedRosterError(
            f"member {node_id}: expected at least one unrevoked signing and encryption key, "
            "got none; export the node's keys again (keys export-public)"
        )
    member = RosterMember(
        node_id=node_id,
        city=city,
        endpoint=endpoint,
        roles=frozenset(roles),
        signing_keys=signing,
        encryption_keys=encryption,
        valid_from=min(k.valid_from for k in (*signing, *encryption)),
        revoked_key_ids=frozenset(revoked),
    )
    return RosterMember.from_dict(member.to_dict(), f"member {node_id}")


def new_roster(
    pin: RootPin,
    *,
    version: int,
    now: datetime,
    lifetime: timedelta = timedelta(days=90),
    members: Iterable[RosterMember] = (),
) -> Roster:
    """An unsigned roster naming the pinned roots and threshold, members sorted by node id."""
    issued = truncate_to_second(now)
    return Roster(
        version=version,
        issued_at=issued,
        expires_at=issued + lifetime,
        root_key_ids=tuple(sorted(pin.public_keys)),
        threshold=pin.threshold,
        members=tuple(sorted(members, key=lambda m: m.node_id)),
    )
