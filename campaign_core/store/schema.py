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
    # Affiliate rows find their order lines by (order, SKU): metrics/content.py joins on it.
    db.execute("CREATE INDEX idx_order_line_order_sku ON order_line (shop_id, order_id, sku_id)")
    db["content"].create(
        # A video or LIVE session, from any export that names it (video list, LIVE list,
        # Affiliate Center Video Data, affiliate orders, the Open API).
        {"shop_id": int, "content_id": str, "kind": str,  # video | live
         "title": str, "creator": str,
         "posted_utc": _INSTANT,  # video post time, LIVE start
         "ended_utc": _INSTANT,  # LIVE end
         "is_key_live": int, "source": str, "import_id": int,
         # 1 once the seller's own video list or LIVE list named it: with no affiliate
         # row for it, such content is the shop's own (metrics/content.py).
         "seller_listed": int},
        pk=("shop_id", "content_id"), not_null={"shop_id", "content_id", "kind"},
    )
    db["content"].create_index(["shop_id", "kind", "posted_utc"])
    db["content_stats"].create(
        # Per content and export period, as the video / LIVE exports report it (like
        # product_traffic: a multi-day export is a fact about its whole period).
        {"shop_id": int, "content_id": str, "period_start": str, "period_end": str,
         "source": str, "views": int, "likes": int, "comments": int, "shares": int,
         "viewers": int, "product_impressions": int, "product_clicks": int,
         "sku_orders": int, "orders": int, "units": int, "gmv_cents": _MONEY,
         "import_id": int},
        pk=("shop_id", "content_id", "period_start", "period_end", "source"),
        not_null={"shop_id", "content_id", "period_start", "period_end", "source"},
    )
    db["creator_stats"].create(
        # Affiliate Center > Creator Data, per creator and export period (empty: unstated).
        {"shop_id": int, "creator": str, "period_start": str, "period_end": str,
         "gmv_cents": _MONEY, "video_gmv_cents": _MONEY, "live_gmv_cents": _MONEY,
         "card_gmv_cents": _MONEY, "refunds_cents": _MONEY, "orders": int, "units": int,
         "items_refunded": int, "videos": int, "lives": int, "est_commission_cents": _MONEY,
         "samples_shipped": int, "product_impressions": int, "video_views": int,
         "customers": int, "import_id": int},
        pk=("shop_id", "creator", "period_start", "period_end"),
        not_null={"shop_id", "creator", "period_start", "period_end"},
    )
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
    """Ad accounts, ad reports (GMV Max campaign and creative periods, Ads Manager days and
    hours) and traffic by channel. Ad money is in the ad account's currency, kept per row."""
    db["ad_account"].create(
        # An ad report that names no account belongs to account_id '' (the unnamed one).
        {"shop_id": int, "account_id": str, "name": str, "currency": str, "is_primary": int},
        pk=("shop_id", "account_id"), not_null={"shop_id", "account_id"},
    )
    db["ad_campaign_period"].create(
        # GMV Max campaign report: one row per campaign and export period (days as text).
        {"shop_id": int, "account_id": str, "campaign_id": str, "campaign_name": str,
         "period_start": str, "period_end": str, "cost_cents": _MONEY,
         "net_cost_cents": _MONEY, "sku_orders": int, "gross_revenue_cents": _MONEY,
         "live_views": int, "currency": str, "import_id": int},
        pk=("shop_id", "account_id", "campaign_id", "period_start", "period_end"),
        not_null={"shop_id", "account_id", "campaign_id", "period_start", "period_end"},
    )
    db["ad_creative_period"].create(
        # GMV Max creative/product report: one row per campaign, product and creative
        # (video_id '' for a product card creative) and export period.
        {"shop_id": int, "account_id": str, "campaign_id": str, "campaign_name": str,
         "product_id": str, "video_id": str, "creative_type": str, "video_title": str,
         "tiktok_account": str, "posted_utc": _INSTANT, "status": str,
         "authorization_type": str, "cost_cents": _MONEY, "sku_orders": int,
         "gross_revenue_cents": _MONEY, "impressions": int, "clicks": int,
         "currency": str, "period_start": str, "period_end": str, "import_id": int},
        pk=("shop_id", "account_id", "campaign_id", "product_id", "video_id",
            "period_start", "period_end"),
        not_null={"shop_id", "account_id", "campaign_id", "product_id", "video_id",
                  "period_start", "period_end"},
    )
    db["ad_creative_period"].create_index(["shop_id", "video_id"])
    db["ad_creative_period"].create_index(["shop_id", "tiktok_account"])
    db["ad_day"].create(
        # Ads Manager custom report, By Day (hour NULL) or by hour (0-23, start_utc the
        # hour's first instant); row_key names the report's row: ad, else ad group, else
        # campaign. Deduplicated by the writer on (shop, account, day, hour, row_key).
        {"ad_day_id": int, "shop_id": int, "account_id": str, "day": str, "hour": int,
         "start_utc": _INSTANT, "row_key": str, "campaign_id": str, "campaign_name": str,
         "ad_group_id": str, "ad_group_name": str, "ad_id": str, "ad_name": str,
         "cost_cents": _MONEY, "impressions": int, "clicks": int, "purchases": int,
         "gross_revenue_cents": _MONEY, "adds_to_cart": int, "checkouts": int,
         "product_page_views": int, "items_purchased": int, "currency": str,
         "import_id": int},
        pk="ad_day_id", not_null={"shop_id", "account_id", "day", "row_key"},
    )
    db["ad_day"].create_index(["shop_id", "account_id", "day", "hour", "row_key"])
    db["traffic_channel"].create(
        # The traffic-by-channel template: one row per day (hour NULL) or hour, and channel.
        {"traffic_id": int, "shop_id": int, "day": str, "hour": int, "start_utc": _INSTANT,
         # channel: the normalised key (live, video, product_card...); channel_name: as
         # the file writes it, shown and reported.
         "channel": str, "channel_name": str, "impressions": int, "clicks": int,
         "unique_reach": int, "unique_clicks": int, "sku_orders": int, "source": str,
         "import_id": int},
        pk="traffic_id", not_null={"shop_id", "day", "channel"},
    )
    db["traffic_channel"].create_index(["shop_id", "day", "hour", "channel"])


