"""The preview's sample reader: any file is read or refused with its line, never crashed on."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policies.preview import SampleError, SampleReport, read_sample


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)))
def test_any_sample_file_is_read_or_refused_with_a_reason(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "sample.jsonl"
    path.write_bytes(content)
    try:
        reports = read_sample(path)
    except SampleError as exc:
        assert str(path) in str(exc)
    else:
        assert all(isinstance(r, SampleReport) for r in reports)


@pytest.mark.parametrize(("line", "reason"), [
    ('{"id": "a", "lang": "es"}', "expected text in 'text'"),
    ('{"id": "a", "lang": "es", "text": "x", "occurred_at": "2026-03-01T10:00"}',
     "with a time zone"),
    ('{"id": "a", "lang": "es", "text": "x", "lat": "north"}', "lat and lon as numbers"),
    ('{"id": "a", "lang": "es", "text": "x", "lat": 1e400}', "lat and lon as numbers"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ("[1, 2]", "a JSON object per line"),
])
def test_bad_sample_line_is_named_with_its_reason(tmp_path: Path, line: str, reason: str) -> None:
    path = tmp_path / "sample.jsonl"
    path.write_text('{"id": "ok", "lang": "en", "text": "fine"}\n' + line + "\n",
                    encoding="utf-8")
    with pytest.raises(SampleError, match=f"{path}:2: .*{reason}"):
        read_sample(path)
