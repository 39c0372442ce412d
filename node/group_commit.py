"""Group commit for report intake: many concurrent submissions, one transaction and one sync.

Each accepted report must be committed (and synced to disk) before its ``201``. Done one by
one, every request pays a disk sync inside the database's single write lock, which caps intake
at about one report per sync however many clients wait. Here requests hand their prepared rows
to one writer thread per process, which inserts whatever has queued up in a single transaction
and wakes each request only after that commit: the same guarantee, one sync per group.
SQLite has no built-in equivalent (PostgreSQL's ``commit_delay`` is the same idea), hence this
small module.
"""

from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import Future
from typing import Any

from node.context import NodeContext
from node.db import transaction, write_turn
from node.reports import insert_prepared

log = logging.getLogger(__name__)
MAX_GROUP = 256
COMMIT_TIMEOUT_SECONDS = 60.0


class GroupCommitter:
    def __init__(self, ctx: NodeContext) -> None:
        self._ctx = ctx
        self._queue: queue.Queue[tuple[dict[str, Any], Future[tuple[str, bool]]]] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def submit(self, row: dict[str, Any]) -> tuple[str, bool]:
        """Insert ``row``; returns (id, created) once it is committed. Raises what the insert
        raised, or TimeoutError if the database stays unavailable."""
        future: Future[tuple[str, bool]] = Future()
        self._ensure_thread()
        self._queue.put((row, future))
        try:
            return future.result(timeout=COMMIT_TIMEOUT_SECONDS)
        except TimeoutError:
            # Withdraw the row if its group has not started: then it is never stored and the
            # error the client gets is the truth. Once started, its commit decides the answer.
            if future.cancel():
                raise
            return future.result()

    def _ensure_thread(self) -> None:
        # Started on first use, so a forked server worker gets its own thread.
        if self._thread is not None and self._thread.is_alive():
            return
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="group-commit",
                                                daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            group = [self._queue.get()]
            while len(group) < MAX_GROUP:
                try:
                    group.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            # Rows whose requests gave up (cancelled) are dropped here, before any insert.
            group = [item for item in group if item[1].set_running_or_notify_cancel()]
            if group:
                self._commit(group)

    def _commit(self, group: list[tuple[dict[str, Any], Future[tuple[str, bool]]]]) -> None:
        ctx = self._ctx
        try:
            with write_turn(ctx.engine), transaction(ctx.sessions) as session:
                results = [insert_prepared(session, row) for row, _ in group]
        except Exception as exc:
            if len(group) == 1:
                group[0][1].set_exception(exc)
                return
            # One bad row must not fail the others: retry them one transaction each.
            log.warning("group of %d reports failed; committing them one by one", len(group))
            for item in group:
                self._commit([item])
            return
        for (_, future), result in zip(group, results, strict=True):
            future.set_result(result)


def committer_for(ctx: NodeContext) -> GroupCommitter:
    committer = ctx.extras.get("group_committer")
    if committer is None:
        committer = ctx.extras.setdefault("group_committer", GroupCommitter(ctx))
    return committer  # type: ignore[no-any-return]
