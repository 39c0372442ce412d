"""Exception roots of the federation layer, one per source of failure.

``EnvelopeError`` is the remote side's fault: a message that must not be accepted. ``RosterError``
is a roster that must not be trusted. ``CanonicalJSONError`` and ``MessageFormatError`` are data
that does not fit the wire format. Transport failures (peer down, HTTP errors) belong to the
transport module and are deliberately not under any of these roots, so the caller can retry a
transport error but must never retry a rejected message.
"""

from __future__ import annotations


class CanonicalJSONError(ValueError):
    """Data is not in (or cannot be put in) the canonical JSON form that is signed."""


class MessageFormatError(ValueError):
    """A message payload does not match its type's schema (missing, unknown or mistyped field)."""


# ---- envelope: a received message is rejected ----


class EnvelopeError(Exception):
    """A received message was rejected; nothing from it may be stored or acted on."""


class OversizedMessageError(EnvelopeError):
    """The raw message is larger than the configured limit (checked before anything else)."""


class MalformedEnvelopeError(EnvelopeError):
    """The envelope or the decrypted signed record does not have the expected shape."""


class WrongRecipientError(EnvelopeError):
    """The message is addressed to another node (outside or inside the signed part)."""


class UnknownRecipientKeyError(EnvelopeError):
    """The message is encrypted to a key id this node does not hold (or no longer uses)."""


class TamperedCiphertextError(EnvelopeError):
    """The ciphertext does not decrypt: it was altered, truncated or encrypted to another key."""


class UnknownSenderError(EnvelopeError):
    """The claimed sender is not a member of the trusted roster."""


class SenderNotActiveError(EnvelopeError):
    """The sender is in the roster but its membership is not valid at this time."""


class UnknownSigningKeyError(EnvelopeError):
    """The sender's key id is not one of its signing keys in the roster."""


class RevokedKeyError(EnvelopeError):
    """The message is signed with a key the roster lists as revoked."""


class KeyNotValidError(EnvelopeError):
    """The signing key is outside its validity window (not yet valid, or past its grace period)."""


class BadSignatureError(EnvelopeError):
    """The signature does not verify over the signed bytes for the claimed message type."""


class UnexpectedMessageTypeError(EnvelopeError):
    """The message type is not one the caller accepts here, or does not match its domain."""


class UnauthorisedSenderError(EnvelopeError):
    """The sender's roles in the roster do not allow it to send this message type."""


class MessageFromFutureError(EnvelopeError):
    """The message was issued further in the future than the allowed clock skew."""


class ExpiredMessageError(EnvelopeError):
    """The message's expiry time has passed."""


class MessageLifetimeError(EnvelopeError):
    """The message's expiry is not after its issue time, or further out than the limit allows."""


class ReplayedMessageError(EnvelopeError):
    """A message with this id was already accepted."""


class InvalidPayloadError(EnvelopeError):
    """The signed payload does not parse into its message type."""


# ---- roster: a roster is not trusted ----


class RosterError(Exception):
    """A roster cannot be trusted or used; the message says which check failed and the fix."""


class MalformedRosterError(RosterError):
    """The roster document does not have the expected shape or is internally inconsistent."""


class RosterPinMismatchError(RosterError):
    """The roster names other root keys or another threshold than the ones pinned on this node."""


class RosterThresholdError(RosterError):
    """Fewer distinct pinned root keys signed the roster than the threshold requires."""


class RosterRollbackError(RosterError):
    """The roster's version is lower than the trusted roster's version."""


class RosterVersionConflictError(RosterError):
    """The roster has the trusted version number but different content."""


class ExpiredRosterError(RosterError):
    """The roster's expiry time has passed; a newly signed roster is needed."""


class NotInRosterError(RosterError):
    """A node id or key looked up locally (e.g. to send a message) is not in the roster."""
