"""Bad input, other roles and guessed tokens against a real server over loopback."""

from __future__ import annotations

import pytest

from bench.scenarios import access, api_input


def _failures(outcomes):
    return [o for o in outcomes if not o.ok]


@pytest.mark.slow
def test_bad_input_over_http_is_rejected_unstored_and_never_echoed(tmp_path) -> None:
    outcomes = api_input.run(tmp_path, n=1)
    assert len(outcomes) == len(api_input.CASES)
    assert all(o.tried == o.rejected == 1 for o in outcomes), _failures(outcomes)
    assert _failures(outcomes) == []


@pytest.mark.slow
def test_other_roles_and_guessed_tokens_are_refused_over_http(tmp_path) -> None:
    matrix, guesses = access.run(tmp_path, n=5)
    assert matrix.ok and matrix.rejected > 0, matrix
    assert guesses.ok, guesses
    # Two workers each allow 20 failures a minute; 50 guesses must hit the brake.
    assert "429" in guesses.observed, guesses
