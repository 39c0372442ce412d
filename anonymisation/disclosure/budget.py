"""The privacy budget ledger: how much ε each recipient has been given for each period.

Disclosure control only talks to the ledger through ``BudgetLedger``; the node persists it in
its database. ``charge`` checks before any noise is drawn and records only after the noised
table exists, so a refused release spends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from anonymisation.disclosure.errors import BudgetExceededError

# Budgets compose by addition (basic composition); sums of floats such as 0.1 + 0.2 must not
# refuse a release that exactly fills the budget.
_TOLERANCE = 1e-9


class BudgetLedger(Protocol):
    """Persistent record of ε spent, per recipient and period."""

    def spent(self, recipient: str, period: str) -> float:
        """Total ε already spent on releases of ``period`` to ``recipient``."""
        ...

    def record(self, recipient: str, period: str, epsilon: float, release_id: str) -> None:
        """Add one release's ε; called once per release, after the release is computed."""
        ...


@dataclass
class InMemoryBudgetLedger:
    """A ``BudgetLedger`` in a dict: for tests and the DPO preview, which must not spend."""

    entries: list[tuple[str, str, float, str]] = field(default_factory=list)

    def spent(self, recipient: str, period: str) -> float:
        return sum(e for r, p, e, _ in self.entries if r == recipient and p == period)

    def record(self, recipient: str, period: str, epsilon: float, release_id: str) -> None:
        self.entries.append((recipient, period, epsilon, release_id))


@dataclass
class DryRunLedger:
    """Reads what a real ledger has spent, records only in memory: for the DPO preview.

    A preview then refuses exactly what the real release would, and spends nothing.
    """

    real: BudgetLedger
    pending: InMemoryBudgetLedger = field(default_factory=InMemoryBudgetLedger)

    def spent(self, recipient: str, period: str) -> float:
        return self.real.spent(recipient, period) + self.pending.spent(recipient, period)

    def record(self, recipient: str, period: str, epsilon: float, release_id: str) -> None:
        self.pending.record(recipient, period, epsilon, release_id)


def _plain(epsilon: float) -> str:
    return str(round(float(epsilon), 6))  # 0.30000000000000004 -> "0.3", 1 -> "1.0"


def check_budget(
    ledger: BudgetLedger, recipient: str, period: str, epsilon: float, budget: float
) -> float:
    """Return ε already spent; raise BudgetExceededError if ``epsilon`` more would overspend."""
    spent = ledger.spent(recipient, period)
    if spent + epsilon > budget + _TOLERANCE:
        raise BudgetExceededError(
            f"{recipient} has spent {_plain(spent)} of {_plain(budget)} for {period}; "
            f"this release needs {_plain(epsilon)}"
        )
    return spent
