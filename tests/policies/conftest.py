"""A small valid policy whose line numbers the tests rely on, and a writer for variants."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from node.cli import cli
from node.commands import policy as policy_commands

# What `run_node.py` does at start: the policy commands, watcher hook and jobs join the node.
policy_commands.register(cli)

POLICY_DIR = Path(__file__).resolve().parents[2] / "policies"

# Line numbers matter: tests assert them. Line 1 is "version".
MINIMAL = """\
version: "1"
owner: "DPO, Test Police"
city: testcity
languages: [en]
redaction:
  en:
    entities: [PERSON, PHONE, DATE]
    default_threshold: 0.5
    thresholds:
      PERSON: 0.6
    default_operator: replace
    operators:
      PHONE: {kind: mask, char: "*", keep_last: 2}
      DATE: {kind: generalise, to: month}
    allow_list: ["Central Police Station"]
retention:
  default: {raw_text: 90d, redacted_text: 2y, contact: 90d}
  "0501":
    raw_text: 30d
    redacted_text: 1y
categories:
  burglary: "0501"
  theft: "0502"
geography:
  grid: h3
  resolution: 8
  min_count: 5
sharing:
  coordinator:
    dimensions: [category, period]
    min_cell_count: 5
    differential_privacy:
      mechanism: laplace
      epsilon_per_release: 0.5
      budget_per_period: 2.0
"""


@pytest.fixture
def write_policy(tmp_path: Path) -> Callable[..., Path]:
    """``write_policy(text, name=...)`` -> path of a file holding ``text``."""

    def write(text: str = MINIMAL, name: str = "policy.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def variant(old: str, new: str, text: str = MINIMAL) -> str:
    """MINIMAL with exactly one occurrence of ``old`` replaced (fails loudly otherwise)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)