def _v6_creators(db: sqlite_utils.Database) -> None:
    """Settlement rows, creator deals and samples, fees, experiments (creators work)."""
    db["settlement_line"].create(
        # One row of the income export. The same Order/Adjustment ID may head several rows
        # and all count, so the key is the row's content plus its occurrence number among
        # identical rows of the file: re-importing (or an overlapping export) adds nothing.
        {"shop_id": int, "row_key": str, "statement_id": str, "transaction_type": str,
         # The order the row settles: Related order ID, else Order/Adjustment ID.
         "order_id": str, "related_order_id": str,
         "settled_utc": _INSTANT, "order_created_utc": _INSTANT, "currency": str,
         "total_revenue_cents": _MONEY, "subtotal_after_seller_discounts_cents": _MONEY,
         "refund_subtotal_cents": _MONEY, "total_fees_cents": _MONEY,
         "transaction_fee_cents": _MONEY, "platform_commission_cents": _MONEY,
         "seller_shipping_fee_cents": _MONEY, "affiliate_commission_cents": _MONEY,
         "affiliate_shop_ads_commission_cents": _MONEY, "gmv_max_ad_fee_cents": _MONEY,
         "adjustment_cents": _MONEY, "settlement_cents": _MONEY, "import_id": int},
        pk=("shop_id", "row_key"), not_null={"shop_id", "row_key", "statement_id"},
    )
    db["settlement_line"].create_index(["shop_id", "order_id"])
    db["creator_deal"].create(
        # One collaboration of a creator in a campaign (campaign by name: names are unique
        # and a deal outlives a campaign rebuilt under the same name). Days are shop-local
        # ISO days; content_due overrides the rule (sample delivered + 14, + 7 extended).
        {"deal_id": int, "shop_id": int, "creator": str, "campaign": str,
         "outreach_day": str, "accepted_day": str, "sample_shipped_day": str,
         "sample_delivered_day": str, "brief_sent_day": str, "content_due_day": str,
         "posted_day": str, "cancelled_day": str, "extension": int,
         "flat_fee_cents": _MONEY, "retainer_cents": _MONEY, "commission_rate": float,
         "posted_content_id": str, "notes": str, "source": str, "import_id": int,
         "updated_utc": _INSTANT},
        pk="deal_id", not_null={"shop_id", "creator", "campaign"},
    )
    db["creator_deal"].create_index(["shop_id", "creator", "campaign"], unique=True)
    db["sample_shipment"].create(
        {"shop_id": int, "creator": str, "sku_id": str, "shipped_day": str, "units": int,
         "shipping_cost_cents": _MONEY, "campaign": str, "import_id": int},
        pk=("shop_id", "creator", "sku_id", "shipped_day"),
        not_null={"shop_id", "creator", "sku_id", "shipped_day"},
    )
    db["creator_fee"].create(
        # Flat fees and retainers paid outside TikTok, each on its day.
        {"shop_id": int, "creator": str, "fee_day": str, "kind": str,  # flat_fee | retainer
         "amount_cents": _MONEY, "campaign": str, "note": str, "import_id": int},
        pk=("shop_id", "creator", "fee_day", "kind"),
        not_null={"shop_id", "creator", "fee_day", "kind"},
    )
    db["experiment"].create(
        {"experiment_id": int, "shop_id": int, "name": str,
         "varies": str,  # hook | cta | offer | creator_segment | listing | creator | other
         "metric": str,  # ctr | ctor | conversion
         "planned_split": str,  # "50/50", in the order of ``variants``
         "variants": str,  # "A/B": the first is the control
         "mde_pp": float,  # minimum detectable effect, absolute, in percentage points
         "baseline_rate_pct": float, "planned_looks": int, "notes": str,
         "created_utc": _INSTANT},
        pk="experiment_id", not_null={"shop_id", "name"},
    )
    db["experiment"].create_index(["shop_id", "name"], unique=True)
    db["experiment_day"].create(
        {"experiment_id": int, "variant": str, "day": str, "exposures": int,
         "conversions": int, "import_id": int},
        pk=("experiment_id", "variant", "day"),
        foreign_keys=[("experiment_id", "experiment", "experiment_id")],
    )


