"""The export kinds the importer recognises, detected by their headers (never by file name).

Each kind lists its fields with header aliases (TikTok renames columns between versions and
regions; other markets' names are added from ``markets/headers.py``), the fields a file
must have to be that kind, where in Seller Center the export comes from (for help text and
error messages), its distinctive fields (which decide between kinds that fit one header,
see ``detection.py``) and its key measures (all empty or zero: the import warns).
"""

from __future__ import annotations

from dataclasses import dataclass

from campaign_core.importers.headers import ColumnMap, map_columns
from campaign_core.markets.headers import HEADER_ALIASES


@dataclass(frozen=True)
class ExportKind:
    name: str
    label: str
    source: str  # where the seller gets the file
    fields: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    sheet_names: tuple[str, ...] = ()
    row_noun: str = "data"  # "order rows", "benchmark rows": for messages
    per_shop: bool = True  # False: store-wide data (benchmarks) that needs no shop
    # Fields only this kind's files carry: each found adds to the kind's score when a
    # header fits several kinds (importers/detection.py).
    distinctive: tuple[str, ...] = ()
    # The figures a file of this kind exists for: when every one is empty or zero in
    # every row, the import is a warning, not a plain success (a wrong export?).
    key_measures: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Other markets' header names (markets/headers.py) follow the kind's own.
        local = HEADER_ALIASES.get(self.name, {})
        merged = {name: (*aliases, *(a for a in local.get(name, ()) if a not in aliases))
                  for name, aliases in self.fields.items()}
        object.__setattr__(self, "fields", merged)

    def match(self, header_row: list[object], groups: list[str] | None = None) -> ColumnMap:
        return map_columns(header_row, self.fields, self.required, groups)


ORDERS = ExportKind(
    name="orders",
    label="Orders export (All order)",
    source="Seller Center > Orders > Manage orders > Export (CSV or Excel)",
    fields={
        "order_id": ("Order ID",),
        "status": ("Order Status",),
        "substatus": ("Order Substatus",),
        "cancel_return_type": ("Cancelation/Return Type", "Cancellation/Return Type"),
        "sku_id": ("SKU ID",),
        "seller_sku": ("Seller SKU",),
        "product_id": ("Product ID",),
        "product_name": ("Product Name",),
        "variation": ("Variation",),
        "quantity": ("Quantity",),
        "returned_units": ("Sku Quantity of return", "SKU Quantity of Return",
                           "Quantity of return", "Returned Quantity"),
        "unit_original_price": ("SKU Unit Original Price",),
        "subtotal_before": ("SKU Subtotal Before Discount",),
        "platform_discount": ("SKU Platform Discount",),
        "seller_discount": ("SKU Seller Discount",),
        "subtotal_after": ("SKU Subtotal After Discount",),
        "shipping_fee_after_discount": ("Shipping Fee After Discount",),
        "original_shipping_fee": ("Original Shipping Fee",),
        "shipping_fee_seller_discount": ("Shipping Fee Seller Discount",),
        "shipping_fee_platform_discount": ("Shipping Fee Platform Discount",),
        "payment_platform_discount": ("Payment platform discount",),
        "retail_delivery_fee": ("Retail Delivery Fee",),
        "taxes": ("Taxes",),
        "order_amount": ("Order Amount",),
        "order_refund_amount": ("Order Refund Amount",),
        "created_time": ("Created Time",),
        "paid_time": ("Paid Time",),
        "shipped_time": ("Shipped Time",),
        "delivered_time": ("Delivered Time",),
        "cancelled_time": ("Cancelled Time",),
        "fulfillment_type": ("Fulfillment Type",),
        "buyer_nickname": ("Buyer Nickname",),
        "buyer_username": ("Buyer Username",),
        "product_category": ("Product Category",),
        "order_channel": ("Order Channel",),
        "creator_handle": ("Creator Handle",),
    },
    required=("order_id", "status", "sku_id", "quantity", "unit_original_price",
              "seller_discount", "paid_time"),
    sheet_names=("OrderSKUList",),
    row_noun="order",
    key_measures=("unit_original_price", "subtotal_before"),
)

