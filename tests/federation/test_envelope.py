"""Envelope: every attack on a sealed message is rejected with its own error, before parsing."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import nacl.public
import nacl.signing
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from federation import errors
from federation.canonical import b64decode_strict, b64encode, canonical_bytes, format_time
from federation.envelope import (
    OpenedMessage,
    SealedEnvelope,
    open_envelope,
    seal_envelope,
    signing_input,
    verify_signed_record,
)
from federation.limits import FederationLimits
from federation.messages import (
    AggregateQuery,
    AggregateRelease,
    Alert,
    Cell,
    Coverage,
    Lineage,
    LineageStep,
    Message,
    QueryRefusal,
    RosterUpdate,
)
from federation.roster import MemberKey, Roster
from keys.key_id import key_id_for

T0 = datetime(2026, 11, 1, 12, 0, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=3)
ALL_TYPES = frozenset(
    {"aggregate-release", "aggregate-query", "query-refusal", "alert", "roster-update"}
)


def release(node_id: str = "belfast") -> AggregateRelease:
    return AggregateRelease(
        release_id="rel-2026-10-belfast-1",
        node_id=node_id,
        city="Belfast",
        period="2026-10",
        revision=1,
        cells=(
            Cell("0501", "2026-10", 42, frozenset({"rounded"}), area="BT1"),
            Cell("0502", "2026-10", None, frozenset({"suppressed"}), area="BT1"),
            Cell("_T", "2026-10", 45, frozenset({"lower_bound", "rounded"}), area="_T"),
        ),
        lineage=Lineage(
            policy_hash="sha256:" + "ab" * 32,
            software_version="0.1.0",
            steps=(
                LineageStep("noise", {"mechanism": "laplace", "epsilon": 0.5}),
                LineageStep("primary_suppression", {"min_cell_count": 5}),
                LineageStep("rounding", {"base": 5}),
            ),
            coverage=Coverage(reports_counted=310, reports_pending=5),
            epsilon_spent=0.5,
        ),
        created_at=NOW - timedelta(hours=1),
    )


def alert() -> Alert:
    return Alert(
        alert_id="al-1",
        cities=frozenset({"Belfast"}),
        category="0501",
        period="2026-10",
        severity="warning",
        summary="Burglaries doubled against the 12-month average",
        created_at=NOW,
        details={"observed": 40, "baseline_mean": 19.5, "p_value": 1.2e-05},
    )


@pytest.fixture
def roster(fed: Any) -> Roster:
    return fed.roster(version=1, issued_at=T0)


def seal(
    fed: Any,
    roster: Roster,
    message: Message,
    *,
    sender: str = "belfast",
    recipient: str = "eu-coordinator",
    now: datetime = NOW,
    **kwargs: object,
) -> SealedEnvelope:
    return seal_envelope(
        message,
        sender=sender,
        signing_key=fed.nodes[sender].signing,
        recipient=recipient,
        recipient_key=roster.encryption_key_for(recipient, NOW),
        now=now,
        **kwargs,  # type: ignore[arg-type]
    )


def open_as(
    fed: Any,
    roster: Roster,
    raw: bytes,
    *,
    me: str = "eu-coordinator",
    now: datetime = NOW,
    seen: Callable[[str], bool] = lambda _id: False,
    expected_types: frozenset[str] = ALL_TYPES,
    limits: FederationLimits | None = None,
) -> OpenedMessage:
    node = fed.nodes[me]
    return open_envelope(
        raw,
        roster=roster,
        my_node_id=me,
        my_decryption_keys={node.encryption_key_id: node.encryption},
        now=now,
        seen=seen,
        expected_types=expected_types,
        limits=limits or FederationLimits(),
    )


def forge(
    *,
    statement: dict[str, object],
    signing_key: nacl.signing.SigningKey,
    to: nacl.public.PublicKey,
    recipient: str,
    signed_type: str | None = None,
    header: dict[str, object] | None = None,
) -> bytes:
    """Build an envelope by hand, the way an attacker holding ``signing_key`` could."""
    statement_bytes = canonical_bytes(statement)
    domain_type = signed_type or str(statement["type"])
    signature = signing_key.sign(signing_input(domain_type, statement_bytes)).signature
    record = {
        "type": statement["type"],
        "sender": statement["sender"],
        "sender_key_id": statement["sender_key_id"],
        "signature": b64encode(bytes(signature)),
        "statement": b64encode(statement_bytes),
        **(header or {}),
    }
    return wrap(canonical_bytes(record), to, recipient)


def wrap(record: bytes, to: nacl.public.PublicKey, recipient: str) -> bytes:
    return canonical_bytes(
        {
            "format": "inspec2t-envelope/1",
            "recipient": recipient,
            "recipient_key_id": key_id_for(bytes(to)),
            "ciphertext": b64encode(bytes(nacl.public.SealedBox(to).encrypt(record))),
        }
    )


def statement_for(
    fed: Any, *, sender: str = "belfast", recipient: str = "eu-coordinator", **kw: object
) -> dict[str, object]:
    statement: dict[str, object] = {
        "type": "aggregate-release",
        "version": 1,
        "message_id": "0" * 31 + "1",
        "sender": sender,
        "sender_key_id": fed.nodes[sender].signing_key_id if sender in fed.nodes else "0" * 16,
        "recipient": recipient,
        "issued_at": format_time(NOW),
        "expires_at": format_time(NOW + timedelta(days=1)),
        "payload": release().to_dict(),
    }
    statement.update(kw)
    return statement


def decrypt_record(fed: Any, raw: bytes, me: str = "eu-coordinator") -> dict:
    ciphertext = b64decode_strict(json.loads(raw)["ciphertext"], "ciphertext")
    return json.loads(nacl.public.SealedBox(fed.nodes[me].encryption).decrypt(ciphertext))


# ---- messages that must be accepted ----


@pytest.mark.parametrize(
    ("message", "sender", "recipient"),
    [
        (release(), "belfast", "eu-coordinator"),
        (alert(), "belfast", "valencia"),
        (
            AggregateQuery(
                "q-1", frozenset({"category", "period"}), 2, "2026-09", "2026-10", "coordinator"
            ),
            "eu-coordinator",
            "belfast",
        ),
        (
            QueryRefusal("q-1", "over_budget", "The privacy budget for 2026-10 is spent."),
            "belfast",
            "eu-coordinator",
        ),
        (
            RosterUpdate(canonical_bytes({"signed": {"version": 2}, "signatures": []})),
            "eu-coordinator",
            "belfast",
        ),
    ],
    ids=lambda v: getattr(v, "MESSAGE_TYPE", None),
)
def test_sealed_message_opens_to_the_same_typed_message(
    fed: Any, roster: Roster, message: Message, sender: str, recipient: str
) -> None:
    sealed = seal(fed, roster, message, sender=sender, recipient=recipient)
    opened = open_as(fed, roster, sealed.raw, me=recipient)
    assert opened.message == message
    assert (opened.sender, opened.recipient, opened.message_id) == (
        sender,
        recipient,
        sealed.message_id,
    )
    assert opened.sender_key_id == fed.nodes[sender].signing_key_id


def test_envelope_reveals_only_recipient_and_key_id(fed: Any, roster: Roster) -> None:
    raw = seal(fed, roster, release()).raw
    outer = json.loads(raw)
    assert set(outer) == {"format", "recipient", "recipient_key_id", "ciphertext"}
    assert b"belfast" not in raw and b"0501" not in raw


def test_stored_signed_record_reverifies_offline_after_expiry(fed: Any, roster: Roster) -> None:
    opened = open_as(fed, roster, seal(fed, roster, release()).raw)
    again = verify_signed_record(
        opened.signed_record, roster=roster, expected_types={"aggregate-release"}
    )
    assert again.message == release()
    tampered = opened.signed_record.replace(b'"sender":"belfast"', b'"sender":"valencia"')
    with pytest.raises(errors.EnvelopeError):
        verify_signed_record(tampered, roster=roster, expected_types={"aggregate-release"})


def test_old_keys_still_work_during_rotation_grace(fed: Any, roster: Roster) -> None:
    old = fed.nodes["belfast"]
    new_signing = nacl.signing.SigningKey.generate()
    coordinator = fed.nodes["eu-coordinator"]
    new_encryption = nacl.public.PrivateKey.generate()
    grace_end = NOW + timedelta(days=2)
    belfast = roster.member("belfast")
    coord = roster.member("eu-coordinator")
    assert belfast is not None and coord is not None
    rotated = replace(
        roster,
        version=2,
        members=(
            replace(
                belfast,
                signing_keys=(
                    replace(belfast.signing_keys[0], valid_until=grace_end),
                    MemberKey(
                        key_id_for(bytes(new_signing.verify_key)),
                        bytes(new_signing.verify_key),
                        NOW,
                    ),
                ),
            ),
            replace(
                coord,
                encryption_keys=(
                    replace(coord.encryption_keys[0], valid_until=grace_end),
                    MemberKey(
                        key_id_for(bytes(new_encryption.public_key)),
                        bytes(new_encryption.public_key),
                        NOW,
                    ),
                ),
            ),
            *(m for m in roster.members if m.node_id not in {"belfast", "eu-coordinator"}),
        ),
    )
    # a message sealed before the sender saw the new roster: old signing key, old encryption key
    raw = seal(fed, roster, release()).raw
    opened = open_envelope(
        raw,
        roster=rotated,
        my_node_id="eu-coordinator",
        my_decryption_keys={
            coordinator.encryption_key_id: coordinator.encryption,
            key_id_for(bytes(new_encryption.public_key)): new_encryption,
        },
        now=NOW + timedelta(days=1),
        seen=lambda _id: False,
        expected_types={"aggregate-release"},
    )
    assert opened.sender_key_id == old.signing_key_id
    # new messages go to the newest encryption key
    assert rotated.encryption_key_for("eu-coordinator", NOW).public_key == bytes(
        new_encryption.public_key
    )


# ---- attacks: each rejected with its own error ----


def _tampered_ciphertext(fed: Any, roster: Roster) -> bytes:
    outer = json.loads(seal(fed, roster, release()).raw)
    ciphertext = bytearray(b64decode_strict(outer["ciphertext"], "ciphertext"))
    ciphertext[len(ciphertext) // 2] ^= 0x01
    outer["ciphertext"] = b64encode(bytes(ciphertext))
    return canonical_bytes(outer)


def _tampered_signed_payload(fed: Any, roster: Roster) -> bytes:
    """An attacker changes a figure and re-encrypts to the right recipient (public key only)."""
    raw = seal(fed, roster, release()).raw
    record = decrypt_record(fed, raw)
    statement = json.loads(b64decode_strict(record["statement"], "statement"))
    statement["payload"]["cells"][0]["value"] = 4200
    record["statement"] = b64encode(canonical_bytes(statement))
    coordinator = fed.nodes["eu-coordinator"]
    return wrap(canonical_bytes(record), coordinator.encryption.public_key, "eu-coordinator")


def _wrong_recipient(fed: Any, roster: Roster) -> bytes:
    return seal(fed, roster, release(), recipient="valencia").raw


def _forwarded_to_third_node(fed: Any, roster: Roster) -> bytes:
    """Valencia received a genuine message and re-encrypts it to the coordinator as its own."""
    raw = seal(fed, roster, release(), recipient="valencia").raw
    record = decrypt_record(fed, raw, me="valencia")
    coordinator = fed.nodes["eu-coordinator"]
    return wrap(canonical_bytes(record), coordinator.encryption.public_key, "eu-coordinator")


def _unknown_sender(fed: Any, roster: Roster) -> bytes:
    mallory = nacl.signing.SigningKey.generate()
    statement = statement_for(
        fed, sender="mallory", sender_key_id=key_id_for(bytes(mallory.verify_key))
    )
    return forge(
        statement=statement,
        signing_key=mallory,
        recipient="eu-coordinator",
        to=fed.nodes["eu-coordinator"].encryption.public_key,
    )


def _spoofed_sender_own_key_id(fed: Any, roster: Roster) -> bytes:
    mallory = nacl.signing.SigningKey.generate()
    statement = statement_for(fed, sender_key_id=key_id_for(bytes(mallory.verify_key)))
    return forge(
        statement=statement,
        signing_key=mallory,
        recipient="eu-coordinator",
        to=fed.nodes["eu-coordinator"].encryption.public_key,
    )


def _spoofed_sender_victims_key_id(fed: Any, roster: Roster) -> bytes:
    statement = statement_for(fed)  # claims belfast's key id, signed with another key
    return forge(
        statement=statement,
        signing_key=nacl.signing.SigningKey.generate(),
        recipient="eu-coordinator",
        to=fed.nodes["eu-coordinator"].encryption.public_key,
    )


def _expired(fed: Any, roster: Roster) -> bytes:
    return seal(fed, roster, release(), now=NOW - timedelta(days=2), lifetime=timedelta(days=1)).raw


def _from_the_future(fed: Any, roster: Roster) -> bytes:
    return seal(fed, roster, release(), now=NOW + timedelta(minutes=30)).raw


def _lifetime_beyond_limit(fed: Any, roster: Roster) -> bytes:
    statement = statement_for(fed, expires_at=format_time(NOW + timedelta(days=365)))
    return forge(
        statement=statement,
        signing_key=fed.nodes["belfast"].signing,
        recipient="eu-coordinator",
        to=fed.nodes["eu-coordinator"].encryption.public_key,
    )


def _signature_reused_for_other_type(fed: Any, roster: Roster) -> bytes:
    """Belfast signed an alert; the attacker relabels the record as a release."""
    statement = statement_for(fed, type="alert", payload=alert().to_dict())
    return forge(
        statement=statement,
        signing_key=fed.nodes["belfast"].signing,
        recipient="eu-coordinator",
        to=fed.nodes["eu-coordinator"].encryption.public_key,
        header={"type": "aggregate-release"},
    )


def _signed_under_other_domain(fed: Any, roster: Roster) -> bytes:
    """A release statement whose signature was made under the alert domain."""
    return forge(
        statement=statement_for(fed),
        signing_key=fed.nodes["belfast"].signing,
        recipient="eu-coordinator",
        to=fed.nodes["eu-coordinator"].encryption.public_key,
        signed_type="alert",
    )


def _release_from_coordinator(fed: Any, roster: Roster) -> bytes:
    return seal(fed, roster, release(), sender="eu-coordinator", recipient="belfast").raw


def _signed_but_invalid_payload(fed: Any, roster: Roster) -> bytes:
    payload = release().to_dict()
    payload["reporter_email"] = "x"
    return forge(
        statement=statement_for(fed, payload=payload),
        signing_key=fed.nodes["belfast"].signing,
        recipient="eu-coordinator",
        to=fed.nodes["eu-coordinator"].encryption.public_key,
    )


def _unsupported_version(fed: Any, roster: Roster) -> bytes:
    return forge(
        statement=statement_for(fed, version=2),
        signing_key=fed.nodes["belfast"].signing,
        recipient="eu-coordinator",
        to=fed.nodes["eu-coordinator"].encryption.public_key,
    )


def _encrypted_to_unknown_key(fed: Any, roster: Roster) -> bytes:
    stale = nacl.public.PrivateKey.generate().public_key
    return forge(
        statement=statement_for(fed),
        signing_key=fed.nodes["belfast"].signing,
        recipient="eu-coordinator",
        to=stale,
    )


def _not_canonical_json(fed: Any, roster: Roster) -> bytes:
    return json.dumps(json.loads(seal(fed, roster, release()).raw), indent=1).encode()


def _extra_outer_field(fed: Any, roster: Roster) -> bytes:
    outer = json.loads(seal(fed, roster, release()).raw)
    outer["sender"] = "belfast"
    return canonical_bytes(outer)


def _not_json(fed: Any, roster: Roster) -> bytes:
    return b"\x00\xffnot json"


ATTACKS: list[tuple[str, Callable[[Any, Roster], bytes], type[Exception]]] = [
    ("tampered_ciphertext", _tampered_ciphertext, errors.TamperedCiphertextError),
    ("tampered_signed_payload", _tampered_signed_payload, errors.BadSignatureError),
    ("wrong_recipient", _wrong_recipient, errors.WrongRecipientError),
    ("forwarded_to_third_node", _forwarded_to_third_node, errors.WrongRecipientError),
    ("unknown_sender", _unknown_sender, errors.UnknownSenderError),
    ("spoofed_sender_own_key_id", _spoofed_sender_own_key_id, errors.UnknownSigningKeyError),
    ("spoofed_sender_victims_key_id", _spoofed_sender_victims_key_id, errors.BadSignatureError),
    ("expired_message", _expired, errors.ExpiredMessageError),
    ("message_from_the_future", _from_the_future, errors.MessageFromFutureError),
    ("lifetime_beyond_limit", _lifetime_beyond_limit, errors.MessageLifetimeError),
    ("signature_reused_for_other_type", _signature_reused_for_other_type, errors.BadSignatureError),
    ("signed_under_other_domain", _signed_under_other_domain, errors.BadSignatureError),
    ("release_from_coordinator_role", _release_from_coordinator, errors.UnauthorisedSenderError),
    ("signed_but_invalid_payload", _signed_but_invalid_payload, errors.InvalidPayloadError),
    ("unsupported_protocol_version", _unsupported_version, errors.MalformedEnvelopeError),
    ("encrypted_to_unknown_key", _encrypted_to_unknown_key, errors.UnknownRecipientKeyError),
    ("not_canonical_json", _not_canonical_json, errors.MalformedEnvelopeError),
    ("extra_outer_field", _extra_outer_field, errors.MalformedEnvelopeError),
    ("not_json", _not_json, errors.MalformedEnvelopeError),
]


@pytest.mark.parametrize(
    ("attack", "expected"), [(a[1], a[2]) for a in ATTACKS], ids=[a[0] for a in ATTACKS]
)
def test_attack_is_rejected_with_its_own_error(
    fed: Any,
    roster: Roster,
    attack: Callable[[Any, Roster], bytes],
    expected: type[Exception],
) -> None:
    raw = attack(fed, roster)
    me = "belfast" if attack is _release_from_coordinator else "eu-coordinator"
    with pytest.raises(expected) as caught:
        open_as(fed, roster, raw, me=me)
    assert type(caught.value) is expected
    assert isinstance(caught.value, errors.EnvelopeError)


def _revoke_belfast_key(fed: Any, roster: Roster) -> Roster:
    belfast = roster.member("belfast")
    assert belfast is not None
    return roster.with_member(
        replace(belfast, revoked_key_ids=frozenset({fed.nodes["belfast"].signing_key_id}))
    )


def _belfast_key_past_grace(fed: Any, roster: Roster) -> Roster:
    belfast = roster.member("belfast")
    assert belfast is not None
    key = replace(belfast.signing_keys[0], valid_until=NOW - timedelta(hours=1))
    return roster.with_member(replace(belfast, signing_keys=(key,)))


def _belfast_key_not_yet_valid(fed: Any, roster: Roster) -> Roster:
    belfast = roster.member("belfast")
    assert belfast is not None
    key = replace(belfast.signing_keys[0], valid_from=NOW + timedelta(days=1))
    return roster.with_member(replace(belfast, signing_keys=(key,)))


def _belfast_membership_ended(fed: Any, roster: Roster) -> Roster:
    belfast = roster.member("belfast")
    assert belfast is not None
    return roster.with_member(replace(belfast, valid_until=NOW - timedelta(hours=1)))


def _belfast_removed(fed: Any, roster: Roster) -> Roster:
    return roster.without_member("belfast")


ROSTER_CHANGES: list[tuple[str, Callable[[Any, Roster], Roster], type[Exception]]] = [
    ("revoked_key", _revoke_belfast_key, errors.RevokedKeyError),
    ("key_used_after_validity_and_grace", _belfast_key_past_grace, errors.KeyNotValidError),
    ("key_used_before_valid_from", _belfast_key_not_yet_valid, errors.KeyNotValidError),
    ("sender_membership_ended", _belfast_membership_ended, errors.SenderNotActiveError),
    ("sender_removed_from_roster", _belfast_removed, errors.UnknownSenderError),
]


@pytest.mark.parametrize(
    ("change", "expected"),
    [(c[1], c[2]) for c in ROSTER_CHANGES],
    ids=[c[0] for c in ROSTER_CHANGES],
)
def test_message_from_key_the_roster_no_longer_trusts_is_rejected(
    fed: Any,
    roster: Roster,
    change: Callable[[Any, Roster], Roster],
    expected: type[Exception],
) -> None:
    raw = seal(fed, roster, release()).raw
    with pytest.raises(expected):
        open_as(fed, change(fed, roster), raw)


def test_replayed_message_is_rejected(fed: Any, roster: Roster) -> None:
    sealed = seal(fed, roster, release())
    accepted = {open_as(fed, roster, sealed.raw).message_id}
    with pytest.raises(errors.ReplayedMessageError):
        open_as(fed, roster, sealed.raw, seen=accepted.__contains__)


def test_oversized_message_is_rejected_before_parsing(fed: Any, roster: Roster) -> None:
    raw = seal(fed, roster, release()).raw
    with pytest.raises(errors.OversizedMessageError):
        open_as(fed, roster, raw, limits=FederationLimits(max_message_bytes=len(raw) - 1))
    with pytest.raises(errors.OversizedMessageError):
        open_as(fed, roster, b"{" * (FederationLimits().max_message_bytes + 1))


def test_message_type_not_expected_here_is_rejected(fed: Any, roster: Roster) -> None:
    raw = seal(fed, roster, alert()).raw
    with pytest.raises(errors.UnexpectedMessageTypeError):
        open_as(fed, roster, raw, expected_types=frozenset({"aggregate-release"}))


def test_expected_types_given_as_one_string_is_a_caller_bug(fed: Any, roster: Roster) -> None:
    raw = seal(fed, roster, alert()).raw
    with pytest.raises(TypeError):
        open_as(fed, roster, raw, expected_types="alert")  # type: ignore[arg-type]


def test_replay_check_happens_only_after_the_signature(fed: Any, roster: Roster) -> None:
    """A forged message must not be able to probe (or poison) the seen-id store."""
    asked: list[str] = []

    def seen(message_id: str) -> bool:
        asked.append(message_id)
        return False

    with pytest.raises(errors.BadSignatureError):
        open_as(
            fed,
            roster,
            _spoofed_sender_victims_key_id(fed, roster),
            seen=seen,
        )
    assert asked == []


def test_expired_roster_stops_all_receiving(fed: Any, roster: Roster) -> None:
    raw = seal(fed, roster, release()).raw
    with pytest.raises(errors.ExpiredRosterError):
        open_as(fed, roster, raw, now=roster.expires_at)


def test_clock_skew_within_limit_is_tolerated(fed: Any, roster: Roster) -> None:
    raw = seal(fed, roster, release(), now=NOW + timedelta(minutes=4)).raw
    assert open_as(fed, roster, raw).message == release()


def test_message_built_from_lists_and_local_times_arrives_equal(fed: Any, roster: Roster) -> None:
    """Callers build messages from DB rows: lists, sets, microseconds, other time zones."""
    local = datetime(2026, 11, 4, 13, 0, 0, 123456, tzinfo=timezone(timedelta(hours=1)))
    message = Alert(
        alert_id="al-2",
        cities=["Belfast", "Preston"],  # type: ignore[arg-type]
        category="05",
        period="2026-10",
        severity="critical",
        summary="Burglary rising in two cities",
        created_at=local,
        details={"baseline_periods": ("2026-08", "2026-09"), "p_value": 0.001},
    )
    opened = open_as(
        fed,
        roster,
        seal(fed, roster, message, sender="eu-coordinator", recipient="belfast").raw,
        me="belfast",
    )
    assert opened.message == message
    assert message.created_at == datetime(2026, 11, 4, 12, 0, 0, tzinfo=UTC)


def test_sealing_a_message_that_would_not_parse_fails_at_the_sender(
    fed: Any, roster: Roster
) -> None:
    bad = replace(release(), period="October 2026")
    with pytest.raises(errors.MessageFormatError):
        seal(fed, roster, bad)


# ---- property: any mutation of a sealed message is rejected with an EnvelopeError ----


@pytest.fixture(scope="module")
def sealed_case(federation_factory: Any) -> tuple[Any, Roster, bytes]:
    fed = federation_factory()
    roster = fed.roster(version=1, issued_at=T0)
    return fed, roster, seal(fed, roster, release()).raw


@st.composite
def mutations(draw: st.DrawFn, raw: bytes) -> bytes:
    kind = draw(st.sampled_from(["flip", "truncate", "extend", "insert", "delete"]))
    if kind == "flip":
        pos = draw(st.integers(0, len(raw) - 1))
        new = draw(st.integers(0, 255).filter(lambda b: b != raw[pos]))
        return raw[:pos] + bytes([new]) + raw[pos + 1 :]
    if kind == "truncate":
        return raw[: draw(st.integers(0, len(raw) - 1))]
    if kind == "extend":
        return raw + draw(st.binary(min_size=1, max_size=8))
    pos = draw(st.integers(0, len(raw) - 1))
    if kind == "insert":
        return raw[:pos] + draw(st.binary(min_size=1, max_size=1)) + raw[pos:]
    return raw[:pos] + raw[pos + 1 :]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_mutation_of_a_sealed_message_is_rejected_with_an_envelope_error(
    sealed_case: tuple[Any, Roster, bytes], data: st.DataObject
) -> None:
    fed, roster, raw = sealed_case
    mutated = data.draw(mutations(raw))
    assert open_as(fed, roster, raw).message == release()  # the unmutated message is fine
    with pytest.raises(errors.EnvelopeError):
        open_as(fed, roster, mutated)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_mutation_of_the_signed_record_reencrypted_to_the_recipient_is_rejected(
    sealed_case: tuple[Any, Roster, bytes], data: st.DataObject
) -> None:
    """The attacker knows the recipient's public key, so it can encrypt anything to it: the
    checks after decryption must reject every altered record with an EnvelopeError."""
    fed, roster, raw = sealed_case
    record = canonical_bytes(decrypt_record(fed, raw))
    mutated = data.draw(mutations(record))
    coordinator = fed.nodes["eu-coordinator"]
    forged = wrap(mutated, coordinator.encryption.public_key, "eu-coordinator")
    with pytest.raises(errors.EnvelopeError):
        open_as(fed, roster, forged)
