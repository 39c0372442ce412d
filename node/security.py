"""Response security headers and a brake on repeated authentication failures."""

from __future__ import annotations

import threading
import time
from collections import deque

from flask import Flask, Response, request

from node.errors import ApiError

# Pages set their own stricter policy when they need scripts or styles from 'self'.
DEFAULT_CSP = (
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


def add_security_headers(app: Flask) -> None:
    @app.after_request
    def _headers(resp: Response) -> Response:
        resp.headers.setdefault("Content-Security-Policy", DEFAULT_CSP)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("Referrer-Policy", "no-referrer")
        resp.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        resp.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if request.path.startswith("/api/"):
            resp.headers.setdefault("Cache-Control", "no-store")
        return resp


class AuthFailureBrake:
    """Refuses a client address for a while after too many failed authentications.

    Hand-written because what is counted is the failure, decided inside the auth check, not
    the request; a rate-limiting library counts requests. State is per process: with N server
    workers an attacker gets at most N x ``max_failures`` guesses per window, which against
    256-bit random tokens is what matters (slowing log flooding and scans), not secrecy.
    """

    def __init__(self, max_failures: int = 20, window_seconds: float = 60.0) -> None:
        self.max_failures = max_failures
        self.window = window_seconds
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        times = self._failures.setdefault(client, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def check(self, client: str) -> None:
        """Raise 429 if ``client`` has failed too often recently."""
        now = time.monotonic()
        with self._lock:
            times = self._recent(client, now)
            if len(times) >= self.max_failures:
                retry = int(self.window - (now - times[0])) + 1
                raise ApiError(429, "too_many_failures",
                               f"Too many failed authentications from this address; "
                               f"retry in {retry} s.")

    def failed(self, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._recent(client, now).append(now)
            if len(self._failures) > 10_000:
                # Bound memory under a scan from many addresses: forget the stalest.
                for key in list(self._failures)[:5_000]:
                    del self._failures[key]