# Product ID and Status alone also head a GMV Max creative report: a product list must
# carry all three columns. The Open API product search JSON is flattened to these headers
# by the reader (see importers/product_list.py).
PRODUCT_LIST = ExportKind(
    name="product_list",
    label="Product list (template or Open API product search)",
    source="the product list template (Product ID, Product name, Status) filled from "
           "Seller Center > Products > Manage products, or a saved Open API product "
           "search response (JSON)",
    fields={
        "product_id": ("Product ID",),
        "name": ("Product name", "Product Name"),
        "status": ("Status", "Listing status"),
    },
    required=("product_id", "name", "status"),
    row_noun="product",
)

@dataclass(frozen=True)
class AnchoredKind(ExportKind):
    """A kind whose other headers are generic (``Date``, ``Value``): a header row counts as a
    partial match, for the "lacks columns" message, only when it has the ``anchor`` field,
    so an unrelated file with a ``Date`` column is not called a broken template."""

    anchor: str = ""

    def match(self, header_row: list[object], groups: list[str] | None = None) -> ColumnMap:
        columns = super().match(header_row, groups)
        if self.anchor in columns.positions:
            return columns
        return ColumnMap({}, {}, columns.missing_required)


BENCHMARKS = AnchoredKind(
    name="benchmarks",
    label="Benchmarks template",
    source="a benchmark file you keep yourself (template on the Import page)",
    fields={
        "day": ("Day", "Date"),
        "metric": ("Metric",),
        "category": ("Category",),
        "gmv_tier": ("GMV tier", "Tier"),
        "value": ("Value", "Benchmark", "Benchmark value"),
    },
    required=("day", "metric", "category", "gmv_tier", "value"),
    sheet_names=("Benchmarks",),
    row_noun="benchmark",
    anchor="metric",
    per_shop=False,
)

SUB_CAMPAIGNS = ExportKind(
    name="sub_campaigns",
    label="Sub-campaigns template",
    source="the sub-campaigns template on the Import page (one row per flash sale, LIVE "
           "deal, voucher... of a campaign; times in shop time)",
    fields={
        "campaign": ("Campaign", "Campaign name"),
        "name": ("Sub-campaign", "Sub-campaign name", "Sub campaign", "Subcampaign"),
        "kind": ("Type", "Sub-campaign type"),
        "start": ("Start", "Start time"),
        "end": ("End", "End time"),
        "sku_ids": ("SKU IDs", "SKU ID", "SKUs"),
    },
    # Type may be left out (it defaults to "Other"); SKU IDs must be a column, even if
    # empty, so a file that lost the column is not read as "all SKUs" silently.
    required=("campaign", "name", "start", "end", "sku_ids"),
    sheet_names=("Sub-campaigns",),
    row_noun="sub-campaign",
)

# Data Compass > Product analysis: the header may sit under preamble rows (date range,
# filters, a grouped super-header), which the reader keeps for the parser. Anchored on
# Product impressions: Product ID, GMV and Orders alone head many other files.
PRODUCT_ANALYTICS = AnchoredKind(
    name="product_analytics",
    label="Product analytics export (Data Compass)",
    source="Seller Center > Data Compass > Product analysis > Export",
    fields={
        "product_id": ("Product ID",),
        "product_name": ("Product Name",),
        "date": ("Date",),  # a per-day export; otherwise the period is above the header
        "gmv": ("GMV",),
        "orders": ("Orders",),
        "sku_orders": ("SKU orders",),
        "units": ("Items sold",),
        "customers": ("Est. customers",),
        "impressions": ("Product impressions",),
        "clicks": ("Product clicks",),
        "add_to_cart_count": ("Add-to-cart count",),
        "add_to_cart_users": ("Add-to-cart users",),
        "unique_impressions": ("Unique product impressions",),
        "unique_clicks": ("Unique clicks",),
        "refunds": ("Refunds",),
        "items_refunded": ("Items refunded",),
        "live_gmv": ("Seller LIVE-attributed GMV",),
        "video_gmv": ("Seller video-attributed GMV",),
        "affiliate_gmv": ("Creator-attributed GMV", "Affiliate-attributed GMV"),
        "product_card_gmv": ("Seller product card GMV",),
        # Each seller channel's impressions and clicks, named like the shop tab's (the
        # grouped header's "<group> Product impressions" reads the same); not seen in a
        # public file: where a file has none, nothing is stored for them.
        "live_impressions": ("Seller LIVE product impressions",),
        "live_clicks": ("Seller LIVE product clicks",),
        "video_impressions": ("Seller video product impressions",),
        "video_clicks": ("Seller video product clicks",),
        "affiliate_impressions": ("Affiliate product impressions",),
        "affiliate_clicks": ("Affiliate product clicks",),
        "product_card_impressions": ("Seller product card product impressions",
                                     "Product card product impressions"),
        "product_card_clicks": ("Seller product card product clicks",
                                "Product card product clicks"),
        "shop_tab_impressions": ("Shop tab product impressions",),
        "shop_tab_clicks": ("Shop tab product clicks",),
        "shop_tab_gmv": ("Shop tab GMV",),
    },
    required=("product_id", "impressions", "clicks", "gmv"),
    row_noun="product",
    anchor="impressions",
    key_measures=("gmv", "impressions", "clicks", "orders", "units"),
    distinctive=("impressions", "clicks", "unique_impressions", "add_to_cart_users",
                 "live_gmv", "video_gmv", "affiliate_gmv"),
)

