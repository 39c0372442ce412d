"""The ``anonymise`` CLI contract: one output line per input line, same order, offsets into the
original text, an error line (never the text, never a crash) for each bad line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from node.commands.anonymise import anonymise, run

REPO = Path(__file__).resolve().parents[2]


def _run(redactor, lines: list[bytes], language: str = "en") -> list[dict]:
    out = io.StringIO()
    run(redactor, language, io.BytesIO(b"\n".join(lines) + b"\n"), out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_order_is_preserved_and_offsets_point_into_the_original(redactor):
    texts = [f"Item {i}: Siobhan Gallagher called 028 9024 {1000 + i}." for i in range(30)]
    lines = [json.dumps({"id": f"r{i}", "text": t}).encode() for i, t in enumerate(texts)]
    out = _run(redactor, lines)
    assert [o["id"] for o in out] == [f"r{i}" for i in range(30)]
    for text, o in zip(texts, out, strict=True):
        found = {(text[f["start"] : f["end"]], f["entity"]) for f in o["findings"]}
        assert ("Siobhan Gallagher", "PERSON") in found
        assert "Siobhan" not in o["text"]
        assert set(o) == {"id", "text", "findings"}
        assert all(set(f) == {"start", "end", "entity", "score"} for f in o["findings"])


SECRET_TEXT = "Siobhan Gallagher 028 9024 1234"

BAD_LINES = [
    (b"", None, "blank line"),
    (b"   ", None, "blank line"),
    (b"{not json", None, "invalid JSON"),
    (b'["a", "b"]', None, "got list"),
    (json.dumps({"text": SECRET_TEXT}).encode(), None, '"id"'),
    (json.dumps({"id": {"x": 1}, "text": SECRET_TEXT}).encode(), None, '"id"'),
    (json.dumps({"id": True, "text": SECRET_TEXT}).encode(), None, '"id"'),
    (b'{"id": "a"}', "a", '"text" as a string, got nothing'),
    (b'{"id": "b", "text": 42}', "b", '"text" as a string, got int'),
    (b'{"id": 7, "text": null}', 7, '"text" as a string'),
    (b'{"id": "c", "text": "\xff\xfe broken"}', None, "UTF-8"),
]


@pytest.mark.parametrize(("line", "expected_id", "message"), BAD_LINES)
def test_bad_line_gets_an_error_line_without_the_text(redactor, line, expected_id, message):
    good = json.dumps({"id": "ok", "text": "Nothing personal here."}).encode()
    out = _run(redactor, [good, line, good])
    assert len(out) == 3 and out[0]["id"] == "ok" and out[2]["id"] == "ok"
    assert out[1]["id"] == expected_id
    assert message in out[1]["error"]
    assert "Siobhan" not in out[1]["error"] and "9024" not in out[1]["error"]


def test_over_long_text_is_refused_not_analysed(redactor):
    from node.commands.anonymise import MAX_TEXT_CHARS

    line = json.dumps({"id": "big", "text": "a" * (MAX_TEXT_CHARS + 1)}).encode()
    (out,) = _run(redactor, [line])
    assert out["id"] == "big" and "at most" in out["error"]


def test_command_end_to_end_with_default_rules():
    stdin = "\n".join(
        [
            json.dumps({"id": 1, "text": "Dña. Rocío Ibarra vive en C/ Colón, 12."}),
            "garbage",
            json.dumps({"id": 2, "text": "En abril fue a Valencia."}),
        ]
    )
    result = CliRunner().invoke(anonymise, ["--lang", "es"], input=stdin)
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert [x["id"] for x in lines] == [1, None, 2]
    assert "Rocío" not in lines[0]["text"] and "error" in lines[1]
    assert lines[2]["text"] == "En abril fue a Valencia."


def test_command_with_a_city_policy():
    policy = REPO / "policies" / "valencia.yaml"
    if not policy.exists():
        pytest.skip("the Valencia policy file is not in this checkout")
    stdin = json.dumps({"id": "v1", "text": "El denunciante, Sr. Quiroga, llamó al 612 345 678."})
    result = CliRunner().invoke(anonymise, ["--lang", "es", "--policy", str(policy)], input=stdin)
    assert result.exit_code == 0, result.output
    (line,) = [json.loads(x) for x in result.stdout.splitlines()]
    assert "Quiroga" not in line["text"] and "612 345 678" not in line["text"]


def test_unknown_language_is_a_usage_error_naming_the_choices():
    result = CliRunner().invoke(anonymise, ["--lang", "fr"], input="")
    assert result.exit_code != 0
    assert "'fr'" in result.output and "en" in result.output


def test_unicode_line_separators_stay_inside_one_output_line(redactor):
    text = "Paragraph one\u2028paragraph two\u2029three\x85four"
    out = io.StringIO()
    run(redactor, "en", io.BytesIO(json.dumps({"id": "u", "text": text}).encode() + b"\n"), out)
    written = out.getvalue()
    assert len(written.splitlines()) == 1
    assert json.loads(written)["text"] == text