def _v7_realtime(db: sqlite_utils.Database) -> None:
    """Sync state, alert rules and the alert log (real-time work)."""
    db["sync_run"].create(
        # One Open API pull of one kind (orders, affiliate_orders, inventory). The cursor
        # is the newest update_time seen: the next incremental pull starts from it, less a
        # lookback, so late-arriving updates are not missed.
        {"run_id": int, "shop_id": int, "kind": str, "started_utc": _INSTANT,
         "finished_utc": _INSTANT, "status": str,  # running / ok / failed
         "records": int, "pages": int, "message": str, "cursor_utc": _INSTANT,
         "import_id": int},
        pk="run_id", not_null={"kind", "started_utc", "status"},
    )
    db["sync_run"].create_index(["kind", "status", "finished_utc"])
    db["alert_rule"].create(
        # kind: pacing_below / stock_sellout / creator_overdue / roas_below /
        # gmv_hour_below / import_failed; threshold: a percentage, days or a ratio by kind.
        {"rule_id": int, "shop_id": int, "kind": str, "threshold": float,
         "channel": str,  # log / slack / email / slack+email
         "cooldown_minutes": int, "enabled": int, "created_utc": _INSTANT},
        pk="rule_id", not_null={"kind", "channel", "enabled"},
    )
    db["alert_event"].create(
        # The alert log, and the memory behind the cool-down: the same (rule, key) is not
        # delivered again until the rule's cool-down has passed.
        {"event_id": int, "rule_id": int, "shop_id": int, "alert_key": str,
         "fired_utc": _INSTANT, "severity": str, "message": str, "channel": str,
         "delivered": int, "error": str},
        pk="event_id", not_null={"alert_key", "fired_utc", "message"},
    )
    db["alert_event"].create_index(["rule_id", "alert_key", "fired_utc"])
    db["digest_setting"].create(
        # The daily digest of a shop: sent once a day at send_at (HH:MM shop time).
        {"shop_id": int, "send_at": str, "channel": str, "enabled": int,
         "last_sent_day": str},
        pk="shop_id",
    )


