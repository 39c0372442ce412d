"""Safety limits of the federation protocol, as one typed dataclass with documented defaults."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class FederationLimits:
    """Limits applied when sealing and opening messages and when verifying rosters.

    Args:
        max_message_bytes: Largest raw envelope accepted; checked before parsing or decrypting.
            A release of a few thousand cells is well under 1 MiB even after two base64 layers.
        clock_skew: How far a sender's clock may run ahead of ours (``issued_at`` in the future)
            and how early a key may be used before its ``valid_from``.
        max_message_lifetime: Longest ``expires_at - issued_at`` accepted. It bounds how long the
            inbox must remember seen message ids (see ``seen_id_retention``) and is long enough
            for the outbox to deliver to a peer that was down for days.
        default_message_lifetime: Lifetime given to messages sealed without an explicit one.
        max_roster_bytes: Largest signed roster document accepted.
        max_roster_members: Most members a roster may list.
    """

    max_message_bytes: int = 4 * 1024 * 1024
    clock_skew: timedelta = timedelta(minutes=5)
    max_message_lifetime: timedelta = timedelta(days=14)
    default_message_lifetime: timedelta = timedelta(days=7)
    max_roster_bytes: int = 1024 * 1024
    max_roster_members: int = 1000

    def __post_init__(self) -> None:
        for name in ("max_message_bytes", "max_roster_bytes", "max_roster_members"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"{name}: expected a positive integer, got {value!r}")
        if self.clock_skew < timedelta(0):
            raise ValueError(f"clock_skew: expected zero or more, got {self.clock_skew}")
        if not timedelta(0) < self.default_message_lifetime <= self.max_message_lifetime:
            raise ValueError(
                "default_message_lifetime: expected more than zero and at most "
                f"max_message_lifetime ({self.max_message_lifetime}), "
                f"got {self.default_message_lifetime}"
            )

    @property
    def seen_id_retention(self) -> timedelta:
        """How long the inbox must keep a seen message id: past that, the message has expired."""
        return self.max_message_lifetime + self.clock_skew


DEFAULT_LIMITS = FederationLimits()
