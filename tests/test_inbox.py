"""The inbox folder: a file is imported once its size is stable, then moved to processed/
or failed/ with its import report beside it."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from campaign_core.inbox import InboxWatcher, default_inbox
from campaign_core.store import read_connection
from tests.conftest import TZ, hand_orders, write_export


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def order_count(db: Path) -> int:
    with read_connection(db) as conn:
        return conn.execute("SELECT COUNT(*) FROM orders").fetchone()[0]


def test_a_file_still_growing_is_not_read_until_its_size_is_stable(tmp_path: Path) -> None:
    inbox, db, clock = tmp_path / "inbox", tmp_path / "store.db", FakeClock()
    watcher = InboxWatcher(db, inbox, timezone=TZ, stable_seconds=2.0, clock=clock)
    full = write_export(tmp_path, hand_orders(), name="All order-2026-11-26-09_30.csv")
    content = full.read_bytes()
    landing = inbox / full.name
    landing.write_bytes(content[: len(content) // 2])  # half written
    assert watcher.poll() == []
    clock.now += 5
    landing.write_bytes(content)  # the writer finished: the size changed, so wait again
    assert watcher.poll() == []
    clock.now += 1
    assert watcher.poll() == [] and landing.exists()
    clock.now += 1.5
    results = watcher.poll()
    assert [r.report.status for r in results] == ["imported"]
    assert results[0].landed_monotonic == 1000.0  # first seen half written
    assert not landing.exists() and order_count(db) == 5


def test_imported_files_move_to_processed_with_their_report(tmp_path: Path) -> None:
    inbox, db, clock = tmp_path / "inbox", tmp_path / "store.db", FakeClock()
    watcher = InboxWatcher(db, inbox, timezone=TZ, stable_seconds=0, clock=clock)
    write_export(inbox, hand_orders(), name="All order.csv")
    watcher.poll()
    [result] = watcher.poll()
    assert result.moved_to == inbox / "processed" / "All order.csv"
    report = json.loads((inbox / "processed" / "All order.csv.report.json").read_text())
    assert report["status"] == "imported" and report["records"]["new"] == 5
    assert report["kind"] == "orders" and report["ok"] is True
    # The same export dropped again: imported again (nothing changes), kept beside the first.
    write_export(inbox, hand_orders(), name="All order.csv")
    watcher.poll()
    [again] = watcher.poll()
    assert again.report.records.unchanged == 5 and again.report.records.new == 0
    assert again.moved_to != result.moved_to and again.moved_to.exists()
    assert sorted(p.name for p in inbox.iterdir()) == ["failed", "processed"]


def test_a_file_that_cannot_be_imported_goes_to_failed_with_the_reason(tmp_path: Path) -> None:
    inbox, db = tmp_path / "inbox", tmp_path / "store.db"
    watcher = InboxWatcher(db, inbox, timezone=TZ, stable_seconds=0, clock=FakeClock())
    (inbox / "notes.csv").write_text("Hello,World\n1,2\n", encoding="utf-8")
    watcher.poll()
    [result] = watcher.poll()
    assert result.report.status == "rejected"
    assert result.moved_to == inbox / "failed" / "notes.csv"
    report = json.loads((inbox / "failed" / "notes.csv.report.json").read_text())
    assert report["ok"] is False and report["message"]
    with read_connection(db) as conn:
        assert conn.execute("SELECT status FROM import_log").fetchone()[0] == "rejected"


def test_partial_downloads_and_hidden_files_are_left_alone(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    watcher = InboxWatcher(tmp_path / "store.db", inbox, stable_seconds=0, clock=FakeClock())
    for name in ("All order.csv.crdownload", "All order.csv.part", ".DS_Store", "~$book.xlsx"):
        (inbox / name).write_text("x", encoding="utf-8")
    watcher.poll()
    assert watcher.poll() == []
    assert sorted(p.name for p in inbox.iterdir() if p.is_file()) == [
        ".DS_Store", "All order.csv.crdownload", "All order.csv.part", "~$book.xlsx"]


def test_the_watcher_loop_imports_a_dropped_file_by_itself(tmp_path: Path) -> None:
    inbox, db = tmp_path / "inbox", tmp_path / "store.db"
    watcher = InboxWatcher(db, inbox, timezone=TZ, stable_seconds=0.2)
    stop = threading.Event()
    batches: list = []
    thread = threading.Thread(target=watcher.run, kwargs={
        "poll_seconds": 0.05, "should_stop": stop.is_set, "on_results": batches.append})
    thread.start()
    try:
        write_export(inbox, hand_orders(), name="All order.csv")
        deadline = time.monotonic() + 20
        while not batches and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(5)
    assert batches and batches[0][0].report.ok and order_count(db) == 5


def test_the_default_inbox_is_beside_the_store(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("CAMPAIGN_INBOX", raising=False)
    assert default_inbox(tmp_path / "campaign.db") == tmp_path / "inbox"
    monkeypatch.setenv("CAMPAIGN_INBOX", str(tmp_path / "drop"))
    assert default_inbox(tmp_path / "campaign.db") == tmp_path / "drop"


def test_the_watch_command_imports_the_folder_once(tmp_path: Path, capsys) -> None:
    from campaign_core.cli import main

    inbox, db = tmp_path / "inbox", tmp_path / "store.db"
    inbox.mkdir()
    write_export(inbox, hand_orders(), name="All order.csv")
    code = main(["watch", "--db", str(db), "--timezone", TZ, "--stable", "0", "--once",
                 "--secrets", str(tmp_path / "none.toml"), str(inbox)])
    out = capsys.readouterr()
    assert code == 0, out.err
    out = out.out
    assert "inbox: All order.csv: kind=orders" in out and "-> processed/" in out
    assert order_count(db) == 5