def _v8_rollups(db: sqlite_utils.Database) -> None:
    """Rollup tables maintained on import (performance work): ``rollup_hour`` (see
    ``campaign_core.rollups``), and narrow covering indexes for what does not add up over
    hours: distinct buyers, and refunds (a float per line, summed in the lines' order)."""
    from campaign_core.rollups.hourly import rebuild_v8_tables

    db.execute(
        "CREATE TABLE rollup_hour (shop_id INTEGER NOT NULL, hour_utc INTEGER NOT NULL, "
        "gmv_cents INTEGER NOT NULL, orders INTEGER NOT NULL, sku_orders INTEGER NOT NULL, "
        "units INTEGER NOT NULL, platform_cents INTEGER NOT NULL, lines INTEGER NOT NULL, "
        "shipping_platform_cents INTEGER NOT NULL, PRIMARY KEY (shop_id, hour_utc)) "
        "WITHOUT ROWID")
    # Per hour and (product, SKU) of the lines, and per hour and product: a product's orders
    # are distinct over its SKUs, so they cannot be summed from the SKU rows.
    db.execute(
        "CREATE TABLE rollup_hour_sku (shop_id INTEGER NOT NULL, hour_utc INTEGER NOT NULL, "
        "product_id TEXT, sku_id TEXT NOT NULL, product_name TEXT, "
        "gmv_cents INTEGER NOT NULL, units INTEGER NOT NULL, sku_orders INTEGER NOT NULL, "
        "lines INTEGER NOT NULL)")
    db.execute("CREATE INDEX idx_rollup_hour_sku ON rollup_hour_sku (shop_id, hour_utc)")
    db.execute(
        "CREATE TABLE rollup_hour_product (shop_id INTEGER NOT NULL, hour_utc INTEGER NOT NULL, "
        "product_id TEXT, orders INTEGER NOT NULL)")
    db.execute("CREATE INDEX idx_rollup_hour_product ON rollup_hour_product (shop_id, hour_utc)")
    # Covering: a partial index on is_sample = 0 would still read each row for is_sample.
    db.execute("CREATE INDEX idx_order_line_buyers ON order_line "
               "(shop_id, is_sample, paid_utc, buyer_key)")
    db.execute(
        "CREATE INDEX idx_order_line_refunds ON order_line (shop_id, paid_utc, order_id, "
        "sku_id, quantity, gmv_cents, returned_units, is_cancelled, is_sample, product_id) "
        "WHERE is_cancelled OR returned_units > 0")
    # Any write to the lines or orders outside the importer (a fix-up, a reset, a test) marks
    # its hours dirty: pages read dirty hours from the lines, the next import recomputes them.
    db.execute("CREATE TABLE rollup_dirty (shop_id INTEGER NOT NULL, hour_utc INTEGER NOT NULL, "
               "PRIMARY KEY (shop_id, hour_utc)) WITHOUT ROWID")
    for table in ("order_line", "orders"):
        for event, rows in (("INSERT", ("new",)), ("DELETE", ("old",)),
                            ("UPDATE", ("old", "new"))):
            for row in rows:
                db.execute(
                    f"CREATE TRIGGER rollup_dirty_{table}_{event.lower()}_{row} AFTER {event} "
                    f"ON {table} WHEN {row}.paid_utc IS NOT NULL BEGIN "
                    f"INSERT OR IGNORE INTO rollup_dirty VALUES ({row}.shop_id, "
                    f"{row}.paid_utc / 3600 * 3600); END")
    rebuild_v8_tables(db.conn)


