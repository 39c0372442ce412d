"""Database engine, sessions and schema migrations (Alembic, upgraded to every head)."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class DatabaseError(Exception):
    """The database cannot be reached or is not at the expected schema; says what to do."""


def make_engine(url: str, *, sqlite_synchronous: str = "FULL") -> Engine:
    """Engine for ``url``; SQLite gets WAL, a busy timeout and foreign keys."""
    # hide_parameters: a failed statement must never put report text into an error or a log.
    kwargs: dict[str, Any] = {"future": True, "hide_parameters": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA synchronous={sqlite_synchronous}")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, future=True)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work is committed on success and rolled back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def write_turn(engine: Engine) -> Iterator[None]:
    """Wait in the kernel for this process's turn to write to a SQLite file.

    SQLite lets one writer in at a time and makes the others poll with growing sleeps (1, 2, 5,
    10... ms), which is what makes tail latency under many concurrent reports. An ``flock`` on a
    file beside the database queues the gunicorn workers instead and wakes the next one as soon
    as the lock is free. PostgreSQL needs nothing of the kind.
    """
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    fd = os.open(f"{database}.write-lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


# Alembic keeps the running migration in module globals: two threads upgrading at once (nodes
# opened side by side in one process) would trample each other.
_UPGRADE_LOCK = threading.Lock()


def upgrade(engine: Engine) -> None:
    """Bring the schema to every migration head (each area keeps its own branch)."""
    with _UPGRADE_LOCK:
        command.upgrade(_alembic_config(engine), "heads")


def pending_migrations(engine: Engine) -> set[str]:
    """Heads not yet applied to this database (empty when up to date)."""
    script = ScriptDirectory.from_config(_alembic_config(engine))
    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    applied: set[str] = set()
    for rev in current:
        applied.update(r.revision for r in script.iterate_revisions(rev, "base"))
    return {h for h in script.get_heads() if h not in applied}
