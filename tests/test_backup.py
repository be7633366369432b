"""Backups of the live store and restores from them, end to end and from the command line."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlite_utils

from campaign_core.cli import main
from campaign_core.demo.order_files import OrderSpec
from campaign_core.importers.pipeline import import_file
from campaign_core.metrics.core import core_kpis
from campaign_core.store import StoreError, data_version, read_connection
from campaign_core.store.backup import (
    backup_store,
    check_backup,
    default_backup_dir,
    list_backups,
    restore_store,
    summarize_store,
)
from campaign_core.store.errors import StoreVersionError
from campaign_core.store.schema import MIGRATIONS, SCHEMA_VERSION
from campaign_core.windows import period_window
from tests.conftest import TZ, hand_orders, line, write_export

NOON = datetime(2026, 11, 26, 12, 0, 5)
WINDOW = period_window(date(2026, 11, 1), date(2026, 11, 30), TZ, datetime(2026, 12, 1, tzinfo=UTC))


def content_digest(db: Path) -> str:
    """A digest of every row of every table, whatever the order rows are stored in.

    The data version is left out: a restore deliberately gives the restored rows a new one.
    """
    digest = hashlib.sha256()
    conn = sqlite3.connect(db)
    try:
        tables = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            width = len(conn.execute(f"PRAGMA table_info({table})").fetchall())
            order = ", ".join(str(n) for n in range(1, width + 1))
            digest.update(table.encode())
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY {order}"):
                if table != "meta" or row[0] != "data_version":
                    digest.update(repr(row).encode())
    finally:
        conn.close()
    return digest.hexdigest()


def later_orders() -> list[OrderSpec]:
    """Export B: one hand order moves on, three new orders arrive."""
    orders = hand_orders()
    orders[0].status, orders[0].delivered = "Completed", datetime(2026, 11, 25, 9, 0)
    return orders[:1] + [
        OrderSpec(f"57600000000000010{n}", "Shipped", datetime(2026, 11, 24, 9, n),
                  datetime(2026, 11, 24, 9, n + 1), [line("04", n + 1, 2500), line("05", 1, 999)],
                  buyer_username=f"buyer{n}")
        for n in range(3)
    ]


def import_b(db: Path, folder: Path) -> None:
    report = import_file(db, write_export(folder, later_orders(), name="All order-B.csv"),
                         timezone=TZ)
    assert report.ok, report.message


def test_backups_carry_the_time_and_never_overwrite(hand_store, tmp_path):
    folder = tmp_path / "kept"
    folder.mkdir()
    stranger = folder / "campaign-20261126-120005.db"
    stranger.write_bytes(b"someone else's file")

    first = backup_store(hand_store, folder, now=NOON)
    second = backup_store(hand_store, folder, now=NOON)
    later = backup_store(hand_store, folder, now=datetime(2026, 11, 27, 8, 0))

    assert (first.name, second.name) == ("campaign-20261126-120005-2.db",
                                         "campaign-20261126-120005-3.db")
    assert stranger.read_bytes() == b"someone else's file"
    assert list_backups(folder) == [later, second, first, stranger]
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no partial copy left


def test_a_backup_is_a_checked_single_file_copy_beside_the_store(hand_store):
    backup = backup_store(hand_store)

    assert backup.parent == default_backup_dir(hand_store) == hand_store.parent / "backups"
    conn = sqlite3.connect(backup)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert content_digest(backup) == content_digest(hand_store)
    assert summarize_store(backup) == (f"schema {SCHEMA_VERSION}, 1 shop, 5 orders, "
                                       "6 order lines, 1 imports")


def test_backing_up_a_missing_or_foreign_file_says_so(tmp_path):
    with pytest.raises(StoreError, match="nothing to back up"):
        backup_store(tmp_path / "none.db")
    text = tmp_path / "notes.db"
    text.write_text("not a database at all")
    with pytest.raises(StoreError, match="not a campaign store"):
        backup_store(text)
    assert list_backups(default_backup_dir(text)) == []


def test_backups_while_readers_read_and_an_import_runs(hand_store, tmp_path):
    before = content_digest(hand_store)
    errors: list[BaseException] = []
    reads = [0]
    stop = threading.Event()

    def read_kpis() -> None:
        try:
            while not stop.is_set():
                with read_connection(hand_store) as conn:
                    core_kpis(conn, 1, WINDOW)
                reads[0] += 1
        except BaseException as error:  # collected: a failing thread must fail the test
            errors.append(error)

    readers = [threading.Thread(target=read_kpis) for _ in range(3)]
    writer = threading.Thread(target=import_b, args=(hand_store, tmp_path))
    for thread in readers:
        thread.start()
    writer.start()
    backups = [backup_store(hand_store, tmp_path / "kept") for _ in range(5)]
    writer.join()
    backups.append(backup_store(hand_store, tmp_path / "kept"))
    stop.set()
    for thread in readers:
        thread.join()

    assert errors == []
    assert reads[0] > 0
    after = content_digest(hand_store)
    # Each backup is one consistent snapshot: before the import's commit or after it.
    assert {content_digest(b) for b in backups} <= {before, after}
    assert content_digest(backups[-1]) == after


def test_restore_end_to_end_and_undo(hand_store, tmp_path):
    state_a = content_digest(hand_store)
    backup_a = backup_store(hand_store)
    import_b(hand_store, tmp_path)
    state_b = content_digest(hand_store)
    version_b = data_version(hand_store)

    safety = restore_store(backup_a, hand_store)

    assert content_digest(hand_store) == state_a
    assert content_digest(safety) == state_b
    # A version the store never had, so every page cache refreshes.
    assert data_version(hand_store) == version_b + 1
    assert list_backups(default_backup_dir(hand_store))[0] == safety
    with read_connection(hand_store) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []

    restore_store(safety, hand_store)  # the undo
    assert content_digest(hand_store) == state_b
    import_b(hand_store, tmp_path)  # the store takes imports after a restore
    assert content_digest(hand_store) != state_b


def test_readers_see_the_old_content_or_the_restored_one_never_a_mix(hand_store, tmp_path):
    backup_a = backup_store(hand_store)
    import_b(hand_store, tmp_path)
    counts_a_b = {_line_and_log_counts(backup_a), _line_and_log_counts(hand_store)}
    seen: set[tuple[int, int]] = set()
    errors: list[BaseException] = []
    stop = threading.Event()

    def watch() -> None:
        try:
            while not stop.is_set():
                seen.add(_line_and_log_counts(hand_store))
        except BaseException as error:
            errors.append(error)

    watchers = [threading.Thread(target=watch) for _ in range(2)]
    for thread in watchers:
        thread.start()
    for _ in range(3):
        restore_store(backup_a, hand_store)
        import_b(hand_store, tmp_path)
    stop.set()
    for thread in watchers:
        thread.join()

    assert errors == []
    assert seen and seen <= counts_a_b  # the state before or after, nothing in between


def _line_and_log_counts(db: Path) -> tuple[int, int]:
    with read_connection(db) as conn:
        # One statement, one snapshot.
        return tuple(conn.execute("SELECT (SELECT COUNT(*) FROM order_line), "
                                  "(SELECT COUNT(*) FROM import_log)").fetchone())


def test_restore_refuses_a_file_that_is_not_a_store(hand_store, tmp_path):
    before = content_digest(hand_store)
    text = tmp_path / "campaign-20261126-120005.db"
    text.write_text("a shopping list")
    other_sqlite = tmp_path / "other.db"
    sqlite3.connect(other_sqlite).execute("CREATE TABLE notes (body TEXT)")

    with pytest.raises(StoreError, match="not a campaign store"):
        restore_store(text, hand_store)
    with pytest.raises(StoreError, match="not a campaign store"):
        restore_store(other_sqlite, hand_store)
    with pytest.raises(StoreError, match="No backup file"):
        restore_store(tmp_path / "missing.db", hand_store)
    with pytest.raises(StoreError, match="the store itself"):
        restore_store(hand_store, hand_store)

    assert content_digest(hand_store) == before
    assert list_backups(default_backup_dir(hand_store)) == []  # nothing to undo: none made
    assert not [p for p in hand_store.parent.iterdir() if p.name.startswith(".restore")]


def test_restore_refuses_a_backup_from_a_newer_version(hand_store, tmp_path):
    newer = backup_store(hand_store, tmp_path / "kept")
    sqlite3.connect(newer).execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    import_b(hand_store, tmp_path)
    before = content_digest(hand_store)

    with pytest.raises(StoreVersionError, match="newer than this program"):
        restore_store(newer, hand_store)
    assert content_digest(hand_store) == before


def test_an_older_backup_is_migrated_and_restores_into_a_new_location(tmp_path):
    old = tmp_path / "old.db"
    conn = sqlite3.connect(old, isolation_level=None)
    MIGRATIONS[0](sqlite_utils.Database(conn))
    conn.execute("INSERT INTO shop (name, timezone, currency) VALUES ('Old shop', "
                 "'Europe/London', 'GBP')")
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    old_bytes = old.read_bytes()
    db = tmp_path / "new machine" / "campaign.db"

    restore_store(old, db)

    assert old.read_bytes() == old_bytes  # the backup file is only read
    with read_connection(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        row = conn.execute("SELECT name, currency, category FROM shop").fetchone()
    assert tuple(row) == ("Old shop", "GBP", None)  # category: a column of schema 2


def test_command_line_backup_and_restore(hand_store, tmp_path, capsys):
    state_a = content_digest(hand_store)
    folder = tmp_path / "kept"

    assert main(["backup", "--db", str(hand_store), "--dir", str(folder)]) == 0
    backup = Path(capsys.readouterr().out.strip())
    assert backup.parent == folder and backup.is_file()
    import_b(hand_store, tmp_path)
    state_b = content_digest(hand_store)

    assert main(["restore", "--db", str(hand_store), str(backup)]) == 0
    out = capsys.readouterr().out
    assert f"from {backup}" in out and "5 orders" in out
    safety = list_backups(default_backup_dir(hand_store))[0]
    assert str(safety) in out
    assert content_digest(hand_store) == state_a
    assert content_digest(safety) == state_b


def test_command_line_errors_exit_non_zero_with_a_message(hand_store, tmp_path, capsys):
    junk = tmp_path / "junk.db"
    junk.write_text("junk")

    assert main(["restore", "--db", str(hand_store), str(junk)]) == 2
    assert "error:" in capsys.readouterr().err
    assert main(["backup", "--db", str(tmp_path / "none.db")]) == 2
    assert "nothing to back up" in capsys.readouterr().err


# --- hostile backup files: refused quickly, reported as bad, never hang -------------------

ENDLESS = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
           "SELECT i AS shop_id, 'x' AS name, 'UTC' AS timezone, 'USD' AS currency, "
           "0 AS created_utc, NULL AS category, NULL AS gmv_tier FROM n")


def endless_shop_backup(store: Path, folder: Path, version: int) -> Path:
    """A backup whose ``shop`` table is a view that never ends, at schema ``version``."""
    backup = backup_store(store, folder, now=NOON)
    conn = sqlite3.connect(backup, isolation_level=None)
    conn.execute("DROP TABLE shop")
    conn.execute(f"CREATE VIEW shop AS {ENDLESS}")
    if version < SCHEMA_VERSION:  # the tables of the later migrations go, so they run again
        conn.execute("DROP TABLE rollup_day_buyers")
        conn.execute("DROP TABLE rollup_hour_order_kind")
        # ... and those of the later migrations too, so that they run again.
        for table in ("shop_logo", "fx_rate", "workspace_setting", "campaign_shop",
                      "audit_log", "order_platform_fact", "creator_identity", "shop_score",
                      "campaign_plan_target", "gmv_max_target", "gmv_max_day_flag",
                      "roi_protection_credit", "holdout", "holdout_unit",
                      "rollup_day_sku", "rollup_day_product", "rollup_hour_delivered",
                      "rollup_hour_attribution", "rollup_day_buyer_set"):
            conn.execute(f"DROP TABLE IF EXISTS {table}")
        for (trigger,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                       "AND name LIKE 'rollup_dirty_affiliate_line_%'").fetchall():
            conn.execute(f"DROP TRIGGER {trigger}")
        for table, column in (("ad_account", "utc_offset_minutes"),
                              ("ad_campaign_period", "roi_basis"),
                              ("ad_campaign_period", "target_roi"),
                              ("orders", "first_import_id")):
            columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            if column in columns:
                conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.close()
    return backup


def finishes_within(seconds: float, work) -> BaseException | None:
    """Run ``work`` in a thread; fail the test when it is still running after ``seconds``.
    Returns the exception ``work`` raised (None when it returned)."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            work()
            outcome.append(None)
        except BaseException as error:  # handed back to the test
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    return outcome[0]


