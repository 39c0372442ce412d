"""Errors raised by disclosure control: one root, one class per reason a release cannot be made."""

from __future__ import annotations


class DisclosureError(Exception):
    """Root of every error raised while computing or protecting aggregate statistics."""


class PeriodError(DisclosureError):
    """A period string is malformed, of the wrong unit, or not closed yet."""


class PeriodNotClosedError(PeriodError):
    """Statistics were requested for a period that has not ended."""


class CountingError(DisclosureError):
    """A record cannot be counted (bad ICCS code, naive timestamp)."""


class BudgetExceededError(DisclosureError):
    """A differentially private release would overspend the recipient's budget for the period."""


class MergeError(DisclosureError):
    """Releases handed to the EU merge contradict each other."""
