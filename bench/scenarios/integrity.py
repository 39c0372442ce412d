"""Tampering with stored data: the audit chain and the sealed report values.

Audit: each case edits, deletes, inserts or swaps rows of a copy of a real node's database with
plain SQL (what someone with file access could do), then runs the real ``audit verify``; it
must exit 1. Two cases are known limits of a bare hash chain (cutting the newest entries and
rewinding the head, or rewriting the whole chain): they are run and shown, not hidden.

Sealed values: the sealed description/contact/address of one report is swapped with another's
or altered; a raw read over HTTP must then refuse (error shape), never serve the other
report's text.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests

from bench.scenarios.harness import (
    Server,
    canary,
    context,
    create_token,
    init_home,
    is_error_shape,
    report_body,
)
from bench.scenarios.outcome import Outcome

ENTRIES = 12


@dataclass(frozen=True)
class Tamper:
    name: str
    apply: Callable[[sqlite3.Connection, random.Random], None]
    known_limit: bool = False


def _pick(rng: random.Random, low: int = 2, high: int = ENTRIES - 1) -> int:
    return rng.randint(low, high)


def _recompute_from(conn: sqlite3.Connection, start: int) -> None:
    """Rewrite hashes from ``start`` on as the node would, and point the head at the end."""
    import json
    from datetime import datetime

    from node.audit import _entry_hash

    rows = conn.execute("SELECT seq, at, actor, action, report_id, details FROM audit_log "
                        "WHERE seq >= ? ORDER BY seq", (start,)).fetchall()
    prev = conn.execute("SELECT hash FROM audit_log WHERE seq = ?", (start - 1,)).fetchone()
    prev_hash = prev[0] if prev else "0" * 64
    last_seq = start - 1
    for seq, at, actor, action, report_id, details in rows:
        stamp = datetime.fromisoformat(at).isoformat() if "+" in at else \
            datetime.fromisoformat(at + "+00:00").isoformat()
        digest = _entry_hash(prev_hash, seq, stamp, actor, action, report_id, json.loads(details))
        conn.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?",
                     (prev_hash, digest, seq))
        prev_hash, last_seq = digest, seq
    conn.execute("UPDATE audit_head SET last_seq = ?, last_hash = ? WHERE id = 1",
                 (last_seq, prev_hash))


TAMPERS: list[Tamper] = [
    Tamper("edit an entry's action", lambda c, r: c.execute(
        "UPDATE audit_log SET action = 'report.nothing' WHERE seq = ?", (_pick(r),))),
    Tamper("edit an entry's actor", lambda c, r: c.execute(
        "UPDATE audit_log SET actor = 'someone-else' WHERE seq = ?", (_pick(r, 1),))),
    Tamper("edit an entry's details", lambda c, r: c.execute(
        "UPDATE audit_log SET details = '{\"i\": -1}' WHERE seq = ?", (_pick(r),))),
    Tamper("edit an entry's time", lambda c, r: c.execute(
        "UPDATE audit_log SET at = '2020-01-01 00:00:00.000000' WHERE seq = ?", (_pick(r),))),
    Tamper("delete an entry in the middle", lambda c, r: c.execute(
        "DELETE FROM audit_log WHERE seq = ?", (_pick(r),))),
    Tamper("delete the newest entry", lambda c, r: c.execute(
        "DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)")),
    Tamper("swap the details of two entries", lambda c, r: c.executescript(
        "UPDATE audit_log SET details = CASE seq WHEN 5 THEN (SELECT details FROM audit_log "
        "WHERE seq = 6) ELSE (SELECT details FROM audit_log WHERE seq = 5) END "
        "WHERE seq IN (5, 6);")),
    Tamper("edit an entry and re-hash only that entry", lambda c, r: (
        c.execute("UPDATE audit_log SET action = 'forged' WHERE seq = 5"),
        _rehash_one(c, 5))),
    # Known limits: the chain is unkeyed, so a forger who re-hashes from the edit on leaves
    # nothing inside the database to tell it from an honest chain.
    Tamper("delete an entry and re-hash the rest of the chain", lambda c, r: (
        c.execute("DELETE FROM audit_log WHERE seq = ?", (ENTRIES - 1,)),
        c.execute("UPDATE audit_log SET seq = seq - 1 WHERE seq = ?", (ENTRIES,)),
        _recompute_from(c, ENTRIES - 1)), known_limit=True),
    Tamper("cut the newest entries and rewind the head", lambda c, r: (
        c.execute("DELETE FROM audit_log WHERE seq > ?", (ENTRIES - 2,)),
        _recompute_from(c, ENTRIES - 2)), known_limit=True),
    Tamper("rewrite the whole chain (edit + re-hash all)", lambda c, r: (
        c.execute("UPDATE audit_log SET action = 'forged' WHERE seq = 2"),
        _recompute_from(c, 1)), known_limit=True),
]


def _rehash_one(conn: sqlite3.Connection, seq: int) -> None:
    """Fix the edited entry's own hash but not the next entry's link (a careless forger)."""
    import json
    from datetime import datetime

    from node.audit import _entry_hash

    at, actor, action, report_id, details, prev = conn.execute(
        "SELECT at, actor, action, report_id, details, prev_hash FROM audit_log WHERE seq = ?",
        (seq,)).fetchone()
    stamp = datetime.fromisoformat(at + ("" if "+" in at else "+00:00")).isoformat()
    digest = _entry_hash(prev, seq, stamp, actor, action, report_id, json.loads(details))
    conn.execute("UPDATE audit_log SET hash = ? WHERE seq = ?", (digest, seq))


def _audit_verify(home: Path) -> int:
    from click.testing import CliRunner

    from node.cli import cli

    return CliRunner().invoke(cli, ["audit", "verify", "--home", str(home)]).exit_code


def run_audit(workdir: Path, n: int) -> list[Outcome]:
    from sqlalchemy import func, select

    from node import audit
    from node.db import transaction
    from node.models.audit import AuditEntry

    base = init_home(workdir / "audit-base")
    with context(base) as ctx, transaction(ctx.sessions) as session:
        have = session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
        for i in range(ENTRIES - have):
            audit.append(session, "evidence", "evidence.entry", details={"i": i})
    if _audit_verify(base) != 0:
        raise RuntimeError("the untouched audit log does not verify")
    rng = random.Random(7)
    outcomes = []
    for tamper in TAMPERS:
        out = Outcome("integrity", f"audit log: {tamper.name}", tried=0,
                      expected=("not detectable by a bare hash chain (known limit)"
                                if tamper.known_limit else "audit verify exits 1"))
        for i in range(n):
            home = workdir / f"audit-{TAMPERS.index(tamper)}-{i}"
            shutil.copytree(base, home)
            conn = sqlite3.connect(home / "node.db")
            tamper.apply(conn, rng)
            conn.commit()
            conn.close()
            out.tried += 1
            if _audit_verify(home) == 1:
                out.rejected += 1
            elif not tamper.known_limit:
                out.failed += 1
            shutil.rmtree(home)
        out.observed = f"detected {out.rejected} of {out.tried}"
        outcomes.append(out)
    return outcomes


SWAPS = [
    ("description_sealed", "description"),
    ("contact_sealed", "reporter_contact"),
    ("address_sealed", "address"),
]


def run_sealed(workdir: Path, n: int) -> list[Outcome]:
    home = init_home(workdir / "sealed")
    officer = create_token(home, "officer")
    auth = {"Authorization": f"Bearer {officer}"}
    outcomes = []
    with Server(home, workers=1) as server:
        marks: dict[str, dict[str, str]] = {}
        ids = []
        for _ in range(2):
            mark = canary("seal")
            body = report_body(description=f"{mark} description",
                               reporter_contact=f"{mark}@example.org",
                               location={"lat": 54.6, "lon": -5.9, "address": f"{mark} Road"})
            report_id = requests.post(f"{server.url}/api/v1/reports", json=body, headers=auth,
                                      timeout=60).json()["id"]
            ids.append(report_id)
            marks[report_id] = {"mark": mark}
        a, b = ids
        db = sqlite3.connect(home / "node.db", timeout=30)
        for column, _field in SWAPS:
            for kind in ("swapped with another report's", "one byte flipped in"):
                out = Outcome("integrity", f"sealed {column}: {kind} value", tried=0,
                              expected="raw read refused, other report's text never served")
                statuses = set()
                for _ in range(n):
                    va, vb = (db.execute(f"SELECT {column} FROM reports WHERE id = ?",  # noqa: S608
                                         (x,)).fetchone()[0] for x in (a, b))
                    new = vb if kind.startswith("swapped") else _flip(va)
                    db.execute(f"UPDATE reports SET {column} = ? WHERE id = ?",  # noqa: S608
                               (new, a))
                    db.commit()
                    resp = requests.get(f"{server.url}/api/v1/reports/{a}?view=raw",
                                        headers=auth, timeout=60)
                    db.execute(f"UPDATE reports SET {column} = ? WHERE id = ?",  # noqa: S608
                               (va, a))
                    db.commit()
                    out.tried += 1
                    statuses.add(resp.status_code)
                    if marks[b]["mark"] in resp.text:
                        out.leaked += 1
                    if resp.status_code >= 400 and is_error_shape(resp):
                        out.rejected += 1
                    else:
                        out.failed += 1
                out.observed = "status " + ", ".join(str(s) for s in sorted(statuses))
                outcomes.append(out)
        db.close()
        log = server.log_text()
    for out in outcomes:
        if any(m["mark"] in log for m in marks.values()):
            out.leaked += 1
    return outcomes


def _flip(blob: bytes) -> bytes:
    middle = len(blob) // 2
    return blob[:middle] + bytes([blob[middle] ^ 0x01]) + blob[middle + 1:]


def run(workdir: Path, n: int) -> list[Outcome]:
    return [*run_audit(workdir, n), *run_sealed(workdir, n)]
