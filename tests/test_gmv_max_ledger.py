"""ROI Protection credits by hand, and no double counting of GMV Max revenue."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from campaign_core.profit.ads_overlap import ads_overlap
from campaign_core.profit.roi_protection import days_owed, protection_ledger
from campaign_core.store import read_connection, write_transaction
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


def _ledger(db):
    with read_connection(db) as conn:
        return {(d.campaign_id, d.day): d for d in protection_ledger(conn, 1)}


def test_expected_credit_on_eligible_and_ineligible_days(tmp_path):
    db = new_store(tmp_path)
    with write_transaction(db) as conn:
        # Target 4: protected below ROI 3.6. Day 1: cost 100.00, revenue 270.00 (ROI 2.7),
        # 25 orders: credit = 100 - 270 / (0.9 x 4) = 25.00.
        add_campaign_day(conn, "c1", "2026-11-20", 100_00, 270_00, 25, target_roi=4.0)
        # Day 2: same ROI, 20 orders (not more than 20): ineligible.
        add_campaign_day(conn, "c1", "2026-11-21", 100_00, 270_00, 20, target_roi=4.0)
        # Day 3: ROI 3.7 >= 3.6: nothing owed.
        add_campaign_day(conn, "c1", "2026-11-22", 100_00, 370_00, 30, target_roi=4.0)
        # Day 4: eligible by numbers but Max delivery was on.
        add_campaign_day(conn, "c1", "2026-11-23", 100_00, 270_00, 30, target_roi=4.0)
        conn.execute("INSERT INTO gmv_max_day_flag (shop_id, account_id, campaign_id, day, "
                     "max_delivery) VALUES (1, '', 'c1', '2026-11-23', 1)")
        # Day 5: the report's target changed from 4 to 3 that day: ineligible.
        add_campaign_day(conn, "c1", "2026-11-24", 100_00, 200_00, 30, target_roi=3.0)
    ledger = _ledger(db)
    assert ledger[("c1", "2026-11-20")].expected_credit == pytest.approx(25_00)
    assert ledger[("c1", "2026-11-20")].eligible
    for day in ("2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24"):
        assert ledger[("c1", day)].expected_credit == 0, day
    assert "target ROI edited that day" in ledger[("c1", "2026-11-24")].excluded_because
    assert "Max delivery on" in ledger[("c1", "2026-11-23")].excluded_because
    assert [d.day for d in days_owed(list(ledger.values()))] == ["2026-11-20"]


def test_received_credit_settles_the_day_and_history_is_kept(tmp_path):
    db = new_store(tmp_path)
    with write_transaction(db) as conn:
        add_campaign_day(conn, "c1", "2025-01-02", 100_00, 270_00, 25, target_roi=4.0)
        add_campaign_day(conn, "c1", "2026-11-20", 100_00, 270_00, 25, target_roi=4.0)
        conn.execute("INSERT INTO roi_protection_credit (shop_id, account_id, campaign_id, "
                     "day, amount_cents, source) VALUES (1, '', 'c1', '2026-11-20', 2500, "
                     "'entered')")
    ledger = _ledger(db)
    assert ledger[("c1", "2026-11-20")].owed == 0
    assert ledger[("c1", "2025-01-02")].owed == pytest.approx(25_00)  # 2 years back


def test_gmv_max_revenue_is_never_added_to_shop_gmv(tmp_path):
    db = new_store(tmp_path)
    paid = instant("2026-11-20", TZ)
    with write_transaction(db) as conn:
        add_line(conn, "o1", "s1", 60_00, paid, product="p1")
        add_line(conn, "o2", "s1", 40_00, paid, product="p1")
        add_affiliate(conn, "o1", "s1", 6_00, paid)
        # GMV Max claims 90.00 of p1's 100.00 (organic and affiliate sales included) and
        # 80.00 on p2, whose 50.00 of GMV it cannot all have made.
        add_creative(conn, "c1", "p1", 30_00, 90_00, "2026-11-20", "2026-11-20")
        add_line(conn, "o3", "s2", 50_00, paid, product="p2")
        add_creative(conn, "c1", "p2", 20_00, 80_00, "2026-11-20", "2026-11-20")
    window = period_window(date(2026, 11, 20), date(2026, 11, 20), TZ,
                           datetime(2026, 12, 1, tzinfo=UTC))
    with read_connection(db) as conn:
        rows, total = ads_overlap(conn, 1, window)
    p1, p2 = rows
    assert (p1.shop_gmv, p1.ad_revenue, p1.affiliate_gmv) == (100_00, 90_00, 60_00)
    assert p2.ad_revenue_in_gmv == 50_00 and p2.revenue_beyond_gmv == 30_00
    assert total.shop_gmv == 150_00
    # Every part stays within shop GMV: 90 + 50 of ad revenue inside 150 of GMV.
    assert total.ad_revenue_in_gmv == 140_00 <= total.shop_gmv
    assert total.affiliate_gmv <= total.shop_gmv
    assert total.ad_revenue_reported == 170_00