@dataclass(frozen=True)
class SkuKeyedKind(AnchoredKind):
    """A template naming each row's SKU by ``SKU ID`` or ``Seller SKU``: one of the two
    columns is required (``required`` lists fields that are all needed, so it cannot say
    "one of"). Seller SKUs are resolved to SKU IDs when the file is stored."""

    def match(self, header_row: list[object], groups: list[str] | None = None) -> ColumnMap:
        columns = super().match(header_row, groups)
        if not columns.positions or columns.has("sku_id") or columns.has("seller_sku"):
            return columns
        return ColumnMap(columns.positions, columns.headers,
                         (*columns.missing_required, "SKU ID or Seller SKU"))


# The Open API inventory search JSON is flattened to these headers by the reader (see
# importers/stock.py).
STOCK = SkuKeyedKind(
    name="stock",
    label="Stock template / Open API inventory",
    source="the stock template on the Import page (SKU ID or Seller SKU, Available, "
           "Reserved, Inbound, As of), or a saved Open API inventory search response (JSON)",
    fields={
        "sku_id": ("SKU ID",),
        "seller_sku": ("Seller SKU",),
        "available": ("Available", "Available stock"),
        "reserved": ("Reserved",),
        "inbound": ("Inbound",),
        "as_of": ("As of",),
    },
    required=("available",),
    sheet_names=("Stock",),
    row_noun="SKU",
    anchor="available",
)

PRODUCT_COSTS = SkuKeyedKind(
    name="product_costs",
    label="Product costs template",
    source="the product costs template on the Import page (SKU ID or Seller SKU, Unit cost, "
           "Currency, Valid from)",
    fields={
        "sku_id": ("SKU ID",),
        "seller_sku": ("Seller SKU",),
        "unit_cost": ("Unit cost",),
        "currency": ("Currency",),
        "valid_from": ("Valid from",),
    },
    required=("unit_cost",),
    sheet_names=("Product costs",),
    row_noun="cost",
    anchor="unit_cost",
)

# --- content (affiliate orders, videos, LIVEs, content flags) -------------------------------

# Seller side: Affiliate > Affiliate orders > Export. US 30 columns; UK 31 (Creator Region).
AFFILIATE_ORDERS = ExportKind(
    name="affiliate_orders",
    label="Affiliate orders export",
    source="Seller Center > Affiliate > Affiliate orders > Export",
    fields={
        "order_id": ("Order ID",),
        "product_id": ("Product ID",),
        "product_name": ("Product Name",),
        "sku_id": ("SKU ID",),
        "price": ("Price",),
        "payment_amount": ("Payment Amount",),
        "currency": ("Currency",),
        "quantity": ("Quantity",),
        "fully_returned": ("Fully returned or refunded",),
        "order_status": ("Order Status",),
        "creator": ("Creator Username", "Creator username", "Creator name"),
        "creator_region": ("Creator Region",),
        "content_type": ("Content Type",),
        "content_id": ("Content ID",),
        "commission_model": ("commission model",),
        "standard_rate": ("Standard commission rate",),
        "est_commission_base": ("Est. Commission Base",),
        "est_standard": ("Est. standard commission payment",),
        "actual_commission_base": ("Actual Commission Base",),
        "actual_standard": ("Actual Commission Payment", "Actual standard commission payment"),
        "shop_ads_rate": ("Shop Ads commission rate",),
        "est_shop_ads": ("Est. Shop Ads commission payment",),
        "actual_shop_ads": ("Actual Shop Ads commission payment",),
        "est_bonus": ("Est. co-funded creator bonus",),
        "actual_bonus": ("Actual co-funded creator bonus",),
        "created_time": ("Time Created",),
        "paid_time": ("Payment time", "Payment Time"),
        "delivered_time": ("Order Delivery Time",),
        "commission_paid_time": ("Time Commission Paid",),
        "platform": ("Platform",),
    },
    required=("order_id", "sku_id", "creator", "content_type"),
    row_noun="affiliate order",
    key_measures=("price", "payment_amount"),
)

