"""Parse Seller Center "All order" exports into order records (rows of ``orders``/``order_line``).

One export row is one SKU line. Order-level money repeats on every line of an order, so it
is taken once, from the order's first line. Rows that cannot be read become ``Problem``s
(file line, column, raw value, reason) and are left out; nothing is turned into a silent
NULL or zero. Orders' lines are contiguous in a real export; when an order's lines appear
again later in the same file (two exports pasted together), the later run replaces the
earlier one, as a later export would.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from campaign_core.importers.orders_layout import DESCRIPTION_ROW_TEXTS
from campaign_core.importers.parsed import ParsedFile, Problem
from campaign_core.importers.reading import SourceTable
from campaign_core.importers.values import (
    CellError,
    clean,
    parse_cents,
    parse_count,
    parse_id,
    parse_local_time,
)

# Normalised statuses; the raw, possibly localised, value is stored beside them.
_STATUS_WORDS = {
    "unpaid": "unpaid",
    "on hold": "awaiting_shipment",
    "to ship": "awaiting_shipment",
    "awaiting shipment": "awaiting_shipment",
    "partially shipping": "awaiting_shipment",
    "awaiting collection": "awaiting_collection",
    "shipped": "shipped",
    "in transit": "shipped",
    "delivered": "delivered",
    "completed": "completed",
    "cancelled": "cancelled",
    "canceled": "cancelled",
}
STATUSES = ("unpaid", "awaiting_shipment", "awaiting_collection", "shipped", "delivered",
            "completed", "cancelled", "other")

_EXPORT_STAMP = re.compile(r"(\d{4}-\d{2}-\d{2})-(\d{2})_(\d{2})")

_TIME_FIELDS = {"created_time": "created_utc", "paid_time": "paid_utc",
                "shipped_time": "shipped_utc", "delivered_time": "delivered_utc",
                "cancelled_time": "cancelled_utc"}
_ORDER_MONEY = {
    "shipping_fee_platform_discount": "shipping_fee_platform_discount_cents",
    "original_shipping_fee": "original_shipping_fee_cents",
    "shipping_fee_seller_discount": "shipping_fee_seller_discount_cents",
    "shipping_fee_after_discount": "shipping_fee_after_discount_cents",
    "taxes": "taxes_cents",
    "order_amount": "order_amount_cents",
    "order_refund_amount": "order_refund_amount_cents",
    "payment_platform_discount": "payment_platform_discount_cents",
    "retail_delivery_fee": "retail_delivery_fee_cents",
}
_NOT_CONTENT = {"lines", "content_hash", "export_stamp"}
_ORDER_TEXT = {"substatus": "substatus_raw", "cancel_return_type": "cancel_return_type",
               "creator_handle": "creator_handle", "order_channel": "order_channel",
               "fulfillment_type": "fulfillment_type"}


def normalise_status(raw: str) -> str:
    return _STATUS_WORDS.get(raw.strip().casefold(), "other")


def export_stamp(file_name: str) -> str | None:
    """``All order-2026-11-26-15_30.csv`` -> ``2026-11-26T15:30``: when the file was made."""
    match = _EXPORT_STAMP.search(file_name)
    return f"{match.group(1)}T{match.group(2)}:{match.group(3)}" if match else None


@dataclass
class ParsedOrders(ParsedFile):
    orders: dict[str, dict] = field(default_factory=dict)  # order_id -> order row + "lines"
    products: dict[str, dict] = field(default_factory=dict)
    skus: dict[str, dict] = field(default_factory=dict)


class _RowError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0].reason)
        self.problems = problems


def parse_orders(table: SourceTable, timezone: str,
                 progress: Callable[[int], None] | None = None) -> ParsedOrders:
    """Read every data row of an orders export ``table`` with times in ``timezone``.

    Returns the orders (each a dict of ``orders`` columns with a ``lines`` list of
    ``order_line`` column dicts), products, SKUs, counts and the problems of rejected rows.
    ``progress`` is called with the number of rows read every 5,000 rows.
    """
    result = ParsedOrders()
    columns = table.columns
    dst_notes: dict[str, int] = {}
    last_order_id = None
    last_order_cell = None
    order_position = columns.positions["order_id"]
    first_row = True
    for line, cells in table.rows:
        if cells is None:  # a repeated header: another export pasted below the first
            table.skipped.append(f"line {line} (repeated header)")
            last_order_id = last_order_cell = None
            first_row = True
            continue

        def cell(name: str, cells=cells) -> object:
            index = columns.positions.get(name)
            return cells[index] if index is not None and index < len(cells) else None

        if first_row:
            first_row = False
            if _is_description_row(cell):
                table.skipped.append(f"line {line} (field descriptions)")
                continue
        result.rows_read += 1
        if progress and result.rows_read % 5000 == 0:
            progress(result.rows_read)
        order_cell = cells[order_position] if order_position < len(cells) else None
        # Order-level cells repeat on every line of an order: read them on its first line.
        repeat = last_order_id is not None and order_cell == last_order_cell
        try:
            order, line_row, notes = _parse_row(line, cell, columns.headers, timezone,
                                                with_order_fields=not repeat)
        except _RowError as error:
            result.quarantined_rows += 1
            result.problems.extend(error.problems)
            continue
        for note in notes:
            dst_notes[note] = dst_notes.get(note, 0) + 1
        order_id = line_row["order_id"]
        stored = result.orders.get(order_id)
        if stored is not None and not repeat:
            result.notes.append(f"Order {order_id} appears twice in the file; "
                                "its later rows were kept.")
            stored = None
        if stored is None:
            order["lines"] = []
            result.orders[order_id] = stored = order
        line_row["line_no"] = len(stored["lines"]) + 1
        stored["lines"].append(line_row)
        last_order_id, last_order_cell = order_id, order_cell
        _remember_catalog(result, line_row, cell)
    for note, count in dst_notes.items():
        result.notes.append(f"{count} time(s) {note}.")
    for order in result.orders.values():
        _finish_order(order)
    paid = [o["paid_utc"] for o in result.orders.values() if o["paid_utc"] is not None]
    result.first_time_utc, result.last_time_utc = min(paid, default=None), max(paid, default=None)
    return result


def _is_description_row(cell: Callable[[str], object]) -> bool:
    order_cell = clean(cell("order_id"))
    if order_cell in DESCRIPTION_ROW_TEXTS.values():
        return True
    # Another language's description row: a sentence where an ID belongs.
    return " " in order_cell and order_cell.endswith(".") and not order_cell[:1].isdigit()


def _parse_row(line: int, cell: Callable[[str], object], headers: dict[str, str],
               timezone: str, *, with_order_fields: bool) -> tuple[dict | None, dict, list[str]]:
    problems: list[Problem] = []
    notes: list[str] = []

    def read(field_name: str, parser: Callable, **options):
        raw = cell(field_name)
        try:
            return parser(raw, **options)
        except CellError as error:
            problems.append(Problem(line, headers.get(field_name, field_name),
                                    "" if raw is None else str(raw), str(error)))
            return None

    def when(field_name: str) -> int | None:
        parsed = read(field_name, parse_local_time, timezone=timezone)
        if parsed is None:
            return None
        if parsed.dst_note:
            notes.append(f"in {headers.get(field_name, field_name)} {parsed.dst_note}")
        return parsed.utc

    order_id = read("order_id", parse_id)
    sku_id = read("sku_id", parse_id)
    product_id = read("product_id", parse_id, required=False)
    quantity = read("quantity", parse_count, required=True)
    returned = read("returned_units", parse_count) or 0
    unit_price = read("unit_original_price", parse_cents, required=True)
    before = read("subtotal_before", parse_cents)
    platform = read("platform_discount", parse_cents) or 0
    seller = read("seller_discount", parse_cents) or 0
    after = read("subtotal_after", parse_cents)
    if with_order_fields:
        times = {column: when(field_name) for field_name, column in _TIME_FIELDS.items()}
        money = {column: read(field_name, parse_cents) or 0
                 for field_name, column in _ORDER_MONEY.items()}
    if quantity == 0:
        problems.append(Problem(line, headers["quantity"], "0", "quantity must be at least 1"))
    if quantity and returned > quantity:
        problems.append(Problem(line, headers.get("returned_units", "returned units"),
                                str(returned), f"more units returned than bought ({quantity})"))
    if problems:
        raise _RowError(problems)
    if before is None:
        before = unit_price * quantity
    if after is None:
        after = before - platform - seller
    status_raw = clean(cell("status"))
    status = normalise_status(status_raw)
    order = None
    if with_order_fields:
        buyer_key = clean(cell("buyer_username")) or clean(cell("buyer_nickname")) or None
        order = {"order_id": order_id, "status": status, "status_raw": status_raw,
                 "buyer_key": buyer_key, **times, **money}
        order.update({column: clean(cell(name)) or None
                      for name, column in _ORDER_TEXT.items()})
    line_row = {
        "order_id": order_id, "sku_id": sku_id, "product_id": product_id,
        "seller_sku": clean(cell("seller_sku")) or None,
        "product_name": clean(cell("product_name")) or None,
        "variation": clean(cell("variation")) or None,
        "quantity": quantity, "returned_units": returned,
        "unit_original_price_cents": unit_price, "subtotal_before_cents": before,
        "platform_discount_cents": platform, "seller_discount_cents": seller,
        "subtotal_after_cents": after, "gmv_cents": before - seller,
        "status": status, "status_raw": status_raw, "is_cancelled": int(status == "cancelled"),
    }
    return order, line_row, notes


def _remember_catalog(result: ParsedOrders, line_row: dict, cell: Callable) -> None:
    product_id = line_row["product_id"]
    if product_id:
        result.products[product_id] = {"product_id": product_id,
                                       "name": line_row["product_name"],
                                       "category": clean(cell("product_category")) or None}
    result.skus[line_row["sku_id"]] = {
        "sku_id": line_row["sku_id"], "product_id": product_id,
        "seller_sku": line_row["seller_sku"], "product_name": line_row["product_name"],
        "variation": line_row["variation"]}


def _finish_order(order: dict) -> None:
    """Derive what needs all lines: sample flag, latest event, content hash."""
    lines = order["lines"]
    before = sum(line["subtotal_before_cents"] for line in lines)
    # A free creator sample: products 100% paid by the seller's discount.
    order["is_sample"] = int(before > 0 and all(line["gmv_cents"] <= 0 for line in lines))
    paid = order["paid_utc"] if order["status"] != "unpaid" else None
    order["paid_utc"] = paid
    for line in lines:
        line.update(paid_utc=paid, is_sample=order["is_sample"], buyer_key=order["buyer_key"])
    events = [order[c] for c in _TIME_FIELDS.values() if order[c] is not None]
    order["last_event_utc"] = max(events) if events else None
    # Dicts are built in a fixed key order, so their values in order identify the content.
    content = [tuple(v for k, v in order.items() if k not in _NOT_CONTENT)]
    content.extend(tuple(line.values()) for line in lines)
    order["content_hash"] = hashlib.sha256(repr(content).encode()).hexdigest()
