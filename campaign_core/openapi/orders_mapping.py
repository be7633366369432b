"""Open API orders (``/order/202309/orders/search``) -> ``ParsedOrders``, the structure the
orders export parser returns, so API orders go through the same classify/write code.

Differences from an export, and how they are bridged:
- ``line_items`` are one per UNIT: they are grouped into SKU lines by (SKU ID, line status),
  quantity = the number of units, money summed over them (a SKU with one unit cancelled and
  one not keeps two lines, so refunds stay exact);
- amounts are decimal strings in the currency unit, times Unix seconds (UTC already);
- the status enum (``UNPAID``, ``ON_HOLD``, ``AWAITING_SHIPMENT``, ... ``CANCELLED``) is
  normalised with the export's status words (``ON_HOLD``, paid but not yet released for
  shipping, is awaiting shipment and keeps its paid time, as the export's ``On hold``);
- the buyer is keyed by the API's ``user_id`` (exports name a username: a buyer whose
  orders come from both sources counts once per source);
- ``update_time`` is the order's latest event, so a later export of the same order never
  rolls API data back, and an unchanged order re-synced is "unchanged".
Recipient, address, phone, e-mail and buyer message are never read.

Platform changes (TikTok Shop Partner Center release notes; README, Platform changes):
- replacement and exchange orders (US, UK, from 2026-07-08: "US & UK Markets: Replacement
  Orders" / "Exchange Orders"): an order with ``is_replacement_order`` (``replaced_order_id``)
  or ``is_exchange_order`` (``exchange_source_order_id``) true re-ships a paid order; it is
  stored as "not a sale" (``is_sample = 1``: no GMV, order, buyer or unit of its own) and
  the order it replaces is kept in ``platform_fact``. The flag decides, not the ID: the
  API's own example fills ``replaced_order_id`` on an order whose flag is false;
- ``room_id`` on line items (US, from 2026-07-08, "Introducing room_id in Order APIs"):
  an order whose every unit names a LIVE room is a LIVE order (``order_channel`` "LIVE",
  as the export's Order Channel says it); the room IDs are kept in ``platform_fact``;
- ``is_subscription_order`` (US, "Add subscription order tag to Order APIs", 2026-04-21)
  and ``auto_combine_group_id`` (automated order combination, 2026-05-06) are kept in
  ``platform_fact``: a subscription order is a paid sale like any other, and combined
  orders stay one order each (they share a package, not an order ID).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from campaign_core.importers.orders import ParsedOrders
from campaign_core.importers.parsed import Problem
from campaign_core.importers.values import CellError, parse_cents, parse_id
from campaign_core.markets.statuses import normalise_status

_ORDER_MONEY = {  # payment field -> orders column
    "shipping_fee_platform_discount": "shipping_fee_platform_discount_cents",
    "original_shipping_fee": "original_shipping_fee_cents",
    "shipping_fee_seller_discount": "shipping_fee_seller_discount_cents",
    "shipping_fee": "shipping_fee_after_discount_cents",
    "tax": "taxes_cents",
    "total_amount": "order_amount_cents",
    "retail_delivery_fee": "retail_delivery_fee_cents",
}
_SHIPPED = {"shipped", "delivered", "completed"}
_DELIVERED = {"delivered", "completed"}
_NOT_CONTENT = {"lines", "content_hash", "export_stamp"}  # platform_fact IS content


def api_status(raw: str) -> str:
    """``AWAITING_SHIPMENT`` -> ``awaiting_shipment`` (the export's normalised statuses)."""
    return normalise_status((raw or "").replace("_", " "))


def map_orders(payloads: Iterable[dict], source: str = "Open API orders") -> ParsedOrders:
    """Map API order objects to ``ParsedOrders``; an order that cannot be read becomes a
    ``Problem`` (line = its position in the sync, column = the field, raw value, reason)
    and is left out, as a bad export row is."""
    result = ParsedOrders()
    for position, payload in enumerate(payloads, start=1):
        result.rows_read += 1
        try:
            order = _order(payload)
        except _Bad as error:
            result.quarantined_rows += 1
            result.problems.append(Problem(position, error.field, error.raw, error.reason))
            continue
        result.orders[order["order_id"]] = order
        for line in order["lines"]:
            _remember_catalog(result, line)
    paid = [o["paid_utc"] for o in result.orders.values() if o["paid_utc"] is not None]
    result.first_time_utc, result.last_time_utc = min(paid, default=None), max(paid, default=None)
    if source:
        result.notes.append(f"From the {source}.")
    return result


class _Bad(Exception):
    def __init__(self, field: str, raw: object, reason: str):
        super().__init__(reason)
        self.field, self.raw, self.reason = field, "" if raw is None else str(raw)[:200], reason


def _id(payload: dict, field: str, required: bool = True) -> str | None:
    try:
        return parse_id(payload.get(field), required=required)
    except CellError as error:
        raise _Bad(field, payload.get(field), str(error)) from None


def _cents(payload: dict, field: str) -> int:
    raw = payload.get(field)
    if raw is None or raw == "":
        return 0
    try:
        return parse_cents(str(raw)) or 0
    except CellError as error:
        raise _Bad(field, raw, str(error)) from None


def _instant(payload: dict, field: str) -> int | None:
    raw = payload.get(field)
    if raw in (None, "", 0):
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | str) or not str(raw).isdigit():
        raise _Bad(field, raw, "not a Unix time in seconds")
    return int(raw)


