"""Fault, attack and bad-input scenarios behind docs/EVIDENCE.md.

Each module defines table-driven cases and a ``run(workdir, n)`` that exercises a real node
(real home, real database, real server processes on loopback where the fault needs one) and
returns :class:`~bench.scenarios.outcome.Outcome` rows. ``bench/evidence.py`` runs them with
full counts; ``tests/faults/`` runs the same code with small counts in CI.
"""
