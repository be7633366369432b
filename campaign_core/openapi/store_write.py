"""Store what a sync pulled through the same writers as the file imports, in one
transaction, logged in ``import_log`` like a file (kind ``api_orders``, ...)."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path

from campaign_core.importers.orders import ParsedOrders
from campaign_core.importers.parsed import Problem, RecordCounts
from campaign_core.importers.pipeline import ImportReport
from campaign_core.store import write_transaction
from campaign_core.store.order_facts import write_order_facts
from campaign_core.store.orders_writer import classify_orders, upsert_catalog, write_orders
from campaign_core.store.shops import resolve_shop


def import_parsed_orders(db_path: Path | str, parsed: ParsedOrders, *, label: str,
                         shop_name: str | None = None, kind: str = "api_orders",
                         conn: sqlite3.Connection | None = None) -> ImportReport:
    """Classify and write ``parsed`` orders in one transaction (the caller's ``conn`` when
    given, else a new write transaction) and log them as one import named ``label``.

    Returns the report (records new / updated / unchanged / kept). Store errors propagate
    and roll the transaction back."""
    if conn is None:
        with write_transaction(db_path) as own:
            return import_parsed_orders(db_path, parsed, label=label, shop_name=shop_name,
                                        kind=kind, conn=own)
    report = ImportReport(label, "imported", kind=kind, kind_label="Open API orders")
    report.rows_read, report.rows_stored = parsed.rows_read, parsed.rows_stored
    report.rows_quarantined, report.problems = parsed.quarantined_rows, parsed.problems
    report.first_paid_utc, report.last_paid_utc = parsed.first_time_utc, parsed.last_time_utc
    report.notes = list(parsed.notes)
    report.sha256 = _digest(parsed)
    shop = resolve_shop(conn, shop_name, None)
    report.timezone = shop.timezone
    report.import_id = log_start(conn, report, shop.shop_id)
    counts, to_insert, to_replace = classify_orders(conn, shop.shop_id, parsed.orders, None)
    report.lines_written = write_orders(conn, shop.shop_id, report.import_id, to_insert,
                                        to_replace)
    upsert_catalog(conn, shop.shop_id, parsed.products.values(), parsed.skus.values())
    write_order_facts(conn, shop.shop_id, parsed.orders.values())
    store_problems(conn, report.import_id, label, parsed.problems)
    report.records = counts
    log_finish(conn, report)
    return report


def _digest(parsed: ParsedOrders) -> str:
    hashes = sorted(o["content_hash"] for o in parsed.orders.values())
    return hashlib.sha256("".join(hashes).encode()).hexdigest()


def log_start(conn: sqlite3.Connection, report: ImportReport, shop_id: int | None) -> int:
    return conn.execute(
        "INSERT INTO import_log (shop_id, file_name, sha256, kind, status, message, "
        "started_utc) VALUES (:shop_id, :name, :sha256, :kind, :status, '', :started)",
        {"shop_id": shop_id, "name": report.file_name, "sha256": report.sha256,
         "kind": report.kind, "status": report.status,
         "started": int(time.time())}).lastrowid


def log_finish(conn: sqlite3.Connection, report: ImportReport,
               records: RecordCounts | None = None) -> None:
    records = records or report.records
    conn.execute(
        "UPDATE import_log SET rows_read = :read, rows_stored = :stored, "
        "rows_quarantined = :quarantined, orders_new = :new, orders_updated = :updated, "
        "orders_unchanged = :unchanged, orders_kept_newer = :kept, first_time_utc = :first, "
        "last_time_utc = :last, message = :message, finished_utc = :finished "
        "WHERE import_id = :import_id",
        {"read": report.rows_read, "stored": report.rows_stored,
         "quarantined": report.rows_quarantined, "new": records.new,
         "updated": records.updated, "unchanged": records.unchanged,
         "kept": records.kept_newer, "first": report.first_paid_utc,
         "last": report.last_paid_utc,
         "message": (report.message or " ".join(report.notes))[:2000],
         "finished": int(time.time()), "import_id": report.import_id})


def store_problems(conn: sqlite3.Connection, import_id: int, label: str,
                   problems: list[Problem]) -> None:
    conn.executemany(
        "INSERT INTO quarantine (import_id, file_name, file_line, column_name, raw_value, "
        "reason) VALUES (:import_id, :name, :line, :column, :raw, :reason)",
        ({"import_id": import_id, "name": label, "line": p.file_line, "column": p.column,
          "raw": p.raw_value[:1000], "reason": p.reason} for p in problems))
