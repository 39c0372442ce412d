"""SIGKILL mid-redaction leaves every report whole (pending or redacted), none done twice."""

from __future__ import annotations

import pytest

from bench.scenarios import crashes


@pytest.mark.slow
@pytest.mark.parametrize("via", ["redact", "jobs"])
def test_kill_mid_redaction_leaves_no_half_redacted_report(tmp_path, via) -> None:
    out = crashes.run_redaction(tmp_path, 200, via=via)
    assert out.ok and out.rejected == out.tried == 200, out
    assert "after a second run 200 redacted" in out.observed, out
