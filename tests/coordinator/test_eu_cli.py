"""`run_node.py eu export|bundle|alerts` on a real node home."""

from __future__ import annotations

import csv
import io
import zipfile

from click.testing import CliRunner

from node.cli import _register_modules, cli, load_context
from tests.coordinator import federation_data as data

QUERY = ["--category", "0501", "--from", "2025-11", "--to", "2026-10"]


def _home_with_releases(sqlite_home):
    ctx = load_context(sqlite_home)
    data.store_releases(ctx)
    ctx.engine.dispose()
    if "eu" not in cli.commands:
        _register_modules()
    return str(sqlite_home)


def test_export_csv_equals_the_figures_and_marks_suppressed(sqlite_home):
    home = _home_with_releases(sqlite_home)
    result = CliRunner().invoke(cli, ["eu", "export", "--home", home, *QUERY])
    assert result.exit_code == 0, result.output
    rows = {(r["city"], r["period"]): r for r in csv.DictReader(io.StringIO(result.output))}
    assert rows[("belfast", "2026-10")]["value"] == "41"
    assert rows[("valencia", "2026-06")]["status"] == "suppressed"


def test_export_refuses_a_bad_category_naming_the_option(sqlite_home):
    home = _home_with_releases(sqlite_home)
    result = CliRunner().invoke(cli, ["eu", "export", "--home", home, "--category", "burglary"])
    assert result.exit_code == 2 and "--category" in result.output


def test_bundle_writes_a_zip_with_a_manifest(sqlite_home, tmp_path):
    home = _home_with_releases(sqlite_home)
    out = tmp_path / "b.zip"
    result = CliRunner().invoke(cli, ["eu", "bundle", "--home", home, *QUERY, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "manifest.json" in zipfile.ZipFile(out).namelist()


def test_alerts_run_finds_the_spike_and_lists_it_as_pending_send(sqlite_home):
    home = _home_with_releases(sqlite_home)
    result = CliRunner().invoke(cli, ["eu", "alerts", "--home", home, "--run"])
    assert result.exit_code == 0, result.output
    assert "ICCS 0501 rose in 2 cities in 2026-10: belfast, preston. (pending_send)" in (
        result.output
    )
