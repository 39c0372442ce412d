"""Load the city's policy for the node, failing closed."""

from __future__ import annotations

from typing import Any

from node.settings import Settings


def load_policy_for(settings: Settings) -> Any:
    """The policy named by ``settings.policy_file``, or None while no loader is installed."""
    try:
        from policies.loader import load_policy
    except ImportError:
        return None
    return load_policy(settings.policy_file)