# Seller video list (Video Performance List_*.xlsx) and Affiliate Center > Video Data: one
# kind, told apart by the Affiliate Center's creator-attributed GMV column (see
# importers/content_exports.py). Anchored on the video ID.
VIDEO_DATA = AnchoredKind(
    name="video_data",
    label="Video list / Affiliate Center Video Data",
    source="Seller Center > Analytics > Video (Video Performance List export), or "
           "Affiliate Center > Data > Video Data > Export",
    fields={
        "video_id": ("Video ID",),
        "title": ("Video title", "Video caption", "Caption", "Video name", "Title"),
        "creator": ("Creator name", "Creator", "Creator username", "Account", "Nickname"),
        "posted": ("Post time", "Post date", "Posted time", "Publish time", "Video post time"),
        "product_id": ("Product ID",),
        "views": ("Video views", "VV", "Views"),
        "likes": ("Likes",),
        "comments": ("Comments",),
        "shares": ("Shares",),
        "impressions": ("Video product impressions", "Product impressions"),
        "clicks": ("Video product clicks", "Product clicks"),
        "sku_orders": ("SKU orders", "Video-attributed orders", "Orders"),
        "units": ("Video-attributed items sold", "Items sold"),
        "gmv": ("Video-attributed GMV", "GMV", "Seller video-attributed GMV"),
        "creator_gmv": ("Creator video-attributed GMV", "Affiliate video-attributed GMV"),
    },
    # Likes too: a GMV Max creative report also has a Video ID, but no likes.
    required=("video_id", "views", "likes"),
    row_noun="video",
    anchor="video_id",
    key_measures=("views", "likes", "impressions", "gmv", "creator_gmv"),
)

# Affiliate Center > Data > Creator Data: one row per creator (``Affiliate-attributed``
# and ``Creator-attributed`` are the same columns before and after TikTok's 2026 rename).
CREATOR_DATA = AnchoredKind(
    name="creator_data",
    label="Affiliate Center Creator Data",
    source="Affiliate Center > Data > Creator Data > Export",
    fields={
        "creator": ("Creator name", "Creator username", "Creator"),
        "gmv": ("Creator-attributed GMV", "Affiliate-attributed GMV"),
        "video_gmv": ("Creator video-attributed GMV", "Affiliate video-attributed GMV"),
        "live_gmv": ("Creator live-attributed GMV", "Creator LIVE-attributed GMV",
                     "Affiliate live-attributed GMV", "Affiliate LIVE-attributed GMV"),
        "card_gmv": ("Affiliate product card-attributed GMV",
                     "Creator product card-attributed GMV"),
        "refunds": ("Refunds",),
        "orders": ("Attributed orders",),
        "units": ("Creator-attributed items sold", "Affiliate-attributed items sold"),
        "items_refunded": ("Items refunded",),
        "videos": ("Videos",),
        "lives": ("LIVE streams",),
        "est_commission": ("Est. commission",),
        "samples_shipped": ("Samples shipped",),
        "product_impressions": ("Product impressions",),
        "video_views": ("Video views",),
        "customers": ("Customers",),
    },
    required=("creator", "gmv", "orders"),
    row_noun="creator",
    anchor="gmv",
    key_measures=("gmv", "orders", "units"),
)

