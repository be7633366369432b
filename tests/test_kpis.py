"""Core KPIs against values worked out by hand from ``conftest.hand_orders``.

Nov 20 (shop time): order 1 (lines 2 x 12.99 - 2.00 seller = 23.98, and 12.99), order 2
cancelled (12.99, refunded whole); order 4 unpaid and order 5 a free sample are left out.
Nov 21: order 3, 3 x 10.00 - 3.00 seller = 27.00 with 1 of 3 units returned (9.00 refund).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from campaign_core.demo.order_files import OrderSpec
from campaign_core.importers.pipeline import import_file
from campaign_core.metrics.core import core_kpis
from campaign_core.store import read_connection
from campaign_core.windows import daily_window, period_window
from tests.conftest import TZ, line, write_export

LATER = datetime(2026, 12, 1, tzinfo=UTC)

EXPECTED = {
    "nov20": dict(gmv="49.96", orders=2, sku_orders=3, units=4, buyers=2, aov="24.98",
                  tiktok_contribution="2.50", refunds="12.99", net_sales="36.97"),
    "nov21": dict(gmv="27.00", orders=1, sku_orders=1, units=3, buyers=1, aov="27.00",
                  tiktok_contribution="0.50", refunds="9.00", net_sales="18.00"),
    "period": dict(gmv="76.96", orders=3, sku_orders=4, units=7, buyers=2, aov="25.65",
                   tiktok_contribution="3.00", refunds="21.99", net_sales="54.97"),
}


def _window(name: str):
    if name == "period":
        return period_window(date(2026, 11, 20), date(2026, 11, 21), TZ, LATER)
    return daily_window(date(2026, 11, 20 if name == "nov20" else 21), TZ, LATER)


@pytest.mark.parametrize("name", EXPECTED)
def test_core_kpis_match_hand_computed_values(hand_store, name):
    with read_connection(hand_store) as conn:
        kpis = core_kpis(conn, 1, _window(name)).as_dict()
    for metric, expected in EXPECTED[name].items():
        value = Decimal(expected) if isinstance(expected, str) else expected
        assert kpis[metric] == value, metric


def test_window_without_orders_has_zero_kpis_and_no_aov(hand_store):
    with read_connection(hand_store) as conn:
        kpis = core_kpis(conn, 1, daily_window(date(2026, 11, 25), TZ, LATER))
    assert kpis.gmv == Decimal("0.00") and kpis.orders == 0 and kpis.aov is None


def test_prorated_refunds_are_rounded_once_on_the_total(tmp_path):
    # Three lines of 3 x 10.00 - 1.00 = 29.00, one unit returned each: 9.666.. per line.
    # Rounded per line that is 3 x 9.67 = 29.01; rounded once on the total it is 29.00.
    orders = [OrderSpec(f"57600000000000010{i}", "Delivered", datetime(2026, 11, 20, 9),
                        datetime(2026, 11, 20, 9, i),
                        [line("09", 3, 1000, seller_discount_cents=100, returned_units=1)])
              for i in range(3)]
    db = tmp_path / "s.db"
    import_file(db, write_export(tmp_path, orders), timezone=TZ)
    with read_connection(db) as conn:
        kpis = core_kpis(conn, 1, daily_window(date(2026, 11, 20), TZ, LATER))
    assert kpis.gmv == Decimal("87.00")
    assert kpis.refunds == Decimal("29.00")


def _one_line_order(number: int, paid: datetime) -> OrderSpec:
    return OrderSpec(f"5761000000000000{number:02d}", "Delivered", paid, paid,
                     [line("05", 1, 1000)], buyer_username=f"buyer{number}")


def test_a_25_hour_dst_day_counts_all_its_orders(tmp_path):
    from campaign_core.metrics.trend import metric_trend

    paid_times = [datetime(2026, 10, 31, 23, 59, 59), datetime(2026, 11, 1, 0, 0, 0),
                  datetime(2026, 11, 1, 1, 30), datetime(2026, 11, 1, 23, 59, 59),
                  datetime(2026, 11, 2, 0, 0, 0)]
    db = tmp_path / "s.db"
    import_file(db, write_export(tmp_path, [_one_line_order(i, t)
                                            for i, t in enumerate(paid_times)]), timezone=TZ)
    window = daily_window(date(2026, 11, 1), TZ, LATER)
    with read_connection(db) as conn:
        kpis = core_kpis(conn, 1, window)
        trend = metric_trend(conn, 1, window)
    assert kpis.orders == 3 and kpis.gmv == Decimal("30.00")
    assert len(trend) == 25
    assert sum(bucket.values["orders"] for bucket in trend) == 3
