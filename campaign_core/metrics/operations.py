"""Shop operations at a glance, as the Seller Center home shows them: orders by fulfilment
status, refunded orders, items sold, and product listing status counts.

Orders counted are the paid, non-sample orders whose paid time is inside the view's
window (the same orders as the core KPIs), each counted by its status as of the newest
export imported; an order not cancelled that has a delivered time counts as delivered
whatever its status says (US exports keep "Shipped" for a week after delivery). Refunded
orders are the orders behind the Refunds KPI (a cancelled line, or returned units).
Listing counts are not windowed: they are the shop's products as of the newest product
list imported.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from campaign_core.listing_statuses import LISTING_STATUSES
from campaign_core.rollups.delivered import NOT_DELIVERED_SQL
from campaign_core.rollups.order_kinds import RETURNING_SQL
from campaign_core.rollups.windows import edge_parts, rollup_span
from campaign_core.windows import Window

# Orders per (status, is_returning) over whole hours from rollup_hour_order_kind, over the
# partial hours at the window's edges from the orders (one range each); ``is_returning`` is
# order_kinds.RETURNING_SQL: the export's "Cancelation/Return Type" says "Return/Refund"
# (English exports; LIKE is case-insensitive), and a cancelled order's refund is part of its
# cancellation, so it is counted as cancelled only.
_ORDERS_SQL = """
SELECT status, is_returning, SUM(orders) AS orders FROM (
    SELECT status, is_returning, orders FROM rollup_hour_order_kind
    WHERE shop_id = :shop_id AND hour_utc >= :first AND hour_utc < :last
    UNION ALL
""" + edge_parts(f"""
    SELECT o.status, {RETURNING_SQL}, 1 FROM orders o
    WHERE o.shop_id = :shop_id AND o.is_sample = 0 AND {{edge}}""", column="o.paid_utc") + """)
GROUP BY status, is_returning
"""
_ITEMS_SQL = """
SELECT (SELECT COALESCE(SUM(units), 0) FROM rollup_hour
        WHERE shop_id = :shop_id AND hour_utc >= :first AND hour_utc < :last) + """ + edge_parts(
    """(SELECT COALESCE(SUM(quantity), 0) FROM order_line
        WHERE shop_id = :shop_id AND is_sample = 0 AND {edge})""", column="paid_utc",
    joiner="+")
# Orders of the window whose status is not yet Delivered / Completed but whose delivered
# time is known, per status: whole hours from rollup_hour_delivered; the partial hours at the
# edges through the lines' window index, each order looked up by its key.
_DELIVERED_BY_TIME_SQL = """
SELECT status, SUM(orders) FROM (
    SELECT status, orders FROM rollup_hour_delivered
    WHERE shop_id = :shop_id AND hour_utc >= :first AND hour_utc < :last
    UNION ALL
""" + edge_parts(f"""
    SELECT o.status, COUNT(*) AS orders FROM (
        SELECT DISTINCT order_id FROM order_line
        WHERE shop_id = :shop_id AND {{edge}} AND is_sample = 0
    ) AS l
    JOIN orders AS o ON o.shop_id = :shop_id AND o.order_id = l.order_id
    WHERE o.delivered_utc IS NOT NULL AND o.is_sample = 0 AND {NOT_DELIVERED_SQL}
    GROUP BY o.status""", column="paid_utc") + """)
GROUP BY status
"""
# The lines the Refunds KPI counts (metrics.core), from their partial index.
_REFUNDED_SQL = """
SELECT COUNT(DISTINCT order_id),
       COUNT(DISTINCT CASE WHEN is_cancelled THEN order_id END),
       COUNT(DISTINCT CASE WHEN returned_units > 0 AND NOT is_cancelled THEN order_id END)
FROM order_line
WHERE shop_id = :shop_id AND paid_utc >= :start AND paid_utc < :end AND is_sample = 0
  AND (is_cancelled OR returned_units > 0)
