"""Command line of the node: ``python run_node.py COMMAND`` or ``run-node COMMAND``.

Every command takes ``--home DIR`` (default ``$NODE_HOME``, else ``./node-home``). Errors are
one plain line saying what to do, never a stack trace.
"""

from __future__ import annotations

import functools
import importlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from node.settings import CITIES, SETTINGS, SettingsError, load_settings, render_settings_file

F = TypeVar("F", bound=Callable[..., Any])

# Modules that each add one command or group to the CLI (``register(cli)`` or ``COMMANDS``).
COMMAND_MODULES: list[str] = [
    "node.commands.policy",
    "node.commands.anonymise",
    "node.commands.keys",
    "node.commands.federation_admin",
    "node.commands.federation",
    "node.commands.eu",
]


def home_option(func: F) -> F:
    """The ``--home`` option every command shares."""
    return click.option(
        "--home",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="NODE_HOME",
        default=Path("node-home"),
        show_default=True,
        show_envvar=True,
        help="The node's home directory (settings, database, keys).",
    )(func)


def load_context(home: Path) -> Any:
    """Settings + database + keyring of the node at ``home``, or a clean CLI error."""
    from keys.at_rest import AtRestError
    from node.context import build_context
    from node.db import DatabaseError, upgrade
    from node.settings_audit import record_settings_change

    try:
        settings = load_settings(home)
        ctx = build_context(settings, policy=_load_policy_or_none(settings))
        upgrade(ctx.engine)
        record_settings_change(ctx)
    except (SettingsError, AtRestError, DatabaseError) as exc:
        raise click.ClickException(str(exc)) from exc
    return ctx


def _load_policy_or_none(settings: Any) -> Any:
    from node.policy_runtime import load_policy_for

    return load_policy_for(settings)


def friendly_errors(func: F) -> F:
    """Turn the node's own error classes into one-line CLI errors."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from sqlalchemy.exc import OperationalError

        from keys.at_rest import AtRestError

        try:
            return func(*args, **kwargs)
        except (SettingsError, AtRestError) as exc:
            raise click.ClickException(str(exc)) from exc
        except OperationalError as exc:
            raise click.ClickException(
                f"the database is not usable ({type(exc.orig).__name__}); check database_url, "
                "disk space and that no other program holds a lock on it"
            ) from exc

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="inspec2t-node")
def cli() -> None:
    """INSPEC2T city node: citizen reports in, redacted; signed aggregates out."""


@cli.command()
@home_option
@click.option("--city", required=True, type=click.Choice(sorted(CITIES)), help="Pilot city.")
@click.option("--database-url", default=None, help="SQLAlchemy URL (default: SQLite in home).")
@click.option("--port", default=None, type=int, help="Port for `serve` (default 8470).")
@friendly_errors
def init(home: Path, city: str, database_url: str | None, port: int | None) -> None:
    """Create a node home: settings, data keys, database. Refuses to overwrite."""
    from keys.at_rest import create_keyring
    from node.context import build_context
    from node.db import upgrade

    if (home / "settings.toml").exists():
        raise click.ClickException(
            f"{home} already holds a node; choose another --home or remove it yourself"
        )
    home.mkdir(parents=True, exist_ok=True)
    values: dict[str, Any] = {"city": city}
    if database_url:
        values["database_url"] = database_url
    if port:
        values["port"] = port
    settings_path = home / "settings.toml"
    settings_path.write_text(render_settings_file(values), encoding="utf-8")
    try:
        settings = load_settings(home)
        create_keyring(settings.key_dir)
        ctx = build_context(settings)
        upgrade(ctx.engine)
        for hook in INIT_HOOKS:
            hook(ctx)
    except Exception:
        settings_path.unlink(missing_ok=True)
        raise
    click.echo(f"Created node for {city} in {home}")
    click.echo(f"  database: {settings.public_dict()['database_url']}")
    click.echo(f"  keys:     {settings.key_dir} (keep a backup; without them the data is lost)")
    click.echo(f"Next: run_node.py tokens create --role admin --home {home}")


# Extra steps of `init` added by other areas (e.g. federation keys); each takes the context.
INIT_HOOKS: list[Callable[[Any], None]] = []


@cli.command()
@home_option
@click.option("--host", default=None, help="Listen address (default from settings).")
@click.option("--port", default=None, type=int, help="Listen port (default from settings).")
@click.option("--workers", default=None, type=int, help="Worker processes.")
@click.option("--no-jobs", is_flag=True, help="Do not start the background jobs process.")
@friendly_errors
def serve(
    home: Path, host: str | None, port: int | None, workers: int | None, no_jobs: bool
) -> None:
    """Run the production server (gunicorn) and the background jobs."""
    from node.server import run_server

    ctx = load_context(home)
    ctx.engine.dispose()
    run_server(
        home,
        host or ctx.settings.host,
        port or ctx.settings.port,
        workers or ctx.settings.server_workers,
        ctx.settings.server_threads,
        jobs=not no_jobs and ctx.settings.scheduler_enabled,
    )


@cli.command()
@home_option
@friendly_errors
def jobs(home: Path) -> None:
    """Run the background jobs (redaction, retention, federation) in the foreground."""
    from node.jobs import run_jobs_forever

    run_jobs_forever(load_context(home))


@cli.command()
@home_option
@click.option("--limit", default=0, type=int, help="Stop after this many (0: all pending).")
@friendly_errors
def redact(home: Path, limit: int) -> None:
    """Redact pending reports now (the background job does this continuously)."""
    from node.redaction import build_redactor, redact_pending

    ctx = load_context(home)
    redactor = build_redactor(ctx)
    total = {"redacted": 0, "failed": 0}
    batch = ctx.settings.redaction_batch_size
    while not limit or total["redacted"] + total["failed"] < limit:
        run = redact_pending(ctx, redactor, limit=batch if not limit else min(batch, limit))
        total["redacted"] += run.redacted
        total["failed"] += run.failed
        if run.redacted + run.failed < batch:
            break
    click.echo(json.dumps(total))


@cli.command("import")
@home_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--rejects",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write rejected rows' reasons (default FILE.rejected.jsonl).",
)
@friendly_errors
def import_(home: Path, file: Path, rejects: Path | None) -> None:
    """Bulk-import reports from a CSV or JSONL file. Re-running adds no duplicates."""
    from node.importer import ImportFileError, import_file, write_rejects

    ctx = load_context(home)
    total = sum(1 for line in file.open("rb") if line.strip())
    try:
        with click.progressbar(length=total, label="Importing", file=sys.stderr) as bar:
            summary = import_file(ctx, file, progress=bar.update)
    except ImportFileError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(summary.as_dict()))
    if summary.rejects:
        target = rejects or file.with_suffix(file.suffix + ".rejected.jsonl")
        write_rejects(target, summary)
        click.echo(f"{summary.rejected} rows rejected; reasons per line in {target}", err=True)


@cli.group()
def tokens() -> None:
    """API tokens."""


@tokens.command("create")
@home_option
@click.option(
    "--role",
    required=True,
    type=click.Choice(["officer", "analyst", "dpo", "coordinator", "admin", "peer"]),
)
@click.option("--label", default="", help="Who or what uses the token.")
@friendly_errors
def tokens_create(home: Path, role: str, label: str) -> None:
    """Create a token; it is printed once and stored only as a hash."""
    from node.auth import create_token
    from node.db import transaction

    ctx = load_context(home)
    with transaction(ctx.sessions) as session:
        secret, token_id = create_token(session, role, label or role)
    click.echo(secret)
    click.echo(f"token {token_id} ({role}) created; it will not be shown again", err=True)


@cli.command()
@home_option
@friendly_errors
def status(home: Path) -> None:
    """Show the node's state: reports, schema, keys, policy."""
    from node.status import node_status

    click.echo(json.dumps(node_status(load_context(home)), indent=2))


