"""The early-warning job on the coordinator: city rises, EU patterns, storage and sending."""

from __future__ import annotations

import csv
import io
from typing import Any

from federation.alerts import message_details_for, run_early_warning
from federation.messages import Alert as AlertMessage
from node.models.alerts import EarlyWarningAlert
from tests.coordinator import federation_data as data


class Outbox:
    """Records what would be queued (the real outbox seals to a roster this node lacks)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, Any]] = []

    def __call__(self, session: Any, city: str, message: Any) -> str:
        self.sent.append((city, message))
        return f"msg-{len(self.sent)}"


def _alerts(ctx) -> list[EarlyWarningAlert]:
    with ctx.sessions() as session:
        return list(session.query(EarlyWarningAlert).order_by(EarlyWarningAlert.alert_id))


def test_burglary_spike_in_two_cities_raises_city_alerts_and_an_eu_pattern(ctx, releases):
    outbox = Outbox()
    new = run_early_warning(ctx, now=data.NOW, enqueue=outbox)
    found = {(a.kind, a.category, a.period, tuple(a.cities)) for a in new}
    assert ("city", "0501", "2026-10", ("belfast",)) in found
    assert ("city", "0501", "2026-10", ("preston",)) in found
    assert ("eu", "0501", "2026-10", ("belfast", "preston")) in found
    # Nothing else in the steady series rises.
    assert all(a.period == "2026-10" and a.category == "0501" for a in new)


def test_alerts_never_rest_on_a_suppressed_cell(ctx, releases):
    run_early_warning(ctx, now=data.NOW, enqueue=Outbox())
    for alert in _alerts(ctx):
        assert "valencia" not in alert.cities
        assert "valencia" not in str(alert.details)


def test_rerunning_the_job_stores_no_alert_twice(ctx, releases):
    first = run_early_warning(ctx, now=data.NOW, enqueue=Outbox())
    again = run_early_warning(ctx, now=data.NOW, enqueue=Outbox())
    assert first and again == []
    assert len(_alerts(ctx)) == len(first)


def test_each_affected_city_gets_one_alert_message_with_only_its_own_figures(ctx, releases):
    outbox = Outbox()
    run_early_warning(ctx, now=data.NOW, enqueue=outbox)
    eu = [(city, m) for city, m in outbox.sent if m.alert_id.startswith("ew-eu-")]
    assert sorted(city for city, _ in eu) == ["belfast", "preston"]
    for city, message in eu:
        assert isinstance(message, AlertMessage)
        assert message.details["own"]["city"] == city
        assert message.details["own"]["observed"] == data.SPIKE[(city, "2026-10")]
        assert set(message.details) == {"pattern", "cities", "own"}  # no other city's figures
        # The message is valid on the wire.
        assert AlertMessage.from_dict(message.to_dict()) == message
    assert all(a.send_status == "queued" for a in _alerts(ctx))


def test_alerts_wait_as_pending_send_when_the_node_is_not_federated(ctx, releases):
    run_early_warning(ctx, now=data.NOW)  # the real outbox path: no roster in this home
    alerts = _alerts(ctx)
    assert alerts and all(a.send_status == "pending_send" for a in alerts)
    outbox = Outbox()
    run_early_warning(ctx, now=data.NOW, enqueue=outbox)
    assert len(outbox.sent) == sum(len(a.cities) for a in alerts)


def test_message_to_a_city_about_its_own_rise_carries_its_statistics(ctx, releases):
    run_early_warning(ctx, now=data.NOW, enqueue=Outbox())
    row = next(a for a in _alerts(ctx) if a.alert_id == "ew-city-belfast-0501-2026-10")
    details = message_details_for(row, "belfast")
    assert details["observed"] == 41 and details["p_value"] < 0.001


def test_alerts_api_lists_and_exports_csv(client, auth, ctx, releases):
    run_early_warning(ctx, now=data.NOW, enqueue=Outbox())
    items = client.get("/api/v1/eu/alerts", headers=auth("coordinator")).get_json()["items"]
    assert items[0]["kind"] == "eu" and items[0]["cities"] == ["belfast", "preston"]
    resp = client.get("/api/v1/eu/alerts?format=csv", headers=auth("coordinator"))
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))
    assert {r["alert_id"] for r in rows} == {i["alert_id"] for i in items}
    assert client.get("/api/v1/eu/alerts?format=xml",
                      headers=auth("coordinator")).status_code == 400