def _v9_day_and_order_rollups(db: sqlite_utils.Database) -> None:
    """Distinct buyers per shop-time day (``campaign_core.rollups.day_buyers``) and orders
    per hour and kind of order (``campaign_core.rollups.order_kinds``)."""
    from campaign_core.rollups.day_buyers import rebuild_days
    from campaign_core.rollups.order_kinds import rebuild as rebuild_order_kinds

    db.execute(
        "CREATE TABLE rollup_day_buyers (shop_id INTEGER NOT NULL, "
        "day_start_utc INTEGER NOT NULL, day_end_utc INTEGER NOT NULL, "
        "buyers INTEGER NOT NULL, lines INTEGER NOT NULL, PRIMARY KEY (shop_id, day_start_utc)) "
        "WITHOUT ROWID")
    # Orders per hour and kind (campaign_core.rollups.order_kinds).
    db.execute(
        "CREATE TABLE rollup_hour_order_kind (shop_id INTEGER NOT NULL, "
        "hour_utc INTEGER NOT NULL, status TEXT NOT NULL, is_returning INTEGER NOT NULL, "
        "has_creator INTEGER NOT NULL, channel TEXT NOT NULL, orders INTEGER NOT NULL, "
        "gmv_cents INTEGER NOT NULL, PRIMARY KEY (shop_id, hour_utc, status, is_returning, "
        "has_creator, channel)) WITHOUT ROWID")
    for (shop_id,) in db.execute("SELECT shop_id FROM shop").fetchall():
        rebuild_days(db.conn, shop_id)
        rebuild_order_kinds(db.conn, shop_id)


def _shop_logo(db: sqlite_utils.Database) -> None:
    """Each shop's logo for page one of the stakeholder report: a PNG redrawn from the
    upload (``campaign_core.stakeholder.logo``), gone with its shop."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS shop_logo (shop_id INTEGER PRIMARY KEY "
        "REFERENCES shop(shop_id) ON DELETE CASCADE, png BLOB NOT NULL, "
        "updated_utc INTEGER NOT NULL)")


def _fx_rates(db: sqlite_utils.Database) -> None:
    """Exchange rates per EUR by day (``campaign_core.fx``): from the ECB's reference-rate
    files or typed in for a period; and workspace settings (the reporting currency)."""
    # The rate stays the text it was published as ("0.85618"): converted exactly, never
    # through a float.
    db.execute(
        "CREATE TABLE IF NOT EXISTS fx_rate (currency TEXT NOT NULL, day TEXT NOT NULL, "
        "per_eur TEXT NOT NULL, source TEXT NOT NULL, import_id INTEGER, "
        "PRIMARY KEY (currency, day)) WITHOUT ROWID")
    db.execute("CREATE TABLE IF NOT EXISTS workspace_setting (key TEXT PRIMARY KEY, "
               "value TEXT NOT NULL)")


def _campaign_shops(db: sqlite_utils.Database) -> None:
    """Campaigns that span shops: the shops a campaign includes besides its own
    (``campaign.shop_id``), each with its own GMV target in its own currency."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS campaign_shop (campaign_id INTEGER NOT NULL "
        "REFERENCES campaign (campaign_id), shop_id INTEGER NOT NULL REFERENCES shop (shop_id), "
        "gmv_target_cents INTEGER, PRIMARY KEY (campaign_id, shop_id)) WITHOUT ROWID")
    db.execute("CREATE INDEX IF NOT EXISTS idx_campaign_shop_shop ON campaign_shop (shop_id)")


