"""Edited audit rows and swapped or altered sealed values are caught, never served."""

from __future__ import annotations

import pytest

from bench.scenarios import integrity


def test_tampered_audit_log_is_detected(tmp_path) -> None:
    outcomes = integrity.run_audit(tmp_path, n=1)
    detectable = [o for o, t in zip(outcomes, integrity.TAMPERS, strict=True)
                  if not t.known_limit]
    assert detectable and all(o.rejected == o.tried == 1 for o in detectable), detectable


@pytest.mark.slow
def test_swapped_or_altered_sealed_value_is_never_served(tmp_path) -> None:
    outcomes = integrity.run_sealed(tmp_path, n=1)
    assert len(outcomes) == 2 * len(integrity.SWAPS)
    assert all(o.ok and o.rejected == o.tried for o in outcomes), outcomes
