"""One row of the evidence table."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class Outcome:
    """What one scenario did and what came of it.

    ``rejected`` counts attempts the node refused or detected as it should; ``failed`` counts
    wrong answers (a 5xx, a stored bad report, an undetected tamper, an attempt let through);
    ``lost`` counts acknowledged data that went missing; ``leaked`` counts attempts whose
    planted canary showed up where it must not (a response, a log line, a file).
    """

    group: str
    scenario: str
    tried: int
    rejected: int = 0
    failed: int = 0
    lost: int = 0
    leaked: int = 0
    expected: str = ""
    observed: str = ""

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.lost == 0 and self.leaked == 0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}
