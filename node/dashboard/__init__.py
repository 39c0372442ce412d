"""The node's web pages: the coordinator's EU dashboard and a city's own local pages.

Server-rendered Jinja pages; charts are drawn by the vendored Chart.js from a JSON block in the
page (no inline script, no CDN: the pages work with no internet and under a strict CSP).
"""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Add the EU API and the dashboard to ``app`` (called by ``node.app.create_app``)."""
    from federation.alerts import install_inbox_handler
    from node.api.eu import bp as eu_bp
    from node.dashboard.session import configure_sessions
    from node.dashboard.views import bp as dashboard_bp

    configure_sessions(app, node_context_secret(app))
    app.register_blueprint(eu_bp)
    app.register_blueprint(dashboard_bp)
    install_inbox_handler()


def node_context_secret(app: Flask) -> bytes:
    """The session-signing key, derived from the node's data keyring (never stored)."""
    from node.app import EXTENSION

    return bytes(app.extensions[EXTENSION].keyring.derive_secret("dashboard-session"))
