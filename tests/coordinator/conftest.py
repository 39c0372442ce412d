"""A coordinator node holding the planted releases of tests/coordinator/federation_data.py."""

from __future__ import annotations

from typing import Any

import pytest

from tests.coordinator import federation_data


@pytest.fixture
def releases(ctx: Any) -> int:
    return federation_data.store_releases(ctx)
