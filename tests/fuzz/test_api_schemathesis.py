"""Schemathesis against the node's own OpenAPI document: every operation, every role.

No generated request may produce a 5xx or a response that breaks the document.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from node.auth import ROLES

# Bounded for CI; raise it for a longer hunt: FUZZ_EXAMPLES=500 pytest tests/fuzz
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))


@pytest.fixture
def api_schema(sqlite_home):
    from node.app import create_app
    from node.cli import load_context

    ctx = load_context(sqlite_home)
    app = create_app(ctx.settings, context=ctx)
    # Fuzzing sends thousands of requests with bad tokens on purpose; no brake here.
    ctx.extras["auth_brake"].max_failures = 10**9
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture
def role_headers(sqlite_home, api_schema) -> dict[str, dict[str, str]]:
    """Headers per role, plus no token at all."""
    from node.auth import create_token
    from node.cli import load_context
    from node.db import transaction

    ctx = load_context(sqlite_home)
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    with transaction(ctx.sessions) as session:
        for role in sorted(ROLES):
            token, _ = create_token(session, role, "fuzz")
            headers[role] = {"Authorization": f"Bearer {token}"}
    ctx.engine.dispose()
    return headers


def test_no_request_breaks_the_node_or_its_document(api_schema, role_headers) -> None:
    # Driven through hypothesis directly: one property per operation, every role per example.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 6
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case) -> None:
            for headers in role_headers.values():
                case.call_and_validate(
                    headers=headers,
                    checks=[not_a_server_error, status_code_conformance,
                            content_type_conformance, response_schema_conformance],
                )

        check()
