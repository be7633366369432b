"""The store: migrations, the single writer, read-only readers, all-or-nothing imports."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from datetime import date
from pathlib import Path

import pytest

from campaign_core.importers import handlers
from campaign_core.importers.pipeline import import_file
from campaign_core.store import (
    StoreError,
    data_version,
    ensure_store,
    read_connection,
    write_transaction,
)
from campaign_core.store.campaigns import find_campaign, save_campaign
from campaign_core.store.schema import SCHEMA_VERSION
from campaign_core.store.shops import resolve_shop, update_shop
from tests.conftest import TZ, hand_orders, write_export

TABLES = ("shop", "campaign", "product", "sku", "orders", "order_line", "import_log",
          "quarantine")


def checksum(db: Path) -> str:
    """A digest of every row of every table: equal digests, equal content."""
    digest = hashlib.sha256()
    with read_connection(db) as conn:
        for table in TABLES:
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2"):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def test_new_store_is_migrated_to_the_current_version_in_wal_mode(tmp_path):
    db = ensure_store(tmp_path / "s.db")
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_store_from_a_newer_version_is_refused(tmp_path):
    db = tmp_path / "s.db"
    sqlite3.connect(db).execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer"):
        ensure_store(db)


def test_readers_cannot_write(hand_store):
    with read_connection(hand_store) as conn, pytest.raises(sqlite3.OperationalError):
        conn.execute("DELETE FROM orders")


def test_reading_a_missing_store_says_what_to_do(tmp_path):
    with pytest.raises(StoreError, match="import"), read_connection(tmp_path / "none.db"):
        pass


def test_write_transaction_rolls_back_on_error_and_keeps_the_version(hand_store):
    before, version = checksum(hand_store), data_version(hand_store)
    with pytest.raises(RuntimeError), write_transaction(hand_store) as conn:
        conn.execute("DELETE FROM order_line")
        raise RuntimeError("fault")
    assert checksum(hand_store) == before
    assert data_version(hand_store) == version


def test_each_commit_bumps_the_data_version(hand_store):
    version = data_version(hand_store)
    with write_transaction(hand_store) as conn:
        resolve_shop(conn, "Second shop", "Europe/London")
    assert data_version(hand_store) == version + 1


def test_an_import_failing_while_writing_leaves_the_store_untouched(hand_store, tmp_path,
                                                                   monkeypatch):
    before = checksum(hand_store)
    later = hand_orders()
    later[0].status = "Completed"

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(handlers, "upsert_catalog", broken)
    with pytest.raises(OSError):
        import_file(hand_store, write_export(tmp_path, later, name="All order-later.csv"))
    assert checksum(hand_store) == before


def test_concurrent_writers_queue_instead_of_failing(tmp_path):
    db = ensure_store(tmp_path / "s.db")
    errors = []

    def add_shop(number: int) -> None:
        try:
            with write_transaction(db) as conn:
                resolve_shop(conn, f"Shop {number}", TZ)
        except Exception as error:  # any "database is locked" would land here
            errors.append(error)

    threads = [threading.Thread(target=add_shop, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with read_connection(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM shop").fetchone()[0] == 8


def test_campaign_names_are_unique_per_store(hand_store):
    with write_transaction(hand_store) as conn:
        other = save_campaign(conn, shop_id=1, name="Other", start_day=date(2026, 1, 1),
                              end_day=date(2026, 1, 2))
    with pytest.raises(ValueError, match="already"), write_transaction(hand_store) as conn:
        save_campaign(conn, shop_id=1, name="Hand", start_day=date(2026, 1, 1),
                      end_day=date(2026, 1, 2), campaign_id=other.campaign_id)


def test_campaign_without_timezone_follows_its_shop(hand_store):
    with write_transaction(hand_store) as conn:
        update_shop(conn, 1, name="My shop", timezone="Asia/Jakarta", currency="idr")
        campaign = find_campaign(conn, "Hand")
    assert campaign.timezone == "Asia/Jakarta" and campaign.currency == "IDR"


def test_shop_names_stay_unique(hand_store):
    with write_transaction(hand_store) as conn:
        resolve_shop(conn, "Second shop", TZ)
    with pytest.raises(ValueError, match="already"), write_transaction(hand_store) as conn:
        update_shop(conn, 1, name="Second shop", timezone=TZ, currency="USD")


def test_timezone_of_a_shop_with_orders_is_not_changed_by_an_import_option(hand_store):
    with write_transaction(hand_store) as conn:
        shop = resolve_shop(conn, None, "Asia/Jakarta")
    assert shop.timezone == TZ


def test_unknown_timezone_is_refused_with_examples(tmp_path):
    with pytest.raises(ValueError, match="America/Los_Angeles"), \
            write_transaction(tmp_path / "s.db") as conn:
        resolve_shop(conn, None, "Pacific Time")


def test_personal_data_columns_do_not_exist(hand_store):
    with read_connection(hand_store) as conn:
        columns = {row[1].lower() for table in TABLES
                   for row in conn.execute(f"PRAGMA table_info({table})")}
    assert not columns & {"recipient", "phone", "address", "buyer_message", "zipcode"}


def test_a_writer_that_must_queue_is_told_so(tmp_path):
    db = ensure_store(tmp_path / "s.db")
    waited = threading.Event()
    inside = threading.Event()
    release = threading.Event()

    def hold_the_lock() -> None:
        with write_transaction(db):
            inside.set()
            release.wait(5)

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    inside.wait(5)
    second = threading.Thread(target=lambda: write_transaction(db, on_wait=waited.set)
                              .__enter__())
    second.start()
    assert waited.wait(5)
    release.set()
    holder.join(5)
    second.join(5)
