"""Products: sales, traffic, stock and margin per product (and per SKU) for the view's window.

Sales (GMV, units, orders, SKU orders, refunds) follow the core definitions over the paid,
non-sample order lines inside the window, grouped by the line's product and SKU. Traffic
comes from ``product_traffic`` rows of channel "all" whose export period lies inside the
window (period start >= the window's first day and period end <= its last day); a period
that only overlaps the window is left out, never spread over days, and counted in
``traffic_periods_left_out``. Periods inside the window are summed. CTR = clicks /
impressions x 100; add-to-cart rate = add-to-cart users / product page visitors (the
export's unique clicks) x 100; conversion = SKU orders / clicks x 100 (SKU orders from the
order lines of the window). Stock columns are the product's stock cover as of now
(``campaign_core.forecast.stock_cover``). Unit cost: the average over the product's SKUs of
each SKU's cost valid today (SKUs without one are left out). Gross margin = GMV - refunds -
units x the unit cost of each line's SKU valid on the line's paid day (shop time); unknown
when a sold SKU has no cost valid on a line's paid day. A campaign product sold during the
campaign or is on a SKU list of one of its sub-campaigns (a list left empty, meaning all
SKUs, marks no product by itself).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from campaign_core.forecast.stock_cover import (
    NO_STOCK_DATA,
    STATUS_SEVERITY,
    ProductCover,
    SkuCover,
    product_cover,
    sku_cover,
)
from campaign_core.metrics.money import CENT, cents_to_amount
from campaign_core.rollups.day_skus import day_span
from campaign_core.rollups.windows import HOUR, edge_parts, hour_parts, rollup_span
from campaign_core.store.campaigns import Campaign
from campaign_core.windows import Window, local_midnight_utc

PRODUCTS_DEFINITION = __doc__.split("\n", 2)[2].strip()

_FOREVER_UTC = 2**62  # the open end of the latest cost

# Costs arrive as a JSON list of [sku_id, from_utc, to_utc, unit_cost_cents]: valid-from
# days are shop-time days, which SQLite cannot convert, so Python turns them into instants.
# Whole local days of the window come from rollup_day_sku, its other whole hours from
# rollup_hour_sku (``hour_parts``), the partial hours at its edges from the lines grouped by
# paid time (``edge_parts``); a cost period starts at a local midnight of the shop, a whole
# UTC hour, so a day's or an hour's units all have the cost valid at its start (``_sales``
# reads everything from the lines when a zone's midnights are not whole hours). Per
# (product, SKU) distinct orders are the order SKUs; a product's orders are distinct over
# all its SKUs, so they come from rollup_day_product / rollup_hour_product. Refunds, a float
# per line, come from the refund index.
_SKU_SALES_SQL = """
WITH cost AS MATERIALIZED (
    SELECT json_extract(value, '$[0]') AS sku_id, json_extract(value, '$[1]') AS from_utc,
           json_extract(value, '$[2]') AS to_utc, json_extract(value, '$[3]') AS unit_cents
    FROM json_each(:costs)
),
facts AS (
    SELECT product_id, sku_id, day_start_utc AS paid_utc, product_name, gmv_cents, units,
           sku_orders, lines
    FROM rollup_day_sku
    WHERE shop_id = :shop_id AND day_start_utc >= :day_first AND day_start_utc < :day_last
    UNION ALL
""" + hour_parts("""
    SELECT product_id, sku_id, hour_utc AS paid_utc, product_name, gmv_cents, units,
           sku_orders, lines
    FROM rollup_hour_sku
    WHERE shop_id = :shop_id AND {hours}""") + """
    UNION ALL
""" + edge_parts("""
    SELECT product_id, sku_id, paid_utc, MAX(product_name), SUM(gmv_cents), SUM(quantity),
           COUNT(DISTINCT order_id), COUNT(*)
    FROM order_line
    WHERE shop_id = :shop_id AND is_sample = 0 AND {edge}
    GROUP BY product_id, sku_id, paid_utc""", column="paid_utc") + """
)
SELECT f.product_id, f.sku_id, MAX(f.product_name) AS product_name,
       COALESCE(SUM(f.gmv_cents), 0) AS gmv_cents, COALESCE(SUM(f.units), 0) AS units,
       COALESCE(SUM(f.sku_orders), 0) AS sku_orders,
       COALESCE(SUM(f.units * c.unit_cents), 0) AS cost_cents,
       SUM(CASE WHEN c.unit_cents IS NULL THEN f.lines ELSE 0 END) AS lines_without_cost
