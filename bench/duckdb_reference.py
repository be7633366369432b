"""The reference: the same aggregations computed by DuckDB over the same order lines.

The store's ``order_line`` and ``orders`` rows of the shop are copied into an in-memory
DuckDB database once (not timed as a query); each reference query then answers what one
campaign_core call answers, by the definitions in DESIGN.md, so its result can be checked
against ours as well as timed.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

_LINE_COLUMNS = ("order_id", "sku_id", "product_id", "quantity", "returned_units",
                 "gmv_cents", "platform_discount_cents", "is_cancelled", "paid_utc",
                 "is_sample", "buyer_key", "product_name")
_ORDER_COLUMNS = ("order_id", "paid_utc", "is_sample", "shipping_fee_platform_discount_cents")

_CORE = """
WITH l AS (SELECT * FROM order_line
           WHERE paid_utc >= $start AND paid_utc < $end AND is_sample = 0)
SELECT COALESCE(SUM(gmv_cents), 0) AS gmv_cents,
       COUNT(DISTINCT order_id) AS orders,
       COUNT(DISTINCT (order_id, sku_id)) AS sku_orders,
       COALESCE(SUM(quantity), 0) AS units,
       COUNT(DISTINCT buyer_key) AS buyers,
       COALESCE(SUM(platform_discount_cents), 0) AS platform_cents,
       COALESCE(SUM(CASE WHEN is_cancelled = 1 THEN gmv_cents
                         WHEN returned_units > 0 THEN returned_units * gmv_cents / quantity
                         ELSE 0 END), 0) AS refunds_cents,
       (SELECT COALESCE(SUM(shipping_fee_platform_discount_cents), 0) FROM orders
        WHERE paid_utc >= $start AND paid_utc < $end AND is_sample = 0) AS shipping_cents
FROM l
"""

# Buckets as metrics/trend.py makes them: local hours of one day, or local days.
_TREND = """
WITH b AS (SELECT UNNEST($starts) AS bucket_start,
                  generate_subscripts($starts, 1) - 1 AS bucket),
w AS (SELECT * FROM order_line
      WHERE paid_utc >= $start AND paid_utc < $end AND is_sample = 0),
l AS (SELECT w.*, b.bucket FROM w ASOF JOIN b ON w.paid_utc >= b.bucket_start)
SELECT bucket, SUM(gmv_cents) AS gmv_cents, COUNT(DISTINCT order_id) AS orders,
       COUNT(DISTINCT (order_id, sku_id)) AS sku_orders, SUM(quantity) AS units,
       COUNT(DISTINCT buyer_key) AS buyers, SUM(platform_discount_cents) AS platform_cents,
       SUM(CASE WHEN is_cancelled = 1 THEN gmv_cents
                WHEN returned_units > 0 THEN returned_units * gmv_cents / quantity
                ELSE 0 END) AS refunds_cents
FROM l GROUP BY bucket ORDER BY bucket
"""

_PRODUCTS = """
WITH l AS (SELECT * FROM order_line
           WHERE paid_utc >= $start AND paid_utc < $end AND is_sample = 0)
SELECT product_id, sku_id, MAX(product_name), SUM(gmv_cents), SUM(quantity),
       COUNT(DISTINCT order_id), COUNT(DISTINCT (order_id, sku_id)),
       SUM(CASE WHEN is_cancelled = 1 THEN gmv_cents
                WHEN returned_units > 0 THEN returned_units * gmv_cents / quantity
                ELSE 0 END)
FROM l GROUP BY GROUPING SETS ((product_id, sku_id), (product_id))
"""

_PAID_DAYS = "SELECT MIN(paid_utc), MAX(paid_utc) FROM orders"


class DuckReference:
    """An in-memory DuckDB copy of one shop's lines and orders, and its reference queries."""

    def __init__(self, db_path: Path, shop_id: int):
        import duckdb

        self.duck = duckdb.connect(":memory:")
        source = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            self._copy(source, "order_line", _LINE_COLUMNS, shop_id)
            self._copy(source, "orders", _ORDER_COLUMNS, shop_id)
        finally:
            source.close()

    def _copy(self, source: sqlite3.Connection, table: str, columns: tuple[str, ...],
              shop_id: int) -> None:
        import pyarrow as pa

        cursor = source.execute(f"SELECT {', '.join(columns)} FROM {table} "  # noqa: S608
                                "WHERE shop_id = ?", (shop_id,))
        batches = []
        while rows := cursor.fetchmany(200_000):
            batches.append(pa.Table.from_pylist([dict(zip(columns, r, strict=True))
                                                 for r in rows]))
        data = pa.concat_tables(batches) if batches else None  # noqa: F841 (read by DuckDB)
        self.duck.execute(f"CREATE TABLE {table} AS SELECT * FROM data")

    def core_kpis(self, start: int, end: int):
        return self.duck.execute(_CORE, {"start": start, "end": end}).fetchone()

    def trend(self, start: int, end: int, bucket_starts: list[int]):
        return self.duck.execute(_TREND, {"start": start, "end": end,
                                          "starts": bucket_starts}).fetchall()

    def products(self, start: int, end: int):
        return self.duck.execute(_PRODUCTS, {"start": start, "end": end}).fetchall()

    def paid_days(self):
        return self.duck.execute(_PAID_DAYS).fetchone()

    def close(self) -> None:
        self.duck.close()