@pytest.mark.parametrize("version", [8, SCHEMA_VERSION])
def test_a_backup_with_an_endless_shop_view_is_refused_at_once(hand_store, tmp_path, version):
    hostile = endless_shop_backup(hand_store, tmp_path / "kept", version)
    before = content_digest(hand_store)

    summary_error = finishes_within(20, lambda: summarize_store(hostile))
    restore_error = finishes_within(20, lambda: restore_store(hostile, hand_store))

    assert isinstance(summary_error, StoreError)
    assert "not a campaign store of this program" in str(summary_error)
    assert isinstance(restore_error, StoreError) and "view" in str(restore_error)
    assert content_digest(hand_store) == before
    assert check_backup(hostile) is not None


def test_backup_checks_tell_a_good_backup_from_bad_files(hand_store, tmp_path):
    good = backup_store(hand_store, tmp_path / "kept")
    text = tmp_path / "kept" / "campaign-20261126-120006.db"
    text.write_bytes(b"SQLite format 3\x00 but then nothing of a database")
    other = tmp_path / "kept" / "campaign-20261126-120007.db"
    sqlite3.connect(other).execute("CREATE TABLE meta (key TEXT, value TEXT)")
    sqlite3.connect(other).execute("PRAGMA user_version = 3")
    extra_trigger = backup_store(hand_store, tmp_path / "kept")
    sqlite3.connect(extra_trigger).execute(
        "CREATE TRIGGER surprise AFTER INSERT ON shop BEGIN DELETE FROM orders; END")

    assert check_backup(good) is None
    for bad in (text, other, extra_trigger):
        assert "not a campaign store of this program" in check_backup(bad)
        with pytest.raises(StoreError, match="not a campaign store of this program"):
            summarize_store(bad)
    assert "surprise" in check_backup(extra_trigger)


def test_a_backup_is_read_under_a_time_limit(hand_store, tmp_path):
    from campaign_core.store.backup_check import open_read_only

    conn = open_read_only(backup_store(hand_store, tmp_path / "kept"), time_limit_s=0.5)
    try:
        with pytest.raises(sqlite3.OperationalError, match="interrupted"):
            conn.execute(f"SELECT COUNT(*) FROM ({ENDLESS})").fetchone()
    finally:
        conn.close()


def test_the_import_page_lists_a_bad_backup_as_bad_and_cannot_restore_it(private_app_env):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import PROJECT_ROOT

    folder = default_backup_dir(private_app_env)
    folder.mkdir()
    (folder / "campaign-20261201-090000.db").write_text("a shopping list, not a backup")
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/import_data.py").run()

    assert not at.exception
    shown = " ".join(w.value for w in at.warning).replace("\\", "")  # Markdown escapes
    assert "campaign-20261201-090000.db" in shown and "not an SQLite file" in shown
    at.checkbox(key="restore_confirm").check().run()
    assert at.button(key="restore_now").disabled
