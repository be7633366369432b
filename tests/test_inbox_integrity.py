"""The inbox never takes a file still being written as complete, imports a file again when
it changes after its import, refuses symbolic links, and knows each file's shop."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from campaign_core.demo.order_files import OrderSpec
from campaign_core.inbox import InboxWatcher
from campaign_core.inbox.completeness import looks_complete
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.shops import DEMO_SHOP_NAME, resolve_shop
from tests.conftest import TZ, hand_orders, line, write_export
from tests.test_inbox import FakeClock

STABLE = 2.0


def many_orders(count: int) -> list[OrderSpec]:
    return [OrderSpec(f"5780000000{n:08d}", "Shipped", datetime(2026, 11, 20, 9, n % 60),
                      datetime(2026, 11, 20, 9, n % 60), [line("01", 1, 1299)],
                      buyer_username=f"buyer{n}") for n in range(count)]


def orders_by_shop(db: Path) -> dict[str, int]:
    with read_connection(db) as conn:
        rows = conn.execute("SELECT shop.name, COUNT(orders.order_id) FROM shop LEFT JOIN "
                            "orders USING (shop_id) GROUP BY shop.name").fetchall()
    return {name: count for name, count in rows}


def watcher_for(tmp_path: Path, clock: FakeClock, **options) -> InboxWatcher:
    return InboxWatcher(tmp_path / "store.db", tmp_path / "inbox", stable_seconds=STABLE,
                        clock=clock, **{"timezone": TZ, **options})


def settle(watcher: InboxWatcher, clock: FakeClock) -> list:
    """Poll, wait past the stability window, poll again: what a pause looks like."""
    results = watcher.poll()
    clock.now += STABLE + 1
    return results + watcher.poll()


def test_a_writer_pausing_past_the_window_loses_no_rows(tmp_path: Path) -> None:
    clock = FakeClock()
    watcher = watcher_for(tmp_path, clock)
    full = write_export(tmp_path, many_orders(60), name="All order-big.csv").read_bytes()
    cut = full.index(b"\n", len(full) // 3) + 1  # the pause falls between two records
    landing = tmp_path / "inbox" / "All order-big.csv"
    with landing.open("wb") as writer:
        writer.write(full[:cut])
        writer.flush()
        first = settle(watcher, clock)  # the pause: longer than the stability window
        writer.write(full[cut:])  # the writer goes on (into the file wherever it now is)
    again = settle(watcher, clock)

    assert [r.report.ok for r in first] == [True]
    assert [r.report.ok for r in again] == [True] and again[0].again
    assert orders_by_shop(tmp_path / "store.db") == {"My shop": 60}
    report = json.loads(Path(f"{again[0].moved_to}.report.json").read_text())
    assert report["records"]["new"] > 0 and "changed after" in " ".join(report["notes"])
    assert settle(watcher, clock) == []  # unchanged since: not imported a third time


def test_a_file_ending_mid_record_is_not_taken_as_complete(tmp_path: Path) -> None:
    clock = FakeClock()
    watcher = watcher_for(tmp_path, clock)
    full = write_export(tmp_path, many_orders(30), name="All order-mid.csv").read_bytes()
    landing = tmp_path / "inbox" / "All order-mid.csv"
    landing.write_bytes(full[: len(full) // 2 + 7])  # stops inside a record

    assert settle(watcher, clock) == [] and landing.exists()
    clock.now += 10
    assert watcher.poll() == []
    landing.write_bytes(full)
    [result] = settle(watcher, clock)
    assert result.report.ok and result.report.records.new == 30


def test_an_incomplete_file_that_never_finishes_is_reported_in_the_end(tmp_path: Path) -> None:
    clock = FakeClock()
    watcher = watcher_for(tmp_path, clock, incomplete_seconds=60)
    landing = tmp_path / "inbox" / "notes.csv"
    landing.write_bytes(b'Hello,World\n1,"never closed')
    assert settle(watcher, clock) == []
    clock.now += 60
    [result] = watcher.poll()
    assert not result.report.ok and result.moved_to.parent.name == "failed"


@pytest.mark.parametrize(("content", "complete"), [
    (b"a,b\n1,2\n", True),
    (b"a,b\r\n1,2\r\n", True),
    (b"a,b\n1,2", False),  # no final newline
    (b'a,b\n1,"two\nlines"\n', True),
    (b'a,b\n1,"two\n', False),  # the newline is inside an open quote
    (b'a,b\n1,"say ""hi"""\n', True),
    (b"", False),
])
def test_csv_completeness(tmp_path: Path, content: bytes, complete: bool) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    assert looks_complete(path) is complete


