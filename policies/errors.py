"""Problems found in a policy file, and the one exception that carries them.

A policy is refused as a whole (fail closed): :class:`PolicyError` holds every
:class:`Problem` found, each with the place in the file and a hint a data-protection
officer can act on. Messages name keys and values of the policy file only, never
report text or contact details.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem at a place in a policy file; ``line`` and ``column`` are 1-based."""

    file: str
    line: int
    column: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}: {self.message}"
        return f"{where} (hint: {self.hint})" if self.hint else where


class PolicyError(Exception):
    """The policy file cannot be used; ``problems`` says every reason and where."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        summary = f"the policy file has {count} problem{'s' if count != 1 else ''}"
        super().__init__("\n".join([summary, *(str(p) for p in self.problems)]))
