"""The federation with real node processes: kills mid-push, two cities down, no canary leaks."""

from __future__ import annotations

import os

import pytest

from bench.scenarios import federation_faults


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_kills_mid_push_lose_nothing_partial_answers_say_so_and_no_canary_leaks(
    tmp_path,
) -> None:
    pusher, coordinator_kill, partial, leak = federation_faults.run(tmp_path, n=2, reports=40)
    assert pusher.ok and pusher.tried == 2, pusher
    assert coordinator_kill.ok and coordinator_kill.tried > 0, coordinator_kill
    assert coordinator_kill.rejected == coordinator_kill.tried, coordinator_kill
    assert partial.ok and partial.tried > 0, partial
    assert leak.ok and leak.rejected == leak.tried > 0, leak


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0, reason="network namespaces and veth pairs need root")
def test_network_cut_to_the_coordinator_loses_and_duplicates_nothing(tmp_path) -> None:
    out = federation_faults.run_network_cut(tmp_path, n=2, reports=30)
    assert out.tried > 0 and out.ok and out.rejected == out.tried, out
    # The cut really cut: deliveries failed while the link was down. (The first round starts
    # just before the cut, so a fast machine may deliver a few messages before it.)
    assert "(failed 0)" not in out.observed, out
