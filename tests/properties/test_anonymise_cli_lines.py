"""The anonymise CLI gives exactly one output line per input line, in order, whatever comes in.

A consumer (the bench, a DPO's script) pairs output with input by position; one extra, missing
or reordered line would attach redacted text to the wrong report. Lines here are valid report
objects, JSON that is not a report, undecodable bytes, blanks, unicode with line-like
separators (U+2028, U+0085) and texts over the size limit.
"""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anonymisation.redactor import Redactor, default_redaction_config
from node.commands.anonymise import MAX_TEXT_CHARS, run

SECRET = b"property-test-secret-0123456789ab"

ids = st.one_of(st.text(max_size=20), st.integers(-(2**40), 2**40))
texts = st.text(st.characters(codec="utf-8"), max_size=200)
report_line = st.builds(lambda i, t: json.dumps({"id": i, "text": t}).encode(), ids, texts)
unicode_report_line = st.builds(  # raw UTF-8, not \\u escapes
    lambda i, t: json.dumps({"id": i, "text": t}, ensure_ascii=False).encode(), ids,
    st.text(st.sampled_from("ab Zé\u2028\u2029\u0085\u00a0\U0001f600\u200b"), max_size=40))
other_json = st.builds(lambda v: json.dumps(v).encode(), st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=3),
    max_leaves=8))
junk = st.binary(max_size=80).map(lambda b: b.replace(b"\n", b""))
blank = st.sampled_from([b"", b" ", b"\t", b"\r"])
huge = st.builds(lambda i: json.dumps({"id": i, "text": "x" * (MAX_TEXT_CHARS + 1)}).encode(),
                 st.integers(0, 9))
line = st.one_of(report_line, unicode_report_line, other_json, junk, blank, huge)


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor(default_redaction_config(), SECRET, workers=1)


def _id_of(raw: bytes) -> object:
    try:
        obj = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return obj.get("id") if isinstance(obj, dict) else None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.data_too_large])
@given(lines=st.lists(line, min_size=1, max_size=12))
def test_every_input_line_gives_exactly_one_output_line_in_order(redactor, lines) -> None:
    out = io.StringIO()
    run(redactor, "en", io.BytesIO(b"\n".join(lines) + b"\n"), out)
    produced = out.getvalue().split("\n")
    assert produced[-1] == "", "output must end with a newline"
    produced = produced[:-1]
    assert len(produced) == len(lines)
    for raw, text in zip(lines, produced, strict=True):
        result = json.loads(text)
        expected = _id_of(raw)
        if "error" in result:
            assert set(result) == {"id", "error"}
            assert result["id"] in (expected, None)
        else:
            assert result["id"] == expected and isinstance(result["text"], str)
