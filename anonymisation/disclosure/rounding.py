"""Rounding released counts to the policy's base."""

from __future__ import annotations


def round_half_up(count: int, base: int) -> int:
    """Nearest multiple of ``base``, halves up: base 5 turns 7 into 5 and 8 into 10."""
    if base <= 1:
        return count
    # Integer arithmetic: count/base + 1/2, floored, without float rounding surprises.
    return (2 * count + base) // (2 * base) * base
