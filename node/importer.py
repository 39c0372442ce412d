"""Bulk import of reports from CSV or JSON Lines, safe to re-run.

Each row gets a stable source key (its ``external_id``, else a keyed hash of its content), so a
second run of the same file adds nothing. Rows are committed in batches; a rejected row is
written to the rejects file with its line number and reasons, never with its content.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from node import audit
from node.context import NodeContext
from node.db import transaction
from node.models.base import utcnow
from node.models.reports import Report
from node.reports import create_report
from node.validation import Limits, ReportInput, ReportValidationError, validate_report

CSV_COLUMNS = (
    "occurred_at",
    "category",
    "iccs_code",
    "language",
    "description",
    "lat",
    "lon",
    "address",
    "channel",
    "reporter_contact",
    "external_id",
)


class ImportFileError(Exception):
    """The import file as a whole cannot be read."""


@dataclass
class ImportSummary:
    rows: int = 0
    added: int = 0
    duplicates: int = 0
    rejected: int = 0
    rejects: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "added": self.added,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
        }


def _rows(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, decoded row or an Exception) for every non-blank row of the file."""
    suffix = path.suffix.lower()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"cannot read {path}: {exc.strerror}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"{path} is not UTF-8 (bad byte at offset {exc.start}); save it as UTF-8"
        ) from exc
    if suffix in (".jsonl", ".ndjson", ".json"):
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, ValueError(f"not valid JSON ({exc.msg})")
    elif suffix == ".csv":
        reader = csv.DictReader(io.StringIO(text, newline=""))
        missing = {"occurred_at", "category", "description"} - set(reader.fieldnames or ())
        if missing:
            raise ImportFileError(
                f"{path}: the CSV header lacks {', '.join(sorted(missing))}; "
                f"expected columns {', '.join(CSV_COLUMNS)}"
            )
        unknown = set(reader.fieldnames or ()) - set(CSV_COLUMNS)
        if unknown:
            raise ImportFileError(
                f"{path}: unknown CSV columns {', '.join(sorted(unknown))}; "
                f"expected columns {', '.join(CSV_COLUMNS)}"
            )
        for row in reader:
            yield reader.line_num, _csv_to_payload(row)
    else:
        raise ImportFileError(f"{path}: expected a .csv or .jsonl file, got {suffix or 'none'}")


def _csv_to_payload(row: dict[str, Any]) -> Any:
    if None in row:
        return ValueError("the row has more cells than the header")
    payload: dict[str, Any] = {k: v for k, v in row.items() if v not in (None, "")}
    location: dict[str, Any] = {}
    for coord in ("lat", "lon"):
        if coord in payload:
            try:
                location[coord] = float(payload.pop(coord))
            except ValueError:
                return ValueError(f"{coord} is not a number")
    if "address" in payload:
        location["address"] = payload.pop("address")
    if location:
        payload["location"] = location
    return payload


def _source_key(ctx: NodeContext, payload: dict[str, Any]) -> str:
    if isinstance(payload.get("external_id"), str):
        return f"ext:{payload['external_id']}"
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    digest = hmac.new(ctx.keyring.derive_secret("import-dedup"), canonical, hashlib.sha256)
    return "import:" + digest.hexdigest()


def import_file(
    ctx: NodeContext,
    path: Path,
    *,
    actor: str = "cli",
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import every row of ``path``; returns counts and the rejected rows' reasons."""
    settings = ctx.settings
    limits = Limits(
        tuple(settings.languages), settings.max_description_chars, settings.max_contact_chars
    )
    summary = ImportSummary()
    batch: list[tuple[str, ReportInput]] = []
    now = utcnow()
    for number, payload in _rows(path):
        summary.rows += 1
        if progress:
            progress(1)
        if isinstance(payload, Exception):
            summary.rejected += 1
            summary.rejects.append({"line": number, "reasons": {"row": str(payload)}})
            continue
        if isinstance(payload, dict):
            payload.setdefault("channel", "import")
        try:
            inp = validate_report(payload, limits, now)
        except ReportValidationError as exc:
            summary.rejected += 1
            summary.rejects.append({"line": number, "reasons": exc.fields})
            continue
        batch.append((_source_key(ctx, payload), inp))
        if len(batch) >= settings.import_batch_size:
            _store(ctx, batch, summary)
            batch = []
    if batch:
        _store(ctx, batch, summary)
    with transaction(ctx.sessions) as session:
        audit.append(
            session, actor, "reports.imported", details={"file": path.name, **summary.as_dict()}
        )
    return summary


def _store(ctx: NodeContext, batch: list[tuple[str, ReportInput]], summary: ImportSummary) -> None:
    keys = [k for k, _ in batch]
    with transaction(ctx.sessions) as session:
        existing = set(
            session.execute(select(Report.source_key).where(Report.source_key.in_(keys))).scalars()
        )
        seen_here: set[str] = set()
        for key, inp in batch:
            if key in existing or key in seen_here:
                summary.duplicates += 1
                continue
            seen_here.add(key)
            create_report(ctx, session, inp, source_key=key, key_checked=True)
            summary.added += 1


def write_rejects(path: Path, summary: ImportSummary) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for reject in summary.rejects:
            fh.write(json.dumps(reject, ensure_ascii=False) + "\n")
