"""All tables of the node. Importing this package registers every model on ``Base.metadata``."""

from __future__ import annotations

import importlib
import pkgutil

from node.models.base import Base


def load_all_models() -> type[Base]:
    """Import every module in this package so each area's tables join the metadata."""
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    return Base
