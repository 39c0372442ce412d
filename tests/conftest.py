"""Shared fixtures: a real node home per test, on SQLite and on PostgreSQL.

Every test that asks for ``ctx``, ``app`` or ``client`` runs twice: once on a temporary SQLite
file and once on a fresh schema of the PostgreSQL server at 127.0.0.1:5432 (database ``test``,
trust auth; override with TEST_POSTGRES_URL). In CI a missing PostgreSQL fails the run; on a
developer machine without one those cases are skipped with the reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _postgres_schema_url() -> Iterator[str]:
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        admin.dispose()
        if os.environ.get("CI"):
            raise RuntimeError(f"PostgreSQL at {POSTGRES_URL} is required in CI") from exc
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}")
    sep = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'node.db'}"
    else:
        yield from _postgres_schema_url()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'node.db'}"


def make_home(path: Path, city: str, database_url: str) -> Path:
    """A real node home made by the real `init` command."""
    from node.cli import cli

    result = CliRunner().invoke(
        cli, ["init", "--city", city, "--home", str(path), "--database-url", database_url]
    )
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def node_home(tmp_path: Path, database_url: str) -> Path:
    return make_home(tmp_path / "home", "belfast", database_url)


@pytest.fixture
def sqlite_home(tmp_path: Path, sqlite_url: str) -> Path:
    return make_home(tmp_path / "home", "belfast", sqlite_url)


@pytest.fixture
def ctx(node_home: Path) -> Iterator[Any]:
    from node.cli import load_context

    context = load_context(node_home)
    yield context
    context.engine.dispose()


@pytest.fixture
def app(ctx: Any) -> Any:
    from node.app import create_app

    return create_app(ctx.settings, context=ctx, config={"TESTING": True})


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()


@pytest.fixture
def make_token(ctx: Any) -> Callable[[str], str]:
    from node.auth import create_token
    from node.db import transaction

    def make(role: str) -> str:
        with transaction(ctx.sessions) as session:
            secret, _ = create_token(session, role, f"test {role}")
        return secret

    return make


@pytest.fixture
def auth(make_token: Callable[[str], str]) -> Callable[[str], dict[str, str]]:
    """``auth("officer")`` -> headers with a fresh token of that role."""
    cache: dict[str, str] = {}

    def headers(role: str) -> dict[str, str]:
        if role not in cache:
            cache[role] = make_token(role)
        return {"Authorization": f"Bearer {cache[role]}"}

    return headers


def _valid_report(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "occurred_at": "2026-03-01T18:30:00Z",
        "category": "burglary",
        "language": "en",
        "description": "Someone forced the back door and took a laptop.",
        "location": {"lat": 54.597, "lon": -5.93, "address": "12 Donegall Road"},
        "channel": "app",
        "reporter_contact": "witness@example.org",
    }
    body.update(overrides)
    return body


@pytest.fixture
def report_body() -> Callable[..., dict[str, Any]]:
    """``report_body(description=...)`` -> a valid report submission with overrides."""
    return _valid_report
