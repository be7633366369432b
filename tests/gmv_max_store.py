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


def add_affiliate(conn, order: str, sku: str, commission_cents: int, paid_utc: int,
                  creator: str = "mia") -> None:
    conn.execute(
        "INSERT INTO affiliate_line (shop_id, order_id, sku_id, creator, content_kind, "
        "commission_cents, paid_utc, quantity) VALUES (1, :order, :sku, :creator, 'video', "
        ":commission, :paid, 1)",
        {"order": order, "sku": sku, "creator": creator, "commission": commission_cents,
         "paid": paid_utc})


def add_creative(conn, campaign: str, product: str, cost_cents: int, revenue_cents: int,
                 start: str, end: str, account: str = "") -> None:
    conn.execute(
        "INSERT INTO ad_creative_period (shop_id, account_id, campaign_id, product_id, "
        "video_id, cost_cents, gross_revenue_cents, period_start, period_end) VALUES (1, "
        ":account, :campaign, :product, '', :cost, :revenue, :start, :end)",
        {"account": account, "campaign": campaign, "product": product, "cost": cost_cents,
         "revenue": revenue_cents, "start": start, "end": end})


def add_campaign_day(conn, campaign: str, day: str, cost_cents: int, revenue_cents: int,
                     orders: int, target_roi: float | None = None,
                     account: str = "") -> None:
    conn.execute(
        "INSERT INTO ad_campaign_period (shop_id, account_id, campaign_id, campaign_name, "
        "period_start, period_end, cost_cents, sku_orders, gross_revenue_cents, target_roi) "
        "VALUES (1, :account, :campaign, :campaign, :day, :day, :cost, :orders, :revenue, "
        ":target)",
        {"account": account, "campaign": campaign, "day": day, "cost": cost_cents,
         "orders": orders, "revenue": revenue_cents, "target": target_roi})
