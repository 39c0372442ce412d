"""Bulk import from CSV and JSONL: counted, idempotent, rejects explained without content."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from node.cli import cli
from node.models.reports import Report

CANARY = "Import-canary-Niamh-Kelly"


def _jsonl(path: Path, rows: list) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n",
                    encoding="utf-8")
    return path


def _good(i: int) -> dict:
    return {"occurred_at": f"2026-02-0{1 + i % 9}T10:00:00Z", "category": "theft",
            "description": f"bike {i} taken", "language": "en"}


def test_jsonl_import_counts_and_rerun_adds_nothing(node_home, ctx, tmp_path) -> None:
    rows = [_good(i) for i in range(20)]
    rows.insert(5, "{not json")
    rows.insert(9, {"occurred_at": "2026-02-01T10:00:00Z", "category": "theft",
                    "description": CANARY, "lat": 3})
    src = _jsonl(tmp_path / "reports.jsonl", rows)
    runner = CliRunner()
    first = runner.invoke(cli, ["import", str(src), "--home", str(node_home)])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout.strip().splitlines()[-1]) == {
        "rows": 22, "added": 20, "duplicates": 0, "rejected": 2}
    rejects = (tmp_path / "reports.jsonl.rejected.jsonl").read_text()
    assert CANARY not in rejects
    lines = [json.loads(line) for line in rejects.splitlines()]
    assert [r["line"] for r in lines] == [6, 10]
    assert "lat" in lines[1]["reasons"]
    second = runner.invoke(cli, ["import", str(src), "--home", str(node_home)])
    assert json.loads(second.stdout.strip().splitlines()[-1])["duplicates"] == 20
    with ctx.sessions() as session:
        assert session.query(Report).count() == 20


def test_csv_import_with_location_columns(node_home, ctx, tmp_path) -> None:
    src = tmp_path / "reports.csv"
    with src.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["external_id", "occurred_at", "category", "description", "lat", "lon",
                         "address"])
        writer.writerow(["A-1", "2026-02-01T10:00:00Z", "burglary", "door forced", "54.6",
                         "-5.9", "3 Main Street"])
        writer.writerow(["A-2", "2026-02-02T10:00:00Z", "theft", "phone, taken\nat night", "",
                         "", ""])
        writer.writerow(["A-3", "2026-02-02T10:00:00Z", "theft", "bad lat", "north", "1", ""])
    result = CliRunner().invoke(cli, ["import", str(src), "--home", str(node_home)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "rows": 3, "added": 2, "duplicates": 0, "rejected": 1}
    with ctx.sessions() as session:
        keys = sorted(r.source_key for r in session.query(Report))
    assert keys == ["ext:A-1", "ext:A-2"]


def test_import_of_a_file_with_an_unknown_column_says_which(node_home, tmp_path) -> None:
    src = tmp_path / "bad.csv"
    src.write_text("occurred_at,category,description,victim_name\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(src), "--home", str(node_home)])
    assert result.exit_code == 1
    assert "victim_name" in result.output and "Traceback" not in result.output


def test_import_of_non_utf8_file_is_refused_clearly(node_home, tmp_path) -> None:
    src = tmp_path / "latin1.jsonl"
    src.write_bytes(b'{"description": "caf\xe9"}\n')
    result = CliRunner().invoke(cli, ["import", str(src), "--home", str(node_home)])
    assert result.exit_code == 1 and "UTF-8" in result.output


def test_import_is_audited_with_counts_only(node_home, ctx, tmp_path) -> None:
    from node.models.audit import AuditEntry

    src = _jsonl(tmp_path / "r.jsonl", [_good(1)])
    CliRunner().invoke(cli, ["import", str(src), "--home", str(node_home)])
    with ctx.sessions() as session:
        entry = session.query(AuditEntry).filter_by(action="reports.imported").one()
    assert entry.details["added"] == 1 and "bike" not in json.dumps(entry.details)
