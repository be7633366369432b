"""Open API affiliate orders (``search seller affiliate orders``) -> the records the
affiliate orders export parser produces (``ParsedAffiliateOrders``), stored by its
classify/write functions and with its commission rule, so both sources count alike.

One record per (order, SKU) the response attributes to a creator. The response names the
product, not always the SKU: a SKU ID is taken from the item when present, else from the
stored order's line of that product when there is exactly one; an item whose SKU cannot be
told is left out and counted (sync orders first, then affiliate orders: ``sync_all`` does).
Amounts are ``{"amount": "12.50", "currency": "USD"}``; rates are in hundredths of a
percent ("1000" = 10%); times are Unix seconds.

Creators: ``creator_username`` is the handle the exports use. The 202509 API names a
creator by ``creator_open_id``: an item naming both teaches the mapping
(``store.creator_identity``); an item naming only the Open ID takes the mapped handle, else
is stored under the Open ID until the mapping is learned (then renamed).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from campaign_core.importers.affiliate_orders import (
    ParsedAffiliateOrders,
    content_kind_of,
    line_commission_cents,
)
from campaign_core.importers.values import CellError, parse_cents, parse_id
from campaign_core.store.creator_identity import handle_for, learn_identity

_MONEY = {  # API field -> column
    "estimated_commission_base": "est_commission_base_cents",
    "estimated_paid_commission": "est_standard_cents",
    "actual_commission_base": "actual_commission_base_cents",
    "actual_paid_commission": "actual_standard_cents",
    "estimated_paid_shop_ads_commission": "est_shop_ads_cents",
    "actual_paid_shop_ads_commission": "actual_shop_ads_cents",
    "estimated_cofunded_creator_bonus_amount": "est_bonus_cents",
    "actual_cofunded_creator_bonus_amount": "actual_bonus_cents",
}


@dataclass
class AffiliateMapping:
    parsed: ParsedAffiliateOrders
    unresolved: int = 0  # items whose SKU could not be told
    unmapped_open_ids: int = 0  # items stored under a Creator Open ID with no handle yet


def _money(value: object) -> int | None:
    amount = value.get("amount") if isinstance(value, dict) else value
    if amount in (None, ""):
        return None
    try:
        return parse_cents(str(amount))
    except CellError:
        return None


def _rate(raw: object) -> float | None:
    try:
        return int(str(raw)) / 100 if raw not in (None, "") else None
    except ValueError:
        return None


def _instant(raw: object) -> int | None:
    return int(raw) if isinstance(raw, int | str) and str(raw).isdigit() else None


def map_affiliate_orders(conn: sqlite3.Connection, shop_id: int,
                         orders: Iterable[dict]) -> AffiliateMapping:
    """Records for ``affiliate_line``; reads the store (order lines) to tell SKUs."""
    result = AffiliateMapping(ParsedAffiliateOrders())
    parsed = result.parsed
    orders = list(orders)
    for order in orders:  # first every mapping the sync teaches, then the records
        for item in (order.get("skus") or []) if isinstance(order, dict) else []:
            if isinstance(item, dict):
                _learn_creator(conn, shop_id, item)
    for position, order in enumerate(orders, start=1):
        parsed.rows_read += 1
        try:
            order_id = parse_id(order.get("id"))
        except (CellError, AttributeError):
            parsed.quarantined_rows += 1
            continue
        for item in order.get("skus") or []:
            sku_id = _sku_of(conn, shop_id, order_id, item)
            if sku_id is None:
                result.unresolved += 1
                continue
            parsed.lines[(order_id, sku_id)] = record = _record(conn, shop_id, order_id,
                                                                sku_id, order, item)
            if record["creator"] and record["creator"] == _open_id(item):
                result.unmapped_open_ids += 1
            parsed.file_lines[(order_id, sku_id)] = position
    return result


def _open_id(item: dict) -> str | None:
    return str(item.get("creator_open_id") or "").strip() or None


def _learn_creator(conn: sqlite3.Connection, shop_id: int, item: dict) -> None:
    handle = str(item.get("creator_username") or "").strip()
    open_id = _open_id(item)
    if handle and open_id and handle_for(conn, shop_id, open_id) != handle.lstrip("@"):
        learn_identity(conn, shop_id, open_id, handle, "Open API affiliate orders")


def _creator(conn: sqlite3.Connection, shop_id: int, item: dict) -> str | None:
    handle = str(item.get("creator_username") or "").strip()
    if handle:
        return handle
    open_id = _open_id(item)
    return (handle_for(conn, shop_id, open_id) or open_id) if open_id else None


def _sku_of(conn: sqlite3.Connection, shop_id: int, order_id: str, item: dict) -> str | None:
    if item.get("sku_id"):
        return str(item["sku_id"])
    found = conn.execute(
        "SELECT DISTINCT sku_id FROM order_line WHERE shop_id = :shop_id AND "
        "order_id = :order_id AND product_id = :product_id",
        {"shop_id": shop_id, "order_id": order_id,
         "product_id": str(item.get("product_id") or "")}).fetchall()
    return found[0][0] if len(found) == 1 else None


def _record(conn: sqlite3.Connection, shop_id: int, order_id: str, sku_id: str, order: dict,
            item: dict) -> dict:
    status = str(order.get("status") or "")
    ineligible = status.casefold() == "ineligible"
    money = {column: _money(item.get(field)) for field, column in _MONEY.items()}
    quantity = int(item.get("quantity") or 0)
    returned = int(item.get("returned_quantity") or item.get("refunded_quantity") or 0)
    price = item.get("price") if isinstance(item.get("price"), dict) else {}
    paid = conn.execute("SELECT MAX(paid_utc) FROM order_line WHERE shop_id = :shop_id AND "
                        "order_id = :order_id", {"shop_id": shop_id,
                                                 "order_id": order_id}).fetchone()[0]
    content_type = str(item.get("content_type") or "")
    return {
        "order_id": order_id, "sku_id": sku_id,
        "product_id": str(item.get("product_id") or "") or None, "product_name": None,
        "creator": _creator(conn, shop_id, item), "creator_region": None,
        "content_type_raw": content_type or None, "content_kind": content_kind_of(content_type),
        "content_id": str(item.get("content_id") or "") or None,
        "order_status_raw": status or None, "is_ineligible": int(ineligible),
        "quantity": quantity, "price_cents": _money(price), "payment_amount_cents": None,
        "currency": price.get("currency"),
        "fully_returned": int(quantity > 0 and returned >= quantity),
        "commission_model": item.get("commission_model"),
        "standard_rate": _rate(item.get("commission_rate")),
        "shop_ads_rate": _rate(item.get("shop_ads_commission_rate")),
        **money, "commission_cents": line_commission_cents(money, ineligible),
        "created_utc": _instant(order.get("create_time")), "paid_utc": paid,
        "delivered_utc": _instant(order.get("delivery_time")), "commission_paid_utc": None,
    }