def _order(payload: dict) -> dict:
    if not isinstance(payload, dict):
        raise _Bad("order", payload, "not an order object")
    order_id = _id(payload, "id")
    status_raw = str(payload.get("status") or "")
    status = api_status(status_raw)
    payment = payload.get("payment") or {}
    if not isinstance(payment, dict):
        raise _Bad("payment", payment, "not an object")
    paid = _instant(payload, "paid_time") if status != "unpaid" else None
    order = {
        "order_id": order_id, "status": status, "status_raw": status_raw,
        "buyer_key": _id(payload, "user_id", required=False),
        "created_utc": _instant(payload, "create_time"), "paid_utc": paid,
        "shipped_utc": (_instant(payload, "collection_time") or _instant(payload, "rts_time"))
        if status in _SHIPPED else None,
        "delivered_utc": _instant(payload, "delivery_time") if status in _DELIVERED else None,
        "cancelled_utc": _instant(payload, "cancel_time") if status == "cancelled" else None,
        **{column: _cents(payment, field) for field, column in _ORDER_MONEY.items()},
        "order_refund_amount_cents": 0, "payment_platform_discount_cents": 0,
        "substatus_raw": None, "cancel_return_type": None, "creator_handle": None,
        "order_channel": None,
        "fulfillment_type": str(payload.get("fulfillment_type") or "") or None,
    }
    order["lines"] = _lines(payload, order_id, paid)
    if not order["lines"]:
        raise _Bad("line_items", payload.get("line_items"), "the order has no line items")
    order["platform_fact"] = platform_fact(payload)
    if order["platform_fact"]["live_room_ids"] and _every_unit_in_a_room(payload):
        order["order_channel"] = "LIVE"
    _finish(order, payload)
    return order


def _flag(payload: dict, field: str) -> bool:
    value = payload.get(field)
    return value is True or str(value).strip().casefold() == "true"


def platform_fact(payload: dict) -> dict:
    """What an API order says beyond the export's columns (see the module docstring):
    ``replaces_order_id`` and ``replacement_kind`` (``replacement`` / ``exchange`` / None),
    ``is_subscription``, ``combine_group_id``, ``live_room_ids`` (sorted, comma-separated
    or None)."""
    kind, replaces = None, None
    if _flag(payload, "is_replacement_order"):
        kind, replaces = "replacement", payload.get("replaced_order_id")
    elif _flag(payload, "is_exchange_order"):
        kind, replaces = "exchange", payload.get("exchange_source_order_id")
    rooms = sorted({str(item.get("room_id")).strip() for item in payload.get("line_items") or []
                    if isinstance(item, dict) and str(item.get("room_id") or "").strip()})
    return {"replaces_order_id": str(replaces).strip() or None if replaces else None,
            "replacement_kind": kind,
            "is_subscription": int(_flag(payload, "is_subscription_order")),
            "combine_group_id": str(payload.get("auto_combine_group_id") or "").strip() or None,
            "live_room_ids": ",".join(rooms) or None}


