"""The command line: init, settings, status, tokens, help everywhere, clean errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from node.cli import cli
from node.settings import SETTINGS, SettingsError, build_settings


def test_init_refuses_to_overwrite_a_node(node_home) -> None:
    result = CliRunner().invoke(cli, ["init", "--city", "preston", "--home", str(node_home)])
    assert result.exit_code == 1
    assert "already holds a node" in result.output


def test_commands_on_a_missing_home_say_to_run_init(tmp_path) -> None:
    result = CliRunner().invoke(cli, ["status", "--home", str(tmp_path / "nothing")])
    assert result.exit_code == 1
    assert "run_node.py init" in result.output and "Traceback" not in result.output


def test_status_reports_counts(node_home) -> None:
    result = CliRunner().invoke(cli, ["status", "--home", str(node_home)])
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert info["reports"] == {"pending": 0, "redacted": 0}
    assert info["schema_up_to_date"] is True


def test_tokens_create_prints_a_working_token(node_home, ctx) -> None:
    from node.auth import authenticate

    result = CliRunner().invoke(cli, ["tokens", "create", "--role", "analyst", "--home",
                                      str(node_home)])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[0]
    with ctx.sessions() as session:
        assert authenticate(session, token).role == "analyst"


def _all_commands(group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if hasattr(command, "commands"):
            yield from _all_commands(command, (*prefix, name))


@pytest.mark.parametrize("path", list(_all_commands(cli)))
def test_every_command_has_help(path) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_settings_command_documents_every_setting() -> None:
    out = CliRunner().invoke(cli, ["settings"]).output
    for s in SETTINGS:
        assert f"{s.name} (" in out and f"NODE_{s.name.upper()}" in out


SETTINGS_CASES = [
    ({"city": "belfast", "max_body_byte": 10}, {}, "did you mean 'max_body_bytes'"),
    ({"city": "belfast", "max_body_bytes": "big"}, {}, "'max_body_bytes' expected a whole number"),
    ({"city": "belfast", "server_workers": True}, {}, "'server_workers' expected a whole number"),
    ({"city": "atlantis"}, {}, "'city' expected one of"),
    ({"city": "belfast"}, {"NODE_PORTT": "1"}, "NODE_PORTT"),
    ({"city": "belfast"}, {"NODE_PORT": "eighty"}, "'port' expected a whole number"),
    ({"city": "belfast"}, {"NODE_SCHEDULER_ENABLED": "maybe"}, "true or false"),
    ({"city": "belfast", "languages": "en"}, {}, "'languages' expected a list"),
    ({"city": "belfast", "log_level": "LOUD"}, {}, "expected one of DEBUG"),
]


@pytest.mark.parametrize(("file_values", "env", "message"), SETTINGS_CASES)
def test_bad_settings_stop_startup_naming_the_key(tmp_path, file_values, env, message) -> None:
    with pytest.raises(SettingsError, match=message.replace("(", r"\(")):
        build_settings(tmp_path, file_values, env, "settings.toml")


def test_environment_overrides_file_and_nodejs_variables_are_ignored(tmp_path) -> None:
    s = build_settings(tmp_path, {"city": "groningen", "port": 9000},
                       {"NODE_PORT": "9100", "NODE_OPTIONS": "--max-old-space-size=1",
                        "NODE_LANGUAGES": "nl,en", "NODE_SPACY_MODELS": '{"nl": "nl_x"}'},
                       "settings.toml")
    assert s.port == 9100 and s.languages == ["nl", "en"] and s.spacy_models == {"nl": "nl_x"}
    assert s.node_id == "groningen"


def test_damaged_settings_file_is_reported_not_crashed(node_home) -> None:
    (node_home / "settings.toml").write_text("city = [unclosed", encoding="utf-8")
    result = CliRunner().invoke(cli, ["status", "--home", str(node_home)])
    assert result.exit_code == 1 and "not valid TOML" in result.output
