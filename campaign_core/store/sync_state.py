"""Open API sync runs: when each kind was pulled, how it went, and where to resume.

A run is started (status ``running``), then finished ``ok`` with the records it stored and
the newest ``update_time`` it saw (the cursor), or ``failed`` with a message. The next
incremental pull of a kind starts from the cursor of its last ``ok`` run. A run still
``running`` ``STALE_AFTER_S`` after its start cannot be alive (a sync's pulls stop at its
time limit, its write is one transaction): its process was killed or closed. Readers show
it as failed at once; the next sync records it so.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from campaign_core.store import audit

STALE_AFTER_S = 3600
DID_NOT_FINISH = ("did not finish: the program running the sync was closed or killed "
                  "before it stored anything")


@dataclass(frozen=True)
class SyncRun:
    run_id: int
    shop_id: int | None
    kind: str
    started_utc: int
    finished_utc: int | None
    status: str  # running / ok / failed
    records: int
    pages: int
    message: str
    cursor_utc: int | None


def start_run(conn: sqlite3.Connection, kind: str, shop_id: int | None,
              now_utc: int | None = None) -> int:
    cursor = conn.execute(
        "INSERT INTO sync_run (shop_id, kind, started_utc, status, records, pages, message) "
        "VALUES (:shop_id, :kind, :started, 'running', 0, 0, '')",
        {"shop_id": shop_id, "kind": kind, "started": int(now_utc or time.time())})
    return cursor.lastrowid


def finish_run(conn: sqlite3.Connection, run_id: int, *, status: str, records: int = 0,
               pages: int = 0, message: str = "", cursor_utc: int | None = None,
               import_id: int | None = None) -> None:
    conn.execute(
        "UPDATE sync_run SET finished_utc = :finished, status = :status, records = :records, "
        "pages = :pages, message = :message, cursor_utc = :cursor, import_id = :import_id "
        "WHERE run_id = :run_id",
        {"finished": int(time.time()), "status": status, "records": records, "pages": pages,
         "message": message[:2000], "cursor": cursor_utc, "import_id": import_id,
         "run_id": run_id})
    run = conn.execute("SELECT shop_id, kind FROM sync_run WHERE run_id = :run_id",
                       {"run_id": run_id}).fetchone()
    if run is not None:
        audit.record(conn, "sync", run[0], f"Open API {run[1]}",
                     f"{status}, {records} records" + (f": {message[:200]}" if message else ""))


def fail_stale_runs(conn: sqlite3.Connection, now_utc: int | None = None) -> int:
    """Mark runs still ``running`` ``STALE_AFTER_S`` after their start as failed (in a
    write transaction); return how many."""
    now = int(now_utc or time.time())
    return conn.execute(
        "UPDATE sync_run SET status = 'failed', finished_utc = :now, message = :message "
        "WHERE status = 'running' AND started_utc < :cutoff",
        {"now": now, "message": DID_NOT_FINISH, "cutoff": now - STALE_AFTER_S}).rowcount


def last_cursor(conn: sqlite3.Connection, kind: str, shop_id: int | None) -> int | None:
    """The newest cursor of the kind's successful runs; None before the first."""
    return conn.execute(
        "SELECT MAX(cursor_utc) FROM sync_run WHERE kind = :kind AND status = 'ok' "
        "AND shop_id IS :shop_id", {"kind": kind, "shop_id": shop_id}).fetchone()[0]


def recent_runs(conn: sqlite3.Connection, limit: int = 20,
                now_utc: int | None = None) -> list[SyncRun]:
    """The newest runs first; a run left ``running`` by a dead process shows as failed."""
    rows = conn.execute(
        "SELECT run_id, shop_id, kind, started_utc, finished_utc, "
        "CASE WHEN status = 'running' AND started_utc < :cutoff THEN 'failed' ELSE status END, "
        "records, pages, "
        "CASE WHEN status = 'running' AND started_utc < :cutoff THEN :message ELSE message END, "
        "cursor_utc FROM sync_run ORDER BY run_id DESC LIMIT :limit",
        {"limit": limit, "cutoff": int(now_utc or time.time()) - STALE_AFTER_S,
         "message": DID_NOT_FINISH}).fetchall()
    return [SyncRun(*tuple(row)) for row in rows]


def last_sync(conn: sqlite3.Connection) -> SyncRun | None:
    runs = recent_runs(conn, 1)
    return runs[0] if runs else None
