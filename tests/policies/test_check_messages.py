"""`policy check` problems: every mistake a DPO makes is reported at its exact line and column."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from policies.errors import PolicyError, Problem
from policies.loader import check_policy, load_policy
from tests.policies.conftest import MINIMAL, variant


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_minimal_policy_is_valid(write_policy: Callable[..., Path]) -> None:
    assert check_policy(write_policy()) == []


# (old text, new text, line, column, words in the message, words in the hint)
CASES = [
    pytest.param("retention:\n", "retension:\n", 16, 1, "unknown key 'retension'",
                 "did you mean 'retention'?", id="typo-in-top-level-key"),
    pytest.param("    min_cell_count: 5", "    min_cell_count: five", 31, 21,
                 "expected a whole number, got the text 'five'", "", id="text-where-number"),
    pytest.param("    default_threshold: 0.5", "    default_treshold: 0.5", 8, 5,
                 "unknown key 'default_treshold'", "did you mean 'default_threshold'?",
                 id="typo-in-nested-key"),
    pytest.param("    min_cell_count: 5", "    min_cell_count: 2", 31, 21,
                 "expected at least 3, got the number 2", "5 or 10 is usual",
                 id="min-cell-count-below-3"),
    pytest.param("epsilon_per_release: 0.5", "epsilon_per_release: 0", 34, 28,
                 "expected more than 0, got the number 0", "above 0", id="epsilon-zero"),
    pytest.param("budget_per_period: 2.0", "budget_per_period: 0.25", 35, 26,
                 "budget per period (0.25) is smaller than one release (0.5)", "at least",
                 id="budget-below-epsilon"),
    pytest.param("    raw_text: 30d", "    raw_text: 2y", 19, 15,
                 "raw text of category 0501 would be kept 2 years, longer than its redacted "
                 "text (1 year)", "shorten raw_text", id="raw-outlives-redacted"),
    pytest.param("      PERSON: 0.6", "      PERSON: 1.5", 10, 15,
                 "expected at most 1, got the number 1.5", "from 0 to 1",
                 id="threshold-above-one"),
    pytest.param("      PHONE: {kind", "      PHONES: {kind", 13, 7,
                 "unknown entity 'PHONES'", "did you mean 'PHONE'?", id="operator-unknown-entity"),
    pytest.param("      PHONE: {kind", "      EMAIL: {kind", 13, 7,
                 "operators names EMAIL, which is not in this language's 'entities'",
                 "add EMAIL to 'entities'", id="operator-for-entity-not-detected"),
    pytest.param('  theft: "0502"', '  theft: "0599"', 23, 10, "unknown ICCS code '0599'",
                 "did you mean '0509'", id="unknown-iccs-code"),
    pytest.param("languages: [en]", "languages: [en, fr]", 4, 17,
                 "expected one of en, es, nl, el, got the text 'fr'", "", id="unknown-language"),
    pytest.param("      DATE: {kind: generalise, to: month}", "      DATE: {kind: generalise, "
                 "to: area}", 14, 36, "DATE can be generalised to month, got 'area'",
                 "to: month", id="generalise-date-to-area"),
    pytest.param("  coordinator:", "  Coordinator:", 29, 3, "expected a recipient id",
                 "did you mean 'coordinator'?", id="recipient-id-in-capitals"),
    pytest.param("  default: {raw_text", "  defualt: {raw_text", 17, 3,
                 "expected 'default' or an ICCS code such as '05' or '0501', got the text "
                 "'defualt'", "did you mean 'default'?", id="typo-in-retention-default"),
    pytest.param('  theft: "0502"', "  " + "x" * 130 + ': "0502"', 23, 3,
                 "expected at most 120 characters, got 130 characters", "",
                 id="category-name-too-long"),
    pytest.param("  grid: h3\n", "", 24, 1, "missing the key 'grid' of the grid",
                 "give both", id="grid-without-system"),
]


@pytest.mark.parametrize(("old", "new", "line", "column", "message", "hint"), CASES)
def test_mistake_is_reported_at_its_place_in_plain_words(
    write_policy: Callable[..., Path], old: str, new: str, line: int, column: int,
    message: str, hint: str,
) -> None:
    path = write_policy(variant(old, new))
    problem = only(check_policy(path))
    assert (problem.file, problem.line, problem.column) == (str(path), line, column)
    assert message in problem.message
    assert hint in problem.hint


def test_bad_indentation_is_reported_at_the_misindented_line(
    write_policy: Callable[..., Path],
) -> None:
    path = write_policy(variant("    min_cell_count: 5", "   min_cell_count: 5"))
    problem = only(check_policy(path))
    assert (problem.line, problem.column) == (31, 4)
    assert "not valid YAML" in problem.message
    assert "indent" in problem.hint


def test_duplicate_key_is_reported_at_the_second_one(write_policy: Callable[..., Path]) -> None:
    path = write_policy(variant("  theft: \"0502\"\n", "  theft: \"0502\"\n  burglary: \"0502\"\n"))
    problem = only(check_policy(path))
    assert problem.line == 24
    assert "duplicate key" in problem.message


def test_tab_indentation_gets_a_hint_about_spaces(write_policy: Callable[..., Path]) -> None:
    path = write_policy(variant("  theft: \"0502\"", "\ttheft: \"0502\""))
    problem = only(check_policy(path))
    assert problem.line == 23
    assert "spaces" in problem.hint


def test_every_problem_is_reported_at_once(write_policy: Callable[..., Path]) -> None:
    text = variant("retention:\n", "retension:\n")
    text = variant("    min_cell_count: 5", "    min_cell_count: five", text)
    text = variant("      PERSON: 0.6", "      PERSON: 1.5", text)
    problems = check_policy(write_policy(text))
    assert [(p.line, p.column) for p in problems] == [(10, 15), (16, 1), (31, 21)]


def test_missing_section_is_named(write_policy: Callable[..., Path]) -> None:
    text = MINIMAL.split("sharing:\n")[0]
    problem = only(check_policy(write_policy(text)))
    assert (problem.line, problem.message) == (1, "missing the key 'sharing'")


def test_unquoted_iccs_code_keeps_its_leading_zero(write_policy: Callable[..., Path]) -> None:
    # YAML reads 0501 as the number 501; the loader keeps the digits the DPO typed.
    policy = load_policy(write_policy(variant('  burglary: "0501"', "  burglary: 0501")))
    assert policy.categories.iccs_for("burglary") == "0501"


def test_a_category_listed_twice_with_different_case_is_refused(
    write_policy: Callable[..., Path],
) -> None:
    problem = only(check_policy(write_policy(variant('  theft: "0502"', '  Burglary: "0502"'))))
    assert (problem.line, problem.column) == (23, 3)
    assert "listed twice" in problem.message


@pytest.mark.parametrize(("content", "message"), [
    (b"", "the file is empty"),
    (b"# only a comment\n", "the file is empty"),
    (b"- a\n- b\n", "got a list"),
    (b"just some words", "got the text 'just some words'"),
    (b"\xff\xfe\x00garbage", "expected UTF-8 text"),
    (b"version: \x07\n", "control character"),
    (b"&x {a: *x}\n", "refers to itself"),
    (b'version: "\\ud800"\n"\\udc00": 1\n', "is not a character"),
])
def test_unusable_file_is_explained_not_crashed_on(
    write_policy: Callable[..., Path], tmp_path: Path, content: bytes, message: str,
) -> None:
    path = tmp_path / "weird.yaml"
    path.write_bytes(content)
    problems = check_policy(path)
    assert problems and any(message in p.message for p in problems), [str(p) for p in problems]


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 8)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert any("aliases" in p.message for p in check_policy(path))


def test_missing_file_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    problem = only(check_policy(tmp_path / "nope.yaml"))
    assert "cannot read the file" in problem.message


def test_load_refuses_an_invalid_policy_with_every_problem(
    write_policy: Callable[..., Path],
) -> None:
    text = variant("    min_cell_count: 5", "    min_cell_count: 1")
    text = variant("retention:\n", "retension:\n", text)
    with pytest.raises(PolicyError) as raised:
        load_policy(write_policy(text))
    assert len(raised.value.problems) == 2
    assert "2 problems" in str(raised.value)
