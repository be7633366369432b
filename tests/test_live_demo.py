"""The live demo adds orders to the demo shop only, and refuses any other store."""

from __future__ import annotations

import random
import shutil
from datetime import UTC, datetime

import pytest

from campaign_core.cli import main
from campaign_core.demo.live import LiveDemoError, add_live_orders, orders_this_tick
from campaign_core.importers.pipeline import import_file
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.shops import DEMO_SHOP_NAME
from tests.conftest import TZ, hand_orders, write_export

NOW = datetime(2026, 11, 26, 22, 40, tzinfo=UTC)  # ten minutes after the demo's "now"


def _orders_by_shop(db) -> dict[str, int]:
    with read_connection(db) as conn:
        return {row[0]: row[1] for row in conn.execute(
            "SELECT s.name, COUNT(o.order_id) FROM shop s LEFT JOIN orders o "
            "ON o.shop_id = s.shop_id GROUP BY s.name")}


@pytest.fixture
def demo_and_real_shop(demo_store, tmp_path):
    db = tmp_path / "store.db"
    shutil.copy(demo_store, db)
    report = import_file(db, write_export(tmp_path, hand_orders()), shop_name="My real shop",
                         timezone=TZ)
    assert report.ok, report.message
    return db


def test_live_orders_go_to_the_demo_shop_only(demo_and_real_shop):
    before = _orders_by_shop(demo_and_real_shop)
    added = add_live_orders(demo_and_real_shop, NOW, random.Random(1), count=4)
    after = _orders_by_shop(demo_and_real_shop)
    assert added == 4
    assert after[DEMO_SHOP_NAME] == before[DEMO_SHOP_NAME] + 4
    assert after["My real shop"] == before["My real shop"] == 5
    with read_connection(demo_and_real_shop) as conn:
        paid = conn.execute("SELECT MAX(paid_utc) FROM orders o JOIN shop s USING (shop_id) "
                            "WHERE s.name = ?", (DEMO_SHOP_NAME,)).fetchone()[0]
    assert paid == int(NOW.timestamp())  # paid now: the Today view moves


def test_a_store_without_the_demo_is_refused(hand_store):
    before = _orders_by_shop(hand_store)
    with pytest.raises(LiveDemoError, match="no demo shop"):
        add_live_orders(hand_store, NOW, random.Random(1), count=3)
    assert _orders_by_shop(hand_store) == before


def test_a_real_shop_named_like_the_demo_is_refused(hand_store):
    with write_transaction(hand_store) as conn:
        conn.execute("UPDATE shop SET name = ?", (DEMO_SHOP_NAME,))
    before = _orders_by_shop(hand_store)
    with pytest.raises(LiveDemoError, match="not built by the demo"):
        add_live_orders(hand_store, NOW, random.Random(1), count=3)
    assert _orders_by_shop(hand_store) == before


def test_orders_follow_the_hour_of_day_profile():
    rng = random.Random(3)
    night = sum(orders_this_tick(rng, 4) for _ in range(2000))
    evening = sum(orders_this_tick(rng, 20) for _ in range(2000))
    assert evening > 10 * night > 0
    assert 2000 * 2.7 < evening < 2000 * 3.3  # the busiest hour: 3 a tick on average


def test_the_cli_refuses_live_with_a_fixed_day(tmp_path, capsys):
    code = main(["demo", "--db", str(tmp_path / "x.db"), "--today", "2026-11-26", "--live"])
    assert code == 2 and "--live runs on the clock" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()
