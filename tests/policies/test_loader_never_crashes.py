"""Property: whatever bytes a policy file holds, the loader either accepts it or explains why."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policies.errors import PolicyError, Problem
from policies.loader import check_policy, load_policy
from policies.model import Policy
from tests.policies.conftest import MINIMAL

_SETTINGS = settings(max_examples=150, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])

# YAML-looking fragments, so the generator reaches the schema and rule checks, not only the parser.
_yaml_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
              st.text(max_size=20), st.sampled_from(["90d", "2y", "0501", "en", "h3", "PHONE",
                                                     "laplace", "-1", ".nan", "1e400"])),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=12), children, max_size=4)),
    max_leaves=12,
)


def _assert_accepts_or_explains(path: Path) -> None:
    problems = check_policy(path)
    assert all(isinstance(p, Problem) and p.line >= 1 and p.column >= 1 and p.message
               for p in problems)
    try:
        policy = load_policy(path)
    except PolicyError as exc:
        assert exc.problems == problems and problems
    else:
        assert isinstance(policy, Policy) and problems == []


@_SETTINGS
@given(content=st.binary(max_size=300))
def test_arbitrary_bytes_are_accepted_or_explained(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "random.yaml"
    path.write_bytes(content)
    _assert_accepts_or_explains(path)


@_SETTINGS
@given(line=st.integers(min_value=0, max_value=35), junk=st.text(max_size=30))
def test_a_line_of_junk_in_a_valid_policy_is_explained(tmp_path: Path, line: int,
                                                        junk: str) -> None:
    lines = MINIMAL.splitlines()
    lines.insert(line, junk)
    path = tmp_path / "edited.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _assert_accepts_or_explains(path)


@_SETTINGS
@given(section=st.sampled_from(["redaction", "retention", "categories", "geography", "sharing",
                                "languages", "version"]),
       value=_yaml_value)
def test_any_value_in_any_section_is_accepted_or_explained(tmp_path: Path, section: str,
                                                            value: object) -> None:
    import json

    # JSON is YAML: a flow-style value of any shape replaces a whole section.
    lines = MINIMAL.splitlines()
    start = next(i for i, text in enumerate(lines) if text.startswith(f"{section}:"))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")),
               len(lines))
    lines[start:end] = [f"{section}: {json.dumps(value)}"]
    path = tmp_path / "replaced.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _assert_accepts_or_explains(path)


def test_huge_numbers_are_explained(tmp_path: Path) -> None:
    text = MINIMAL.replace("min_count: 5", "min_count: " + "9" * 400).replace(
        "raw_text: 30d", "raw_text: 999999999y")
    path = tmp_path / "huge.yaml"
    path.write_text(text, encoding="utf-8")
    messages = [p.message for p in check_policy(path)]
    assert any("expected at most 1000000" in m for m in messages)
    assert any("expected at most 100 years" in m for m in messages)
