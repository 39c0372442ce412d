"""The Alembic migrations create exactly the tables the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from node.db import pending_migrations
from node.models import load_all_models


def test_migrations_match_the_models(ctx) -> None:
    metadata = load_all_models().metadata
    with ctx.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
    assert pending_migrations(ctx.engine) == set()
