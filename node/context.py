"""Everything a running node needs, built once from its settings and shared by app and CLI."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from keys.at_rest import DataKeyring, load_keyring
from node.db import make_engine, make_session_factory
from node.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class NodeContext:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    keyring: DataKeyring
    # The policy in force (policies.model.Policy) or None before one is loaded.
    policy: Any = None
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def city(self) -> str:
        return str(self.settings.city)

    @property
    def policy_hash(self) -> str | None:
        return None if self.policy is None else str(self.policy.hash)

    def iccs_for(self, local_category: str) -> str | None:
        """The ICCS code the city's policy maps ``local_category`` to, if any."""
        if self.policy is None:
            return None
        result = self.policy.categories.iccs_for(local_category)
        return None if result is None else str(result)

    def area_for(self, lat: float | None, lon: float | None) -> str | None:
        if self.policy is None or lat is None or lon is None:
            return None
        area = self.policy.geography.area_for(lat, lon)
        return None if area is None else str(area)

    def retention_until(self, iccs_code: str | None, received_at: datetime) -> datetime:
        """When the raw report must be gone: the longest of its kept parts per the policy."""
        days = int(self.settings.retention_days_default)
        if self.policy is not None:
            days = int(self.policy.retention.longest_days(iccs_code))
        return received_at + timedelta(days=days)


# Steps other areas add to every new context (e.g. the policy watcher puts its status provider
# and blueprint hook in ``extras``); each takes the context and must not touch the database.
CONTEXT_HOOKS: list[Callable[[NodeContext], None]] = []


def build_context(settings: Settings, *, policy: Any = None) -> NodeContext:
    """Open the database and keyring named by ``settings``."""
    engine = make_engine(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
    ctx = NodeContext(
        settings=settings,
        engine=engine,
        sessions=make_session_factory(engine),
        keyring=load_keyring(settings.key_dir),
        policy=policy,
    )
    from node.policy_versions import install_watcher

    # The policy watcher is part of every node, however it is started (CLI, server, tests).
    for hook in (install_watcher, *CONTEXT_HOOKS):
        hook(ctx)
    return ctx
