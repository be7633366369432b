"""The rollups of a shop's first load, computed from the file's columns instead of the store.

When a shop's first orders export is read in bulk (a season at once), every line the shop
will have in the store is in memory already: grouping them there (Arrow group-by) took about
half the time of ``hourly.rebuild_shop`` reading a million lines back (5.6 s against ~10 s).
The values are the same by definition (tests compare the two): ``hourly`` documents each
column.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc

from campaign_core.rollups import attribution, day_skus, delivered
from campaign_core.rollups.day_buyers import rebuild_days
from campaign_core.rollups.hourly import clear_shop
from campaign_core.rollups.order_kinds import order_kind_rows
from campaign_core.rollups.windows import HOUR


def write_first_load_rollups(conn: sqlite3.Connection, shop_id: int, orders: dict[str, list],
                             lines: dict[str, list], order_lines: list[slice]) -> None:
    """Write ``shop_id``'s rollups from its only orders (``BulkOrders.orders``/``lines``
    columns, ``order_lines`` each order's lines), inside the caller's transaction, and
    clear its dirty hours."""
    rollups = FirstLoadRollups(conn)
    rollups.add(orders, lines, order_lines)
    rollups.write(conn, shop_id)


class FirstLoadRollups:
    """The rollups of a first load read in chunks of whole orders: ``add`` groups each chunk
    as it is written, ``write`` adds the chunks' groups up and stores them.

    Every value adds up over chunks: sums do, and so do distinct orders per group, since an
    order (all its lines) lies in one chunk; a SKU's name is the greatest of the chunks'
    greatest. Distinct buyers per day do not: they are counted from the lines at the end.
    The per-hour groups stay in memory (a season has a few thousand hours); the SKU and
    product hours (half a million for a season) go to temporary tables of ``conn`` as each
    chunk passes and are added up by SQLite, on disk, at the end.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.parts: dict[str, list[pa.Table]] = {"hour": [], "sku_orders": [], "shipping": []}
        self.kinds: dict[tuple, list[int]] = {}
        for table, columns in _PARTIAL_TABLES.items():
            conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} ({columns})")
            conn.execute(f"DELETE FROM temp.{table}")

    def add(self, orders: dict[str, list], lines: dict[str, list],
            order_lines: list[slice]) -> None:
        """Group one chunk (columns as ``write_first_load_rollups`` takes them)."""
        table = _paid_non_samples({name: lines[name] for name in _LINE_NAMES})
        parts = self.parts
        parts["hour"].append(table.group_by("hour_utc").aggregate([
            ("gmv_cents", "sum"), ("order_id", "count_distinct"), ("quantity", "sum"),
            ("platform_discount_cents", "sum"), ("order_id", "count")]))
        parts["sku_orders"].append(
            table.group_by(["hour_utc", "order_id", "sku_id"]).aggregate([])
            .group_by("hour_utc").aggregate([("order_id", "count")]))
        parts["shipping"].append(_paid_non_samples({name: orders[name] for name in (
            "paid_utc", "is_sample", "shipping_fee_platform_discount_cents")})
            .group_by("hour_utc").aggregate([("shipping_fee_platform_discount_cents", "sum")]))
        by_sku = table.group_by(["hour_utc", "product_id", "sku_id"]).aggregate([
            ("product_name", "max"), ("gmv_cents", "sum"), ("quantity", "sum"),
            ("order_id", "count_distinct"), ("order_id", "count")])
        self.conn.executemany(
            "INSERT INTO temp.first_load_sku VALUES (?, ?, ?, ?, ?, ?, ?, ?)", _rows(
                by_sku, "hour_utc", "product_id", "sku_id", "product_name_max",
                "gmv_cents_sum", "quantity_sum", "order_id_count_distinct", "order_id_count"))
        by_product = table.group_by(["hour_utc", "product_id"]).aggregate([
            ("order_id", "count_distinct")])
        self.conn.executemany("INSERT INTO temp.first_load_product VALUES (?, ?, ?)", _rows(
            by_product, "hour_utc", "product_id", "order_id_count_distinct"))
        gmv = lines["gmv_cents"]
        for row in order_kind_rows(0, orders, [sum(gmv[span]) for span in order_lines]):
            total = self.kinds.setdefault(row[1:-2], [0, 0])
            total[0] += row[-2]
            total[1] += row[-1]

    def write(self, conn: sqlite3.Connection, shop_id: int) -> None:
        """Store the rollups of every chunk added, inside the caller's transaction, and
        clear the shop's dirty hours."""
        if not self.parts["hour"]:
            self.add({name: [] for name in _ORDER_NAMES}, {name: [] for name in _LINE_NAMES},
                     [])
        by_hour = _added(self.parts["hour"], ["hour_utc"], [
            "gmv_cents_sum", "order_id_count_distinct", "quantity_sum",
            "platform_discount_cents_sum", "order_id_count"])
        sku_orders = _added(self.parts["sku_orders"], ["hour_utc"], ["order_id_count"])
        shipping = _added(self.parts["shipping"], ["hour_utc"],
                          ["shipping_fee_platform_discount_cents_sum"])
        sku_orders_of = dict(zip(*_columns(sku_orders, "hour_utc", "order_id_count"),
                                 strict=True))
        shipping_of = dict(zip(*_columns(shipping, "hour_utc",
                                         "shipping_fee_platform_discount_cents_sum"),
                               strict=True))
        clear_shop(conn, shop_id)
        conn.executemany(
            "INSERT INTO rollup_hour (shop_id, hour_utc, gmv_cents, orders, sku_orders, units, "
            "platform_cents, lines, shipping_platform_cents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((shop_id, hour, gmv, orders_count, sku_orders_of[hour], units, platform, count,
              shipping_of.get(hour, 0))
             for hour, gmv, orders_count, units, platform, count in zip(*_columns(
                 by_hour, "hour_utc", "gmv_cents_sum", "order_id_count_distinct",
                 "quantity_sum", "platform_discount_cents_sum", "order_id_count"),
                 strict=True)))
        # MAX and SUM as Arrow's: nulls left out, names compared by their UTF-8 bytes.
        conn.execute(
            "INSERT INTO rollup_hour_sku (shop_id, hour_utc, product_id, sku_id, product_name, "
            "gmv_cents, units, sku_orders, lines) "
            "SELECT ?, hour_utc, product_id, sku_id, MAX(product_name), SUM(gmv_cents), "
            "SUM(units), SUM(sku_orders), SUM(lines) FROM temp.first_load_sku "
            "GROUP BY hour_utc, product_id, sku_id", (shop_id,))
        conn.execute(
            "INSERT INTO rollup_hour_product (shop_id, hour_utc, product_id, orders) "
            "SELECT ?, hour_utc, product_id, SUM(orders) FROM temp.first_load_product "
            "GROUP BY hour_utc, product_id", (shop_id,))
        for table in _PARTIAL_TABLES:
            conn.execute(f"DROP TABLE temp.{table}")
        conn.executemany(
            "INSERT INTO rollup_hour_order_kind (shop_id, hour_utc, status, is_returning, "
            "has_creator, channel, orders, gmv_cents) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            ((shop_id, *key, count, gmv) for key, (count, gmv) in self.kinds.items()))
        rebuild_days(conn, shop_id)  # distinct buyers per day: from the lines just written
        day_skus.rebuild(conn, shop_id)  # from the hourly rows just written
        delivered.rebuild(conn, shop_id)  # from the orders just written
        attribution.rebuild(conn, shop_id)  # after the order kinds
        conn.execute("DELETE FROM rollup_dirty WHERE shop_id = ?", (shop_id,))


_PARTIAL_TABLES = {
    "first_load_sku": "hour_utc INTEGER, product_id TEXT, sku_id TEXT, product_name TEXT, "
                      "gmv_cents INTEGER, units INTEGER, sku_orders INTEGER, lines INTEGER",
    "first_load_product": "hour_utc INTEGER, product_id TEXT, orders INTEGER",
}
_LINE_NAMES = ("paid_utc", "is_sample", "order_id", "sku_id", "product_id", "product_name",
               "gmv_cents", "quantity", "platform_discount_cents")
_ORDER_NAMES = ("paid_utc", "is_sample", "status", "cancel_return_type", "creator_handle",
                "order_channel", "shipping_fee_platform_discount_cents")


def _added(parts: list[pa.Table], keys: list[str], sums: list[str],
           maxima: tuple[str, ...] | list[str] = ()) -> pa.Table:
    """The chunks' groups added up by ``keys`` (one table: as it is), keeping the names."""
    if len(parts) == 1:
        return parts[0]
    table = pa.concat_tables(parts).group_by(keys).aggregate(
        [(name, "sum") for name in sums] + [(name, "max") for name in maxima])
    table = table.rename_columns([name.removesuffix("_sum").removesuffix("_max")
                                  if name not in keys else name for name in table.column_names])
    return table.select(parts[0].column_names)


def _paid_non_samples(columns: dict[str, list]) -> pa.Table:
    """The rows of paid, non-sample records, with their UTC hour."""
    table = pa.table({name: pa.array(values, type=_TYPES.get(name, pa.string()))
                      for name, values in columns.items()})
    table = table.filter(pc.and_(pc.equal(table["is_sample"], 0),
                                 pc.is_valid(table["paid_utc"])))
    hours = pc.multiply(pc.divide(table["paid_utc"], HOUR), HOUR)  # integer division
    return table.append_column("hour_utc", hours)


def _rows(table: pa.Table, *names: str, slice_rows: int = 50_000) -> Iterator[tuple]:
    """The table's rows as tuples of ``names``, a slice at a time (a season's SKU hours
    are half a million rows: as Python lists at once, several hundred megabytes)."""
    for start in range(0, table.num_rows, slice_rows):
        yield from zip(*_columns(table.slice(start, slice_rows), *names), strict=True)


def _columns(table: pa.Table, *names: str) -> list[list]:
    return [table[name].to_pylist() for name in names]


_TYPES = {name: pa.int64() for name in (
    "paid_utc", "is_sample", "gmv_cents", "quantity", "platform_discount_cents",
    "shipping_fee_platform_discount_cents")}
