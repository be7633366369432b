"""Tiny hand-built stores for the fee, break-even, GMV Max and holdout tests: rows written
with plain SQL so every figure in a test can be computed by hand."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from campaign_core.store import write_transaction
from campaign_core.store.connection import ensure_store


def new_store(tmp_path: Path, timezone: str = "America/Los_Angeles",
              currency: str = "USD") -> Path:
    db = ensure_store(tmp_path / "fees.db")
    with write_transaction(db) as conn:
        conn.execute("INSERT INTO shop (shop_id, name, timezone, currency) VALUES "
                     "(1, 'Shop', :tz, :cur)", {"tz": timezone, "cur": currency})
    return db


def instant(day: str, timezone: str, hour: int = 12) -> int:
    local = datetime.combine(date.fromisoformat(day), datetime.min.time()).replace(
        hour=hour, tzinfo=ZoneInfo(timezone))
    return int(local.timestamp())


def add_line(conn, order: str, sku: str, gmv_cents: int, paid_utc: int, *, quantity: int = 1,
             returned: int = 0, cancelled: int = 0, product: str = "p1",
             line_no: int = 1) -> None:
    conn.execute("INSERT OR IGNORE INTO orders (shop_id, order_id, paid_utc, is_sample) "
                 "VALUES (1, :order, :paid, 0)", {"order": order, "paid": paid_utc})
    conn.execute(
        "INSERT INTO order_line (shop_id, order_id, line_no, sku_id, product_id, quantity, "
        "returned_units, gmv_cents, is_cancelled, paid_utc, is_sample) VALUES (1, :order, "
        ":line, :sku, :product, :quantity, :returned, :gmv, :cancelled, :paid, 0)",
        {"order": order, "line": line_no, "sku": sku, "product": product,
         "quantity": quantity, "returned": returned, "gmv": gmv_cents,
         "cancelled": cancelled, "paid": paid_utc})


def add_product(conn, product: str, category: str | None = None, name: str = "Item") -> None:
    conn.execute("INSERT INTO product (shop_id, product_id, name, category) VALUES "
                 "(1, :product, :name, :category)",
                 {"product": product, "name": name, "category": category})


def settle_fees(conn, key: str, order: str, commission_fee: int, transaction_fee: int) -> None:
    conn.execute(
        "INSERT INTO settlement_line (shop_id, row_key, statement_id, transaction_type, "
        "order_id, platform_commission_cents, transaction_fee_cents, settlement_cents) "
        "VALUES (1, :key, 's1', 'Order', :order, :commission, :transaction, 0)",
        {"key": key, "order": order, "commission": commission_fee,
         "transaction": transaction_fee})
