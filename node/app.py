"""Flask application factory. No work happens at import time."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, current_app

from node.context import NodeContext, build_context
from node.errors import register_error_handlers
from node.security import AuthFailureBrake, add_security_headers
from node.settings import Settings

EXTENSION = "inspec2t_node"


def node_context() -> NodeContext:
    """The node context of the app handling the current request."""
    ctx: NodeContext = current_app.extensions[EXTENSION]
    return ctx


def create_app(
    settings: Settings, *, context: NodeContext | None = None, config: dict[str, Any] | None = None
) -> Flask:
    """Build the node's WSGI app for ``settings`` (or an already built ``context``)."""
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    app = Flask("node", static_folder=None)
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        JSON_SORT_KEYS=False,
    )
    if config:
        app.config.update(config)
    ctx = context or build_context(settings)
    ctx.extras.setdefault("auth_brake", AuthFailureBrake())
    app.extensions[EXTENSION] = ctx
    register_error_handlers(app)
    add_security_headers(app)

    from node.api.federation import bp as federation_bp
    from node.api.meta import bp as meta_bp
    from node.api.reports import bp as reports_bp

    app.register_blueprint(meta_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(federation_bp)
    from node.dashboard import register as register_eu_and_dashboard

    register_eu_and_dashboard(app)
    for register in ctx.extras.get("blueprint_hooks", []):
        register(app)
    return app
