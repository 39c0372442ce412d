"""`run_node.py policy check|diff|explain|preview` through the real click CLI."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from node.cli import cli
from tests.policies.conftest import MINIMAL, POLICY_DIR, variant

LINE = re.compile(
    r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): (?P<msg>.+?)(?: \(hint: (?P<hint>.+)\))?$"
)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["policy", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def test_check_of_a_valid_file_says_ok_with_its_hash(write_policy: Callable[..., Path]) -> None:
    path = write_policy()
    code, out = run("check", str(path))
    assert code == 0
    ok = rf"{re.escape(str(path))}: OK \(city testcity, version 1, hash [0-9a-f]{{64}}\)"
    assert re.search(ok, out)


def test_check_of_a_broken_file_prints_file_line_column_and_exits_1(
    write_policy: Callable[..., Path],
) -> None:
    text = variant("retention:\n", "retension:\n")
    text = variant("    min_cell_count: 5", "    min_cell_count: five", text)
    path = write_policy(text)
    code, out = run("check", str(path))
    assert code == 1
    problems = [m.groupdict() for line in out.splitlines() if (m := LINE.match(line))]
    assert [(p["file"], p["line"], p["col"]) for p in problems] == [
        (str(path), "16", "1"), (str(path), "31", "21")]
    assert problems[0]["msg"] == "unknown key 'retension'"
    assert problems[0]["hint"] == "did you mean 'retention'?"
    assert problems[1]["msg"] == "expected a whole number, got the text 'five'"


@pytest.mark.parametrize("content", [b"\x00\x01\x02\xff", b"[1, 2", b"", b"- x\n",
                                     b"version: 1\n" * 3])
def test_check_never_prints_a_stack_trace(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    code, out = run("check", str(path))
    assert code == 1
    assert "Traceback" not in out
    assert LINE.match(out.splitlines()[0])


def test_diff_states_each_change_in_plain_words(write_policy: Callable[..., Path]) -> None:
    old = write_policy(MINIMAL, "old.yaml")
    text = variant('      PHONE: {kind: mask, char: "*", keep_last: 2}', "      PHONE: replace")
    text = variant("    raw_text: 30d", "    raw_text: 90d", text)
    text = variant("    min_cell_count: 5", "    min_cell_count: 10", text)
    text = variant('  theft: "0502"', '  theft: "0502"\n  robbery: "0401"', text)
    text = variant('allow_list: ["Central Police Station"]', "allow_list: []", text)
    new = write_policy(text, "new.yaml")
    code, out = run("diff", str(old), str(new))
    assert code == 0
    assert ("English: PHONE was masked with '*', last 2 characters kept, now replaced with a "
            "tag naming its kind") in out
    assert "retention: raw text of 0501 (Burglary) kept 90 days, was 30 days" in out
    assert "coordinator: minimum cell count 5 -> 10" in out
    assert "category 'robbery' now mapped to 0401 (Robbery)" in out
    assert "English: allow-list: 'Central Police Station' removed" in out
    assert len([line for line in out.splitlines() if line.startswith("  - ")]) == 5


def test_diff_of_a_comment_only_edit_reports_no_change(write_policy: Callable[..., Path]) -> None:
    old = write_policy(MINIMAL, "old.yaml")
    new = write_policy("# reviewed by the DPO\n" + MINIMAL, "new.yaml")
    code, out = run("diff", str(old), str(new))
    assert code == 0 and "No changes" in out and "identical content" in out


def test_diff_refuses_an_invalid_side(write_policy: Callable[..., Path]) -> None:
    old = write_policy(MINIMAL, "old.yaml")
    new = write_policy(variant("retention:\n", "retension:\n"), "new.yaml")
    code, out = run("diff", str(old), str(new))
    assert code == 1
    assert "new.yaml:16:1: unknown key 'retension'" in out
    assert "is not a valid policy" in out


def test_explain_entity_names_threshold_operator_and_detectors() -> None:
    code, out = run("explain", "--entity", "PHONE", "--lang", "es",
                    "--policy", str(POLICY_DIR / "valencia.yaml"))
    assert code == 0, out
    assert "at least 0.5 (redaction.es.default_threshold)" in out
    assert "Operator: mask (char='*', keep_last=2)" in out
    assert "(redaction.es.operators.PHONE)" in out
    found_by = next(line for line in out.splitlines() if line.startswith("Found by:"))
    assert "(PHONE" in found_by or ",PHONE" in found_by


def test_explain_entity_left_out_of_entities_says_it_stays_in_the_text(
    write_policy: Callable[..., Path],
) -> None:
    code, out = run("explain", "--entity", "email", "--lang", "en",
                    "--policy", str(write_policy()))
    assert code == 0
    assert "NOT detected" in out and "stays in the text" in out


def test_explain_category_gives_mapping_retention_and_sharing(
    write_policy: Callable[..., Path],
) -> None:
    code, out = run("explain", "--category", "Burglary", "--policy", str(write_policy()))
    assert code == 0
    assert "'Burglary' -> 0501 (Burglary)" in out
    assert 'Kept (retention."0501"): raw text 30 days, redacted text 1 year, reporter contact ' \
           "90 days" in out


def test_explain_of_an_unknown_entity_is_a_clean_error(write_policy: Callable[..., Path]) -> None:
    code, out = run("explain", "--entity", "SHOE_SIZE", "--lang", "en",
                    "--policy", str(write_policy()))
    assert code == 1
    assert "expected one of PERSON" in out and "Traceback" not in out


def _sample(tmp_path: Path) -> Path:
    reports = [
        {"id": "r1", "lang": "es", "category": "hurto", "occurred_at": "2026-02-04T10:00:00Z",
         "lat": 39.4745, "lon": -0.377,
         "text": "Me robaron el bolso en el Mercado Central. Soy María López, DNI 12345678Z."},
        {"id": "r2", "lang": "es", "category": "hurto", "occurred_at": "2026-02-10T10:00:00Z",
         "text": "Hurto de una bicicleta."},
        {"id": "r3", "lang": "es", "category": "daños", "occurred_at": "2026-03-05T22:00:00Z",
         "text": "Pintadas en la persiana."},
        {"id": "r4", "lang": "en", "category": "bike theft", "text": "My bike was taken."},
        {"id": "r5", "lang": "fr", "category": "hurto", "text": "On m'a volé mon sac."},
    ]
    path = tmp_path / "sample.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in reports) + "\n",
                    encoding="utf-8")
    return path


def test_preview_shows_redaction_rules_and_suppressed_cells(tmp_path: Path) -> None:
    code, out = run("preview", str(POLICY_DIR / "valencia.yaml"), "--sample",
                    str(_sample(tmp_path)))
    assert code == 0, out
    # Personal data of the sample never appears in the preview, only what replaced it.
    assert "María" not in out and "12345678Z" not in out
    r1 = out.split("[r1]")[1].split("[r2]")[0]
    assert "category 0502  area Ciutat Vella" in r1
    assert re.search(r"- NATIONAL_ID at \d+-\d+: score [\d.]+ >= 0.4 -> redact \(rule ", r1)
    assert re.search(r"- PERSON at \d+-\d+: score [\d.]+ >= 0.55 -> pseudonymise \(rule ", r1)
    assert "Unmapped categories (add them under 'categories'): bike theft" in out
    assert "no redaction rules for 'fr'" in out
    # Groningen gets quarters of ICCS sections, minimum 10, no noise: deterministic.
    groningen = out.split("Aggregates for groningen:")[1]
    assert "05 × 2026-Q1: suppressed because count 3 < minimum 10" in groningen
    assert "_T × 2026-Q1: suppressed because count 3 < minimum 10" in groningen
    coordinator = out.split("Aggregates for coordinator:")[1].split("Aggregates for")[0]
    assert "period 2026-02" in coordinator and "period 2026-03" in coordinator
    assert "step noise: library=opendp, mechanism=laplace" in coordinator
    # One report in Ciutat Vella is below the policy's 5 per area: pooled, never its own cell.
    assert "period 2026-02: 1 area(s) with fewer than 5 reports counted as area unknown" \
        in coordinator
    assert "Ciutat Vella" not in coordinator


def test_preview_refuses_a_bad_sample_line(tmp_path: Path) -> None:
    sample = tmp_path / "sample.jsonl"
    sample.write_text('{"id": "a", "lang": "es", "text": "x"}\n{"id": 3}\n', encoding="utf-8")
    code, out = run("preview", str(POLICY_DIR / "valencia.yaml"), "--sample", str(sample))
    assert code == 1
    assert f"{sample}:2: expected text in 'id'" in out
