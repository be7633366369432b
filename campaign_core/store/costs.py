"""Unit costs of SKUs, each valid from a day on (table ``sku_cost``).

A cost applies from its ``valid_from`` day (a calendar day in the shop's timezone) until
the next cost of the same SKU starts, so a new cost never rewrites past profit. The cost
of a sale is the cost valid on the sale's local **paid day**.

How other queries get each order line's cost (the join rule):
- SQLite has no timezones, so a paid instant cannot be turned into a local day in SQL.
  ``day_buckets`` cuts a window into local days (``(day, start_utc, end_utc)``, DST
  included); a query joins ``order_line.paid_utc`` to its bucket and takes the cost with
  the correlated subquery ``unit_cost_sql`` (the latest ``valid_from <= day``).
- ``line_costs`` does exactly that and returns every paid line of a window with its unit
  cost (None where no cost was valid yet): use it, or copy its query.
- ``unit_cost_on`` answers for one SKU and day.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from campaign_core.store import audit
from campaign_core.windows import local_day_of, local_midnight_utc

_CURRENCY = re.compile(r"^[A-Z]{3}$")
# Local days per query in ``line_costs``: 3 bound parameters each, far below SQLite's cap.
_DAYS_PER_QUERY = 200

# The cost valid on a day: the latest valid_from on or before it. ``{shop}``, ``{sku}`` and
# ``{day}`` are SQL expressions of the outer query (a column, a parameter), day as ISO text.
_UNIT_COST_ON_DAY = (
    "(SELECT c.unit_cost_cents FROM sku_cost AS c WHERE c.shop_id = {shop} "
    "AND c.sku_id = {sku} AND c.valid_from <= {day} ORDER BY c.valid_from DESC LIMIT 1)")


@dataclass(frozen=True)
class UnitCost:
    sku_id: str
    valid_from: date
    unit_cost_cents: int
    currency: str
    import_id: int | None = None  # None: entered by hand


@dataclass(frozen=True)
class LineCost:
    """An order line paid in the window, with the unit cost valid on its local paid day."""

    order_id: str
    line_no: int
    sku_id: str
    paid_day: date
    quantity: int
    returned_units: int
    is_cancelled: bool
    is_sample: bool
    unit_cost_cents: int | None  # None: no cost was valid on that day

    @property
    def cost_cents(self) -> int | None:
        """Quantity x unit cost (returns and cancellations are the caller's to judge)."""
        return None if self.unit_cost_cents is None else self.quantity * self.unit_cost_cents


def set_unit_cost(conn: sqlite3.Connection, shop_id: int, sku_id: str, unit_cost_cents: int,
                  valid_from: date | str, currency: str | None = None, *,
                  import_id: int | None = None) -> None:
    """Store the cost of one unit of ``sku_id`` from ``valid_from`` (a date or
    ``YYYY-MM-DD``) on; replaces a cost of the same SKU and day. ``currency`` is a
    three-letter code, None meaning the shop's. Call inside a write transaction.

    Raises ``ValueError`` for a negative or non-integer cost, a bad day or currency, or an
    unknown shop.
    """
    if isinstance(unit_cost_cents, bool) or not isinstance(unit_cost_cents, int) or \
            unit_cost_cents < 0:
        raise ValueError(f"A unit cost is a whole, non-negative number of cents, not "
                         f"{unit_cost_cents!r}.")
    day = _as_day(valid_from)
    currency = currency or _shop_currency(conn, shop_id)
    if not _CURRENCY.match(currency):
        raise ValueError(f"Not a currency code: {currency!r} (expected e.g. USD).")
    conn.execute(
        "INSERT INTO sku_cost (shop_id, sku_id, valid_from, unit_cost_cents, currency, "
        "import_id) VALUES (:shop_id, :sku_id, :valid_from, :cost, :currency, :import_id) "
        "ON CONFLICT (shop_id, sku_id, valid_from) DO UPDATE SET "
        "unit_cost_cents = excluded.unit_cost_cents, currency = excluded.currency, "
        "import_id = excluded.import_id",
        {"shop_id": shop_id, "sku_id": sku_id, "valid_from": day.isoformat(),
         "cost": unit_cost_cents, "currency": currency, "import_id": import_id})
    if import_id is None:  # a file's costs are audited once, as its import
        audit.record(conn, "cost", shop_id, f"SKU {sku_id}",
                     f"{unit_cost_cents} cents {currency} from {day.isoformat()}")


def list_costs(conn: sqlite3.Connection, shop_id: int) -> list[UnitCost]:
    """Every stored cost of the shop, by SKU then valid-from day."""
    rows = conn.execute(
        "SELECT sku_id, valid_from, unit_cost_cents, currency, import_id FROM sku_cost "
        "WHERE shop_id = :shop_id ORDER BY sku_id, valid_from", {"shop_id": shop_id})
    return [UnitCost(row[0], date.fromisoformat(row[1]), row[2], row[3], row[4])
            for row in rows]


def unit_cost_on(conn: sqlite3.Connection, shop_id: int, sku_id: str,
                 day: date | str) -> int | None:
    """The unit cost of ``sku_id`` valid on the local ``day`` (the latest valid-from on or
    before it), in cents; None when no cost starts on or before that day.
    Raises ``ValueError`` for a bad day."""
    sql = "SELECT " + unit_cost_sql(":shop_id", ":sku_id", ":day")
    row = conn.execute(sql, {"shop_id": shop_id, "sku_id": sku_id,
                             "day": _as_day(day).isoformat()}).fetchone()
    return row[0]


def unit_cost_sql(shop: str, sku: str, day: str) -> str:
    """A scalar subquery: the unit cost valid on ``day`` (the latest valid-from on or before
    it), NULL when none. ``shop``, ``sku`` and ``day`` are SQL expressions of the outer
    query (``ol.shop_id``, ``ol.sku_id``, ``d.day`` or parameters); ``day`` must be ISO
    text (``YYYY-MM-DD``), a local day of the shop. They are put in the SQL text: pass only
    code-written expressions, never user input."""
    return _UNIT_COST_ON_DAY.format(shop=shop, sku=sku, day=day)


def day_buckets(start_utc: int, end_utc: int, timezone: str) -> list[tuple[str, int, int]]:
    """The local days a window ``[start_utc, end_utc)`` touches, as ``(ISO day,
    bucket start, bucket end)`` instants, clipped to the window; each bucket is that day's
    part of the window (23 or 25 hours across a DST change). Empty for an empty window."""
    if end_utc <= start_utc:
        return []
    buckets = []
    day = local_day_of(start_utc, timezone)
    last = local_day_of(end_utc - 1, timezone)
    while day <= last:
        next_day = day + timedelta(days=1)
        buckets.append((day.isoformat(), max(start_utc, local_midnight_utc(day, timezone)),
                        min(end_utc, local_midnight_utc(next_day, timezone))))
        day = next_day
    return buckets


def line_costs(conn: sqlite3.Connection, shop_id: int, start_utc: int, end_utc: int,
               timezone: str) -> list[LineCost]:
    """Every order line of the shop paid in ``[start_utc, end_utc)``, with the unit cost
    valid on its paid day in ``timezone`` (the shop's), in paid order. Samples, cancelled
    and returned units are included and flagged: what counts is the caller's choice."""
    buckets = day_buckets(start_utc, end_utc, timezone)
    result: list[LineCost] = []
    for first in range(0, len(buckets), _DAYS_PER_QUERY):
        result.extend(_line_costs_for(conn, shop_id, buckets[first:first + _DAYS_PER_QUERY]))
    return result


def _line_costs_for(conn: sqlite3.Connection, shop_id: int,
                    buckets: list[tuple[str, int, int]]) -> list[LineCost]:
    params: dict[str, object] = {"shop_id": shop_id}
    values = []
    for index, (day, start, end) in enumerate(buckets):
        params.update({f"d{index}": day, f"s{index}": start, f"e{index}": end})
        values.append(f"(:d{index}, :s{index}, :e{index})")
    sql = (
        f"WITH days (day, start_utc, end_utc) AS (VALUES {', '.join(values)}) "
        "SELECT ol.order_id, ol.line_no, ol.sku_id, days.day, ol.quantity, "
        "ol.returned_units, ol.is_cancelled, ol.is_sample, "
        f"{unit_cost_sql('ol.shop_id', 'ol.sku_id', 'days.day')} AS unit_cost_cents "
        "FROM days JOIN order_line AS ol ON ol.shop_id = :shop_id "
        "AND ol.paid_utc >= days.start_utc AND ol.paid_utc < days.end_utc "
        "ORDER BY ol.paid_utc, ol.order_id, ol.line_no")
    return [LineCost(row[0], row[1], row[2], date.fromisoformat(row[3]), row[4] or 0,
                     row[5] or 0, bool(row[6]), bool(row[7]), row[8])
            for row in conn.execute(sql, params)]


def _as_day(value: date | str) -> date:
    if isinstance(value, datetime):  # a datetime is a date too: keep only its day
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise ValueError(f"Not a day: {value!r} (expected YYYY-MM-DD).") from error


def _shop_currency(conn: sqlite3.Connection, shop_id: int) -> str:
    row = conn.execute("SELECT currency FROM shop WHERE shop_id = :shop_id",
                       {"shop_id": shop_id}).fetchone()
    if row is None:
        raise ValueError(f"No shop with ID {shop_id}.")
    return row[0]
