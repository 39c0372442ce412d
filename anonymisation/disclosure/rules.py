"""Typed sharing rules: what the policy loader hands to disclosure control, per recipient."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Dimension = Literal["category", "period", "area"]
PeriodUnit = Literal["month", "quarter", "year"]


@dataclass(frozen=True)
class DifferentialPrivacy:
    """Optional noise through OpenDP, with a budget per recipient and period."""

    mechanism: Literal["laplace", "gaussian"]
    epsilon_per_release: float
    budget_per_period: float
    delta: float = 0.0


@dataclass(frozen=True)
class SharingRule:
    """What one recipient (a peer node id, or a role such as ``coordinator``) may receive."""

    recipient: str
    dimensions: tuple[Dimension, ...] = ("category", "period")
    category_level: Literal[1, 2] = 2  # ICCS level: "05" (1) or "0501" (2)
    period: PeriodUnit = "month"
    min_cell_count: int = 5
    secondary_suppression: bool = True
    rounding_base: int = 1  # 1 = no rounding
    differential_privacy: DifferentialPrivacy | None = None
