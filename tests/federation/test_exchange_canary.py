"""Raw report text and contact details never leave the node (DESIGN invariant 1).

Unique canary strings are planted in report descriptions and contacts; the reports go through
the real redaction worker, a push round and a pull query over real HTTP. Every byte sent and
received, every message decrypted with the recipient's key, everything the coordinator stored
and every log line is searched: no canary may appear anywhere.
"""

from __future__ import annotations

import base64
import logging
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import nacl.public
import pytest
from sqlalchemy import select

from anonymisation.disclosure.periods import period_of
from federation.canonical import parse_canonical
from federation.exchange import load_identity, push_round
from federation.query import decode_answer, new_query, send_query
from federation.transport import HttpTransport
from node.app import create_app
from node.cli import load_context
from node.db import transaction
from node.demo import LoopbackServer, NodeSpec, build_federation
from node.models.federation import OutboxMessage, ReceivedRelease
from node.redaction import build_redactor, redact_pending
from node.reports import create_report
from node.validation import ReportInput


@dataclass
class RecordingTransport:
    """The real HTTP transport, keeping every request and response body."""

    inner: HttpTransport = field(default_factory=HttpTransport)
    wire: list[bytes] = field(default_factory=list)

    def send(self, url: str, body: bytes) -> bytes:
        self.wire.append(body)
        answer = self.inner.send(url, body)
        self.wire.append(answer)
        return answer


def _opened_texts(raw: bytes, keys: dict[str, nacl.public.PrivateKey]) -> list[bytes]:
    """The decrypted signed record and its decoded statement of a sealed envelope."""
    envelope = parse_canonical(raw)
    box = nacl.public.SealedBox(keys[envelope["recipient_key_id"]])
    record = box.decrypt(base64.b64decode(envelope["ciphertext"]))
    return [record, base64.b64decode(parse_canonical(record)["statement"])]


@pytest.mark.timeout(600)
def test_no_canary_from_reports_appears_in_any_message_or_log(
    tmp_path: Path, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    servers = [LoopbackServer(), LoopbackServer()]
    specs = [
        NodeSpec("belfast", "belfast", frozenset({"city"}), tmp_path / "belfast",
                 servers[0].port),
        NodeSpec("eu-coordinator", "belfast", frozenset({"coordinator"}), tmp_path / "coord",
                 servers[1].port, database_url=database_url),
    ]
    build_federation(specs, tmp_path / "root", now=datetime.now(UTC))
    city, coordinator = (load_context(s.home) for s in specs)
    for server, c in zip(servers, (city, coordinator), strict=True):
        server.start(create_app(c.settings, context=c))
    try:
        canaries: list[str] = []
        last_month = period_of(datetime.now(UTC), "month").previous(1)[0]
        with transaction(city.sessions) as session:
            for i in range(12):
                name = f"Qx{secrets.token_hex(6)}"
                contact = f"qx{secrets.token_hex(6)}@example.org"
                canaries += [name, contact]
                create_report(city, session, ReportInput(
                    occurred_at=last_month.start + timedelta(days=i, hours=3),
                    category="burglary", iccs_code=None, language="en",
                    description=f"My name is {name}; the burglar took my laptop. Mail {contact}",
                    lat=54.597, lon=-5.93, address=f"{i} {name} Road", channel="app",
                    reporter_contact=contact, external_id=None,
                ))
        assert redact_pending(city, build_redactor(city, workers=1), limit=100).redacted == 12

        transport = RecordingTransport()
        summary = push_round(city, transport=transport)
        assert summary.delivered > 0
        result = send_query(coordinator, load_identity(coordinator), transport, "belfast",
                            new_query(dimensions={"category", "period"}, category_level=2,
                                      period_from=last_month.label, period_to=last_month.label),
                            now=datetime.now(UTC))
        assert result.releases

        now = datetime.now(UTC)
        keys = {**load_identity(coordinator).decryption_keys(now),
                **load_identity(city).decryption_keys(now)}
        haystack: list[bytes] = list(transport.wire)
        for body in transport.wire:
            if body.startswith(b'{"ciphertext"'):
                haystack += _opened_texts(body, keys)
            elif b"inspec2t-query-answer" in body:
                for raw in decode_answer(body):
                    haystack += _opened_texts(raw, keys)
        with transaction(coordinator.sessions) as session:
            for row in session.execute(select(ReceivedRelease)).scalars():
                haystack += [row.signed_record, repr(row.payload).encode()]
        with transaction(city.sessions) as session:
            haystack += [r.sealed for r in session.execute(select(OutboxMessage)).scalars()]
        haystack += [record.getMessage().encode() for record in caplog.records]
        decrypted = len(haystack) - len(transport.wire)
        assert decrypted >= 2 * len(transport.wire) // 2  # every envelope was opened
        assert any(b"belfast.coordinator." in h for h in haystack)
        for canary in canaries:
            hits = [h for h in haystack if canary.encode() in h or canary.lower().encode() in h]
            assert not hits, f"canary {canary} leaked"
    finally:
        for server in servers:
            server.stop()
        city.engine.dispose()
        coordinator.engine.dispose()
