"""Load the city's policy for the node, failing closed."""

from __future__ import annotations

from typing import Any

from node.settings import Settings, SettingsError


def load_policy_for(settings: Settings) -> Any:
    """The validated policy named by ``settings.policy_file``.

    An invalid policy stops start-up: the node never runs under rules the DPO did not state.
    """
    from policies.errors import PolicyError
    from policies.loader import load_policy

    try:
        return load_policy(settings.policy_file)
    except PolicyError as exc:
        raise SettingsError(
            f"the node will not start under an invalid policy:\n{exc}\n"
            "Fix the file (run `run_node.py policy check FILE`) or set policy_file."
        ) from exc