def _every_unit_in_a_room(payload: dict) -> bool:
    items = [i for i in payload.get("line_items") or [] if isinstance(i, dict)]
    return bool(items) and all(str(i.get("room_id") or "").strip() for i in items)


def _lines(payload: dict, order_id: str, paid: int | None) -> list[dict]:
    groups: dict[tuple[str, str], dict] = {}
    items = payload.get("line_items") or []
    if not isinstance(items, list):
        raise _Bad("line_items", items, "not a list")
    for item in items:
        if not isinstance(item, dict):
            raise _Bad("line_items", item, "not a line item object")
        line_status_raw = str(item.get("display_status") or payload.get("status") or "")
        key = (item.get("sku_id"), line_status_raw)
        line = groups.get(key)
        if line is None:  # the unit's SKU ID is read once per SKU line, not once per unit
            sku_id = _id(item, "sku_id")
            line_status = api_status(line_status_raw)
            line = groups[key] = {
                "order_id": order_id, "sku_id": sku_id,
                "product_id": _id(item, "product_id", required=False),
                "seller_sku": str(item.get("seller_sku") or "").strip() or None,
                "product_name": str(item.get("product_name") or "").strip() or None,
                "variation": str(item.get("sku_name") or "").strip() or None,
                "quantity": 0, "returned_units": 0,
                "unit_original_price_cents": _cents(item, "original_price"),
                "subtotal_before_cents": 0, "platform_discount_cents": 0,
                "seller_discount_cents": 0, "subtotal_after_cents": 0, "gmv_cents": 0,
                "status": line_status, "status_raw": line_status_raw,
                "is_cancelled": int(line_status == "cancelled"),
            }
        line["quantity"] += 1
        line["subtotal_before_cents"] += _cents(item, "original_price")
        line["platform_discount_cents"] += _cents(item, "platform_discount")
        line["seller_discount_cents"] += _cents(item, "seller_discount")
        line["subtotal_after_cents"] += _cents(item, "sale_price")
    lines = list(groups.values())
    for number, line in enumerate(lines, start=1):
        line["gmv_cents"] = line["subtotal_before_cents"] - line["seller_discount_cents"]
        line["line_no"] = number
    return lines


def _finish(order: dict, payload: dict) -> None:
    """Sample flag, paid time and buyer on the lines, latest event, content hash (as the
    export parser derives them)."""
    lines = order["lines"]
    before = sum(line["subtotal_before_cents"] for line in lines)
    free = before > 0 and all(line["gmv_cents"] <= 0 for line in lines)
    # Not a sale: a free sample, or a replacement / exchange of a paid order.
    replaces = order["platform_fact"]["replacement_kind"] is not None
    order["is_sample"] = int(_flag(payload, "is_sample_order") or free or replaces)
    for line in lines:
        line.update(paid_utc=order["paid_utc"], is_sample=order["is_sample"],
                    buyer_key=order["buyer_key"])
    events = [order[c] for c in ("created_utc", "paid_utc", "shipped_utc", "delivered_utc",
                                 "cancelled_utc") if order[c] is not None]
    updated = _instant(payload, "update_time")
    order["last_event_utc"] = max(events + ([updated] if updated else []), default=None)
    content = [tuple(v for k, v in order.items() if k not in _NOT_CONTENT)]
    content.extend(tuple(line.values()) for line in lines)
    order["content_hash"] = hashlib.sha256(repr(content).encode()).hexdigest()


def _remember_catalog(result: ParsedOrders, line: dict) -> None:
    product_id = line["product_id"]
    if product_id:
        result.products[product_id] = {"product_id": product_id, "name": line["product_name"],
                                       "category": None}
    result.skus[line["sku_id"]] = {
        "sku_id": line["sku_id"], "product_id": product_id, "seller_sku": line["seller_sku"],
        "product_name": line["product_name"], "variation": line["variation"]}