LIVE_LIST = AnchoredKind(
    name="live_list",
    label="LIVE session list",
    source="Seller Center > Analytics > LIVE > Session list > Export",
    fields={
        "live_id": ("LIVE ID", "LIVE session ID", "Live ID", "Session ID", "Room ID"),
        "title": ("LIVE title", "LIVE name", "Title", "Session name"),
        "creator": ("Creator", "Creator name", "Creator username", "Account", "Host"),
        "start": ("Start time", "LIVE start time", "Started at"),
        "end": ("End time", "LIVE end time", "Ended at"),
        "gmv": ("GMV", "Attributed GMV", "LIVE-attributed GMV", "LIVE GMV"),
        "units": ("Items sold",),
        "orders": ("Orders", "SKU orders"),
        "viewers": ("Viewers", "Views", "LIVE views"),
        "impressions": ("Product impressions",),
        "clicks": ("Product clicks",),
    },
    required=("live_id", "start"),
    row_noun="LIVE session",
    anchor="live_id",
    key_measures=("gmv", "units", "orders", "viewers", "impressions"),
)

CONTENT_FLAGS = AnchoredKind(
    name="content_flags",
    label="Content flags template",
    source="the content flags template on the Import page (LIVE violations from Seller "
           "Center > Account health notices, and Key Livestream sessions)",
    fields={
        "content_id": ("Content ID", "LIVE ID", "Video ID"),
        "flag": ("Flag",),
        "violation_type": ("Violation type", "Violation"),
        "time": ("Time", "Violation time"),
        "kind": ("Content type", "Type"),
        "creator": ("Creator",),
        "title": ("Title",),
    },
    required=("content_id", "flag"),
    sheet_names=("Content flags",),
    row_noun="content flag",
    anchor="flag",
)

# --- creators and profit: the income export and the creator templates -------------------

# Finance > Income: "Order/Adjustment ID" heads no other export. Fee columns are optional:
# TikTok adds and renames them by region.
SETTLEMENT = AnchoredKind(
    name="settlement",
    label="Settlement (income) export",
    source="Seller Center > Finance > Income > Export (income_YYYYMMDDHHMMSS(UTC+N).xlsx)",
    fields={
        "statement_id": ("Order/Adjustment ID", "Order/adjustment ID", "Order ID/Adjustment ID"),
        "transaction_type": ("Transaction type", "Type"),
        "settled_time": ("Order settled time", "Settled time", "Order settlement time"),
        "created_time": ("Order created time",),
        "currency": ("Currency",),
        "total_revenue": ("Total Revenue",),
        "subtotal_after": ("Subtotal after seller discounts",),
        "refund_subtotal": ("Refund subtotal after seller discounts",),
        "total_fees": ("Total Fees",),
        "transaction_fee": ("Transaction fee",),
        "platform_commission": ("TikTok Shop commission fee", "Referral fee"),
        "seller_shipping_fee": ("Seller shipping fee",),
        "affiliate_commission": ("Affiliate commission",),
        "affiliate_shop_ads_commission": ("Affiliate Shop Ads commission",),
        "gmv_max_ad_fee": ("GMV Max ad fee",),
        "adjustment": ("Adjustment amount",),
        "settlement": ("Total settlement amount",),
        "related_order_id": ("Related order ID",),
    },
    required=("statement_id", "transaction_type", "settlement"),
    row_noun="settlement",
    anchor="statement_id",
    key_measures=("settlement", "total_revenue", "total_fees"),
)

CREATOR_DEALS = AnchoredKind(
    name="creator_deals",
    label="Creator deals template",
    source="the creator deals template on the Import page (one row per creator and "
           "campaign: the day each pipeline stage happened, fees, notes)",
    fields={
        "creator": ("Creator", "Creator username", "Creator Username"),
        "campaign": ("Campaign", "Campaign name"),
        "outreach": ("Outreach", "Outreach day"),
        "accepted": ("Accepted", "Accepted day"),
        "sample_shipped": ("Sample shipped", "Sample shipped day"),
        "sample_delivered": ("Sample delivered", "Sample delivered day"),
        "brief_sent": ("Brief sent", "Brief sent day"),
        "content_due": ("Content due", "Content due day", "Due"),
        "posted": ("Posted", "Posted day"),
        "cancelled": ("Cancelled", "Canceled", "Cancelled day"),
        "extension": ("Extension", "7-day extension"),
        "flat_fee": ("Flat fee",),
        "retainer": ("Retainer",),
        "commission_rate": ("Commission rate",),
        "content_id": ("Content ID", "Video ID"),
        "notes": ("Notes", "Note"),
    },
    required=("creator", "campaign", "outreach", "accepted"),
    sheet_names=("Creator deals",),
    row_noun="deal",
    anchor="accepted",
)

