"""The EU dashboard in a real Chromium against a real served node (Playwright).

Screenshots go to test-artifacts/ for a human to look at.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
import requests

from tests.browser.conftest import ARTIFACTS, ServedNode
from tests.coordinator import federation_data as data

pytestmark = pytest.mark.slow
QUERY = "category=0501&from=2025-11&to=2026-10"


@pytest.fixture
def page(browser: Any, served_node: ServedNode) -> Any:
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(served_node.url + "/dashboard/login")
    page.get_by_label("Node token").fill(served_node.token)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/dashboard/")
    page.goto(f"{served_node.url}/dashboard/?{QUERY}")
    page.wait_for_selector("canvas#chart-cities[data-rendered=true]")
    page.errors = errors
    yield page
    context.close()


def _api(node: ServedNode, group_by: str, fmt: str = "json") -> Any:
    resp = requests.get(
        f"{node.url}/api/v1/eu/aggregates?{QUERY}&group_by={group_by}&format={fmt}",
        headers={"Authorization": f"Bearer {node.token}"}, timeout=10,
    )
    resp.raise_for_status()
    return resp.json() if fmt == "json" else resp.text


def _chart(page: Any, canvas_id: str) -> dict[str, Any]:
    return page.evaluate(
        """id => { const c = Chart.getChart(document.getElementById(id));
                   return {labels: c.data.labels,
                           datasets: c.data.datasets.map(d => ({label: d.label, data: d.data,
                                                                statuses: d.statuses}))}; }""",
        canvas_id,
    )


def test_charts_draw_the_api_figures_and_no_script_is_blocked(page, served_node):
    page.screenshot(path=str(ARTIFACTS / "dashboard-eu.png"), full_page=True)
    assert page.errors == []  # a CSP violation or script error would show here
    cities = _chart(page, "chart-cities")
    api = {(f["city"], f["period"]): f["value"] for f in _api(served_node, "city,period")
           ["figures"]}
    checked = 0
    for dataset in cities["datasets"]:
        for month, value in zip(cities["labels"], dataset["data"], strict=True):
            assert value == api.get((dataset["label"], month)), (dataset["label"], month)
            checked += 1
    assert checked == len(data.CITIES) * 12
    totals = _chart(page, "chart-totals")
    api_totals = {f["period"]: f["value"] for f in _api(served_node, "period")["figures"]}
    assert totals["datasets"][0]["data"] == [api_totals.get(m) for m in totals["labels"]]


def test_suppressed_cell_is_shown_as_suppressed_not_zero(page):
    cell = page.locator('td[data-city="valencia"][data-period="2026-06"]')
    assert cell.inner_text().strip() == "suppressed"
    cities = _chart(page, "chart-cities")
    valencia = next(d for d in cities["datasets"] if d["label"] == "valencia")
    index = cities["labels"].index("2026-06")
    assert valencia["data"][index] is None
    assert valencia["statuses"][index] == "suppressed"
    missing = page.locator('td[data-city="groningen"][data-period="2026-09"]')
    assert missing.inner_text().strip() == "no data"
    page.locator("#chart-cities").screenshot(path=str(ARTIFACTS / "dashboard-cities-chart.png"))


def test_provenance_panel_names_the_signing_city(page):
    page.locator('td[data-city="belfast"][data-period="2026-10"] a').click()
    page.wait_for_selector("#provenance")
    signer = page.locator("#table-provenance td.signer").first.inner_text()
    assert signer.startswith("belfast")
    assert page.locator("#table-provenance td.signature").first.inner_text().startswith("verified")
    assert "belfast-coordinator-2026-10" in page.locator("#table-provenance").inner_text()
    page.screenshot(path=str(ARTIFACTS / "dashboard-provenance.png"), full_page=True)


def test_alert_for_the_two_city_spike_is_listed(page):
    rows = page.locator("#table-alerts tbody tr").all_inner_texts()
    assert any("EU pattern" in r and "belfast, preston" in r and "0501" in r for r in rows)


def test_csv_downloads_with_the_api_figures(page, served_node):
    with page.expect_download() as info:
        page.locator("#download-csv").click()
    path = ARTIFACTS / "dashboard-download.csv"
    info.value.save_as(str(path))
    downloaded = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    api = list(csv.DictReader(io.StringIO(_api(served_node, "city,period", "csv"))))
    assert downloaded == api
    row = next(r for r in downloaded if (r["city"], r["period"]) == ("valencia", "2026-06"))
    assert row["value"] == "" and row["status"] == "suppressed"


def test_keyboard_reaches_the_skip_link_and_figures(page):
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('#table-cities') !== null"):
            break
    else:
        pytest.fail("no figure of the cities table is reachable with the keyboard")