def _audit_log(db: sqlite_utils.Database) -> None:
    """Who changed what and when (campaign_core/store/audit.py): imports, syncs, and
    campaign, target, cost and deal edits, written in the change's own transaction."""
    db["audit_log"].create(
        # actor: the signed-in user, or the OS user (command line, local app, inbox);
        # action: import / sync / campaign / target / cost / deal / shop; shop_id NULL for
        # changes of no one shop (store-wide files), shown to admins only.
        {"audit_id": int, "at_utc": _INSTANT, "actor": str, "action": str, "shop_id": int,
         "subject": str, "detail": str},
        pk="audit_id", not_null={"at_utc", "actor", "action"}, if_not_exists=True,
    )
    db["audit_log"].create_index(["shop_id", "at_utc"], if_not_exists=True)


def _platform_changes(db: sqlite_utils.Database) -> None:
    """TikTok Shop's 2025-2026 platform changes (README, Platform changes):

    - ``order_platform_fact``: what the Open API says about an order beyond the export's
      columns: the paid order a replacement or exchange order replaces (such an order is
      stored with ``is_sample = 1``, i.e. "not a sale": no GMV, order, buyer or unit of its
      own), the subscription tag, the automated-combining group and the LIVE room IDs of
      its lines;
    - ``creator_identity``: one creator across the exports' handle and the affiliate
      API's Creator Open ID (202509);
    - ``ad_account.utc_offset_minutes``: the ad account's fixed UTC offset (Ads Manager
      time zones have no daylight saving time); NULL = reports in the shop's timezone;
    - ``ad_campaign_period.roi_basis``: ``net`` when the GMV Max report was in net ROI
      mode, else ``gross`` (NULL for reports imported before);
    - ``shop_score``: the Shop Performance Score, one reading per time.
    """
    db["order_platform_fact"].create(
        {"shop_id": int, "order_id": str, "replaces_order_id": str,
         "replacement_kind": str,  # replacement | exchange | NULL
         "is_subscription": int, "combine_group_id": str,
         "live_room_ids": str},  # the lines' room_id values, comma-separated, sorted
        pk=("shop_id", "order_id"), not_null={"shop_id", "order_id"}, if_not_exists=True,
    )
    db["creator_identity"].create(
        {"shop_id": int, "open_id": str, "handle": str, "source": str,
         "learned_utc": _INSTANT},
        pk=("shop_id", "open_id"), not_null={"shop_id", "open_id", "handle"},
        if_not_exists=True,
    )
    if "utc_offset_minutes" not in db["ad_account"].columns_dict:
        db.execute("ALTER TABLE ad_account ADD COLUMN utc_offset_minutes INTEGER")
    if "roi_basis" not in db["ad_campaign_period"].columns_dict:
        db.execute("ALTER TABLE ad_campaign_period ADD COLUMN roi_basis TEXT")
    db["shop_score"].create(
        {"shop_id": int, "recorded_utc": _INSTANT, "score": float, "source": str},
        pk=("shop_id", "recorded_utc"), not_null={"shop_id", "recorded_utc", "score"},
        if_not_exists=True,
    )


