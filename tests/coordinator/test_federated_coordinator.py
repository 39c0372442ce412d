"""The coordinator with real federation: signed releases pushed by city nodes, the bundle
re-verified by `verify-release`, and alerts sealed to the cities and stored by their inboxes.

Same set-up as tests/federation/test_exchange.py: real homes, keys and roster, the in-memory
transport between real apps (no sockets). The cities' reports are the demo's synthetic ones,
with the demo's burglary spike in Belfast and Valencia in the last closed month.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from anonymisation.disclosure.periods import Period, period_of
from federation.alerts import run_early_warning
from federation.exchange import load_identity
from federation.outbox import deliver_due
from node.app import create_app
from node.db import transaction
from node.demo_data import SPIKE_CITIES
from node.models.alerts import EarlyWarningAlert
from node.models.federation import ReceivedRelease
from tests.coordinator import federation_data

CITIES = ("belfast", "preston", "valencia")


@pytest.fixture
def fed(tmp_path: Path) -> Iterator[dict[str, Any]]:
    federation = federation_data.small_federation(tmp_path, CITIES)
    yield federation
    for ctx in federation["ctxs"].values():
        ctx.engine.dispose()


def _last_closed(now: datetime) -> str:
    return Period("month", period_of(now, "month").index - 1).label


def test_bundle_files_verify_with_verify_release(fed, tmp_path):
    from node.cli import cli
    from node.commands.federation import register

    register(cli)
    app = create_app(fed["ctxs"]["eu-coordinator"].settings, context=fed["ctxs"]["eu-coordinator"],
                     config={"TESTING": True})
    month = _last_closed(fed["now"])
    with transaction(fed["ctxs"]["eu-coordinator"].sessions) as session:
        from node.auth import create_token

        token, _ = create_token(session, "coordinator", "test")
    resp = app.test_client().get(
        f"/api/v1/eu/releases.bundle?category=0501&from={month}&to={month}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert resp.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(resp.data))
    manifest = json.loads(archive.read("manifest.json"))["releases"]
    assert sorted(m["city"] for m in manifest) == sorted(CITIES)
    runner = CliRunner()
    for entry in manifest:
        path = tmp_path / Path(entry["file"]).name
        path.write_bytes(archive.read(entry["file"]))
        ok = runner.invoke(cli, ["verify-release", str(path), "--home", str(fed["coord_home"])])
        assert ok.exit_code == 0, ok.output
        assert f"verified: release {entry['release_id']}" in ok.output


def test_demo_spike_alerts_reach_the_affected_cities_as_signed_messages(fed):
    coordinator = fed["ctxs"]["eu-coordinator"]
    month = _last_closed(fed["now"])
    new = run_early_warning(coordinator)  # now: the node keys were made after fed["now"]
    rising = {(a.kind, tuple(a.cities)) for a in new if a.category == "0501"
              and a.period == month}
    spiking = tuple(sorted(SPIKE_CITIES))
    assert ("eu", spiking) in rising
    assert all(a.send_status == "queued" for a in new)
    run = deliver_due(coordinator, load_identity(coordinator), fed["transport"],
                      now=datetime.now(UTC))
    assert run.failed == 0 and run.delivered == sum(len(a.cities) for a in new)
    with coordinator.sessions() as session:
        from node.api.eu import list_alerts

        assert {a["send_status"] for a in list_alerts(session)} == {"delivered"}
    for city in CITIES:
        with fed["ctxs"][city].sessions() as session:
            received = list(session.query(EarlyWarningAlert))
        if city in SPIKE_CITIES:
            assert any(a.kind == "eu" and a.send_status == "received" for a in received)
            assert all(city in a.cities for a in received)
        else:
            assert received == []


def test_city_page_shows_the_alert_it_received(fed):
    coordinator = fed["ctxs"]["eu-coordinator"]
    run_early_warning(coordinator)
    deliver_due(coordinator, load_identity(coordinator), fed["transport"], now=datetime.now(UTC))
    city = fed["ctxs"][SPIKE_CITIES[0]]
    with transaction(city.sessions) as session:
        from node.auth import create_token

        token, _ = create_token(session, "analyst", "test")
    client = create_app(city.settings, context=city, config={"TESTING": True}).test_client()
    html = client.get("/dashboard/city/releases", headers={
        "Authorization": f"Bearer {token}", "Accept": "text/html"}).get_data(as_text=True)
    assert 'id="table-received-alerts"' in html
    assert "eu-coordinator" in html and "rose in 2 cities" in html


def test_provenance_re_verifies_each_signature_against_the_roster(fed):
    coordinator = fed["ctxs"]["eu-coordinator"]
    month = _last_closed(fed["now"])
    with transaction(coordinator.sessions) as session:
        from node.auth import create_token

        token, _ = create_token(session, "coordinator", "test")
    client = create_app(coordinator.settings, context=coordinator,
                        config={"TESTING": True}).test_client()
    html = client.get(f"/dashboard/provenance?period={month}&category=0501", headers={
        "Authorization": f"Bearer {token}", "Accept": "text/html"}).get_data(as_text=True)
    for city in CITIES:
        assert f"verified now: signed by {city} with key" in html


def test_expected_cities_are_the_roster_city_members(fed):
    coordinator = fed["ctxs"]["eu-coordinator"]
    with transaction(coordinator.sessions) as session:
        from node.auth import create_token

        token, _ = create_token(session, "coordinator", "test")
    client = create_app(coordinator.settings, context=coordinator,
                        config={"TESTING": True}).test_client()
    body = client.get("/api/v1/eu/aggregates?group_by=period",
                      headers={"Authorization": f"Bearer {token}"}).get_json()
    assert body["coverage"]["expected"] == len(CITIES) and body["missing_cities"] == []


def test_scheduled_job_warns_only_on_coordinator_nodes(fed):
    from federation.alerts import early_warning_jobs, is_coordinator

    assert {n for n, ctx in fed["ctxs"].items() if is_coordinator(ctx)} == {"eu-coordinator"}
    # A city holding received releases (as a peer may) runs the job and stores nothing.
    belfast, coordinator = fed["ctxs"]["belfast"], fed["ctxs"]["eu-coordinator"]
    with coordinator.sessions() as source, transaction(belfast.sessions) as target:
        for row in source.query(ReceivedRelease):
            target.add(ReceivedRelease(**{c.name: getattr(row, c.name)
                                          for c in ReceivedRelease.__table__.columns
                                          if c.name != "id"}))
    for ctx in (belfast, coordinator):
        early_warning_jobs(ctx)[0][1]()
    with belfast.sessions() as session:
        assert session.query(EarlyWarningAlert).count() == 0
    with coordinator.sessions() as session:
        assert session.query(EarlyWarningAlert).count() > 0
