"""The export kinds the importer recognises, detected by their headers (never by file name).

Each kind lists its fields with header aliases (TikTok renames columns between versions and
regions), the fields a file must have to be that kind, and where in Seller Center the
export comes from, for help text and error messages.
"""

from __future__ import annotations

from dataclasses import dataclass

from campaign_core.importers.headers import ColumnMap, map_columns


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

    def match(self, header_row: list[object]) -> ColumnMap:
        return map_columns(header_row, self.fields, self.required)


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

    def match(self, header_row: list[object]) -> ColumnMap:
        columns = super().match(header_row)
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
        "shop_tab_impressions": ("Shop tab product impressions",),
        "shop_tab_clicks": ("Shop tab product clicks",),
        "shop_tab_gmv": ("Shop tab GMV",),
    },
    required=("product_id", "impressions", "clicks", "gmv"),
    row_noun="product",
    anchor="impressions",
)

@dataclass(frozen=True)
class SkuKeyedKind(AnchoredKind):
    """A template naming each row's SKU by ``SKU ID`` or ``Seller SKU``: one of the two
    columns is required (``required`` lists fields that are all needed, so it cannot say
    "one of"). Seller SKUs are resolved to SKU IDs when the file is stored."""

    def match(self, header_row: list[object]) -> ColumnMap:
        columns = super().match(header_row)
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

KINDS: tuple[ExportKind, ...] = (ORDERS, PRODUCT_LIST, BENCHMARKS, SUB_CAMPAIGNS,
                                 PRODUCT_ANALYTICS, STOCK, PRODUCT_COSTS)


def supported_kinds_text() -> str:
    return "; ".join(f"{kind.label} from {kind.source}" for kind in KINDS)