FROM facts f
LEFT JOIN cost c ON c.sku_id = f.sku_id AND c.from_utc <= f.paid_utc AND f.paid_utc < c.to_utc
GROUP BY f.product_id, f.sku_id
"""
_PRODUCT_ORDERS_SQL = """
SELECT product_id, SUM(orders) AS orders FROM (
    SELECT product_id, orders FROM rollup_day_product
    WHERE shop_id = :shop_id AND day_start_utc >= :day_first AND day_start_utc < :day_last
    UNION ALL
""" + hour_parts("""
    SELECT product_id, orders FROM rollup_hour_product
    WHERE shop_id = :shop_id AND {hours}""") + """
    UNION ALL
""" + edge_parts("""
    SELECT product_id, COUNT(DISTINCT order_id) FROM order_line
    WHERE shop_id = :shop_id AND is_sample = 0 AND {edge}
    GROUP BY product_id""", column="paid_utc") + """)
GROUP BY product_id
"""
_REFUNDS_SQL = """
SELECT product_id, {sku} AS sku_id,
       SUM(CASE WHEN is_cancelled THEN gmv_cents
                ELSE returned_units * 1.0 * gmv_cents / quantity END) AS refund_cents
FROM order_line
WHERE shop_id = :shop_id AND paid_utc >= :start AND paid_utc < :end AND is_sample = 0
  AND (is_cancelled OR returned_units > 0)
GROUP BY product_id{group}
"""

_TRAFFIC_SQL = """
SELECT product_id,
       SUM(inside) AS periods_inside,
       SUM(NOT inside) AS periods_left_out,
       SUM(CASE WHEN inside THEN impressions END) AS impressions,
       SUM(CASE WHEN inside THEN clicks END) AS clicks,
       SUM(CASE WHEN inside THEN unique_clicks END) AS visitors,
       SUM(CASE WHEN inside THEN add_to_cart_users END) AS add_to_cart_users
FROM (SELECT t.*, (t.period_start >= :first_day AND t.period_end <= :last_day) AS inside
      FROM product_traffic t
      WHERE t.shop_id = :shop_id AND t.channel = 'all'
        AND t.period_start <= :last_day AND t.period_end >= :first_day)
GROUP BY product_id
"""

_COSTS_SQL = """
SELECT sku_id, valid_from, unit_cost_cents FROM sku_cost
WHERE shop_id = :shop_id ORDER BY sku_id, valid_from
"""

_CATALOG_SQL = """
SELECT s.sku_id, s.product_id, s.seller_sku, s.variation FROM sku s WHERE s.shop_id = :shop_id
"""

_PRODUCT_NAMES_SQL = "SELECT product_id, name FROM product WHERE shop_id = :shop_id"

# A SKU on a sub-campaign list belongs to its catalog product, else to the product its
# order lines name.
_CAMPAIGN_SKUS_SQL = """
SELECT product_id, sku_id FROM rollup_day_sku
WHERE shop_id = :shop_id AND day_start_utc >= :day_first AND day_start_utc < :day_last
UNION
""" + hour_parts("""
SELECT product_id, sku_id FROM rollup_hour_sku
WHERE shop_id = :shop_id AND {hours}""").replace("UNION ALL", "UNION") + """
UNION
""" + edge_parts("""
SELECT product_id, sku_id FROM order_line
WHERE shop_id = :shop_id AND is_sample = 0 AND {edge}""", column="paid_utc",
                 start=":campaign_start", end=":campaign_end", joiner="UNION") + """
UNION
SELECT COALESCE(s.product_id, (SELECT l.product_id FROM order_line l
                               WHERE l.shop_id = :shop_id AND l.sku_id = k.sku_id
                               LIMIT 1)), k.sku_id