SAMPLE_SHIPMENTS = SkuKeyedKind(
    name="sample_shipments",
    label="Sample shipments template",
    source="the sample shipments template on the Import page (Creator, SKU ID or Seller "
           "SKU, Units, Shipping cost, Shipped day, Campaign)",
    fields={
        "creator": ("Creator", "Creator username", "Creator Username"),
        "sku_id": ("SKU ID",),
        "seller_sku": ("Seller SKU",),
        "units": ("Units", "Quantity"),
        "shipping_cost": ("Shipping cost", "Shipping fee", "Shipping"),
        "shipped_day": ("Shipped day", "Shipped", "Ship date", "Shipped date", "Date"),
        "campaign": ("Campaign", "Campaign name"),
    },
    required=("creator", "units", "shipping_cost", "shipped_day"),
    sheet_names=("Samples",),
    row_noun="sample",
    anchor="shipping_cost",
)

CREATOR_FEES = AnchoredKind(
    name="creator_fees",
    label="Creator fees template",
    source="the creator fees template on the Import page (flat fees and retainers paid "
           "outside TikTok: Creator, Fee type, Amount, Day, Campaign, Note)",
    fields={
        "creator": ("Creator", "Creator username", "Creator Username"),
        "kind": ("Fee type", "Type of fee"),
        "amount": ("Amount", "Fee"),
        "day": ("Day", "Paid day", "Date"),
        "campaign": ("Campaign", "Campaign name"),
        "note": ("Note", "Notes"),
    },
    required=("creator", "kind", "amount", "day"),
    sheet_names=("Creator fees",),
    row_noun="fee",
    anchor="kind",
)

EXPERIMENT_COUNTS = AnchoredKind(
    name="experiment_counts",
    label="Experiment counts template",
    source="the experiment counts template on the Import page (exposures and conversions "
           "per experiment, variant and day; the experiment's plan on any of its rows)",
    fields={
        "experiment": ("Experiment", "Experiment name", "Test"),
        "variant": ("Variant", "Arm"),
        "day": ("Day", "Date"),
        "exposures": ("Exposures", "Visitors", "Impressions"),
        "conversions": ("Conversions",),
        "varies": ("What varies", "Varies"),
        "metric": ("Metric",),
        "planned_split": ("Planned split", "Split"),
        "mde": ("MDE (pp)", "MDE", "Minimum detectable effect"),
        "baseline_rate": ("Baseline rate", "Baseline rate (%)"),
        "planned_looks": ("Planned looks", "Looks"),
    },
    required=("experiment", "variant", "day", "exposures", "conversions"),
    sheet_names=("Experiments",),
    row_noun="experiment count",
    anchor="conversions",
)

# --- marketing (ad reports, traffic by channel) ------------------------------------------


@dataclass(frozen=True)
class MarketingKind(ExportKind):
    """A kind that needs one of ``one_of`` (a day or an hour column) and must not have any
    of ``excludes`` (an Ads Manager report also heads ``Campaign ID``, ``Cost``...)."""

    one_of: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    anchor: str = ""  # without it, a header is no partial match (a generic Date column)

    def match(self, header_row: list[object], groups: list[str] | None = None) -> ColumnMap:
        columns = super().match(header_row, groups)
        if self.anchor and self.anchor not in columns.positions:
            return ColumnMap({}, {}, columns.missing_required)
        if any(columns.has(name) for name in self.excludes):
            return ColumnMap({}, {}, ("(another report's columns)",))
        if self.one_of and columns.positions and not any(columns.has(n) for n in self.one_of):
            wanted = " or ".join(self.fields[name][0] for name in self.one_of)
            return ColumnMap(columns.positions, columns.headers,
                             (*columns.missing_required, wanted))
        return columns


_AD_ACCOUNT_FIELDS = {
    "account_id": ("Advertiser ID", "Ad account ID", "Account ID"),
    "account_name": ("Advertiser name", "Ad account name", "Account name", "Advertiser"),
    "currency": ("Currency",),
}

