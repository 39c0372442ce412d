"""Files from an EU query: plain CSV and SDMX-CSV 2.0, and the alerts as CSV.

The SDMX mapping of the flags (docs/adr/0700-sdmx-csv-mapping.md): OBS_STATUS from the SDMX
code list CL_OBS_STATUS ("A" normal, "E" estimated for noised, "M" missing for no value),
CONF_STATUS from CL_CONF_STATUS ("C" confidential for a suppressed cell, "F" free otherwise),
and two attributes of this dataflow, LOWER_BOUND and STALE, for what SDMX has no code for.
A figure without a value is always written with an empty OBS_VALUE, never as 0.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

SDMX_STRUCTURE_ID = "INSPEC2T:EU_CITIZEN_REPORTS(1.0)"
SDMX_DIMENSIONS = {"city": "REF_AREA", "category": "ICCS", "area": "AREA", "period": "TIME_PERIOD"}
SDMX_DIMENSION_ORDER = ("FREQ", "REF_AREA", "ICCS", "AREA", "TIME_PERIOD")
# Written for every dimension the query did not group by: SDMX's code for "all of them".
SDMX_TOTAL = "_T"


def figure_status(figure: Mapping[str, Any]) -> str:
    """One word for a figure: "suppressed", "no data" or "released"."""
    if figure.get("value") is None:
        return "suppressed" if figure.get("suppressed") else "no data"
    return "released"


def _contributions(figure: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return list(figure.get("contributions") or [])


def _signature_words(figure: Mapping[str, Any]) -> str:
    return ";".join(
        f"{c.get('city')}:{c.get('signature', 'unknown')}" for c in _contributions(figure)
    )


def _csv_text(rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    # A spreadsheet would run a formula; no field of ours starts so, but never let one through.
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def to_csv(answer: Mapping[str, Any]) -> str:
    """One row per figure: its dimensions, value (empty when none), status and provenance."""
    group_by = list(answer["query"]["group_by"])
    header = [
        *group_by, "value", "status", "lower_bound", "rounded", "noised", "stale",
        "contributing_cities", "release_ids", "signatures", "missing_cities",
    ]
    rows: list[Sequence[Any]] = [header]
    for figure in answer.get("figures", []):
        contributions = _contributions(figure)
        rows.append([
            *(figure.get(dim) for dim in group_by),
            figure.get("value"),
            figure_status(figure),
            bool(figure.get("lower_bound")),
            bool(figure.get("rounded")),
            bool(figure.get("noised")),
            bool(figure.get("stale")),
            ";".join(str(c.get("city")) for c in contributions),
            ";".join(f"{c.get('release_id')}@{c.get('revision')}" for c in contributions),
            _signature_words(figure),
            ";".join(figure.get("missing_cities") or []),
        ])
    return _csv_text(rows)


def sdmx_obs_status(figure: Mapping[str, Any]) -> tuple[str, str]:
    """(OBS_STATUS, CONF_STATUS) codes for a figure."""
    if figure.get("value") is None:
        return "M", "C" if figure.get("suppressed") else "F"
    if figure.get("noised"):
        return "E", "F"
    return "A", "F"


def to_sdmx_csv(answer: Mapping[str, Any], action: str = "I") -> str:
    """SDMX-CSV 2.0: STRUCTURE, STRUCTURE_ID, ACTION, dimensions, OBS_VALUE, attributes."""
    group_by = set(answer["query"]["group_by"])
    header = [
        "STRUCTURE", "STRUCTURE_ID", "ACTION", *SDMX_DIMENSION_ORDER,
        "OBS_VALUE", "OBS_STATUS", "CONF_STATUS", "LOWER_BOUND", "STALE",
    ]
    rows: list[Sequence[Any]] = [header]
    for figure in answer.get("figures", []):
        dims = {"FREQ": "M"}
        for name, column in SDMX_DIMENSIONS.items():
            value = figure.get(name) if name in group_by else None
            dims[column] = SDMX_TOTAL if value is None else str(value)
        if "period" not in group_by:
            query = answer["query"]
            dims["TIME_PERIOD"] = f"{query['from']}/{query['to']}"
        obs_status, conf_status = sdmx_obs_status(figure)
        rows.append([
            "dataflow", SDMX_STRUCTURE_ID, action, *(dims[c] for c in SDMX_DIMENSION_ORDER),
            figure.get("value"), obs_status, conf_status,
            "Y" if figure.get("lower_bound") else "N",
            "Y" if figure.get("stale") else "N",
        ])
    return _csv_text(rows)


ALERT_COLUMNS = (
    "alert_id", "kind", "category", "period", "cities", "severity", "summary", "observed",
    "baseline_mean", "p_value", "send_status", "created_at",
)


def alerts_to_csv(alerts: Iterable[Mapping[str, Any]]) -> str:
    """One row per alert (only released figures and statistics computed from them)."""
    rows: list[Sequence[Any]] = [list(ALERT_COLUMNS)]
    for alert in alerts:
        details = alert.get("details") or {}
        rows.append([
            alert["alert_id"], alert["kind"], alert["category"], alert["period"],
            ";".join(alert["cities"]), alert["severity"], alert["summary"],
            details.get("observed"), details.get("baseline_mean"), details.get("p_value"),
            alert["send_status"], alert["created_at"],
        ])
    return _csv_text(rows)
