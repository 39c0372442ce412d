"""Bad input and attacks against a node's federation endpoints, over real HTTP on loopback.

The coordinator (on the ``database_url`` fixture: SQLite and PostgreSQL) is served by a real
WSGI server in a thread; each attack is posted with ``requests``. Every case must be rejected
with its own error code in the one JSON error shape, store nothing, record no seen id, and
leave the node serving: a genuine message is accepted right after.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import nacl.public
import nacl.signing
import pytest
import requests
from click.testing import CliRunner
from sqlalchemy import func, select

from federation.canonical import b64encode, canonical_bytes, parse_canonical
from federation.envelope import seal_envelope
from federation.exchange import Identity, load_identity
from federation.limits import DEFAULT_LIMITS
from federation.messages import AggregateRelease
from federation.releases import as_message, ensure_release
from federation.roster import MemberKey, SignedRoster, sign_roster
from keys.federation_root import load_root_key
from keys.key_id import key_id_for
from node.app import create_app
from node.cli import load_context
from node.db import transaction
from node.demo import LoopbackServer, NodeSpec, build_federation
from node.models.federation import ReceivedRelease, SeenMessage

INBOX = "/api/v1/federation/inbox"


@dataclass
class Served:
    url: str
    coordinator: Any
    belfast: Any
    belfast_identity: Identity
    root_dir: Path
    roster_raw: bytes
    coordinator_home: Path
    valencia: Any

    def stored(self) -> tuple[int, int]:
        with transaction(self.coordinator.sessions) as session:
            return (
                session.execute(select(func.count()).select_from(ReceivedRelease)).scalar_one(),
                session.execute(select(func.count()).select_from(SeenMessage)).scalar_one(),
            )

    def release(self, now: datetime) -> AggregateRelease:
        from anonymisation.disclosure.periods import period_of

        period = period_of(now, "month").previous(1)[0].label
        with transaction(self.belfast.sessions) as session:
            local, _ = ensure_release(self.belfast, session, "coordinator", period, now=now)
            return as_message(local)

    def genuine(self, now: datetime) -> bytes:
        return self.belfast_identity.seal(self.release(now), "eu-coordinator", now).raw


@pytest.fixture
def served(tmp_path: Path, database_url: str) -> Iterator[Served]:
    servers = [LoopbackServer() for _ in range(3)]
    specs = [
        NodeSpec("belfast", "belfast", frozenset({"city"}), tmp_path / "belfast",
                 servers[0].port),
        NodeSpec("eu-coordinator", "belfast", frozenset({"coordinator"}), tmp_path / "coord",
                 servers[1].port, database_url=database_url),
        NodeSpec("valencia", "valencia", frozenset({"city"}), tmp_path / "valencia",
                 servers[2].port),
    ]
    raw = build_federation(specs, tmp_path / "root", now=datetime.now(UTC))
    belfast, coordinator, valencia = (load_context(s.home) for s in specs)
    for server, c in zip(servers, (belfast, coordinator, valencia), strict=True):
        server.start(create_app(c.settings, context=c))
    yield Served(specs[1].endpoint, coordinator, belfast, load_identity(belfast),
                 tmp_path / "root", raw, specs[1].home, valencia)
    for server in servers:
        server.stop()
    for c in (belfast, coordinator, valencia):
        c.engine.dispose()


# ---- attack builders: each returns the raw body to post ----


def _envelope_parts(raw: bytes) -> dict[str, Any]:
    return dict(parse_canonical(raw))  # type: ignore[arg-type]


def tampered_ciphertext(s: Served, now: datetime) -> bytes:
    env = _envelope_parts(s.genuine(now))
    cipher = bytearray(base64.b64decode(env["ciphertext"]))
    cipher[len(cipher) // 2] ^= 0x01
    env["ciphertext"] = b64encode(bytes(cipher))
    return canonical_bytes(env)


def tampered_signed_payload(s: Served, now: datetime) -> bytes:
    # The attacker cannot decrypt, but can encrypt a forged record to the recipient's public
    # key: take a genuinely signed statement, change one figure, keep the signature.
    sealed = s.belfast_identity.seal(s.release(now), "eu-coordinator", now)
    coordinator_key = s.belfast_identity.roster.encryption_key_for("eu-coordinator", now)
    keys = load_identity(s.coordinator).decryption_keys(now)
    record = parse_canonical(
        nacl.public.SealedBox(keys[coordinator_key.key_id]).decrypt(
            base64.b64decode(_envelope_parts(sealed.raw)["ciphertext"])
        )
    )
    statement = json.loads(base64.b64decode(record["statement"]))
    cell = next(c for c in statement["payload"]["cells"] if c["value"] is not None)
    cell["value"] += 100
    record = {**record, "statement": b64encode(canonical_bytes(statement))}
    forged = nacl.public.SealedBox(nacl.public.PublicKey(coordinator_key.public_key)).encrypt(
        canonical_bytes(record)
    )
    return canonical_bytes({**_envelope_parts(sealed.raw), "ciphertext": b64encode(forged)})


def wrong_recipient(s: Served, now: datetime) -> bytes:
    # Sealed for belfast itself (a member), then posted to the coordinator.
    return s.belfast_identity.seal(s.release(now), "belfast", now).raw


def unknown_sender(s: Served, now: datetime) -> bytes:
    outsider = nacl.signing.SigningKey.generate()
    return seal_envelope(
        s.release(now), sender="mallory", signing_key=outsider, recipient="eu-coordinator",
        recipient_key=s.belfast_identity.roster.encryption_key_for("eu-coordinator", now),
        now=now,
    ).raw


def signed_with_unknown_key(s: Served, now: datetime) -> bytes:
    return seal_envelope(
        s.release(now), sender="belfast", signing_key=nacl.signing.SigningKey.generate(),
        recipient="eu-coordinator",
        recipient_key=s.belfast_identity.roster.encryption_key_for("eu-coordinator", now),
        now=now,
    ).raw


def expired(s: Served, now: datetime) -> bytes:
    return seal_envelope(
        s.release(now), sender="belfast", signing_key=s.belfast_identity.signing_key,
        recipient="eu-coordinator",
        recipient_key=s.belfast_identity.roster.encryption_key_for("eu-coordinator", now),
        now=now - timedelta(hours=2), lifetime=timedelta(hours=1),
    ).raw


def oversized(s: Served, now: datetime) -> bytes:
    return b"{" + b" " * DEFAULT_LIMITS.max_message_bytes + b"}"


def not_json(s: Served, now: datetime) -> bytes:
    return b"\x00\xffnot an envelope"


ATTACKS = [
    ("tampered_ciphertext", tampered_ciphertext, 400, "tampered_ciphertext"),
    ("tampered_signed_payload", tampered_signed_payload, 403, "bad_signature"),
    ("wrong_recipient", wrong_recipient, 400, "wrong_recipient"),
    ("unknown_sender", unknown_sender, 403, "unknown_sender"),
    ("signed_with_unknown_key", signed_with_unknown_key, 403, "unknown_signing_key"),
    ("expired", expired, 400, "expired_message"),
    ("oversized", oversized, 413, "oversized_message"),
    ("not_an_envelope", not_json, 400, "malformed_envelope"),
]


def _assert_still_serving(s: Served, before: tuple[int, int]) -> None:
    assert s.stored() == before
    assert requests.get(f"{s.url}/healthz", timeout=5).status_code == 200
    ok = requests.post(s.url + INBOX, data=s.genuine(datetime.now(UTC)), timeout=10)
    assert ok.status_code == 201, ok.text
    assert s.stored() == (before[0] + 1, before[1] + 1)


@pytest.mark.parametrize(("name", "build", "status", "code"), ATTACKS,
                         ids=[a[0] for a in ATTACKS])
def test_attack_is_rejected_nothing_stored_node_keeps_serving(
    served: Served, name: str, build: Callable[[Served, datetime], bytes], status: int, code: str
) -> None:
    before = served.stored()
    response = requests.post(served.url + INBOX, data=build(served, datetime.now(UTC)),
                             timeout=30)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"] and "Traceback" not in error["message"]
    _assert_still_serving(served, before)


def test_replayed_message_is_rejected(served: Served) -> None:
    raw = served.genuine(datetime.now(UTC))
    first = requests.post(served.url + INBOX, data=raw, timeout=10)
    assert first.status_code == 201
    after_first = served.stored()
    replay = requests.post(served.url + INBOX, data=raw, timeout=10)
    assert replay.status_code == 409
    assert replay.json()["error"]["code"] == "replayed_message"
    assert served.stored() == after_first


def _reissue(served: Served, *, version: int, signers: tuple[int, ...], revoke: bool) -> bytes:
    roster = SignedRoster.from_bytes(served.roster_raw).roster
    members = roster.members
    if revoke:
        belfast = roster.member("belfast")
        assert belfast is not None
        members = tuple(
            replace(m, revoked_key_ids=frozenset({belfast.signing_keys[0].key_id}))
            if m.node_id == "belfast" else m
            for m in members
        )
    signed = SignedRoster(replace(roster, version=version, members=members,
                                  issued_at=roster.issued_at + timedelta(seconds=version)))
    for index in signers:
        signed = sign_roster(signed, load_root_key(served.root_dir / f"root-{index}.key"))
    return signed.to_bytes()


def _import(served: Served, raw: bytes, tmp_path: Path) -> Any:
    from node.cli import cli
    from node.commands.federation import register

    if "verify-release" not in cli.commands:
        register(cli)
    path = tmp_path / "roster.json"
    path.write_bytes(raw)
    return CliRunner().invoke(cli, ["federation", "roster", "import", str(path),
                                    "--home", str(served.coordinator_home)])


def test_revoked_key_is_rejected(served: Served, tmp_path: Path) -> None:
    imported = _import(served, _reissue(served, version=2, signers=(1, 2), revoke=True), tmp_path)
    assert imported.exit_code == 0, imported.output
    before = served.stored()
    response = requests.post(served.url + INBOX, data=served.genuine(datetime.now(UTC)),
                             timeout=10)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "revoked_key"
    assert served.stored() == before


@pytest.mark.parametrize(
    ("name", "version", "signers", "words"),
    [
        ("rolled_back_roster", 1, (1, 2), "version"),
        ("roster_signed_by_too_few_roots", 3, (1,), "distinct root keys"),
    ],
)
def test_untrusted_roster_is_refused_and_the_node_keeps_serving(
    served: Served, tmp_path: Path, name: str, version: int, signers: tuple[int, ...],
    words: str
) -> None:
    # Move the node to version 2 first, so a version-1 roster is a rollback.
    assert _import(served, _reissue(served, version=2, signers=(1, 2), revoke=False),
                   tmp_path).exit_code == 0
    trusted = (served.coordinator_home / "trust" / "roster.json").read_bytes()
    bad = _import(served, _reissue(served, version=version, signers=signers, revoke=True),
                  tmp_path)
    assert bad.exit_code != 0
    assert words in bad.output.lower()
    assert (served.coordinator_home / "trust" / "roster.json").read_bytes() == trusted
    _assert_still_serving(served, served.stored())


def test_key_ids_in_the_roster_match_the_node_keys(served: Served) -> None:
    # Guards the fixture: the attacks above are only meaningful if genuine keys verify.
    member = served.belfast_identity.roster.member("belfast")
    assert member is not None
    assert key_id_for(bytes(served.belfast_identity.signing_key.verify_key)) in {
        k.key_id for k in member.signing_keys
    }
    assert isinstance(member.signing_keys[0], MemberKey)


def _pull(served: Served, city: str, period: str, dimensions: set[str]) -> Any:
    from federation.query import new_query, send_query
    from federation.transport import HttpTransport

    return send_query(served.coordinator, load_identity(served.coordinator), HttpTransport(),
                      city, new_query(dimensions=dimensions, category_level=2,
                                      period_from=period, period_to=period),
                      now=datetime.now(UTC))


def _last_month() -> str:
    from anonymisation.disclosure.periods import period_of

    return period_of(datetime.now(UTC), "month").previous(1)[0].label


def test_query_for_a_disallowed_dimension_is_refused(served: Served) -> None:
    before = served.stored()
    result = _pull(served, "belfast", _last_month(), {"category", "period", "area"})
    assert [r.reason for r in result.refusals] == ["dimension_not_allowed"]
    assert "area" in result.refusals[0].message
    assert served.stored()[0] == before[0]  # no release stored (the refusal's id is seen)


def test_query_over_budget_is_refused(served: Served) -> None:
    from node.models.federation import BudgetEntry, LocalRelease

    period = _last_month()
    rule = served.valencia.policy.sharing["coordinator"].differential_privacy
    with transaction(served.valencia.sessions) as session:
        session.add(BudgetEntry(recipient="coordinator", period=period,
                                epsilon=rule.budget_per_period, release_id="earlier",
                                at=datetime.now(UTC)))
    before = served.stored()
    result = _pull(served, "valencia", period, {"category", "period"})
    assert [r.reason for r in result.refusals] == ["over_budget"]
    assert served.stored()[0] == before[0]
    with transaction(served.valencia.sessions) as session:
        assert session.execute(select(func.count()).select_from(LocalRelease)).scalar_one() == 0
        assert session.execute(select(func.count()).select_from(BudgetEntry)).scalar_one() == 1
