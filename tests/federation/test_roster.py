"""Trust roster: only a fresh, higher-version roster signed by m distinct pinned roots counts."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import nacl.signing
import pytest

from federation import errors
from federation.canonical import b64encode, canonical_bytes
from federation.limits import FederationLimits
from federation.roster import RootPin, Roster, SignedRoster, sign_roster, verify_roster
from keys.key_id import key_id_for

T0 = datetime(2026, 11, 1, 12, 0, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=1)


def test_roster_signed_by_threshold_of_roots_is_trusted(fed: Any) -> None:
    signed = fed.sign(fed.roster(version=1, issued_at=T0), signers=[0, 2])
    trusted = verify_roster(signed.to_bytes(), pin=fed.pin, trusted=None, now=NOW)
    assert trusted.roster == signed.roster
    member = trusted.roster.member("belfast")
    assert member is not None and member.roles == {"city"}
    newer = fed.sign(fed.roster(version=2, issued_at=NOW))
    assert verify_roster(newer.to_bytes(), pin=fed.pin, trusted=trusted.roster, now=NOW)


def test_same_roster_delivered_twice_is_accepted(fed: Any) -> None:
    """A RosterUpdate may arrive twice; identical content at the same version is harmless."""
    roster = fed.roster(version=3, issued_at=T0)
    resent = fed.sign(roster, signers=[1, 2])
    assert verify_roster(resent.to_bytes(), pin=fed.pin, trusted=roster, now=NOW)


def _rolled_back(fed: Any) -> tuple[bytes, Roster | None]:
    trusted = fed.roster(version=5, issued_at=T0)
    return fed.sign(fed.roster(version=4, issued_at=T0)).to_bytes(), trusted


def _same_version_different_content(fed: Any) -> tuple[bytes, Roster | None]:
    trusted = fed.roster(version=5, issued_at=T0)
    changed = trusted.without_member("valencia")
    return fed.sign(changed).to_bytes(), trusted


def _too_few_roots(fed: Any) -> tuple[bytes, Roster | None]:
    return fed.sign(fed.roster(version=1, issued_at=T0), signers=[0]).to_bytes(), None


def _same_root_twice(fed: Any) -> tuple[bytes, Roster | None]:
    once = fed.sign(fed.roster(version=1, issued_at=T0), signers=[0])
    twice = SignedRoster(once.roster, once.signatures * 2)
    return twice.to_bytes(), None


def _signed_by_non_pinned_key(fed: Any) -> tuple[bytes, Roster | None]:
    once = fed.sign(fed.roster(version=1, issued_at=T0), signers=[0])
    return sign_roster(once, nacl.signing.SigningKey.generate()).to_bytes(), None


def _signatures_moved_to_other_content(fed: Any) -> tuple[bytes, Roster | None]:
    genuine = fed.sign(fed.roster(version=1, issued_at=T0))
    forged = replace(genuine.roster, members=genuine.roster.members[:1])
    return SignedRoster(forged, genuine.signatures).to_bytes(), None


def _expired(fed: Any) -> tuple[bytes, Roster | None]:
    stale = fed.roster(version=1, issued_at=T0 - timedelta(days=100), lifetime=timedelta(days=90))
    return fed.sign(stale).to_bytes(), None


def _threshold_lowered_in_roster(fed: Any) -> tuple[bytes, Roster | None]:
    """A roster cannot lower the pinned threshold for itself."""
    lowered = replace(fed.roster(version=1, issued_at=T0), threshold=1)
    return SignedRoster(lowered).to_bytes(), None


def _other_roots_named(fed: Any) -> tuple[bytes, Roster | None]:
    mallory = nacl.signing.SigningKey.generate()
    mallory_id = key_id_for(bytes(mallory.verify_key))
    roster = replace(fed.roster(version=1, issued_at=T0), root_key_ids=(mallory_id,), threshold=1)
    return sign_roster(SignedRoster(roster), mallory).to_bytes(), None


def _not_canonical(fed: Any) -> tuple[bytes, Roster | None]:
    raw = fed.sign(fed.roster(version=1, issued_at=T0)).to_bytes()
    return json.dumps(json.loads(raw), indent=2).encode(), None


def _unknown_member_field(fed: Any) -> tuple[bytes, Roster | None]:
    document = json.loads(fed.sign(fed.roster(version=1, issued_at=T0)).to_bytes())
    document["signed"]["members"][0]["admin"] = True
    return canonical_bytes(document), None


def _key_id_not_matching_key(fed: Any) -> tuple[bytes, Roster | None]:
    document = json.loads(fed.sign(fed.roster(version=1, issued_at=T0)).to_bytes())
    key = document["signed"]["members"][0]["signing_keys"][0]
    key["public_key"] = b64encode(bytes(nacl.signing.SigningKey.generate().verify_key))
    return canonical_bytes(document), None


def _duplicate_member(fed: Any) -> tuple[bytes, Roster | None]:
    document = json.loads(fed.sign(fed.roster(version=1, issued_at=T0)).to_bytes())
    members = document["signed"]["members"]
    document["signed"]["members"] = [members[0], *members]
    return canonical_bytes(document), None


ROSTER_ATTACKS: list[tuple[str, Callable[[Any], tuple[bytes, Roster | None]], type]] = [
    ("rolled_back_roster", _rolled_back, errors.RosterRollbackError),
    (
        "same_version_different_content",
        _same_version_different_content,
        errors.RosterVersionConflictError,
    ),
    ("signed_by_too_few_roots", _too_few_roots, errors.RosterThresholdError),
    ("same_root_signing_twice_counts_once", _same_root_twice, errors.RosterThresholdError),
    ("signature_by_non_pinned_key_ignored", _signed_by_non_pinned_key, errors.RosterThresholdError),
    (
        "signatures_moved_to_other_content",
        _signatures_moved_to_other_content,
        errors.RosterThresholdError,
    ),
    ("expired_roster", _expired, errors.ExpiredRosterError),
    ("threshold_lowered_in_roster", _threshold_lowered_in_roster, errors.RosterPinMismatchError),
    ("other_roots_named_in_roster", _other_roots_named, errors.RosterPinMismatchError),
    ("not_canonical_json", _not_canonical, errors.MalformedRosterError),
    ("unknown_member_field", _unknown_member_field, errors.MalformedRosterError),
    ("key_id_not_matching_key", _key_id_not_matching_key, errors.MalformedRosterError),
    ("duplicate_member", _duplicate_member, errors.MalformedRosterError),
]


@pytest.mark.parametrize(
    ("attack", "expected"),
    [(a[1], a[2]) for a in ROSTER_ATTACKS],
    ids=[a[0] for a in ROSTER_ATTACKS],
)
def test_untrustworthy_roster_is_rejected(
    fed: Any, attack: Callable[[Any], tuple[bytes, Roster | None]], expected: type
) -> None:
    raw, trusted = attack(fed)
    with pytest.raises(expected) as caught:
        verify_roster(raw, pin=fed.pin, trusted=trusted, now=NOW)
    assert type(caught.value) is expected


def test_oversized_roster_is_rejected_before_parsing(fed: Any) -> None:
    raw = fed.sign(fed.roster(version=1, issued_at=T0)).to_bytes()
    with pytest.raises(errors.MalformedRosterError, match="at most"):
        verify_roster(
            raw,
            pin=fed.pin,
            trusted=None,
            now=NOW,
            limits=FederationLimits(max_roster_bytes=len(raw) - 1),
        )


def test_three_of_five_roots_need_three_distinct_signers(federation_factory: Any) -> None:
    fed = federation_factory(roots=5, threshold=3)
    roster = fed.roster(version=1, issued_at=T0)
    with pytest.raises(errors.RosterThresholdError):
        verify_roster(fed.sign(roster, [1, 4]).to_bytes(), pin=fed.pin, trusted=None, now=NOW)
    assert verify_roster(fed.sign(roster, [1, 3, 4]).to_bytes(), pin=fed.pin, trusted=None, now=NOW)


def test_pin_with_impossible_threshold_is_refused() -> None:
    key = nacl.signing.SigningKey.generate().verify_key
    with pytest.raises(errors.RosterPinMismatchError):
        RootPin({key_id_for(bytes(key)): bytes(key)}, threshold=2)


def test_roster_document_round_trips_byte_for_byte(fed: Any) -> None:
    raw = fed.sign(fed.roster(version=7, issued_at=T0)).to_bytes()
    assert SignedRoster.from_bytes(raw).to_bytes() == raw
    assert RootPin.from_dict(fed.pin.to_dict()) == fed.pin
