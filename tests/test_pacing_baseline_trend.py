"""Target pacing, baseline states and the trend with its comparison, on hand-built stores.

The pacing store: 28 days of history before Nov 20 with one $1.00 order every hour (a flat
hour-of-day profile, $24.00 a day), then a campaign Nov 20-23 with a $1,000 target:
$100 on Nov 20 (10:00) and $30 at 09:00 and $30 at 11:00 on Nov 21.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from campaign_core.alerts import pacing_alerts
from campaign_core.demo.order_files import OrderSpec
from campaign_core.forecast.pacing import campaign_pacing
from campaign_core.importers.pipeline import import_file
from campaign_core.metrics.baseline import baseline_comparison
from campaign_core.metrics.trend import metric_trend
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.campaigns import find_campaign, save_campaign, set_gmv_target
from campaign_core.store.shops import resolve_shop
from campaign_core.windows import daily_window, default_comparison, period_window
from tests.conftest import TZ, line, write_export

LA = ZoneInfo(TZ)


def _order(number: int, paid: datetime, cents: int) -> OrderSpec:
    return OrderSpec(f"5770{number:014d}", "Delivered", paid, paid,
                     [line("07", 1, cents)], buyer_username=f"b{number % 50}")


@pytest.fixture
def pacing_store(tmp_path):
    orders, number = [], 0
    first = datetime(2026, 11, 20) - timedelta(days=28)
    for hour in range(28 * 24):
        orders.append(_order(number, first + timedelta(hours=hour, minutes=30), 100))
        number += 1
    for paid, cents in ((datetime(2026, 11, 20, 10), 10000), (datetime(2026, 11, 21, 9), 3000),
                        (datetime(2026, 11, 21, 11), 3000)):
        orders.append(_order(number, paid, cents))
        number += 1
    db = tmp_path / "pacing.db"
    assert import_file(db, write_export(tmp_path, orders), timezone=TZ).ok
    with write_transaction(db) as conn:
        shop = resolve_shop(conn, None, None)
        save_campaign(conn, shop_id=shop.shop_id, name="Sale", start_day=date(2026, 11, 20),
                      end_day=date(2026, 11, 23), gmv_target_cents=1000_00)
    return db


def pacing_at(db, local: datetime):
    with read_connection(db) as conn:
        return campaign_pacing(conn, find_campaign(conn, "Sale"), local.replace(tzinfo=LA))


def test_projection_uses_the_hour_profile_for_today(pacing_store):
    # Noon on day 2: half of a flat day is done, so today is estimated at 2 x $60 = $120;
    # run rate (100 + 120) / 2 = 110; projected 160 + (120 - 60) + 2 days x 110 = 440.
    pacing = pacing_at(pacing_store, datetime(2026, 11, 21, 12))
    assert pacing.used_hour_profile
    assert pacing.gmv_so_far == Decimal("160.00")
    assert pacing.today_estimate == Decimal("120.00")
    assert pacing.projected_gmv == Decimal("440.00")
    assert pacing.progress_pct == 16.0
    assert pacing.time_elapsed_pct == 37.5
    assert pacing.required_per_day == Decimal("336.00")  # (1000 - 160) / 2.5 days
    assert pacing.status == "behind"


def test_early_in_the_day_the_run_rate_of_completed_days_is_used(pacing_store):
    pacing = pacing_at(pacing_store, datetime(2026, 11, 21, 0, 30))
    assert not pacing.used_hour_profile
    assert pacing.run_rate_per_day == Decimal("100.00")
    assert pacing.projected_gmv == Decimal("400.00")  # 100 + 100 today + 2 x 100


def test_early_on_the_first_day_the_history_average_is_the_run_rate(pacing_store):
    pacing = pacing_at(pacing_store, datetime(2026, 11, 20, 0, 30))
    assert pacing.run_rate_per_day == Decimal("24.00")


@pytest.mark.parametrize(("target", "status"), [(400_00, "on_track"), (470_00, "at_risk"),
                                                (1000_00, "behind"), (None, "no_target")])
def test_status_compares_the_projection_with_the_target(pacing_store, target, status):
    with write_transaction(pacing_store) as conn:
        set_gmv_target(conn, find_campaign(conn, "Sale").campaign_id, target)
    pacing = pacing_at(pacing_store, datetime(2026, 11, 21, 12))
    assert pacing.status == status
    assert (pacing.required_per_day is None) == (target is None)


@pytest.mark.parametrize(("target", "status"), [(150_00, "reached"), (1000_00, "missed")])
def test_after_the_campaign_the_target_is_reached_or_missed(pacing_store, target, status):
    with write_transaction(pacing_store) as conn:
        set_gmv_target(conn, find_campaign(conn, "Sale").campaign_id, target)
    pacing = pacing_at(pacing_store, datetime(2026, 12, 2, 12))
    assert pacing.status == status and pacing.projected_gmv == Decimal("160.00")
    assert pacing.time_elapsed_pct == 100.0


def test_pacing_alert_only_when_the_projection_misses(pacing_store):
    behind = pacing_at(pacing_store, datetime(2026, 11, 21, 12))
    assert [a.severity for a in pacing_alerts(behind)] == ["error"]
    with write_transaction(pacing_store) as conn:
        set_gmv_target(conn, find_campaign(conn, "Sale").campaign_id, 400_00)
    assert pacing_alerts(pacing_at(pacing_store, datetime(2026, 11, 21, 12))) == []


LATER = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.mark.parametrize(("campaign_day", "baseline_day", "state", "difference"), [
    (date(2026, 11, 20), date(2026, 11, 19), "ok", 316.7),  # 100 vs 24
    (date(2026, 11, 20), date(2026, 10, 1), "no_data", None),  # before the first order
    (date(2026, 11, 22), date(2026, 11, 21), "incomplete", None),  # exports end during it
    (date(2026, 11, 20), date(2026, 4, 1), "out_of_range", None),  # over six months before
    (date(2026, 11, 20), date(2026, 11, 21), "out_of_range", None),  # after the day
])
def test_baseline_states(pacing_store, campaign_day, baseline_day, state, difference):
    day = daily_window(campaign_day, TZ, LATER)
    with read_connection(pacing_store) as conn:
        result = baseline_comparison(conn, 1, day, baseline_day, LATER)
    assert result.state == state
    assert result.difference_pct == difference


def test_a_baseline_day_without_sales_inside_the_data_has_no_percentage(hand_store):
    # Nov 20's orders stay (the day is inside the data) but their GMV is made zero.
    with write_transaction(hand_store) as conn:
        conn.execute("UPDATE order_line SET gmv_cents = 0 WHERE order_id IN "
                     "('576000000000000001', '576000000000000002')")
    day = daily_window(date(2026, 11, 21), TZ, LATER)
    with read_connection(hand_store) as conn:
        result = baseline_comparison(conn, 1, day, date(2026, 11, 20), LATER)
    assert result.state == "zero_baseline" and result.difference_pct is None


def test_hourly_trend_puts_gmv_in_local_hours_beside_the_comparison_day(hand_store):
    window = daily_window(date(2026, 11, 20), TZ, LATER)
    with read_connection(hand_store) as conn:
        buckets = metric_trend(conn, 1, window, default_comparison(window).window)
    assert len(buckets) == 24
    assert buckets[10].values["gmv"] == Decimal("36.97")  # order 1, paid 10:01
    assert buckets[23].values["gmv"] == Decimal("12.99")  # order 2, paid 23:05
    assert buckets[23].values["refunds"] == Decimal("12.99")
    assert all(b.comparison["gmv"] == 0 for b in buckets)
    assert buckets[5].comparison_start.date() == date(2026, 11, 19)


def test_daily_trend_aligns_campaign_days_with_the_days_before(hand_store):
    window = period_window(date(2026, 11, 20), date(2026, 11, 21), TZ, LATER)
    with read_connection(hand_store) as conn:
        buckets = metric_trend(conn, 1, window, default_comparison(window).window)
    assert [b.values["gmv"] for b in buckets] == [Decimal("49.96"), Decimal("27.00")]
    assert [b.values["orders"] for b in buckets] == [2, 1]
    assert buckets[0].values["tiktok_contribution"] == Decimal("2.50")
    assert [b.comparison_start.date() for b in buckets] == [date(2026, 11, 18),
                                                            date(2026, 11, 19)]


def test_today_trend_leaves_hours_after_now_empty(hand_store):
    now = datetime(2026, 11, 20, 12, tzinfo=LA)
    from campaign_core.windows import today_window

    window = today_window(now, TZ)
    with read_connection(hand_store) as conn:
        buckets = metric_trend(conn, 1, window, default_comparison(window).window)
    assert buckets[10].values["gmv"] == Decimal("36.97")
    assert buckets[13].values["gmv"] is None


def test_stock_alerts_name_counts_and_the_products_page():
    from campaign_core.alerts import stock_alerts

    alerts = stock_alerts({"out_of_stock": 2, "sells_out_soon": 3})
    assert [a.severity for a in alerts] == ["error", "warning"]
    assert "2 products out of stock" in alerts[0].message
    assert "3 products sell out soon" in alerts[1].message
    assert stock_alerts({"out_of_stock": 1})[0].message.startswith("1 product out of stock")
    assert {a.page for a in alerts} == {"pages/products.py"}
    assert stock_alerts({"out_of_stock": 0, "sells_out_soon": 0}) == []
