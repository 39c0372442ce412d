"""Scheduled jobs run in one process, not once per server worker, and stop with the server."""

from __future__ import annotations

import pytest

from bench.scenarios.harness import init_home
from bench.scenarios.jobs_once import count_node_processes


@pytest.mark.slow
def test_three_workers_start_one_jobs_process_and_one_scheduler(tmp_path) -> None:
    home = init_home(tmp_path / "home")
    counts = count_node_processes(home, workers=3)
    assert counts == {"gunicorn": 4, "jobs": 1, "schedulers": 1, "left_after_stop": 0}
