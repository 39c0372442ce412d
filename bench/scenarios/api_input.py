"""Bad input over HTTP: every case sent N times to a real server, each with its own canary.

Rejected = a 4xx in the one error shape. Failed = anything else (a 5xx, a 2xx, HTML, a stack
trace) or a report stored. Leaked = the attempt's canary found in the response, the server's
log or any file of the node home.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests

from bench.scenarios.harness import (
    Server,
    bytes_under,
    canary,
    count_reports,
    create_token,
    init_home,
    is_error_shape,
    report_body,
)
from bench.scenarios.outcome import Outcome

JSON = "application/json"


@dataclass(frozen=True)
class BadInput:
    name: str
    build: Callable[[str], tuple[bytes, str]]  # canary -> (body bytes, content type)
    status: int


def _json(**overrides: object) -> Callable[[str], tuple[bytes, str]]:
    def build(mark: str) -> tuple[bytes, str]:
        fields = {k: (mark if v is _MARK else v) for k, v in overrides.items()}
        return json.dumps(report_body(description=mark, **fields)).encode(), JSON

    return build


_MARK = object()


def _raw(template: bytes, ctype: str = JSON) -> Callable[[str], tuple[bytes, str]]:
    return lambda mark: (template.replace(b"@", mark.encode()), ctype)


CASES: list[BadInput] = [
    BadInput("malformed JSON (truncated)", _raw(b'{"description": "@", "occurred_at": '), 400),
    BadInput("not a JSON object", _raw(b'["@"]'), 400),
    BadInput("wrong type: category is a number", _json(category=5), 400),
    BadInput("wrong type: location is a string", _json(location=_MARK), 400),
    BadInput("unknown field (canary in its value)", _json(nickname=_MARK), 400),
    BadInput("NUL byte in the description",
             lambda m: (json.dumps(report_body(description=m + "\x00")).encode(), JSON), 400),
    BadInput("invalid UTF-8",
             _raw(b'{"occurred_at": "2026-03-01T18:30:00Z", "category": "burglary", '
                  b'"description": "\xff\xfe@"}'), 400),
    BadInput("absurd date (year 1066)", _json(occurred_at="1066-10-14T10:00:00Z"), 400),
    BadInput("date in the future (year 2999)", _json(occurred_at="2999-01-01T00:00:00Z"), 400),
    BadInput("date field holds the canary", _json(occurred_at=_MARK), 400),
    BadInput("latitude out of range", _json(location={"lat": 91.0, "lon": 0.0}), 400),
    BadInput("longitude out of range", _json(location={"lat": 0.0, "lon": -180.5}), 400),
    BadInput("NaN coordinate",
             _raw(b'{"occurred_at": "2026-03-01T18:30:00Z", "category": "burglary", '
                  b'"description": "@", "location": {"lat": NaN, "lon": 0}}'), 400),
    BadInput("oversized body (over max_body_bytes)",
             lambda m: (json.dumps(report_body(description=m + "x" * 70_000)).encode(), JSON),
             413),
    BadInput("wrong content type (form)",
             _raw(b"description=@", "application/x-www-form-urlencoded"), 415),
    BadInput("wrong content type (text/plain JSON)",
             lambda m: (json.dumps(report_body(description=m)).encode(), "text/plain"), 415),
    BadInput("duplicate keys",
             _raw(b'{"occurred_at": "2026-03-01T18:30:00Z", "category": "burglary", '
                  b'"description": "@", "description": "@"}'), 400),
    BadInput("deep nesting (20,000 levels)",
             lambda m: (b"[" * 20_000 + json.dumps(m).encode() + b"]" * 20_000, JSON), 400),
    BadInput("description over max_description_chars (20,000)",
             lambda m: (json.dumps(report_body(description=m + "y" * 25_000)).encode(), JSON),
             400),
    BadInput("language not served by this city", _json(language="xx"), 400),
    BadInput("channel not known", _json(channel=_MARK), 400),
    BadInput("empty body", _raw(b""), 400),
]



def run(workdir: Path, n: int) -> list[Outcome]:
    """Send every case ``n`` times; one Outcome per case."""
    home = init_home(workdir / "home")
    token = create_token(home, "officer")
    marks: dict[str, list[str]] = {}
    results: dict[str, Outcome] = {}
    with Server(home, workers=2) as server:
        for case in CASES:
            out = results[case.name] = Outcome(
                "bad input", case.name, tried=0, expected=f"{case.status}, error shape")
            seen: set[int] = set()
            for _ in range(n):
                mark = canary("in")
                marks.setdefault(case.name, []).append(mark)
                body, ctype = case.build(mark)
                # A new connection per request: a 413 may close the connection mid-body.
                resp = requests.post(f"{server.url}/api/v1/reports", data=body, timeout=60,
                                     headers={"Content-Type": ctype,
                                              "Authorization": f"Bearer {token}"})
                out.tried += 1
                seen.add(resp.status_code)
                if resp.status_code == case.status and is_error_shape(resp):
                    out.rejected += 1
                else:
                    out.failed += 1
                if mark in resp.text:
                    out.leaked += 1
            out.observed = "status " + ", ".join(str(s) for s in sorted(seen))
        log = server.log_text()
    stored = count_reports(home)
    files = [data for _, data in bytes_under(home)]
    for name, case_marks in marks.items():
        out = results[name]
        for mark in case_marks:
            if mark in log or any(mark.encode() in data for data in files):
                out.leaked += 1
    if stored:
        # Which case stored it cannot be told from sealed rows; charge the first row.
        first = next(iter(results.values()))
        first.failed += stored
        first.observed += f"; {stored} reports stored by bad input"
    return list(results.values())
