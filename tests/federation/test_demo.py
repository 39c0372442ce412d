"""``run_node.py demo --once --json FILE``: six real nodes, one round, figures that add up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def test_demo_once_writes_eu_totals_equal_to_the_sum_of_city_releases(tmp_path: Path) -> None:
    out = tmp_path / "demo.json"
    done = subprocess.run(
        [sys.executable, "run_node.py", "demo", "--once", "--json", str(out), "--reports", "80"],
        cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True, timeout=840,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    cities, eu = result["cities"], result["eu"]
    assert sorted(cities) == ["belfast", "groningen", "nicosia", "preston", "valencia"]
    assert eu["missing_cities"] == [] and eu["coverage"]["fraction"] == 1.0
    assert all(p["delivered"] == p["messages_queued"] > 0 for p in result["push"].values())

    released: dict[tuple[str, str], dict[str, int | None]] = {}
    for city, releases in cities.items():
        for release in releases:
            assert release["lineage"]["coverage"]["reports_pending"] == 0
            for cell in release["cells"]:
                if cell["category"] != "_T" and cell.get("area") in (None, "_T"):
                    released.setdefault((cell["period"], cell["category"]), {})[city] = (
                        cell["value"])
    assert eu["figures"] and len(eu["figures"]) == len(released)
    for fig in eu["figures"]:
        parts = released[(fig["key"]["period"], fig["key"]["category"])]
        values = [v for v in parts.values() if v is not None]
        assert fig["value"] == (sum(values) if values else None)
        assert {c["city"]: c["value"] for c in fig["contributions"]} == parts
        assert fig["suppressed"] == (None in parts.values())
        assert fig["lower_bound"] == (fig["suppressed"] or bool(fig["missing_cities"]))
    flags = {(f["suppressed"], f["rounded"], f["noised"]) for f in eu["figures"]}
    assert any(s for s, _, _ in flags) and any(r for _, r, _ in flags) and any(
        n for _, _, n in flags)
