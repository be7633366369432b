"""Write orders in Seller Center's "All order" export layout.

The demo generator and the tests share this builder, so every demo and test file goes
through the same importer a seller's own export does. Orders are described as
``OrderSpec``/``LineSpec`` (times naive, in shop time; money in cents) and rendered to CSV or
XLSX with the layout quirks real exports have: a UTF-8 BOM, an optional field-description
row, IDs and times ending in a TAB, money with a currency sign.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from campaign_core.importers.orders_layout import DESCRIPTION_ROW_TEXTS, US_ORDER_HEADERS

_TIME_FORMATS = {
    "us": "%m/%d/%Y %I:%M:%S %p",  # 03/31/2026 11:52:23 PM
    "sea": "%d/%m/%Y %H:%M:%S",  # 31/03/2026 23:52:23
    "iso": "%Y-%m-%d %H:%M:%S",
}


@dataclass
class LineSpec:
    sku_id: str
    product_id: str
    product_name: str
    quantity: int
    unit_price_cents: int
    seller_sku: str = ""
    variation: str = ""
    category: str = ""
    platform_discount_cents: int = 0
    seller_discount_cents: int = 0
    returned_units: int = 0


@dataclass
class OrderSpec:
    order_id: str
    status: str
    created: datetime
    paid: datetime | None
    lines: list[LineSpec]
    buyer_username: str = ""
    buyer_nickname: str = ""
    substatus: str = ""
    cancel_return_type: str = ""
    shipping_fee_cents: int = 0
    shipping_seller_discount_cents: int = 0
    shipping_platform_discount_cents: int = 0
    taxes_cents: int = 0
    order_refund_cents: int = 0
    shipped: datetime | None = None
    delivered: datetime | None = None
    cancelled: datetime | None = None
    creator_handle: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def format_money(cents: int, symbol: str = "") -> str:
    """``1022250`` -> ``"10,222.50"`` with a symbol, ``"10222.50"`` without."""
    sign = "-" if cents < 0 else ""
    units, hundredths = divmod(abs(cents), 100)
    if symbol:
        return f"{sign}{symbol}{units:,}.{hundredths:02d}"
    return f"{sign}{units}.{hundredths:02d}"


def format_time(moment: datetime | None, style: str = "us") -> str:
    if moment is None:
        return ""
    m = moment
    if style == "us":  # the demo's hot path: an f-string is several times faster than strftime
        hour = m.hour % 12 or 12
        return (f"{m.month:02d}/{m.day:02d}/{m.year:04d} {hour:02d}:{m.minute:02d}:"
                f"{m.second:02d} {'PM' if m.hour >= 12 else 'AM'}")
    return m.strftime(_TIME_FORMATS[style])


def order_rows(order: OrderSpec, *, time_style: str = "us", money_symbol: str = "",
               trailing_tabs: bool = True) -> list[dict[str, str]]:
    """One export row per SKU line, order-level money repeated on every line as TikTok does."""
    tab = "\t" if trailing_tabs else ""

    def money(cents: int) -> str:
        return format_money(cents, money_symbol)

    def when(moment: datetime | None) -> str:
        text = format_time(moment, time_style)
        return text + tab if text else ""

    subtotal_after_total = sum(_after(line) for line in order.lines)
    shipping_after = (order.shipping_fee_cents - order.shipping_seller_discount_cents
                      - order.shipping_platform_discount_cents)
    order_level = {
        "Order ID": order.order_id + tab,
        "Order Status": order.status,
        "Order Substatus": order.substatus,
        "Cancelation/Return Type": order.cancel_return_type,
        "Normal or Pre-order": "Normal",
        "Shipping Fee After Discount": money(shipping_after),
        "Original Shipping Fee": money(order.shipping_fee_cents),
        "Shipping Fee Seller Discount": money(order.shipping_seller_discount_cents),
        "Co-Funded Shipping Fee Discount": money(0),
        "Shipping Fee Platform Discount": money(order.shipping_platform_discount_cents),
        "Payment platform discount": money(0),
        "Retail Delivery Fee": money(0),
        "Taxes": money(order.taxes_cents),
        "Order Amount": money(subtotal_after_total + shipping_after + order.taxes_cents),
        "Order Refund Amount": money(order.order_refund_cents),
        "Created Time": when(order.created),
        "Paid Time": when(order.paid),
        "RTS Time": "",
        "Shipped Time": when(order.shipped),
        "Delivered Time": when(order.delivered),
        "Cancelled Time": when(order.cancelled),
        "Cancel By": "",
        "Cancel Reason": "",
        "Fulfillment Type": "Fulfillment by seller",
        "Warehouse Name": "Main warehouse",
        "Tracking ID": "",
        "Delivery Option Type": "Standard shipping",
        "Delivery Option": "Standard shipping",
        "Shipping Provider Name": "USPS",
        "Buyer Message": "",
        "Buyer Nickname": order.buyer_nickname,
        "Buyer Username": order.buyer_username,
        # Masked personal data, as exports carry it; the importer never stores it.
        "Recipient": "J*** D***",
        "Phone #": "(+1)555*****01",
        "Country": "United States",
        "State": "California",
        "City": "Los Angeles",
        "Zipcode": "900**",
        "Address Line 1": "1** M*** St",
        "Address Line 2": "",
        "Delivery Instruction": "",
        "Payment Method": "Credit card",
        "Weight(kg)": "0.5",
        "Package ID": "",
        "Seller Note": "",
        "Shipping Information": "",
        "Combined Listing": "",
        "Order Channel": "TikTok",
        "Creator Handle": order.creator_handle,
    }
    rows = []
    for line in order.lines:
        before = line.unit_price_cents * line.quantity
        row = dict(order_level)
        row.update({
            "SKU ID": line.sku_id + tab,
            "Seller SKU": line.seller_sku,
            "Product ID": line.product_id + tab,
            "Product Name": line.product_name,
            "Variation": line.variation,
            " Virtual Bundle Seller SKU": "",
            "Quantity": str(line.quantity),
            "Sku Quantity of return": str(line.returned_units),
            "SKU Unit Original Price": money(line.unit_price_cents),
            "SKU Subtotal Before Discount": money(before),
            "SKU Platform Discount": money(line.platform_discount_cents),
            "SKU Seller Discount": money(line.seller_discount_cents),
            "SKU Subtotal After Discount": money(_after(line)),
            "Product Category": line.category,
        })
        row.update(order.extra)
        rows.append(row)
    return rows


def _after(line: LineSpec) -> int:
    return (line.unit_price_cents * line.quantity - line.platform_discount_cents
            - line.seller_discount_cents)


def description_row(headers: list[str]) -> dict[str, str]:
    """TikTok's field-description row: a sentence per column."""
    return {h: DESCRIPTION_ROW_TEXTS.get(h.strip(), f"The {h.strip().lower()} of the order.")
            for h in headers}


def write_orders_csv(path: Path, rows: Iterable[dict[str, str]], *,
                     headers: list[str] = US_ORDER_HEADERS, with_description_row: bool = False,
                     encoding: str = "utf-8-sig", delimiter: str = ",") -> Path:
    """Write rows (dicts keyed by header) as an orders export. Missing cells are empty."""
    path = Path(path)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(headers)
        if with_description_row:
            writer.writerow([description_row(headers)[h] for h in headers])
        writer.writerows([row.get(h, "") for h in headers] for row in rows)
    return path


def write_orders_xlsx(path: Path, rows: list[dict[str, str]], *,
                      headers: list[str] = US_ORDER_HEADERS, with_description_row: bool = False,
                      sheet_name: str = "OrderSKUList") -> Path:
    """Write rows as the XLSX variant of the export (sheet ``OrderSKUList``, text cells)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    sheet.append(headers)
    if with_description_row:
        sheet.append([description_row(headers)[h] for h in headers])
    for row in rows:
        sheet.append([row.get(h, "") for h in headers])
    workbook.save(path)
    return Path(path)