def _campaign_plan(db: sqlite_utils.Database) -> None:
    """The campaign plan beyond GMV (``campaign_core.store.plans``): one target per
    (campaign, metric) with its direction. GMV's target stays ``campaign.gmv_target_cents``.
    Money targets are integer hundredths (``target_cents``), other targets the metric's own
    unit (``target_value``: a percent as 4.5, a ROAS as 3.2, a count)."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS campaign_plan_target (campaign_id INTEGER NOT NULL "
        "REFERENCES campaign (campaign_id) ON DELETE CASCADE, metric TEXT NOT NULL, "
        "target_cents INTEGER, target_value REAL, good_if TEXT NOT NULL "
        "CHECK (good_if IN ('above', 'below')), "
        "CHECK ((target_cents IS NULL) <> (target_value IS NULL)), "
        "PRIMARY KEY (campaign_id, metric)) WITHOUT ROWID")


def _order_first_import(db: sqlite_utils.Database) -> None:
    """``orders.first_import_id``: the import that first brought an order in, kept when a
    later import rewrites it (``import_id`` is the latest). The replay of a past moment
    (``campaign_core.store.replay``) counts an order from its first import. NULL: the same as
    ``import_id`` (every order stored before this column existed)."""
    if "first_import_id" not in db["orders"].columns_dict:
        db.execute("ALTER TABLE orders ADD COLUMN first_import_id INTEGER")


def _gmv_max_economics(db: sqlite_utils.Database) -> None:
    """GMV Max economics: the target ROI a campaign report carries, targets entered by hand,
    the days TikTok's ROI Protection rules exclude, the credits received, and holdouts."""
    # Written to run again over its own tables (a backup test re-runs later migrations).
    if "target_roi" not in db["ad_campaign_period"].columns_dict:
        db["ad_campaign_period"].add_column("target_roi", float)
    db["gmv_max_target"].create(
        # A campaign's target ROI from a day on (ad account's days), until the next one.
        {"shop_id": int, "account_id": str, "campaign_id": str, "valid_from": str,
         "target_roi": float, "source": str, "entered_utc": _INSTANT},
        pk=("shop_id", "account_id", "campaign_id", "valid_from"),
        not_null={"shop_id", "account_id", "campaign_id", "valid_from", "target_roi"},
        if_not_exists=True,
    )
    db["gmv_max_day_flag"].create(
        # What the report cannot say about a day: target edited, paused or deleted, Max
        # delivery, suspended (each 0/1), entered by hand.
        {"shop_id": int, "account_id": str, "campaign_id": str, "day": str,
         "target_edited": int, "paused": int, "max_delivery": int, "suspended": int,
         "note": str},
        pk=("shop_id", "account_id", "campaign_id", "day"),
        not_null={"shop_id", "account_id", "campaign_id", "day"},
        if_not_exists=True,
    )
    db["roi_protection_credit"].create(
        # An ROI Protection ad credit received for a campaign's day; kept for good (TikTok
        # shows 60 days). source: 'entered' or an import's kind.
        {"shop_id": int, "account_id": str, "campaign_id": str, "day": str,
         "amount_cents": _MONEY, "source": str, "note": str, "import_id": int},
        pk=("shop_id", "account_id", "campaign_id", "day", "source"),
        not_null={"shop_id", "account_id", "campaign_id", "day", "amount_cents", "source"},
        if_not_exists=True,
    )
    db["holdout"].create(
        # A GMV Max holdout: products (design 'products') or days ('days') with ads off.
        {"holdout_id": int, "shop_id": int, "name": str, "design": str, "start_day": str,
         "end_day": str, "seed": int, "mde_cents": _MONEY, "created_utc": _INSTANT},
        pk="holdout_id", not_null={"shop_id", "name", "design", "start_day", "end_day"},
        if_not_exists=True,
    )
    db["holdout"].create_index(["shop_id", "name"], unique=True, if_not_exists=True)
    db["holdout_unit"].create(
        {"holdout_id": int, "unit": str, "arm": str},  # arm: 'ads' | 'off'
        pk=("holdout_id", "unit"), not_null={"holdout_id", "unit", "arm"},
        if_not_exists=True,
    )


