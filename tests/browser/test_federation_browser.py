"""The dashboard of a coordinator holding real signed releases from city nodes (Playwright)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from anonymisation.disclosure.periods import Period, period_of
from node.demo_data import SPIKE_CITIES
from tests.browser.conftest import ARTIFACTS, ServedNode

pytestmark = pytest.mark.slow


def _last_closed() -> str:
    return Period("month", period_of(datetime.now(UTC), "month").index - 1).label


@pytest.fixture
def page(browser: Any, served_federation: ServedNode) -> Any:
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(served_federation.url + "/dashboard/login")
    page.get_by_label("Node token").fill(served_federation.token)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/dashboard/")
    page.goto(f"{served_federation.url}/dashboard/?category=0501")
    page.wait_for_selector("canvas#chart-cities[data-rendered=true]")
    yield page
    context.close()


def test_real_releases_chart_equals_the_api_and_provenance_reverifies(page, served_federation):
    page.screenshot(path=str(ARTIFACTS / "federation-dashboard.png"), full_page=True)
    body = requests.get(
        f"{served_federation.url}/api/v1/eu/aggregates?category=0501&group_by=city,period",
        headers={"Authorization": f"Bearer {served_federation.token}"}, timeout=10,
    ).json()
    api = {(f["city"], f["period"]): f["value"] for f in body["figures"]}
    chart = page.evaluate(
        """() => { const c = Chart.getChart(document.getElementById('chart-cities'));
                   return c.data.datasets.map(d => [d.label, c.data.labels, d.data]); }"""
    )
    for city, months, values in chart:
        for month, value in zip(months, values, strict=True):
            assert value == api.get((city, month)), (city, month)
    month = _last_closed()
    page.locator(f'#table-totals td[data-period="{month}"] a').click()
    page.wait_for_selector("#provenance")
    text = page.locator("#table-provenance").inner_text()
    for city in ("belfast", "preston", "valencia"):
        assert f"verified now: signed by {city} with key" in text
    page.screenshot(path=str(ARTIFACTS / "federation-provenance.png"), full_page=True)


def test_spike_alert_is_listed_as_delivered_to_the_spiking_cities(page):
    rows = page.locator("#table-alerts tbody tr").all_inner_texts()
    cities = ", ".join(sorted(SPIKE_CITIES))
    assert any("EU pattern" in r and cities in r and "delivered" in r for r in rows), rows
