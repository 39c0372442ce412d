"""Differentially private counts through OpenDP, never hand-rolled noise.

Each report is counted in exactly one interior cell, so adding or removing one report changes
the vector of interior counts by 1 in L1 and in L2 norm: sensitivity 1 for both mechanisms.
Totals are sums of the noised cells (post-processing), so they cost no extra budget.
OpenDP draws from the operating system's secure generator; there is deliberately no seed, since a
recipient who knew it could subtract the noise.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import opendp.prelude as dp

from anonymisation.disclosure.errors import DisclosureError
from anonymisation.disclosure.rules import DifferentialPrivacy

SENSITIVITY = 1  # one report is in exactly one interior cell


class PrivacyConfigError(DisclosureError):
    """The differential-privacy settings of a sharing rule cannot be met."""


@dataclass(frozen=True)
class NoiseResult:
    """Noised interior counts (clamped at 0) and the parameters that produced them."""

    values: tuple[int, ...]
    parameters: dict[str, Any]


def _measurement(settings: DifferentialPrivacy) -> tuple[Any, float]:
    dp.enable_features("contrib")
    domain = dp.vector_domain(dp.atom_domain(T=int))
    epsilon = settings.epsilon_per_release
    if epsilon <= 0:
        raise PrivacyConfigError(f"expected epsilon_per_release > 0, got {epsilon}")
    if settings.mechanism == "laplace":
        scale = SENSITIVITY / epsilon
        return dp.m.make_laplace(domain, dp.l1_distance(T=int), scale=scale), scale
    if not 0 < settings.delta < 1:
        raise PrivacyConfigError(
            f"expected 0 < delta < 1 for the gaussian mechanism, got {settings.delta}; "
            "set differential_privacy.delta (e.g. 1e-6) or use laplace"
        )

    scale = _gaussian_scale(epsilon, settings.delta)
    return _gaussian(scale, settings.delta), scale


def _gaussian(scale: float, delta: float) -> Any:
    domain = dp.vector_domain(dp.atom_domain(T=int))
    noisy = dp.m.make_gaussian(domain, dp.l2_distance(T=int), scale=scale)
    return dp.c.make_fix_delta(dp.c.make_zCDP_to_approxDP(noisy), delta=delta)


@functools.lru_cache(maxsize=64)
def _gaussian_scale(epsilon: float, delta: float) -> float:
    """The smallest scale meeting (ε, δ); OpenDP's search takes ~0.5 s, so it runs once per pair."""
    return float(dp.binary_search_param(lambda s: _gaussian(s, delta), d_in=SENSITIVITY,
                                        d_out=(epsilon, delta)))


def add_noise(counts: Sequence[int], settings: DifferentialPrivacy) -> NoiseResult:
    """Noise every interior count with the rule's mechanism and ε, then clamp to >= 0."""
    measurement, scale = _measurement(settings)
    loss = measurement.map(SENSITIVITY)
    spent = float(loss[0] if isinstance(loss, tuple) else loss)
    if spent > settings.epsilon_per_release * (1 + 1e-9):
        raise PrivacyConfigError(
            f"expected the mechanism to spend at most ε={settings.epsilon_per_release}, "
            f"OpenDP says {spent}"
        )
    noised = measurement(list(counts))
    return NoiseResult(
        values=tuple(max(0, int(v)) for v in noised),
        parameters={
            "library": "opendp",
            "mechanism": settings.mechanism,
            "epsilon": settings.epsilon_per_release,
            "delta": settings.delta if settings.mechanism == "gaussian" else 0.0,
            "scale": scale,
            "sensitivity": SENSITIVITY,
            "clamped_at": 0,
        },
    )
