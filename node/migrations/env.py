"""Alembic environment: the engine comes from the node, never from an ini file."""

from __future__ import annotations

from alembic import context

from node.models import load_all_models

target_metadata = load_all_models().metadata
engine = context.config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()
