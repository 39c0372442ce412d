"""The coordinator's EU query API and its exports, against releases stored in a real node."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from tests.coordinator import federation_data as data

BURGLARY_YEAR = "/api/v1/eu/aggregates?category=0501&from=2025-11&to=2026-10"


def _figures(body: dict) -> dict[tuple, dict]:
    return {tuple(f["key"].values()): f for f in body["figures"]}


def test_burglary_per_city_and_month_names_suppressed_stale_and_missing(client, auth, releases):
    resp = client.get(BURGLARY_YEAR + "&group_by=city,period", headers=auth("coordinator"))
    assert resp.status_code == 200
    figures = _figures(resp.get_json())
    assert figures[("belfast", "2026-10")]["value"] == 41
    assert figures[("belfast", "2026-10")]["contributions"][0]["release_id"] == (
        "belfast-coordinator-2026-10"
    )
    assert figures[("belfast", "2026-10")]["contributions"][0]["signature"] == "verified"
    suppressed = figures[("valencia", "2026-06")]
    assert suppressed["value"] is None and suppressed["suppressed"] is True
    assert ("groningen", "2026-09") not in figures
    assert figures[("nicosia", "2026-08")]["stale"] is True
    assert figures[("preston", "2026-08")]["stale"] is False


def test_eu_total_is_the_sum_of_released_values_and_a_lower_bound_when_a_part_is_hidden(
    client, auth, releases
):
    body = client.get(BURGLARY_YEAR + "&group_by=period", headers=auth("coordinator")).get_json()
    figures = _figures(body)
    for month in ("2026-05", "2026-06", "2026-09"):
        expected = sum(
            v for c in data.CITIES if (c, month) not in data.NOT_SENT
            if (v := data.burglary(c, month)) is not None
        )
        assert figures[(month,)]["value"] == expected
    assert figures[("2026-05",)]["lower_bound"] is False
    assert figures[("2026-06",)]["lower_bound"] is True  # Valencia suppressed
    assert figures[("2026-09",)]["lower_bound"] is True  # Groningen and Nicosia missing
    assert sorted(figures[("2026-09",)]["missing_cities"]) == ["groningen", "nicosia"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("category=5", "category"),
        ("category=050101", "category"),
        ("category=05;DROP", "category"),
        ("from=2026-13", "from"),
        ("to=26-10", "to"),
        ("from=2026-10&to=2026-01", "from"),
        ("from=2000-01&to=2026-10", "from"),
        ("group_by=city,city", "group_by"),
        ("group_by=region", "group_by"),
        ("format=xml", "format"),
        ("colour=red", "colour"),
    ],
)
def test_bad_parameter_is_refused_naming_it(client, auth, query, parameter) -> None:
    resp = client.get(f"/api/v1/eu/aggregates?{query}", headers=auth("coordinator"))
    assert resp.status_code == 400
    error = resp.get_json()["error"]
    assert error["code"] == "invalid_parameter"
    assert list(error["fields"]) == [parameter]


@pytest.mark.parametrize("role", ["officer", "analyst", "dpo", "peer"])
def test_local_roles_cannot_read_eu_figures(client, auth, releases, role) -> None:
    assert client.get(BURGLARY_YEAR, headers=auth(role)).status_code == 403


def test_csv_export_leaves_suppressed_and_missing_empty_never_zero(client, auth, releases):
    resp = client.get(BURGLARY_YEAR + "&group_by=city,period&format=csv",
                      headers=auth("coordinator"))
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in resp.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))
    by_key = {(r["city"], r["period"]): r for r in rows}
    assert by_key[("valencia", "2026-06")]["value"] == ""
    assert by_key[("valencia", "2026-06")]["status"] == "suppressed"
    assert by_key[("belfast", "2026-10")]["value"] == "41"
    assert by_key[("nicosia", "2026-08")]["stale"] == "true"
    assert by_key[("belfast", "2026-10")]["signatures"] == "belfast:verified"
    assert not any(r["value"] == "0" for r in rows)


def test_sdmx_csv_has_the_sdmx_columns_and_status_codes(client, auth, releases):
    resp = client.get(BURGLARY_YEAR + "&group_by=city,period&format=sdmx-csv",
                      headers=auth("coordinator"))
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("application/vnd.sdmx.data+csv")
    reader = csv.reader(io.StringIO(resp.get_data(as_text=True)))
    header = next(reader)
    assert header[:3] == ["STRUCTURE", "STRUCTURE_ID", "ACTION"]
    assert header[3:8] == ["FREQ", "REF_AREA", "ICCS", "AREA", "TIME_PERIOD"]
    assert header[8:11] == ["OBS_VALUE", "OBS_STATUS", "CONF_STATUS"]
    rows = {(r[4], r[7]): r for r in reader}
    suppressed = rows[("valencia", "2026-06")]
    assert suppressed[0] == "dataflow" and suppressed[2] == "I"
    assert suppressed[8:11] == ["", "M", "C"]
    assert rows[("belfast", "2026-10")][8:11] == ["41", "A", "F"]
    assert rows[("belfast", "2026-10")][5] == "_T"  # category not grouped: all of the filter


def test_bundle_holds_the_stored_signed_records_behind_the_query(client, auth, ctx, releases):
    from node.models.federation import ReceivedRelease

    resp = client.get("/api/v1/eu/releases.bundle?category=0501&from=2026-10&to=2026-10",
                      headers=auth("coordinator"))
    assert resp.status_code == 200 and resp.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(resp.data))
    manifest = json.loads(archive.read("manifest.json"))["releases"]
    assert sorted(m["city"] for m in manifest) == ["belfast", "groningen", "preston", "valencia"]
    with ctx.sessions() as session:
        stored = {r.release_id: r.signed_record for r in session.query(ReceivedRelease)}
    for entry in manifest:
        assert archive.read(entry["file"]) == stored[entry["release_id"]]


def test_empty_node_answers_with_no_figures_and_every_city_missing(client, auth):
    body = client.get(BURGLARY_YEAR, headers=auth("coordinator")).get_json()
    assert body["figures"] == []
    assert body["missing_cities"] == sorted(data.CITIES)


def test_year_zero_in_a_period_is_a_400_not_a_crash(client, auth) -> None:
    resp = client.get("/api/v1/eu/aggregates?from=0000-04&to=0000-04", headers=auth("coordinator"))
    assert resp.status_code == 400
    assert {"from", "to"} & set(resp.get_json()["error"]["fields"])