# A per-product report (``Creative data <start> - <end> - Product <id>.xlsx``, video in
# ``Post ID``) and the product-level report (``Orders (SKU)`` per product) have no campaign
# columns: the campaign is optional, the product may come from the file name
# (importers/ads.py).
GMV_MAX_CREATIVE = MarketingKind(
    name="gmv_max_creative",
    label="GMV Max creative/product report",
    source="TikTok Ads Manager > GMV Max > campaign > Creatives (or Products) > Export, or "
           "a product's Creative data export; the period is in the file name or above the "
           "header",
    fields={
        "campaign_name": ("Campaign name",),
        "campaign_id": ("Campaign ID",),
        "product_id": ("Product ID",),
        "product_name": ("Product name",),
        "creative_type": ("Creative type",),
        "video_title": ("Video title",),
        "video_id": ("Video ID",),
        "tiktok_account": ("TikTok account", "TikTok Account name"),
        "time_posted": ("Time posted", "Post time"),
        "status": ("Status",),
        "authorization_type": ("Authorization type",),
        "cost": ("Cost",),
        "sku_orders": ("SKU orders", "Orders (SKU)"),
        "cost_per_order": ("Cost per order",),
        "gross_revenue": ("Gross revenue",),
        "roi": ("ROI",),
        "impressions": ("Product ad impressions",),
        "clicks": ("Product ad clicks",),
        "date": ("Date", "Day"),
        **_AD_ACCOUNT_FIELDS,
    },
    required=("cost", "gross_revenue"),
    row_noun="creative",
    one_of=("product_id", "video_id"),
    anchor="gross_revenue",
    key_measures=("cost", "gross_revenue", "sku_orders", "impressions", "clicks"),
    distinctive=("gross_revenue", "cost_per_order", "roi", "impressions", "clicks"),
)

GMV_MAX_CAMPAIGN = MarketingKind(
    name="gmv_max_campaign",
    label="GMV Max campaign report",
    source="TikTok Ads Manager > GMV Max > Campaigns > Export (Campaign Report); the period "
           "is in the file name or above the header",
    fields={
        "campaign_name": ("Campaign name",),
        "campaign_id": ("Campaign ID",),
        "cost": ("Cost",),
        "net_cost": ("Net Cost",),
        "sku_orders": ("Orders (SKU)", "SKU orders"),
        "gross_revenue": ("Gross revenue",),
        "live_views": ("LIVE views",),
        # The campaign's ROI goal, where the export carries it (GMV Max economics).
        "target_roi": ("Target ROI", "ROI target", "ROI goal"),
        "date": ("Date", "Day"),
        **_AD_ACCOUNT_FIELDS,
        # Columns of other reports: their presence means this is not a campaign report.
        "by_day": ("By Day", "By Hour"),
        "ad_group_id": ("Ad group ID",),
        "ad_id": ("Ad ID",),
        "product_id": ("Product ID",),
        "video_id": ("Video ID",),
    },
    required=("campaign_id", "cost", "gross_revenue"),
    row_noun="campaign",
    excludes=("by_day", "ad_group_id", "ad_id", "product_id", "video_id"),
    anchor="campaign_id",
    key_measures=("cost", "gross_revenue", "sku_orders"),
    distinctive=("net_cost", "gross_revenue", "live_views"),
)

ADS_MANAGER = MarketingKind(
    name="ads_manager",
    label="Ads Manager custom report (Shop Ads, By Day or by hour)",
    source="TikTok Ads Manager > Reporting > Custom report (Shop Ads) with the dimension "
           "By Day (or By Hour) > Export",
    fields={
        "day": ("By Day", "Date", "Day", "Stat time"),
        "hour": ("By Hour", "Hour", "Hour of day"),
        "campaign_name": ("Campaign name",),
        "campaign_id": ("Campaign ID",),
        "ad_group_name": ("Ad group name",),
        "ad_group_id": ("Ad group ID",),
        "ad_name": ("Ad name",),
        "ad_id": ("Ad ID",),
        "cost": ("Cost",),
        "impressions": ("Impressions",),
        "clicks": ("Clicks (destination)", "Clicks (all)", "Clicks"),
        "purchases": ("Purchases (Shop)", "Purchases"),
        "gross_revenue": ("Gross revenue (Shop)", "Gross revenue", "Total purchase value (Shop)"),
        "adds_to_cart": ("Adds to cart (Shop)",),
        "checkouts": ("Checkouts initiated (Shop)",),
        "product_page_views": ("Product page views (Shop)",),
        "items_purchased": ("Items purchased (Shop)",),
        **_AD_ACCOUNT_FIELDS,
    },
    required=("cost", "gross_revenue"),
    row_noun="ad report",
    one_of=("day", "hour"),
    anchor="cost",
    key_measures=("cost", "gross_revenue", "impressions", "clicks", "purchases"),
)