def test_xlsx_and_json_completeness(tmp_path: Path) -> None:
    book = tmp_path / "x.xlsx"
    with zipfile.ZipFile(book, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>" * 200)
    whole = book.read_bytes()
    assert looks_complete(book)
    book.write_bytes(whole[:-30])  # the central directory is written last
    assert not looks_complete(book)
    answer = tmp_path / "x.json"
    answer.write_text('{"code": 0, "data": {"inventory": []}}\n')
    assert looks_complete(answer)
    answer.write_text('{"code": 0, "data": {"inven')
    assert not looks_complete(answer)


def test_symbolic_links_are_refused(tmp_path: Path) -> None:
    clock = FakeClock()
    watcher = watcher_for(tmp_path, clock)
    (tmp_path / "elsewhere").mkdir()
    outside = write_export(tmp_path / "elsewhere", hand_orders(), name="All order.csv")
    (tmp_path / "inbox" / "All order.csv").symlink_to(outside)
    (tmp_path / "inbox" / "My shop").symlink_to(outside.parent, target_is_directory=True)

    results = settle(watcher, clock)
    assert [r.file_name for r in results] == ["All order.csv", "My shop"]
    for result in results:
        assert not result.report.ok and "symbolic link" in result.report.message
        assert result.moved_to.parent.name == "failed" and result.moved_to.is_symlink()
    assert outside.exists()
    assert not (tmp_path / "store.db").exists() or orders_by_shop(tmp_path / "store.db") == {}


# --- which shop a file goes to -------------------------------------------------------------


def two_shops(db: Path, *names: str) -> None:
    with write_transaction(db) as conn:
        for name in names:
            resolve_shop(conn, name, TZ)


def test_a_file_in_a_shop_folder_lands_in_that_shop(tmp_path: Path) -> None:
    clock, db = FakeClock(), tmp_path / "store.db"
    two_shops(db, DEMO_SHOP_NAME, "Real shop", "Other shop")
    watcher = watcher_for(tmp_path, clock, timezone=None)
    (tmp_path / "inbox" / "Other shop").mkdir()
    write_export(tmp_path / "inbox" / "Other shop", hand_orders(), name="All order.csv")

    [result] = settle(watcher, clock)
    assert result.report.ok, result.report.message
    assert result.moved_to == tmp_path / "inbox" / "Other shop" / "processed" / "All order.csv"
    assert orders_by_shop(db) == {DEMO_SHOP_NAME: 0, "Real shop": 0, "Other shop": 5}


def test_a_file_at_the_top_goes_to_the_one_shop_that_is_not_the_demo(tmp_path: Path) -> None:
    clock, db = FakeClock(), tmp_path / "store.db"
    two_shops(db, DEMO_SHOP_NAME, "Real shop")
    watcher = watcher_for(tmp_path, clock)
    write_export(tmp_path / "inbox", hand_orders(), name="All order.csv")

    [result] = settle(watcher, clock)
    assert result.report.ok, result.report.message
    assert orders_by_shop(db) == {DEMO_SHOP_NAME: 0, "Real shop": 5}


def test_a_file_whose_shop_is_unknown_is_failed_with_the_rule(tmp_path: Path) -> None:
    clock, db = FakeClock(), tmp_path / "store.db"
    two_shops(db, DEMO_SHOP_NAME, "Real shop", "Other shop")
    watcher = watcher_for(tmp_path, clock)
    write_export(tmp_path / "inbox", hand_orders(), name="All order.csv")
    (tmp_path / "inbox" / "Typo shop").mkdir()
    write_export(tmp_path / "inbox" / "Typo shop", hand_orders(), name="All order.csv")

    results = settle(watcher, clock)
    assert [r.report.ok for r in results] == [False, False]
    messages = " ".join(r.report.message for r in results)
    assert "inbox folder named after" in messages and "Typo shop" in messages
    assert orders_by_shop(db) == {DEMO_SHOP_NAME: 0, "Real shop": 0, "Other shop": 0}


def test_a_file_at_the_top_never_lands_in_the_demo_shop(tmp_path: Path) -> None:
    clock, db = FakeClock(), tmp_path / "store.db"
    two_shops(db, DEMO_SHOP_NAME)
    watcher = watcher_for(tmp_path, clock)
    write_export(tmp_path / "inbox", hand_orders(), name="All order.csv")

    [result] = settle(watcher, clock)
    assert result.report.ok, result.report.message
    assert orders_by_shop(db) == {DEMO_SHOP_NAME: 0, "My shop": 5}
