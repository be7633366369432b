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

KINDS: tuple[ExportKind, ...] = (ORDERS,)


def supported_kinds_text() -> str:
    return "; ".join(f"{kind.label} from {kind.source}" for kind in KINDS)