TRAFFIC_CHANNELS = MarketingKind(
    name="traffic_channels",
    label="Traffic by channel template",
    source="the traffic by channel template on the Import page (Date or Hour, Channel, "
           "Impressions, Clicks, Unique reach, Unique clicks, SKU orders), filled from "
           "Seller Center > Data Compass traffic views",
    fields={
        "day": ("Date", "Day"),
        "hour": ("Hour", "Time", "Hour of day"),
        "channel": ("Channel", "Traffic channel", "Traffic source"),
        "impressions": ("Impressions", "Product impressions"),
        "clicks": ("Clicks", "Product clicks"),
        "unique_reach": ("Unique reach", "Reach", "Unique impressions"),
        "unique_clicks": ("Unique clicks",),
        "sku_orders": ("SKU orders", "Orders (SKU)"),
    },
    required=("channel", "impressions"),
    sheet_names=("Traffic",),
    row_noun="traffic",
    one_of=("day", "hour"),
    anchor="channel",
    key_measures=("impressions", "clicks", "unique_reach", "sku_orders"),
)

# The campaign plan template (importers/plan_template.py): store-wide, campaigns by name.
CAMPAIGN_PLAN = AnchoredKind(
    name="campaign_plan",
    label="Campaign plan template",
    source="the campaign plan template on the Import page (one target per row: campaign, "
           "metric, target, good if above / below)",
    fields={
        "campaign": ("Campaign", "Campaign name"),
        "metric": ("Metric", "Plan metric"),
        "target": ("Target", "Plan target"),
        "good_if": ("Good if", "Direction"),
    },
    required=("campaign", "metric", "target"),
    sheet_names=("Plan",),
    row_noun="plan target",
    per_shop=False,
    distinctive=("target", "good_if"),
    anchor="target",
)

# The order no longer decides which kind a header is (importers/detection.py scores every
# fit); it only breaks a tie between kinds that came equally close in a rejection message.
KINDS: tuple[ExportKind, ...] = (ORDERS, PRODUCT_LIST, GMV_MAX_CREATIVE, GMV_MAX_CAMPAIGN,
                                 ADS_MANAGER, TRAFFIC_CHANNELS, BENCHMARKS, SUB_CAMPAIGNS,
                                 PRODUCT_ANALYTICS, STOCK, PRODUCT_COSTS, AFFILIATE_ORDERS,
                                 VIDEO_DATA, LIVE_LIST, CONTENT_FLAGS, CREATOR_DATA,
                                 SETTLEMENT, CREATOR_DEALS, SAMPLE_SHIPMENTS, CREATOR_FEES,
                                 EXPERIMENT_COUNTS, CAMPAIGN_PLAN)


# Import log kinds that are no file: the Open API syncs (openapi/store_write.py, sync.py).
_SYNC_LABELS = {"api_orders": "Open API orders",
                "api_affiliate_orders": "Open API affiliate orders"}
# Files read outside the export kinds: the ECB's exchange rates (importers/ecb_rates.py).
_OTHER_LABELS = {"ecb_rates": "ECB euro reference rates"}


def kind_label(name: str | None) -> str:
    """The words for an import log's ``kind`` (``gmv_max_creative`` -> "GMV Max
    creative/product report"); a name no kind has is written out ("something_new" ->
    "Something new"), and None is an empty string."""
    if not name:
        return ""
    known = next((kind.label for kind in KINDS if kind.name == name), None)
    return (known or _SYNC_LABELS.get(name) or _OTHER_LABELS.get(name)
            or name.replace("_", " ").capitalize())