"""
# Which statuses each count takes (normalised statuses, see markets.statuses.STATUSES).
_STATUS_COUNTS = {"awaiting_shipment": ("awaiting_shipment", "awaiting_collection"),
                  "shipped": ("shipped",), "delivered": ("delivered", "completed"),
                  "cancelled": ("cancelled",), "unrecognised_status": ("other",)}

_LISTINGS_SQL = """
SELECT listing_status, COUNT(*) AS products
FROM product
WHERE shop_id = :shop_id AND listing_status IS NOT NULL
GROUP BY listing_status
"""

OPERATIONS_DEFINITIONS: dict[str, str] = {
    "awaiting_shipment": "Paid orders of the view still to be shipped: status Awaiting "
                         "Shipment / To ship, On hold (paid, not yet released for "
                         "shipping), or Awaiting Collection (packed, waiting for the "
                         "carrier).",
    "shipped": "Paid orders of the view on their way: status Shipped or In Transit.",
    "delivered": "Paid orders of the view that reached the buyer: status Delivered or "
                 "Completed, or a delivered time in the export (US exports say Shipped for "
                 "a week after delivery). Cancelled orders are counted as cancelled only.",
    "cancelled": "Paid orders of the view that were cancelled.",
    "returns_in_progress": "Paid orders of the view, not cancelled, whose Cancelation/Return "
                           "Type mentions a return or refund (e.g. Return/Refund): return "
                           "requests, whether or not units came back yet. The orders export "
                           "does not say when a return is closed, so a finished return still "
                           "counts; import a newer export to refresh statuses.",
    "refunded_orders": "Paid orders of the view with a refund as the Refunds KPI counts it: a "
                       "cancelled line (refunded in full) or returned units. A return asked "
                       "for with nothing returned yet is not refunded.",
    "refunded_cancelled": "Refunded orders with a cancelled line (also under Cancelled).",
    "refunded_returned": "Refunded orders, not cancelled, with returned units.",
    "unrecognised_status": "Paid orders of the view whose status the importer does not know "
                           "(e.g. a non-English export): counted in none of the statuses "
                           "above.",
    "items_sold": "Units of the paid, non-sample order lines of the view (the same number as "
                  "Units sold), cancelled lines included.",
    "listing_status_counts": "The shop's products by listing status (active, in review, "
                             "suspended, draft, failed, deleted, other) as of the newest "
                             "product list imported, whatever the view; empty until a "
                             "product list (template or Open API product search) is imported.",
}


@dataclass(frozen=True)
class ShopOperations:
    awaiting_shipment: int
    shipped: int
    delivered: int
    cancelled: int
    returns_in_progress: int
    unrecognised_status: int
    items_sold: int
    # listing status -> products, in LISTING_STATUSES order; statuses without products absent
    listing_status_counts: dict[str, int] = field(default_factory=dict)
    refunded_orders: int = 0
    refunded_cancelled: int = 0
    refunded_returned: int = 0

    @property
    def has_product_list(self) -> bool:
        return bool(self.listing_status_counts)


def shop_operations(conn: sqlite3.Connection, shop_id: int, window: Window) -> ShopOperations:
    """Order status counts, return requests, refunded orders and items sold of ``shop_id``
    over ``window``, and the shop's listing status counts.

    Orders counted are the paid, non-sample orders whose paid time is inside the window,
    each by its current status (definitions in ``OPERATIONS_DEFINITIONS``). A store without
    orders gives zeros; one without a product list gives empty ``listing_status_counts``.
    Raises ``sqlite3.Error`` only for a store without the schema.
    """
    params = {"shop_id": shop_id, "start": window.start_utc, "end": window.end_utc}
    params["first"], params["last"] = rollup_span(conn, shop_id, window.start_utc,
                                                  window.end_utc)
    by_status: dict[str, int] = {}
    returning = 0
    for status, is_returning, orders in conn.execute(_ORDERS_SQL, params):
        by_status[status] = by_status.get(status, 0) + orders
        returning += orders if is_returning else 0
    for status, orders in conn.execute(_DELIVERED_BY_TIME_SQL, params):
        by_status[status] -= orders
        by_status["delivered"] = by_status.get("delivered", 0) + orders
    refunded = conn.execute(_REFUNDED_SQL, params).fetchone()
    counts = {name: sum(by_status.get(status, 0) for status in statuses)
              for name, statuses in _STATUS_COUNTS.items()}
    listings = dict(conn.execute(_LISTINGS_SQL, {"shop_id": shop_id}).fetchall())
    return ShopOperations(
        **counts, returns_in_progress=returning,
        items_sold=conn.execute(_ITEMS_SQL, params).fetchone()[0],
        refunded_orders=refunded[0], refunded_cancelled=refunded[1],
        refunded_returned=refunded[2],
        listing_status_counts=_in_display_order(listings),
    )


def _in_display_order(counts: dict[str, int]) -> dict[str, int]:
    known = {status: counts[status] for status in LISTING_STATUSES if status in counts}
    # A status written by a later version of the importer is still shown, last.
    return known | {status: n for status, n in sorted(counts.items()) if status not in known}
