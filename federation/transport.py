"""How sealed bytes reach another node: one method behind a Protocol, so the protocol above it
is tested against in-memory peers and, in integration tests, against real nodes on loopback.

Two failure roots, as in python-tuf: ``TransportError`` (we could not get an answer: network,
timeout, 5xx; retry later) and ``PeerRejectedError`` (the peer answered and refused the message,
with its plain reason from the node's one JSON error shape).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests

INBOX_PATH = "/api/v1/federation/inbox"
QUERY_PATH = "/api/v1/federation/query"
CONTENT_TYPE = "application/octet-stream"


class TransportError(Exception):
    """No usable answer from the peer (unreachable, timed out, server error): retry later."""


class PeerRejectedError(Exception):
    """The peer answered with an error: HTTP status, the error code and its plain message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"peer refused the message ({status} {code}): {message}")
        self.status = status
        self.code = code
        self.message = message


class Transport(Protocol):
    """Deliver ``body`` to ``url`` and return the peer's response body."""

    def send(self, url: str, body: bytes) -> bytes: ...


def endpoint_url(base: str, path: str) -> str:
    """A roster endpoint (``http://host:port`` or with a path prefix) plus an API path."""
    return base.rstrip("/") + path


def _raise_for(status: int, body: bytes) -> None:
    if status < 400:
        return
    if status >= 500:
        raise TransportError(f"peer answered HTTP {status}; it will be retried")
    try:
        error = json.loads(body)["error"]
        code, message = str(error["code"]), str(error["message"])
    except (ValueError, KeyError, TypeError):
        code, message = "http_error", f"HTTP {status} without the node error shape"
    raise PeerRejectedError(status, code, message)


@dataclass
class HttpTransport:
    """``requests`` over HTTP(S), with a timeout; no redirects (a peer's endpoint is exact)."""

    timeout: float = 10.0
    session: requests.Session = field(default_factory=requests.Session)

    def send(self, url: str, body: bytes) -> bytes:
        try:
            response = self.session.post(
                url,
                data=body,
                headers={"Content-Type": CONTENT_TYPE},
                timeout=self.timeout,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            raise TransportError(
                f"could not reach {urlsplit(url).netloc}: {type(exc).__name__}"
            ) from exc
        _raise_for(response.status_code, response.content)
        return response.content


@dataclass
class InMemoryTransport:
    """Peers are Flask apps in this process, addressed by their roster endpoint (base URL).

    ``down`` holds base URLs that behave as unreachable, to test retries without sockets.
    """

    apps: Mapping[str, Any]
    down: set[str] = field(default_factory=set)
    sent: list[tuple[str, bytes]] = field(default_factory=list)

    def send(self, url: str, body: bytes) -> bytes:
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        self.sent.append((url, body))
        if base in self.down or base not in self.apps:
            raise TransportError(f"could not reach {parts.netloc}: ConnectionError")
        response = self.apps[base].test_client().post(
            parts.path, data=body, headers={"Content-Type": CONTENT_TYPE}
        )
        _raise_for(response.status_code, response.get_data())
        return bytes(response.get_data())