@cli.command("settings")
def settings_help() -> None:
    """List every setting with its type, default and meaning."""
    for s in SETTINGS:
        default = json.dumps(s.default) if s.default not in ("", [], {}) else "(derived)"
        click.echo(f"{s.name} ({s.type.__name__}, default {default}; env NODE_{s.name.upper()})")
        click.echo(f"    {s.help}")


@cli.group()
def audit() -> None:
    """The hash-chained audit log."""


@audit.command("verify")
@home_option
@friendly_errors
def audit_verify(home: Path) -> None:
    """Check that no audit entry was edited or deleted. Exit 1 if one was."""
    from node import audit as audit_log
    from node.db import transaction

    ctx = load_context(home)
    with transaction(ctx.sessions) as session:
        problems = audit_log.verify(session)
    if problems:
        for p in problems:
            click.echo(f"audit entry {p.seq}: {p.problem}", err=True)
        raise SystemExit(1)
    click.echo("audit log intact")


@cli.group("data-key")
def data_key() -> None:
    """Keys that encrypt report text at rest."""


@data_key.command("rotate")
@home_option
@click.option("--reseal", is_flag=True, help="Also re-encrypt every stored value with the new key.")
@friendly_errors
def data_key_rotate(home: Path, reseal: bool) -> None:
    """Make a new active data key; old values stay readable with the old key."""
    from keys.at_rest import rotate_keyring
    from node.resealing import reseal_all

    settings = load_settings(home)
    ring = rotate_keyring(settings.key_dir)
    click.echo(f"active data key is now {ring.active_id}")
    if reseal:
        count = reseal_all(load_context(home))
        click.echo(f"re-encrypted {count} values")


def _register_modules() -> None:
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        module.register(cli)


def main() -> None:
    _register_modules()
    cli(prog_name="run_node.py")


__all__ = ["cli", "home_option", "load_context", "main"]
