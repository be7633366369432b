"""Break-even target ROI per product and SKU, computed by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from campaign_core.profit.break_even import break_even_by_product
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.costs import set_unit_cost
from campaign_core.windows import period_window
from tests.gmv_max_store import (
    add_affiliate,
    add_campaign_day,
    add_creative,
    add_line,
    instant,
    new_store,
)

TZ = "America/Los_Angeles"
DAY = "2026-11-20"


@pytest.fixture
def store(tmp_path):
    db = new_store(tmp_path)
    paid = instant(DAY, TZ)
    with write_transaction(db) as conn:
        for sku in ("s1", "s2", "s3"):
            set_unit_cost(conn, 1, sku, 20_00, "2026-11-01")
        # p1: two sales of 50.00, one through a creator earning 10.00 of commission.
        add_line(conn, "o1", "s1", 50_00, paid, product="p1")
        add_line(conn, "o2", "s1", 50_00, paid, product="p1")
        add_affiliate(conn, "o1", "s1", 10_00, paid)
        # p2: the same sales, no creator.
        add_line(conn, "o3", "s2", 50_00, paid, product="p2")
        add_line(conn, "o4", "s2", 50_00, paid, product="p2")
        # p3: the same, one unit returned after shipping.
        add_line(conn, "o5", "s3", 50_00, paid, product="p3")
        add_line(conn, "o6", "s3", 50_00, paid, product="p3", returned=1)
        # GMV Max: p1 in campaign c1 (report target 2.0), ROI 30.00 / 10.00 = 3.
        add_creative(conn, "c1", "p1", 10_00, 30_00, DAY, DAY)
        add_campaign_day(conn, "c1", DAY, 10_00, 30_00, 2, target_roi=2.0)
    return db


def _products(db, by="product"):
    window = period_window(date(2026, 11, 20), date(2026, 11, 20), TZ,
                           datetime(2026, 12, 1, tzinfo=UTC))
    with read_connection(db) as conn:
        return {b.key: b for b in break_even_by_product(conn, 1, window, by)}


def test_break_even_roi_with_affiliate_commission(store):
    p1 = _products(store)["p1"]
    # m = (100 - 0 refunds - 40 cost - 6 fees (6% US) - 10 commission) / 100 = 0.44
    assert p1.margin_rate == pytest.approx(0.44)
    assert p1.break_even_roi == pytest.approx(1 / 0.44)
    assert p1.commission_rate == pytest.approx(0.10)


def test_break_even_roi_without_affiliate_commission(store):
    p2 = _products(store)["p2"]
    assert p2.margin_rate == pytest.approx(0.54)  # (100 - 40 - 6) / 100
    assert p2.break_even_roi == pytest.approx(1 / 0.54)


def test_refunds_raise_the_break_even_roi(store):
    p3 = _products(store)["p3"]
    # refunds 50; fees 6% of 50 kept + 20% x 3.00 on the return = 3.60; cost 2 x 20.
    assert p3.margin_rate == pytest.approx((100 - 50 - 40 - 3.6) / 100)
    assert p3.break_even_roi == pytest.approx(100 / 6.4)


def test_target_below_break_even_is_flagged_and_margin_per_ad_dollar(store):
    p1 = _products(store)["p1"]
    assert (p1.target_roi, p1.current_roi) == (2.0, 3.0)
    assert p1.target_below_break_even  # 2.0 < 2.27
    assert p1.margin_per_ad_dollar() == pytest.approx(3 * 0.44 - 1)
    assert p1.margin_per_ad_dollar(1 / 0.44) == pytest.approx(0)


def test_an_entered_target_wins_over_the_report(store):
    with write_transaction(store) as conn:
        conn.execute("INSERT INTO gmv_max_target (shop_id, account_id, campaign_id, "
                     "valid_from, target_roi, source) VALUES (1, '', 'c1', :day, 2.5, "
                     "'entered')", {"day": DAY})
    p1 = _products(store)["p1"]
    assert p1.target_roi == 2.5 and not p1.target_below_break_even


def test_per_sku_matches_per_product_here(store):
    assert _products(store, "sku")["s1"].break_even_roi == pytest.approx(1 / 0.44)


def test_a_sku_without_cost_has_no_break_even(tmp_path):
    db = new_store(tmp_path)
    with write_transaction(db) as conn:
        add_line(conn, "o1", "s9", 50_00, instant(DAY, TZ), product="p9")
    p9 = _products(db)["p9"]
    assert p9.missing_cost and p9.break_even_roi is None


def test_promotion_days_what_if_by_hand():
    from campaign_core.profit.gmv_max_whatif import promotion_days, what_if
    goal = promotion_days(4.0, 0.20)
    assert goal == pytest.approx(3.2)
    # Spend 100.00 at ROI 4 (revenue 400.00), m = 0.44: margin 400 x 0.44 - 100 = 76.00.
    # Promotion: spend 150.00 at ROI 3.2 = revenue 480.00; margin 211.20 - 150 = 61.20.
    result = what_if(100_00, 4.0, 0.44, goal, 1.5, aov=40_00, conversion=0.05)
    assert result.gmv_change == pytest.approx(80_00)
    assert result.margin_change == pytest.approx(61_20 - 76_00)
    assert result.orders_change == pytest.approx(2)  # 80.00 / 40.00
    assert result.clicks_needed == pytest.approx(40)
    with pytest.raises(ValueError):
        promotion_days(4.0, 0.25)
