"""A locked database and a full disk give clear errors, never corruption or lost reports."""

from __future__ import annotations

import os

import pytest

from bench.scenarios import storage


@pytest.mark.slow
def test_locked_database_answers_error_shape_and_corrupts_nothing(tmp_path) -> None:
    out = storage.run_locked(tmp_path, n=2)
    assert out.tried == 2 and out.ok, out
    assert "integrity_check ok" in out.observed and "post got 201" in out.observed, out


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root")
def test_full_disk_answers_error_shape_and_loses_no_acknowledged_report(tmp_path) -> None:
    out = storage.run_disk_full(tmp_path, n=3)
    assert out.tried >= 3 and out.rejected == out.tried, out
    assert out.ok and "integrity_check ok" in out.observed, out
    assert out.observed.endswith("a post got 201"), out
