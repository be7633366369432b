"""Schema of the store, versioned by ``PRAGMA user_version`` with forward-only migrations.

Conventions: IDs from TikTok are TEXT (they exceed 2^53); instants are INTEGER Unix seconds
in UTC; money is INTEGER hundredths of the currency unit ("cents"), so totals are exact.
Recipient, phone, address and buyer message are never stored: there are no columns for them.

To change the schema, append a function to ``MIGRATIONS``; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import sqlite_utils

from campaign_core.store.errors import StoreVersionError

_MONEY = int
_INSTANT = int


def _v1_foundation(db: sqlite_utils.Database) -> None:
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["meta"].insert({"key": "data_version", "value": "0"})
    db["shop"].create(
        {"shop_id": int, "name": str, "timezone": str, "currency": str, "created_utc": _INSTANT},
        pk="shop_id", not_null={"name", "timezone", "currency"},
    )
    db["shop"].create_index(["name"], unique=True)
    db["campaign"].create(
        {"campaign_id": int, "shop_id": int, "name": str, "start_day": str, "end_day": str,
         # NULL timezone: the campaign follows its shop's timezone.
         "timezone": str, "gmv_target_cents": _MONEY},
        pk="campaign_id", foreign_keys=[("shop_id", "shop", "shop_id")],
        not_null={"shop_id", "name", "start_day", "end_day"},
    )
    db["campaign"].create_index(["name"], unique=True)
    db["sub_campaign"].create(
        {"sub_campaign_id": int, "campaign_id": int, "name": str, "kind": str,
         "start_utc": _INSTANT, "end_utc": _INSTANT},
        pk="sub_campaign_id", foreign_keys=[("campaign_id", "campaign", "campaign_id")],
        not_null={"campaign_id", "name"},
    )
    db["product"].create(
        {"shop_id": int, "product_id": str, "name": str, "category": str},
        pk=("shop_id", "product_id"), foreign_keys=[("shop_id", "shop", "shop_id")],
    )
    db["sku"].create(
        {"shop_id": int, "sku_id": str, "product_id": str, "seller_sku": str,
         "product_name": str, "variation": str},
        pk=("shop_id", "sku_id"), foreign_keys=[("shop_id", "shop", "shop_id")],
    )
    db["import_log"].create(
        {"import_id": int, "shop_id": int, "file_name": str, "sha256": str, "kind": str,
         "status": str, "message": str, "rows_read": int, "rows_stored": int,
         "rows_quarantined": int, "orders_new": int, "orders_updated": int,
         "orders_unchanged": int, "orders_kept_newer": int, "first_time_utc": _INSTANT,
         "last_time_utc": _INSTANT, "started_utc": _INSTANT, "finished_utc": _INSTANT},
        pk="import_id",
    )
    db["quarantine"].create(
        {"quarantine_id": int, "import_id": int, "file_name": str, "file_line": int,
         "column_name": str, "raw_value": str, "reason": str},
        pk="quarantine_id", foreign_keys=[("import_id", "import_log", "import_id")],
    )
    db["quarantine"].create_index(["import_id"])
    _create_order_tables(db)


def _create_order_tables(db: sqlite_utils.Database) -> None:
    db["orders"].create(
        {"shop_id": int, "order_id": str, "status": str, "status_raw": str,
         "substatus_raw": str, "cancel_return_type": str,
         "created_utc": _INSTANT, "paid_utc": _INSTANT, "shipped_utc": _INSTANT,
         "delivered_utc": _INSTANT, "cancelled_utc": _INSTANT,
         # The latest event time in the export: a stored order newer than an incoming
         # one is kept, so importing an old export after a new one loses nothing.
         "last_event_utc": _INSTANT, "export_stamp": str,
         "buyer_key": str, "is_sample": int,
         "shipping_fee_platform_discount_cents": _MONEY, "original_shipping_fee_cents": _MONEY,
         "shipping_fee_seller_discount_cents": _MONEY,
         "shipping_fee_after_discount_cents": _MONEY, "taxes_cents": _MONEY,
         "order_amount_cents": _MONEY, "order_refund_amount_cents": _MONEY,
         "payment_platform_discount_cents": _MONEY, "retail_delivery_fee_cents": _MONEY,
         "creator_handle": str, "order_channel": str, "fulfillment_type": str,
         "content_hash": str, "import_id": int},
        pk=("shop_id", "order_id"), foreign_keys=[("shop_id", "shop", "shop_id")],
        not_null={"shop_id", "order_id"},
    )
    db["orders"].create_index(["shop_id", "paid_utc"])
    db["order_line"].create(
        {"shop_id": int, "order_id": str, "line_no": int, "sku_id": str, "product_id": str,
         "seller_sku": str, "product_name": str, "variation": str, "quantity": int,
         "returned_units": int, "unit_original_price_cents": _MONEY,
         "subtotal_before_cents": _MONEY, "platform_discount_cents": _MONEY,
         "seller_discount_cents": _MONEY, "subtotal_after_cents": _MONEY,
         # GMV as DESIGN.md defines it, fixed at import: before discount - seller discount.
         "gmv_cents": _MONEY, "status": str, "status_raw": str, "is_cancelled": int,
         # Copied from the order so window queries read one covering index.
         "paid_utc": _INSTANT, "is_sample": int, "buyer_key": str},
        pk=("shop_id", "order_id", "line_no"),
        foreign_keys=[(("shop_id", "order_id"), "orders", ("shop_id", "order_id"))],
        not_null={"shop_id", "order_id", "line_no"},
    )
    db.execute(
        "CREATE INDEX idx_order_line_window ON order_line (shop_id, paid_utc, is_sample, "
        "order_id, sku_id, quantity, gmv_cents, platform_discount_cents, returned_units, "
        "is_cancelled, buyer_key)"
    )


def _v2_overview(db: sqlite_utils.Database) -> None:
    """Benchmarks, sub-campaign SKUs, shop category and tier, product listing status."""
    db["shop"].add_column("category", str)
    db["shop"].add_column("gmv_tier", str)
    db["benchmark"].create(
        {"day": str, "metric": str, "category": str, "gmv_tier": str, "value": float,
         "import_id": int},
        pk=("day", "metric", "category", "gmv_tier"),
        not_null={"day", "metric", "category", "gmv_tier"},
    )
    db["sub_campaign"].create_index(["campaign_id"])
    db["sub_campaign_sku"].create(
        {"sub_campaign_id": int, "sku_id": str}, pk=("sub_campaign_id", "sku_id"),
        foreign_keys=[("sub_campaign_id", "sub_campaign", "sub_campaign_id")],
    )
    db["product"].add_column("listing_status", str)  # active / in_review / suspended / ...
    db["product"].add_column("listing_status_raw", str)
    db["product"].add_column("listing_updated_utc", int)


def _v3_products(db: sqlite_utils.Database) -> None:
    """Product analytics, stock snapshots, restock plans, unit costs, the ad shortlist."""
    db["product_traffic"].create(
        # One row per product, export period and channel ("all" for the product's totals):
        # a multi-day export is a fact about its whole period, never spread over days.
        {"shop_id": int, "product_id": str, "period_start": str, "period_end": str,
         "channel": str, "impressions": int, "clicks": int, "unique_impressions": int,
         "unique_clicks": int, "add_to_cart_users": int, "add_to_cart_count": int,
         "orders": int, "sku_orders": int, "units": int, "gmv_cents": _MONEY,
         "refunds_cents": _MONEY, "items_refunded": int, "customers": int, "import_id": int},
        pk=("shop_id", "product_id", "period_start", "period_end", "channel"),
        not_null={"shop_id", "product_id", "period_start", "period_end", "channel"},
    )
    db["stock_snapshot"].create(
        {"shop_id": int, "sku_id": str, "as_of_utc": _INSTANT, "available": int,
         "reserved": int, "inbound": int, "source": str, "import_id": int},
        pk=("shop_id", "sku_id", "as_of_utc"), not_null={"shop_id", "sku_id", "as_of_utc"},
    )
    db["restock_plan"].create(
        {"plan_id": int, "shop_id": int, "sku_id": str, "quantity": int, "expected_day": str,
         "created_utc": _INSTANT, "note": str},
        pk="plan_id", not_null={"shop_id", "sku_id", "quantity"},
    )
    db["sku_cost"].create(
        # A cost applies from its valid-from day on, so past profit never changes silently.
        {"shop_id": int, "sku_id": str, "valid_from": str, "unit_cost_cents": _MONEY,
         "currency": str, "import_id": int},
        pk=("shop_id", "sku_id", "valid_from"), not_null={"shop_id", "sku_id", "valid_from"},
    )
    db["ad_shortlist"].create(
        {"shop_id": int, "product_id": str, "added_utc": _INSTANT, "note": str},
        pk=("shop_id", "product_id"),
    )
    db.execute("CREATE INDEX idx_order_line_sku ON order_line (shop_id, sku_id, paid_utc)")


def _v4_content(db: sqlite_utils.Database) -> None:
    """Affiliate order lines, content (videos and LIVEs), linked accounts, content flags,
    the creator shortlist and the content ad shortlist."""
    db["affiliate_line"].create(
        # One row per order SKU the affiliate orders export attributes to a creator. The
        # line's GMV is the order line's (order_line.gmv_cents); the amounts here are the
        # export's own, kept for commission and for lines whose order is not imported.
        {"shop_id": int, "order_id": str, "sku_id": str, "product_id": str,
         "product_name": str, "creator": str, "creator_region": str,
         "content_type_raw": str,
         # video | live | card (showcase, product card, link share, anything else)
         "content_kind": str, "content_id": str, "order_status_raw": str,
         "is_ineligible": int, "quantity": int, "price_cents": _MONEY,
         "payment_amount_cents": _MONEY, "currency": str, "fully_returned": int,
         "commission_model": str, "standard_rate": float, "shop_ads_rate": float,
         "est_commission_base_cents": _MONEY, "est_standard_cents": _MONEY,
         "actual_commission_base_cents": _MONEY, "actual_standard_cents": _MONEY,
         "est_shop_ads_cents": _MONEY, "actual_shop_ads_cents": _MONEY,
         "est_bonus_cents": _MONEY, "actual_bonus_cents": _MONEY,
         # Per DESIGN.md: each part actual if > 0 else estimated, summed; 0 when Ineligible.
         "commission_cents": _MONEY,
         "created_utc": _INSTANT, "paid_utc": _INSTANT, "delivered_utc": _INSTANT,
         "commission_paid_utc": _INSTANT, "platform": str, "import_id": int},
        pk=("shop_id", "order_id", "sku_id"), not_null={"shop_id", "order_id", "sku_id"},
    )
    db["affiliate_line"].create_index(["shop_id", "paid_utc"])
    db["affiliate_line"].create_index(["shop_id", "content_id"])
    db["affiliate_line"].create_index(["shop_id", "creator"])
    db["content"].create(
        # A video or LIVE session, from any export that names it (video list, LIVE list,
        # Affiliate Center Video Data, affiliate orders, the Open API).
        {"shop_id": int, "content_id": str, "kind": str,  # video | live
         "title": str, "creator": str,
         "posted_utc": _INSTANT,  # video post time, LIVE start
         "ended_utc": _INSTANT,  # LIVE end
         "is_key_live": int, "source": str, "import_id": int},
        pk=("shop_id", "content_id"), not_null={"shop_id", "content_id", "kind"},
    )
    db["content"].create_index(["shop_id", "kind", "posted_utc"])
    db["linked_account"].create(
        # The shop's own TikTok accounts: their content counts as "own", never affiliate.
        {"shop_id": int, "handle": str, "added_utc": _INSTANT},
        pk=("shop_id", "handle"),
    )
    db["content_violation"].create(
        {"violation_id": int, "shop_id": int, "content_id": str, "violation_type": str,
         "occurred_utc": _INSTANT, "source": str, "import_id": int},
        pk="violation_id", not_null={"shop_id", "content_id"},
    )
    db["content_violation"].create_index(["shop_id", "content_id", "violation_type",
                                          "occurred_utc"], unique=True)
    db["creator_shortlist"].create(
        # "Re-collaborate": creators to contact again; the creator pipeline reads it.
        {"shop_id": int, "creator": str, "added_utc": _INSTANT, "content_id": str,
         "note": str},
        pk=("shop_id", "creator"),
    )
    db["content_ad_shortlist"].create(
        {"shop_id": int, "content_id": str, "added_utc": _INSTANT, "note": str},
        pk=("shop_id", "content_id"),
    )


def _v5_marketing(db: sqlite_utils.Database) -> None:
    """Ad reports and traffic by channel (filled in by the marketing work)."""


def _v6_creators(db: sqlite_utils.Database) -> None:
    """Settlement rows, creator deals and samples, fees, experiments (creators work)."""


def _v7_realtime(db: sqlite_utils.Database) -> None:
    """Sync state, alert rules and the alert log (real-time work)."""


def _v8_rollups(db: sqlite_utils.Database) -> None:
    """Rollup tables maintained on import (performance work)."""


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _v1_foundation, _v2_overview, _v3_products, _v4_content, _v5_marketing, _v6_creators,
    _v7_realtime, _v8_rollups,
]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection) -> int:
    """Apply the migrations the store lacks, each in its own transaction; return the version.

    Raises ``StoreVersionError`` when the store was written by a newer version.
    """
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreVersionError(
            f"The store has schema version {version}, newer than this program's "
            f"{SCHEMA_VERSION}: update the dashboard."
        )
    db = sqlite_utils.Database(conn)
    for number in range(version, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[number](db)
            conn.execute(f"PRAGMA user_version = {number + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return SCHEMA_VERSION
