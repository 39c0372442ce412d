"""Sign-then-encrypt envelopes for federation messages. No I/O: no files, network, clock or DB.

Sealing (``seal_envelope``):

1. The *statement* is canonical JSON: {type, version, message_id, sender, sender_key_id,
   recipient, issued_at, expires_at, payload}. Sender and recipient are inside the signed part,
   so a recipient cannot re-encrypt a message it received and pass it off to a third node as
   addressed to that node (surreptitious forwarding).
2. The sender signs ``b"INSPEC2T-v1:" + type + b"\\x00" + statement`` with its Ed25519 key:
   a signature made for one message type never verifies as another (domain separation).
3. The *signed record* {type, sender, sender_key_id, signature, statement (base64)} is
   encrypted to the recipient's X25519 key with a SealedBox (see docs/adr/0101).
4. The *envelope* carries only what the recipient needs to pick its key:
   {format, recipient, recipient_key_id, ciphertext (base64)}.

Opening (``open_envelope``) follows the numbered steps in its body; every failure raises its
own EnvelopeError subclass, and the payload is parsed only after the signature verified.
The caller records the message id as seen only after it stored the message.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import nacl.exceptions
import nacl.public
import nacl.signing

from federation.canonical import (
    b64encode,
    canonical_bytes,
    format_time,
    parse_canonical,
    truncate_to_second,
)
from federation.errors import (
    BadSignatureError,
    CanonicalJSONError,
    ExpiredMessageError,
    ExpiredRosterError,
    InvalidPayloadError,
    KeyNotValidError,
    MalformedEnvelopeError,
    MessageFormatError,
    MessageFromFutureError,
    MessageLifetimeError,
    OversizedMessageError,
    ReplayedMessageError,
    RevokedKeyError,
    SenderNotActiveError,
    TamperedCiphertextError,
    UnauthorisedSenderError,
    UnexpectedMessageTypeError,
    UnknownRecipientKeyError,
    UnknownSenderError,
    UnknownSigningKeyError,
    WrongRecipientError,
)
from federation.fields import StrictObject
from federation.limits import DEFAULT_LIMITS, FederationLimits
from federation.messages import MESSAGE_TYPES, Message
from federation.roster import NODE_ID_PATTERN, MemberKey, Roster, RosterMember
from keys.key_id import KEY_ID_PATTERN, key_id_for

ENVELOPE_FORMAT = "inspec2t-envelope/1"
PROTOCOL_VERSION = 1
SIGNATURE_PREFIX = b"INSPEC2T-v1:"
_MESSAGE_ID_PATTERN = r"[0-9a-f]{32}"
_TYPE_PATTERN = r"[a-z][a-z0-9-]{0,63}"


class SeenIds(Protocol):
    """Anything that answers "was this message id already accepted?" (the inbox's store)."""

    def __call__(self, message_id: str) -> bool: ...


@dataclass(frozen=True)
class SealedEnvelope:
    """A message ready to send, with the facts the outbox needs to track it."""

    raw: bytes
    message_id: str
    message_type: str
    recipient: str
    issued_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class OpenedMessage:
    """A verified message. ``signed_record`` is the decrypted, signed bytes: keep them to
    re-verify the message offline later (``verify_signed_record``)."""

    message: Message
    message_type: str
    message_id: str
    sender: str
    sender_key_id: str
    recipient: str
    issued_at: datetime
    expires_at: datetime
    signed_record: bytes


def signing_input(message_type: str, statement: bytes) -> bytes:
    """The exact bytes that are signed: domain prefix, message type, NUL, canonical statement."""
    return SIGNATURE_PREFIX + message_type.encode("ascii") + b"\x00" + statement


def seal_envelope(
    message: Message,
    *,
    sender: str,
    signing_key: nacl.signing.SigningKey,
    recipient: str,
    recipient_key: MemberKey,
    now: datetime,
    lifetime: timedelta | None = None,
    limits: FederationLimits = DEFAULT_LIMITS,
) -> SealedEnvelope:
    """Sign ``message`` as ``sender`` and encrypt it to ``recipient``'s key.

    ``recipient_key`` normally comes from ``roster.encryption_key_for(recipient, now)``.
    Raises MessageFormatError if the message would not pass the recipient's strict parsing,
    and ValueError if the lifetime or size is outside ``limits``.
    """
    lifetime = limits.default_message_lifetime if lifetime is None else lifetime
    if not timedelta(0) < lifetime <= limits.max_message_lifetime:
        raise ValueError(
            f"lifetime: expected more than zero and at most {limits.max_message_lifetime}, "
            f"got {lifetime}"
        )
    payload = message.to_dict()
    # Fail here, not at the recipient, if the message does not survive strict parsing.
    if type(message).from_dict(payload) != message:
        raise MessageFormatError(
            f"{message.MESSAGE_TYPE}: expected to_dict/from_dict to round-trip, got a "
            "different message back"
        )
    issued_at = truncate_to_second(now)
    expires_at = issued_at + lifetime
    message_id = secrets.token_hex(16)
    sender_key_id = key_id_for(bytes(signing_key.verify_key))
    statement = canonical_bytes(
        {
            "type": message.MESSAGE_TYPE,
            "version": PROTOCOL_VERSION,
            "message_id": message_id,
            "sender": sender,
            "sender_key_id": sender_key_id,
            "recipient": recipient,
            "issued_at": format_time(issued_at),
            "expires_at": format_time(expires_at),
            "payload": payload,
        }
    )
    signature = signing_key.sign(signing_input(message.MESSAGE_TYPE, statement)).signature
    record = canonical_bytes(
        {
            "type": message.MESSAGE_TYPE,
            "sender": sender,
            "sender_key_id": sender_key_id,
            "signature": b64encode(bytes(signature)),
            "statement": b64encode(statement),
        }
    )
    ciphertext = nacl.public.SealedBox(nacl.public.PublicKey(recipient_key.public_key)).encrypt(
        record
    )
    raw = canonical_bytes(
        {
            "format": ENVELOPE_FORMAT,
            "recipient": recipient,
            "recipient_key_id": recipient_key.key_id,
            "ciphertext": b64encode(bytes(ciphertext)),
        }
    )
    if len(raw) > limits.max_message_bytes:
        raise ValueError(
            f"expected a sealed message of at most {limits.max_message_bytes} bytes, got "
            f"{len(raw)}; split the release or raise max_message_bytes on every node"
        )
    return SealedEnvelope(raw, message_id, message.MESSAGE_TYPE, recipient, issued_at, expires_at)


def open_envelope(
    raw: bytes,
    *,
    roster: Roster,
    my_node_id: str,
    my_decryption_keys: Mapping[str, nacl.public.PrivateKey],
    now: datetime,
    seen: SeenIds | Callable[[str], bool],
    expected_types: Collection[str],
    limits: FederationLimits = DEFAULT_LIMITS,
) -> OpenedMessage:
    """Decrypt, verify and parse a received envelope, or raise an EnvelopeError subclass.

    Raises ExpiredRosterError (a RosterError, our side's problem) if ``roster`` has expired.
    """
    if isinstance(expected_types, str):
        # "alert" would otherwise match any type that is a substring of it
        raise TypeError("expected_types: expected a collection of type names, got one string")
    # (0) our own trust must be current: an expired roster may list revoked members as valid.
    if roster.expires_at <= now:
        raise ExpiredRosterError(
            f"the trusted roster (version {roster.version}) expired at "
            f"{format_time(roster.expires_at)}; import a newly signed roster"
        )
    # (1) size limit before anything else touches the bytes
    if len(raw) > limits.max_message_bytes:
        raise OversizedMessageError(
            f"expected a message of at most {limits.max_message_bytes} bytes, got {len(raw)}"
        )
    # (2) parse the outer wrapper strictly
    outer = _parse_object(
        raw, "envelope", required=("format", "recipient", "recipient_key_id", "ciphertext")
    )
    outer.choice("format", {ENVELOPE_FORMAT})
    recipient = outer.text("recipient", pattern=NODE_ID_PATTERN)
    recipient_key_id = outer.text("recipient_key_id", pattern=KEY_ID_PATTERN)
    ciphertext = outer.b64("ciphertext")
    # (3) is it for me, and do I hold the key it was encrypted to?
    if recipient != my_node_id:
        raise WrongRecipientError(f"expected a message for {my_node_id}, got one for {recipient}")
    private_key = my_decryption_keys.get(recipient_key_id)
    if private_key is None:
        raise UnknownRecipientKeyError(
            f"expected a message encrypted to one of this node's current keys "
            f"({', '.join(sorted(my_decryption_keys)) or 'none'}), got key {recipient_key_id}; "
            "the sender may be using an old roster"
        )
    # (4) decrypt
    try:
        record_bytes = nacl.public.SealedBox(private_key).decrypt(ciphertext)
    except nacl.exceptions.CryptoError as exc:
        raise TamperedCiphertextError(
            "the ciphertext does not decrypt with the recipient key: it was altered, truncated "
            "or encrypted to another key"
        ) from exc
    # (5) verify the signature against the roster BEFORE reading the statement
    opened_sig = _verify_record(record_bytes, roster, now, limits)
    statement = opened_sig.statement
    # (6) the signed recipient must be me (stops re-encrypted forwarding to a third node)
    if statement.recipient != my_node_id:
        raise WrongRecipientError(
            f"expected a signed statement addressed to {my_node_id}, got one addressed to "
            f"{statement.recipient} (forwarded by someone else)"
        )
    # (7) type: accepted here, matching the signature's domain, and allowed for the sender's role
    _check_type(statement, opened_sig.member_roles, expected_types)
    # (8) freshness
    _check_freshness(statement, now, limits)
    # (9) replay
    if seen(statement.message_id):
        raise ReplayedMessageError(
            f"message {statement.message_id} from {statement.sender} was already accepted"
        )
    # (10) only now parse the payload into its typed message
    return _build(statement, record_bytes)


def verify_signed_record(
    signed_record: bytes,
    *,
    roster: Roster,
    expected_types: Collection[str],
    limits: FederationLimits = DEFAULT_LIMITS,
) -> OpenedMessage:
    """Re-verify a stored signed record offline (e.g. ``verify-release FILE``).

    Checks the signature, the sender's key in ``roster`` at the message's issue time, the type
    and the payload; not freshness or replay, which only matter on receipt.
    """
    if len(signed_record) > limits.max_message_bytes:
        raise OversizedMessageError(
            f"expected a record of at most {limits.max_message_bytes} bytes, "
            f"got {len(signed_record)}"
        )
    opened_sig = _verify_record(signed_record, roster, None, limits)
    _check_type(opened_sig.statement, opened_sig.member_roles, expected_types)
    return _build(opened_sig.statement, signed_record)


# ---- internals ----


@dataclass(frozen=True)
class _Statement:
    message_type: str
    message_id: str
    sender: str
    sender_key_id: str
    recipient: str
    issued_at: datetime
    expires_at: datetime
    payload: dict[str, Any]


@dataclass(frozen=True)
class _VerifiedRecord:
    statement: _Statement
    member_roles: frozenset[str]


def _verify_record(
    record_bytes: bytes, roster: Roster, now: datetime | None, limits: FederationLimits
) -> _VerifiedRecord:
    """Verify the record's signature; key validity is checked at ``now`` before the signature,
    or, when ``now`` is None (offline), at the signed issue time after it."""
    record = _parse_object(
        record_bytes,
        "signed record",
        required=("type", "sender", "sender_key_id", "signature", "statement"),
    )
    message_type = record.text("type", pattern=_TYPE_PATTERN)
    sender = record.text("sender", pattern=NODE_ID_PATTERN)
    sender_key_id = record.text("sender_key_id", pattern=KEY_ID_PATTERN)
    signature = record.b64("signature")
    statement_bytes = record.b64("statement")
    # (5a) the sender must be a member, the key one of its signing keys and not revoked
    member = roster.member(sender)
    if member is None:
        raise UnknownSenderError(f"sender {sender!r} is not in roster version {roster.version}")
    if sender_key_id in member.revoked_key_ids:
        raise RevokedKeyError(f"key {sender_key_id} of {sender} is revoked in the roster")
    key = member.signing_key(sender_key_id)
    if key is None:
        raise UnknownSigningKeyError(
            f"expected one of {sender}'s signing keys "
            f"({', '.join(k.key_id for k in member.signing_keys)}), got {sender_key_id}"
        )
    if now is not None:
        _check_key_window(member, key, now, limits)
    # (5b) the signature over the domain-separated statement bytes
    try:
        nacl.signing.VerifyKey(key.public_key).verify(
            signing_input(message_type, statement_bytes), signature
        )
    except (nacl.exceptions.BadSignatureError, ValueError) as exc:
        raise BadSignatureError(
            f"the signature does not verify with key {sender_key_id} of {sender} for a "
            f"{message_type} message"
        ) from exc
    # (5c) the signed statement is authentic; read it and make sure it repeats the header
    statement = _parse_statement(statement_bytes)
    if (statement.message_type, statement.sender, statement.sender_key_id) != (
        message_type,
        sender,
        sender_key_id,
    ):
        raise MalformedEnvelopeError(
            "the signed statement's type, sender or key id differs from the record header"
        )
    if now is None:
        # offline re-verification: the key had to be valid when the message was issued
        _check_key_window(member, key, statement.issued_at, limits)
    return _VerifiedRecord(statement, member.roles)


def _check_key_window(
    member: RosterMember, key: MemberKey, moment: datetime, limits: FederationLimits
) -> None:
    if not member.active_at(moment):
        raise SenderNotActiveError(
            f"sender {member.node_id} is in the roster but not a member at {format_time(moment)}"
        )
    if not key.valid_at(moment, skew=limits.clock_skew):
        until = "open" if key.valid_until is None else format_time(key.valid_until)
        raise KeyNotValidError(
            f"key {key.key_id} of {member.node_id} is valid from {format_time(key.valid_from)} "
            f"until {until}, not at {format_time(moment)}"
        )


def _parse_statement(statement_bytes: bytes) -> _Statement:
    obj = _parse_object(
        statement_bytes,
        "statement",
        required=(
            "type",
            "version",
            "message_id",
            "sender",
            "sender_key_id",
            "recipient",
            "issued_at",
            "expires_at",
            "payload",
        ),
    )
    version = obj.integer("version")
    if version != PROTOCOL_VERSION:
        raise MalformedEnvelopeError(
            f"statement.version: expected {PROTOCOL_VERSION}, got {version}"
        )
    payload = obj.data["payload"]
    if not isinstance(payload, dict):
        raise MalformedEnvelopeError("statement.payload: expected a JSON object")
    return _Statement(
        message_type=obj.text("type", pattern=_TYPE_PATTERN),
        message_id=obj.text("message_id", pattern=_MESSAGE_ID_PATTERN),
        sender=obj.text("sender", pattern=NODE_ID_PATTERN),
        sender_key_id=obj.text("sender_key_id", pattern=KEY_ID_PATTERN),
        recipient=obj.text("recipient", pattern=NODE_ID_PATTERN),
        issued_at=obj.time("issued_at"),
        expires_at=obj.time("expires_at"),
        payload=payload,
    )


def _check_type(
    statement: _Statement, roles: frozenset[str], expected_types: Collection[str]
) -> None:
    if statement.message_type not in expected_types:
        raise UnexpectedMessageTypeError(
            f"expected a message of type {', '.join(sorted(expected_types)) or '(none)'}, "
            f"got {statement.message_type}"
        )
    message_class = MESSAGE_TYPES.get(statement.message_type)
    if message_class is None:
        raise UnexpectedMessageTypeError(f"message type {statement.message_type} is not known")
    if not roles & message_class.SENDER_ROLES:
        raise UnauthorisedSenderError(
            f"{statement.sender} has roles {', '.join(sorted(roles))}; a "
            f"{statement.message_type} needs one of {', '.join(sorted(message_class.SENDER_ROLES))}"
        )


def _check_freshness(statement: _Statement, now: datetime, limits: FederationLimits) -> None:
    if statement.issued_at > now + limits.clock_skew:
        raise MessageFromFutureError(
            f"message issued at {format_time(statement.issued_at)}, more than "
            f"{limits.clock_skew} after our time {format_time(now)}; check the sender's clock"
        )
    lifetime = statement.expires_at - statement.issued_at
    if not timedelta(0) < lifetime <= limits.max_message_lifetime:
        raise MessageLifetimeError(
            f"expected a lifetime above zero and at most {limits.max_message_lifetime}, "
            f"got {lifetime}"
        )
    if statement.expires_at <= now:
        raise ExpiredMessageError(
            f"message expired at {format_time(statement.expires_at)}, now {format_time(now)}"
        )


def _build(statement: _Statement, record_bytes: bytes) -> OpenedMessage:
    message_class = MESSAGE_TYPES[statement.message_type]
    try:
        message = message_class.from_dict(statement.payload)
    except MessageFormatError as exc:
        raise InvalidPayloadError(
            f"{statement.message_type} from {statement.sender}: {exc}"
        ) from exc
    return OpenedMessage(
        message=message,
        message_type=statement.message_type,
        message_id=statement.message_id,
        sender=statement.sender,
        sender_key_id=statement.sender_key_id,
        recipient=statement.recipient,
        issued_at=statement.issued_at,
        expires_at=statement.expires_at,
        signed_record=record_bytes,
    )


def _parse_object(raw: bytes, where: str, *, required: Collection[str]) -> StrictObject:
    try:
        data = parse_canonical(raw)
    except CanonicalJSONError as exc:
        raise MalformedEnvelopeError(f"{where}: {exc}") from exc
    return StrictObject(data, where, required=required, error=MalformedEnvelopeError)