def _page_rollups(db: sqlite_utils.Database) -> None:
    """Rollups for the second round of page speed, filled for every shop: the hourly SKU and
    product rollups per local day of the shop (``campaign_core.rollups.day_skus``), the
    orders delivered by time per hour (``campaign_core.rollups.delivered``), and the lines
    per hour by what places them in the content mix (``campaign_core.rollups.attribution``),
    whose hours an affiliate line written marks dirty; and each day's set of buyers
    (``campaign_core.rollups.day_buyers``)."""
    from campaign_core.rollups import attribution, day_skus, delivered
    from campaign_core.rollups.day_buyers import rebuild_days

    # Written to run again over its own tables (tests wind stores back and re-run them).
    db.execute(
        "CREATE TABLE IF NOT EXISTS rollup_day_sku (shop_id INTEGER NOT NULL, "
        "day_start_utc INTEGER NOT NULL, day_end_utc INTEGER NOT NULL, product_id TEXT, "
        "sku_id TEXT NOT NULL, product_name TEXT, gmv_cents INTEGER NOT NULL, "
        "units INTEGER NOT NULL, sku_orders INTEGER NOT NULL, lines INTEGER NOT NULL)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_rollup_day_sku "
               "ON rollup_day_sku (shop_id, day_start_utc)")
    db.execute(
        "CREATE TABLE IF NOT EXISTS rollup_day_product (shop_id INTEGER NOT NULL, "
        "day_start_utc INTEGER NOT NULL, day_end_utc INTEGER NOT NULL, product_id TEXT, "
        "orders INTEGER NOT NULL)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_rollup_day_product "
               "ON rollup_day_product (shop_id, day_start_utc)")
    db.execute(
        "CREATE TABLE IF NOT EXISTS rollup_hour_delivered (shop_id INTEGER NOT NULL, "
        "hour_utc INTEGER NOT NULL, status TEXT NOT NULL, orders INTEGER NOT NULL, "
        "PRIMARY KEY (shop_id, hour_utc, status)) WITHOUT ROWID")
    db.execute(
        "CREATE TABLE IF NOT EXISTS rollup_hour_attribution (shop_id INTEGER NOT NULL, "
        "hour_utc INTEGER NOT NULL, aff_kind TEXT, aff_handle TEXT, channel TEXT NOT NULL, "
        "has_handle INTEGER NOT NULL, orders INTEGER NOT NULL, gmv_cents INTEGER NOT NULL, "
        "mixed INTEGER NOT NULL)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_rollup_hour_attribution "
               "ON rollup_hour_attribution (shop_id, hour_utc)")
    # An affiliate line placed, changed or removed moves its order line in the content mix:
    # the hour of its order's paid time is dirty (as for a line of the orders themselves).
    for event, rows in (("INSERT", ("new",)), ("DELETE", ("old",)), ("UPDATE", ("old", "new"))):
        for row in rows:
            db.execute(
                f"CREATE TRIGGER IF NOT EXISTS rollup_dirty_affiliate_line_{event.lower()}_{row} "
                f"AFTER {event} ON affiliate_line BEGIN "
                "INSERT OR IGNORE INTO rollup_dirty SELECT o.shop_id, o.paid_utc / 3600 * 3600 "
                f"FROM orders AS o WHERE o.shop_id = {row}.shop_id AND o.order_id = {row}.order_id "
                "AND o.paid_utc IS NOT NULL; END")
    # Each day's set of buyers (campaign_core.rollups.day_buyers).
    db.execute("CREATE TABLE IF NOT EXISTS rollup_day_buyer_set (shop_id INTEGER NOT NULL, "
               "day_start_utc INTEGER NOT NULL, buyer_key TEXT NOT NULL, "
               "PRIMARY KEY (shop_id, day_start_utc, buyer_key)) WITHOUT ROWID")
    for (shop_id,) in db.execute("SELECT shop_id FROM shop").fetchall():
        day_skus.rebuild(db.conn, shop_id)
        delivered.rebuild(db.conn, shop_id)
        attribution.rebuild(db.conn, shop_id)
        rebuild_days(db.conn, shop_id)


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _v1_foundation, _v2_overview, _v3_products, _v4_content, _v5_marketing, _v6_creators,
    _v7_realtime, _v8_rollups, _v9_day_and_order_rollups, _shop_logo, _fx_rates,
    _campaign_shops, _audit_log, _platform_changes, _campaign_plan, _order_first_import,
    _gmv_max_economics, _page_rollups,
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
            # Read again under the write lock: another process on the same store (a second
            # app server, the worker) may have applied this one since the read above.
            if conn.execute("PRAGMA user_version").fetchone()[0] > number:
                conn.execute("COMMIT")
                continue
            MIGRATIONS[number](db)
            conn.execute(f"PRAGMA user_version = {number + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return SCHEMA_VERSION
