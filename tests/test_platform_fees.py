"""TikTok's fees: the schedule by market and date, the estimate per line, settled fees."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from campaign_core.profit.fee_schedule import FEE_SCHEDULE, SOURCES, fee_rates, schedule_rows
from campaign_core.profit.platform_fees import platform_fees_by, shop_platform_fees
from campaign_core.store import read_connection, write_transaction
from campaign_core.windows import period_window
from tests.gmv_max_store import add_line, add_product, instant, new_store, settle_fees

BERLIN = "Europe/Berlin"


@pytest.mark.parametrize(("market", "day", "category", "new_seller", "referral"), [
    ("DE", date(2026, 1, 7), None, False, 0.05),  # the day before the EU step
    ("DE", date(2026, 1, 8), None, False, 0.09),  # the step, 00:00 CET
    ("FR", date(2026, 1, 8), "Phones & Electronics", False, 0.07),
    ("IE", date(2026, 3, 1), None, True, 0.04),  # new-seller offer
    ("ES", date(2025, 12, 31), None, True, 0.05),  # no offer listed before the step
    ("US", date(2024, 3, 31), None, False, 0.02),
    ("US", date(2026, 11, 20), None, False, 0.06),
    ("GB", date(2024, 9, 1), None, False, 0.05),
    ("GB", date(2024, 9, 2), None, False, 0.09),
    ("GB", date(2025, 1, 1), "Collectibles", False, 0.05),
])
def test_referral_rate_by_market_date_category_and_status(market, day, category, new_seller,
                                                          referral):
    assert fee_rates(market, day, category, new_seller).referral == referral


@pytest.mark.parametrize("market", ["ID", "MY", "TH", "VN", "PH", "SG", "MX", "JP", "BR",
                                    "AT", "BE", "NL", "PL", None])
def test_markets_without_a_known_schedule_say_so(market):
    rates = fee_rates(market, date(2026, 6, 1))
    assert rates.referral is None and not rates.known and rates.rate is None


def test_us_refund_administration_fee_starts_on_2025_05_15():
    assert fee_rates("US", date(2025, 5, 14)).refund_admin == 0
    after = fee_rates("US", date(2025, 5, 15))
    assert (after.refund_admin, after.refund_admin_cap_cents) == (0.20, 500)
    assert after.transaction == 0.0  # the US referral fee includes all TikTok Shop fees


def test_every_row_cites_a_known_source():
    assert all(row.source in SOURCES for row in FEE_SCHEDULE)
    assert all(row["source"] for row in schedule_rows())


def _window(start: str, end: str, timezone: str):
    now = datetime(2027, 1, 1, tzinfo=UTC)
    return period_window(date.fromisoformat(start), date.fromisoformat(end), timezone, now)


def test_eu_shop_pays_5_then_9_percent_by_the_local_paid_day(tmp_path):
    db = new_store(tmp_path, BERLIN, "EUR")
    with write_transaction(db) as conn:
        add_line(conn, "o1", "s1", 100_00, instant("2026-01-07", BERLIN, 23))
        add_line(conn, "o2", "s1", 100_00, instant("2026-01-08", BERLIN, 0))
    with read_connection(db) as conn:
        fees = shop_platform_fees(conn, 1, _window("2026-01-07", "2026-01-08", BERLIN), "DE")
    assert fees.fees == pytest.approx(5_00 + 9_00)
    assert fees.status == "estimated" and fees.unknown_fee_gmv == 0


def test_electronics_category_pays_its_own_rate(tmp_path):
    db = new_store(tmp_path, BERLIN, "EUR")
    with write_transaction(db) as conn:
        add_product(conn, "p9", "Phones & Electronics")
        add_line(conn, "o1", "s9", 200_00, instant("2026-02-01", BERLIN), product="p9")
        add_line(conn, "o2", "s1", 200_00, instant("2026-02-01", BERLIN))
    with read_connection(db) as conn:
        by_product = platform_fees_by(conn, 1, _window("2026-02-01", "2026-02-01", BERLIN),
                                      "DE", "product")
    assert by_product["p9"].fees == pytest.approx(14_00)  # 7% of 200.00
    assert by_product["p1"].fees == pytest.approx(18_00)  # 9%


def test_refunds_owe_no_fee_but_returns_after_shipping_keep_the_admin_fee(tmp_path):
    tz = "America/Los_Angeles"
    db = new_store(tmp_path)
    with write_transaction(db) as conn:
        add_line(conn, "o1", "s1", 50_00, instant("2026-11-20", tz), cancelled=1)
        # 2 units of 40.00, one returned after shipping: fee 6% of 40.00 = 2.40, plus 20%
        # of the returned unit's 2.40 = 0.48.
        add_line(conn, "o2", "s1", 80_00, instant("2026-11-20", tz), quantity=2, returned=1)
        # A 1,000.00 line fully returned: 20% x 60.00 = 12.00, capped at 5.00.
        add_line(conn, "o3", "s2", 1000_00, instant("2026-11-20", tz), returned=1)
    with read_connection(db) as conn:
        by_sku = platform_fees_by(conn, 1, _window("2026-11-20", "2026-11-20", tz), "US", "sku")
    assert by_sku["s1"].fees == pytest.approx(240 + 48)
    assert by_sku["s2"].fees == pytest.approx(500)


def test_settled_fees_replace_the_estimate_and_unknown_markets_are_flagged(tmp_path):
    tz = "Asia/Jakarta"
    db = new_store(tmp_path, tz, "IDR")
    with write_transaction(db) as conn:
        add_line(conn, "o1", "s1", 100_000, instant("2026-06-01", tz), line_no=1)
        add_line(conn, "o1", "s2", 300_000, instant("2026-06-01", tz), line_no=2)
        add_line(conn, "o2", "s1", 50_000, instant("2026-06-01", tz))
        # Two income rows of o1: commission fee -20,000 and -4,000, transaction fee -8,000.
        settle_fees(conn, "k1", "o1", -20_000, -8_000)
        settle_fees(conn, "k2", "o1", -4_000, 0)
    with read_connection(db) as conn:
        window = _window("2026-06-01", "2026-06-01", tz)
        by_sku = platform_fees_by(conn, 1, window, "ID", "sku")
        shop = shop_platform_fees(conn, 1, window, "ID")
    assert by_sku["s2"].fees == pytest.approx(32_000 * 300_000 / 400_000)
    assert by_sku["s2"].status == "settled"
    assert by_sku["s1"].fees == pytest.approx(32_000 * 100_000 / 400_000)  # o2 unknown: 0
    assert shop.unknown_fee_gmv == 50_000 and shop.status == "unknown"
    assert shop.settled_fees == pytest.approx(32_000)