FROM sub_campaign_sku k
JOIN sub_campaign c ON c.sub_campaign_id = k.sub_campaign_id
LEFT JOIN sku s ON s.shop_id = :shop_id AND s.sku_id = k.sku_id
WHERE c.campaign_id = :campaign_id
"""


@dataclass(frozen=True)
class SkuRow:
    sku_id: str
    product_id: str
    seller_sku: str | None
    variation: str | None
    gmv: Decimal
    units: int
    orders: int
    refunds: Decimal
    available: int | None
    inbound: int
    days_of_cover: float | None
    stockout_date: date | None
    status: str
    stock_explanation: str
    unit_cost: Decimal | None  # valid today
    gross_margin: Decimal | None
    campaign_sku: bool


@dataclass(frozen=True)
class ProductRow:
    product_id: str
    name: str | None
    gmv: Decimal
    units: int
    orders: int
    sku_orders: int
    refunds: Decimal
    impressions: int | None  # None: no traffic period inside the window
    clicks: int | None
    ctr: float | None  # %, 2 decimals
    add_to_cart_rate: float | None  # %
    conversion: float | None  # SKU orders / clicks, %
    available: int | None
    days_of_cover: float | None
    stockout_date: date | None
    status: str
    stock_explanation: str
    unit_cost: Decimal | None
    gross_margin: Decimal | None
    campaign_product: bool
    skus: tuple[SkuRow, ...]
    traffic_periods: int  # export periods inside the window, summed
    traffic_periods_left_out: int  # periods that only overlap the window


@dataclass(frozen=True)
class ProductColumn:
    name: str  # a ProductRow field
    label: str
    format: str  # text / money / count / percent / days / date / flag


PRODUCT_COLUMNS: tuple[ProductColumn, ...] = (
    ProductColumn("product_id", "Product ID", "text"),
    ProductColumn("name", "Product", "text"),
    ProductColumn("gmv", "GMV", "money"),
    ProductColumn("units", "Units sold", "count"),
    ProductColumn("orders", "Orders", "count"),
    ProductColumn("sku_orders", "SKU orders", "count"),
    ProductColumn("refunds", "Refunds", "money"),
    ProductColumn("impressions", "Impressions", "count"),
    ProductColumn("clicks", "Clicks", "count"),
    ProductColumn("ctr", "CTR", "percent"),
    ProductColumn("add_to_cart_rate", "Add-to-cart rate", "percent"),
    ProductColumn("conversion", "Conversion", "percent"),
    ProductColumn("available", "Available", "count"),
    ProductColumn("days_of_cover", "Days of cover", "days"),
    ProductColumn("stockout_date", "Stock-out date", "date"),
    ProductColumn("status", "Stock status", "text"),
    ProductColumn("unit_cost", "Unit cost", "money"),
    ProductColumn("gross_margin", "Gross margin", "money"),
    ProductColumn("campaign_product", "Campaign product", "flag"),
)
PRODUCT_COLUMN_NAMES: tuple[str, ...] = tuple(column.name for column in PRODUCT_COLUMNS)

# The section's metrics are defined in the catalog (metrics/catalog.py, PRODUCT_METRICS).


@dataclass(frozen=True)
class _Sales:
    name: str | None
    gmv_cents: int
    units: int
    orders: int
    sku_orders: int
    refund_cents: float
    cost_cents: int
    lines_without_cost: int

    @property
    def gross_margin(self) -> Decimal | None:
        if self.lines_without_cost:
            return None
        return cents_to_amount(self.gmv_cents - self.refund_cents - self.cost_cents)


_NO_SALES = _Sales(None, 0, 0, 0, 0, 0, 0, 0)


@dataclass(frozen=True)
class _SkuInfo:
    product_id: str | None
    seller_sku: str | None = None
    variation: str | None = None


def product_rows(conn: sqlite3.Connection, shop_id: int, window: Window, campaign: Campaign,
                 now: datetime) -> list[ProductRow]:
    """One row per product of ``shop_id``: sales and traffic over ``window``, stock as of
    ``now`` (timezone-aware), costs valid today, and whether it is a ``campaign`` product.

    Lists every product the store knows (catalog, order lines of the window, traffic),
    each with its SKUs in ``skus``; sorted by GMV descending, then product ID. Money is a
    ``Decimal`` rounded half up to cents; a metric without data is None (rules:
    ``PRODUCTS_DEFINITION``). Raises ``sqlite3.Error`` on a store without the v3 tables.
    """
    zone = window.timezone
    today = now.astimezone(ZoneInfo(zone)).date()
    costs = _cost_periods(conn, shop_id, zone)
    sales_by_product, sales_by_sku = _sales(conn, shop_id, window, costs)
    traffic = {row["product_id"]: row for row in conn.execute(
        _TRAFFIC_SQL, {"shop_id": shop_id, "first_day": window.first_day.isoformat(),
                       "last_day": window.last_day.isoformat()})}
    catalog = _catalog(conn, shop_id)
    skus_by_product = _skus_by_product(catalog, sales_by_sku)
    names = {row["product_id"]: row["name"]
             for row in conn.execute(_PRODUCT_NAMES_SQL, {"shop_id": shop_id})}
    sku_covers = {c.sku_id: c for c in sku_cover(conn, shop_id, campaign, now)}
    covers = {p.product_id: p for p in product_cover(sku_covers.values()) if p.product_id}
    campaign_skus = _campaign_skus(conn, shop_id, campaign)
    campaign_products = {product_id for product_id, _ in campaign_skus}
    costs_today = _costs_on(costs, local_midnight_utc(today, zone))
    product_ids = set(names) | set(sales_by_product) | set(traffic) | set(skus_by_product)
    rows = []
    for product_id in product_ids:
        skus = [_sku_row(sku, product_id, catalog.get(sku, _SkuInfo(product_id)),
                         sales_by_sku.get((product_id, sku), _NO_SALES), sku_covers.get(sku),
                         costs_today.get(sku), campaign_skus)
                for sku in skus_by_product.get(product_id, ())]
        skus.sort(key=lambda s: (-s.gmv, s.sku_id))
        sales = sales_by_product.get(product_id, _NO_SALES)
        rows.append(_product_row(product_id, names.get(product_id) or sales.name, sales,
                                 traffic.get(product_id), covers.get(product_id), skus,
                                 costs_today, campaign_products))
    rows.sort(key=lambda r: (-r.gmv, r.product_id))
    return rows


def _cost_periods(conn: sqlite3.Connection, shop_id: int,
                  zone: str) -> list[tuple[str, int, int, int | None]]:
    """Each cost as (sku_id, from_utc, to_utc, unit_cost_cents): from its valid-from day's
    shop-time midnight until the next cost of the same SKU starts."""
    periods: list[tuple[str, int, int, int | None]] = []
    rows = conn.execute(_COSTS_SQL, {"shop_id": shop_id}).fetchall()
    for index, row in enumerate(rows):
        following = rows[index + 1] if index + 1 < len(rows) else None
        same_sku = following is not None and following["sku_id"] == row["sku_id"]
        to_utc = _day_start(following["valid_from"], zone) if same_sku else _FOREVER_UTC
        periods.append((row["sku_id"], _day_start(row["valid_from"], zone), to_utc,
                        row["unit_cost_cents"]))
    return periods


def _day_start(day_text: str, zone: str) -> int:
    return local_midnight_utc(date.fromisoformat(day_text), zone)


def _costs_on(costs: Iterable[tuple[str, int, int, int | None]],
              instant: int) -> dict[str, int]:
    """Unit cost in cents per SKU valid at ``instant`` (SKUs without one are absent)."""
    return {sku: cents for sku, start, end, cents in costs
            if start <= instant < end and cents is not None}


def _sales(conn: sqlite3.Connection, shop_id: int, window: Window,
           costs: list[tuple[str, int, int, int | None]],
           ) -> tuple[dict[str, _Sales], dict[tuple[str, str], _Sales]]:
    params = {"shop_id": shop_id, "start": window.start_utc, "end": window.end_utc,
              "costs": json.dumps(costs)}
    params["first"], params["last"] = rollup_span(conn, shop_id, window.start_utc,
                                                  window.end_utc)
    if any(start % HOUR or (end % HOUR and end != _FOREVER_UTC) for _, start, end, _ in costs):
        params["first"] = params["last"] = window.end_utc  # costs change inside an hour
    # Whole days from the day rollups: costs change at the shop's local midnights.
    params["day_first"], params["day_last"] = day_span(conn, shop_id, params["first"],
                                                       params["last"], window.timezone)
    refunds = {(row["product_id"], row["sku_id"]): row["refund_cents"]
               for sql in (_REFUNDS_SQL.format(sku="sku_id", group=", sku_id"),
                           _REFUNDS_SQL.format(sku="NULL", group=""))
               for row in conn.execute(sql, params)}
    orders = {row["product_id"]: row["orders"]
              for row in conn.execute(_PRODUCT_ORDERS_SQL, params)}
    by_sku: dict[tuple[str, str], _Sales] = {}
    totals: dict[str, list] = {}
    for row in conn.execute(_SKU_SALES_SQL, params):
        key = (row["product_id"], row["sku_id"])
        by_sku[key] = _Sales(row["product_name"], row["gmv_cents"], row["units"],
                             row["sku_orders"], row["sku_orders"], refunds.get(key, 0),
                             row["cost_cents"], row["lines_without_cost"] or 0)
        # A product's sums are its SKUs' sums (integers: exact in any order).
        total = totals.setdefault(row["product_id"], [None, 0, 0, 0, 0, 0])
        if row["product_name"] is not None and (total[0] is None
                                                or row["product_name"] > total[0]):
            total[0] = row["product_name"]
        for index, name in enumerate(("gmv_cents", "units", "sku_orders", "cost_cents",
                                      "lines_without_cost"), start=1):
            total[index] += row[name] or 0
    by_product = {
        product_id: _Sales(name, gmv, units, orders.get(product_id, 0), sku_orders,
                           refunds.get((product_id, None), 0), cost, without_cost)
        for product_id, (name, gmv, units, sku_orders, cost, without_cost) in totals.items()}
    return by_product, by_sku


def _catalog(conn: sqlite3.Connection, shop_id: int) -> dict[str, _SkuInfo]:
    """SKU -> its catalog product, seller SKU and variation."""
    return {row["sku_id"]: _SkuInfo(row["product_id"], row["seller_sku"], row["variation"])
            for row in conn.execute(_CATALOG_SQL, {"shop_id": shop_id})}


def _skus_by_product(catalog: dict[str, _SkuInfo],
                     sales_by_sku: dict[tuple[str, str], _Sales]) -> dict[str, set[str]]:
    """A product's SKUs: those the catalog files under it, and those its order lines in
    the window name (a line names the product the sale was for)."""
    skus: dict[str, set[str]] = {}
    for sku_id, info in catalog.items():
        if info.product_id:
            skus.setdefault(info.product_id, set()).add(sku_id)
    for product_id, sku_id in sales_by_sku:
        skus.setdefault(product_id, set()).add(sku_id)
    return skus


def _campaign_skus(conn: sqlite3.Connection, shop_id: int,
                   campaign: Campaign) -> set[tuple[str, str]]:
    zone = campaign.timezone
    params = {"shop_id": shop_id, "campaign_id": campaign.campaign_id,
              "campaign_start": local_midnight_utc(campaign.start_day, zone),
              "campaign_end": local_midnight_utc(campaign.end_day + timedelta(days=1), zone)}
    params["first"], params["last"] = rollup_span(conn, shop_id, params["campaign_start"],
                                                  params["campaign_end"])
    params["day_first"], params["day_last"] = day_span(conn, shop_id, params["first"],
                                                       params["last"], zone)
    return {(row[0], row[1]) for row in conn.execute(_CAMPAIGN_SKUS_SQL, params)}


def _sku_row(sku_id: str, product_id: str, info: _SkuInfo, sales: _Sales,
             cover: SkuCover | None, cost_cents: int | None,
             campaign_skus: set[tuple[str, str]]) -> SkuRow:
    return SkuRow(
        sku_id=sku_id, product_id=product_id, seller_sku=info.seller_sku,
        variation=info.variation, gmv=cents_to_amount(sales.gmv_cents), units=sales.units,
        orders=sales.orders, refunds=cents_to_amount(sales.refund_cents),
        available=cover.available if cover else None, inbound=cover.inbound if cover else 0,
        days_of_cover=cover.days_of_cover if cover else None,
        stockout_date=cover.stockout_date if cover else None,
        status=cover.status if cover else NO_STOCK_DATA,
        stock_explanation=cover.explanation if cover else "No stock data.",
        unit_cost=cents_to_amount(cost_cents), gross_margin=sales.gross_margin,
        campaign_sku=(product_id, sku_id) in campaign_skus)


def _product_row(product_id: str, name: str | None, sales: _Sales, traffic: sqlite3.Row | None,
                 cover: ProductCover | None, skus: list[SkuRow], costs_today: dict[str, int],
                 campaign_products: set[str]) -> ProductRow:
    inside = bool(traffic and traffic["periods_inside"])
    clicks = traffic["clicks"] if inside else None
    impressions = traffic["impressions"] if inside else None
    return ProductRow(
        product_id=product_id, name=name, gmv=cents_to_amount(sales.gmv_cents),
        units=sales.units, orders=sales.orders, sku_orders=sales.sku_orders,
        refunds=cents_to_amount(sales.refund_cents),
        impressions=impressions, clicks=clicks, ctr=_pct(clicks, impressions),
        add_to_cart_rate=_pct(traffic["add_to_cart_users"], traffic["visitors"])
        if inside else None,
        conversion=_pct(sales.sku_orders, clicks) if inside else None,
        available=cover.available if cover else None,
        days_of_cover=cover.days_of_cover if cover else None,
        stockout_date=cover.stockout_date if cover else None,
        status=cover.status if cover else NO_STOCK_DATA,
        stock_explanation=cover.explanation if cover else "No stock data.",
        unit_cost=_average_cost([costs_today[s.sku_id] for s in skus
                                 if s.sku_id in costs_today]),
        gross_margin=sales.gross_margin,
        campaign_product=product_id in campaign_products,
        skus=tuple(skus),
        traffic_periods=traffic["periods_inside"] if traffic else 0,
        traffic_periods_left_out=traffic["periods_left_out"] if traffic else 0)


def _pct(part: int | None, whole: int | None) -> float | None:
    """``part / whole x 100`` to 2 decimals; None when either is missing or whole is 0."""
    if part is None or not whole:
        return None
    return round(part / whole * 100, 2)


def _average_cost(cents: list[int]) -> Decimal | None:
    if not cents:
        return None
    return (Decimal(sum(cents)) / len(cents) / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def traffic_periods_left_out(rows: Iterable[ProductRow]) -> int:
    """How many traffic export periods the rows left out for only overlapping the window
    (for a note under the table)."""
    return sum(row.traffic_periods_left_out for row in rows)


def sort_product_rows(rows: Iterable[ProductRow], column: str,
                      descending: bool = True) -> list[ProductRow]:
    """``rows`` sorted by a ``PRODUCT_COLUMNS`` column, rows without a value last; status
    sorts by severity (out of stock first when descending). Raises ``ValueError`` for a
    column outside the whitelist."""
    if column not in PRODUCT_COLUMN_NAMES:
        raise ValueError(f"Cannot sort products by {column!r}; columns: "
                         f"{', '.join(PRODUCT_COLUMN_NAMES)}")
    rows = list(rows)
    present = [row for row in rows if getattr(row, column) is not None]
    missing = [row for row in rows if getattr(row, column) is None]

    def key(row: ProductRow) -> object:
        value = getattr(row, column)
        if column == "status":
            return -STATUS_SEVERITY.index(value) if value in STATUS_SEVERITY else -99
        return value.casefold() if isinstance(value, str) else value

    return sorted(present, key=key, reverse=descending) + missing


def products_report(rows: Iterable[ProductRow]) -> list[dict[str, object]]:
    """The command line's ``products`` list: per product ``product_id, name, gmv, units,
    orders, impressions, clicks, ctr, add_to_cart_rate, available, days_of_cover,
    stockout_date, status``; money as a float rounded to cents, days of cover to 1
    decimal, dates ISO, None (JSON null) where absent; sorted by GMV descending."""
    ordered = sorted(rows, key=lambda r: (-r.gmv, r.product_id))
    return [{
        "product_id": row.product_id,
        "name": row.name,
        "gmv": float(row.gmv),
        "units": row.units,
        "orders": row.orders,
        "impressions": row.impressions,
        "clicks": row.clicks,
        "ctr": row.ctr,
        "add_to_cart_rate": row.add_to_cart_rate,
        "available": row.available,
        "days_of_cover": None if row.days_of_cover is None else round(row.days_of_cover, 1),
        "stockout_date": None if row.stockout_date is None else row.stockout_date.isoformat(),
        "status": row.status,
    } for row in ordered]
