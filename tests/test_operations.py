"""Shop operations: order status counts, returns in progress, items sold, listing counts.

Every order below is paid on Nov 20, 2026 (shop time) unless its name says otherwise; the
expected counts are worked out by hand from the list.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from campaign_core.demo.order_files import OrderSpec
from campaign_core.importers.pipeline import import_file
from campaign_core.importers.product_list import product_list_template_csv
from campaign_core.metrics.core import core_kpis
from campaign_core.metrics.operations import (
    OPERATIONS_DEFINITIONS,
    ShopOperations,
    shop_operations,
)
from campaign_core.store import read_connection
from campaign_core.windows import daily_window, period_window
from tests.conftest import TZ, line, write_export

LATER = datetime(2026, 12, 1, tzinfo=UTC)
NOV20 = datetime(2026, 11, 20, 12, 0)


def _order(number: int, status: str, *quantities: int, paid: datetime | None = NOV20,
           **extra) -> OrderSpec:
    lines = [line(f"{index + 1:02d}", quantity, 1000) for index, quantity in
             enumerate(quantities or (1,))]
    return OrderSpec(f"5762000000000000{number:02d}", status, datetime(2026, 11, 20, 8, 0),
                     paid, lines, buyer_username=f"buyer{number}", **extra)


def _orders() -> list[OrderSpec]:
    sample = _order(12, "Awaiting Shipment", 4)
    sample.lines[0].seller_discount_cents = 4000  # a free creator sample: not sold
    return [
        _order(1, "Awaiting Shipment", 2, 1),  # two lines, one order
        _order(2, "Awaiting Collection"),
        _order(3, "To ship"),
        _order(4, "Shipped"),
        _order(5, "In Transit"),
        _order(6, "Delivered", 3, cancel_return_type="Return/Refund"),
        _order(7, "Completed"),
        _order(8, "Cancelled", cancel_return_type="Cancel"),
        _order(9, "Cancelled", cancel_return_type="Return/Refund"),  # cancelled, not a return
        _order(10, "Shipped", cancel_return_type="return/refund"),
        _order(11, "Unpaid", 5, paid=None),
        sample,
        _order(13, "Entregado"),  # a Spanish export's status
        _order(14, "Awaiting Shipment", 7, paid=datetime(2026, 11, 21, 0, 0, 0)),
        _order(15, "Delivered", 6, paid=datetime(2026, 11, 19, 23, 59, 59)),
    ]


@pytest.fixture
def ops_store(tmp_path):
    db = tmp_path / "store.db"
    report = import_file(db, write_export(tmp_path, _orders()), timezone=TZ)
    assert report.ok, report.message
    return db


def _operations(db, window) -> ShopOperations:
    with read_connection(db) as conn:
        return shop_operations(conn, 1, window)


def test_status_counts_of_a_day(ops_store):
    ops = _operations(ops_store, daily_window(date(2026, 11, 20), TZ, LATER))
    assert (ops.awaiting_shipment, ops.shipped, ops.delivered, ops.cancelled) == (3, 3, 2, 2)
    assert ops.unrecognised_status == 1


def test_returns_in_progress_are_return_requests_of_orders_not_cancelled(ops_store):
    ops = _operations(ops_store, daily_window(date(2026, 11, 20), TZ, LATER))
    assert ops.returns_in_progress == 2  # orders 6 and 10; order 9 is cancelled


def test_items_sold_are_units_of_paid_non_sample_lines(ops_store):
    window = daily_window(date(2026, 11, 20), TZ, LATER)
    ops = _operations(ops_store, window)
    # Orders 1-10 and 13: 2 + 1 + 1 + 1 + 1 + 1 + 3 + 1 + 1 + 1 + 1 + 1.
    assert ops.items_sold == 15
    with read_connection(ops_store) as conn:
        assert core_kpis(conn, 1, window).units == ops.items_sold


def test_window_clips_by_paid_time(ops_store):
    nov21 = _operations(ops_store, daily_window(date(2026, 11, 21), TZ, LATER))
    assert (nov21.awaiting_shipment, nov21.items_sold) == (1, 7)
    nov19 = _operations(ops_store, daily_window(date(2026, 11, 19), TZ, LATER))
    assert (nov19.delivered, nov19.items_sold) == (1, 6)
    period = _operations(ops_store, period_window(date(2026, 11, 19), date(2026, 11, 21), TZ,
                                                  LATER))
    assert (period.awaiting_shipment, period.delivered, period.items_sold) == (4, 3, 28)


def test_samples_and_unpaid_orders_are_left_out(tmp_path):
    sample = _order(12, "Awaiting Shipment", 4)
    sample.lines[0].seller_discount_cents = 4000
    db = tmp_path / "store.db"
    import_file(db, write_export(tmp_path, [sample, _order(11, "Unpaid", 5, paid=None)]),
                timezone=TZ)
    ops = _operations(db, daily_window(date(2026, 11, 20), TZ, LATER))
    assert ops == ShopOperations(0, 0, 0, 0, 0, 0, 0, {})


def test_listing_counts_are_empty_until_a_product_list_is_imported(ops_store, tmp_path):
    window = daily_window(date(2026, 11, 20), TZ, LATER)
    before = _operations(ops_store, window)
    assert before.listing_status_counts == {} and not before.has_product_list

    product_list = tmp_path / "products.csv"
    product_list.write_bytes(product_list_template_csv() + (
        b"1730000000000000001,Socks,Active\r\n1730000000000000002,Hat,Suspended\r\n"
        b"1730000000000000003,Scarf,Active\r\n1730000000000000004,Towel,Under review\r\n"
        b"1730000000000000005,Mug,FREEZE\r\n"))
    assert import_file(ops_store, product_list).ok

    after = _operations(ops_store, window)
    assert after.listing_status_counts == {"active": 2, "in_review": 1, "suspended": 2}
    assert list(after.listing_status_counts) == ["active", "in_review", "suspended"]
    assert after.has_product_list
    # The listing counts are the shop's, whatever the view.
    empty_day = _operations(ops_store, daily_window(date(2026, 11, 25), TZ, LATER))
    assert empty_day.listing_status_counts == after.listing_status_counts


def test_every_field_has_a_definition():
    fields = set(ShopOperations.__dataclass_fields__)
    assert set(OPERATIONS_DEFINITIONS) == fields
    assert all(text.strip() for text in OPERATIONS_DEFINITIONS.values())


def _delivery_orders() -> list[OrderSpec]:
    delivered_at = datetime(2026, 11, 23, 15, 0)
    returned = _order(25, "Delivered", 2, delivered=delivered_at,
                      cancel_return_type="Return/Refund")
    returned.lines[0].returned_units = 1
    return [
        _order(21, "Shipped", delivered=delivered_at, substatus="Delivered"),  # time only
        _order(22, "Delivered"),  # status only
        _order(23, "Shipped"),  # on its way
        _order(24, "Cancelled", cancel_return_type="Cancel"),
        returned,
        _order(26, "Shipped", cancel_return_type="Return/Refund"),  # asked, nothing back yet
    ]


@pytest.fixture
def delivery_store(tmp_path):
    db = tmp_path / "store.db"
    report = import_file(db, write_export(tmp_path, _delivery_orders()), timezone=TZ)
    assert report.ok, report.message
    return db


def test_delivered_counts_a_delivered_time_or_status(delivery_store):
    ops = _operations(delivery_store, daily_window(date(2026, 11, 20), TZ, LATER))
    # Orders 21 (delivered time, status Shipped), 22 (status Delivered) and 25.
    assert (ops.delivered, ops.shipped, ops.cancelled) == (3, 2, 1)


def test_refunded_orders_are_the_orders_the_refunds_card_counts(delivery_store):
    window = daily_window(date(2026, 11, 20), TZ, LATER)
    ops = _operations(delivery_store, window)
    # Order 24 cancelled (refunded in full) and order 25 with a returned unit; order 26 has
    # a return requested but nothing returned, so no refund yet.
    assert (ops.refunded_orders, ops.refunded_cancelled, ops.refunded_returned) == (2, 1, 1)
    assert ops.returns_in_progress == 2  # 25 and 26: requests, whatever came back
    with read_connection(delivery_store) as conn:
        # Order 24's whole 10.00 plus order 25's returned unit of 10.00.
        assert core_kpis(conn, 1, window).refunds == Decimal("20.00")


def test_an_order_on_hold_is_paid_gmv_and_awaiting_shipment(tmp_path):
    """On Hold (on for all apps from Q1 2026, issue 25): paid, not yet released for
    shipping. It counts in GMV on its paid day and in "awaiting shipment", not elsewhere."""
    db = tmp_path / "store.db"
    orders = [_order(1, "On hold", 2), _order(2, "Delivered"),
              _order(3, "On hold", paid=datetime(2026, 11, 21, 9, 0))]  # paid the next day
    assert import_file(db, write_export(tmp_path, orders), timezone=TZ).ok
    window = daily_window(date(2026, 11, 20), TZ, LATER)
    ops = _operations(db, window)
    assert (ops.awaiting_shipment, ops.shipped, ops.delivered) == (1, 0, 1)
    assert ops.unrecognised_status == 0
    with read_connection(db) as conn:
        kpis = core_kpis(conn, 1, window)
    assert (kpis.orders, kpis.units, kpis.gmv) == (2, 3, Decimal("30.00"))
