"""The OpenAPI document matches the real routes and the roles they enforce."""

from __future__ import annotations

import re

from node.access import ENDPOINT_ROLES


def _doc_path(rule: str) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule)


def test_openapi_documents_every_route_with_its_roles(app, client) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    documented = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    real = set()
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            real.add((_doc_path(rule.rule), method))
            op = doc["paths"][_doc_path(rule.rule)][method.lower()]
            assert op["x-roles"] == list(ENDPOINT_ROLES[f"{view.__module__}.{view.__name__}"])
    assert documented == real


def test_openapi_error_responses_use_the_error_schema(client) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    for ops in doc["paths"].values():
        for op in ops.values():
            for status, response in op["responses"].items():
                if status.startswith(("4", "5")):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}
