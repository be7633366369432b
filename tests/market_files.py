"""Orders exports in each market's layout, built by the tests (never a real seller's file).

What differs between markets, as far as known (see campaign_core/markets): the currency
and how figures are written (``Rp 150.000``, ``299.000₫``, ``1.022,25 €``, ``MXN 3,121.71``),
day-first 24-hour times, local status words, extra SEA columns. Every file keeps the
export's quirks: a UTF-8 BOM, TikTok's field-description row under the header, IDs and
times ending in a TAB; the XLSX one has the ``OrderSKUList`` sheet with every cell as text.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from campaign_core.demo.order_files import description_row
from campaign_core.importers.orders_layout import US_ORDER_HEADERS

# Columns SEA exports add (formats/TIKTOK_EXPORTS.md, "SEA variants add").
SEA_HEADERS = ["Province", "Regency and City", "District", "Distance Shipping Fee",
               "Buyer Service Fee", "Handling Fee", "Shipping Insurance", "Item Insurance",
               "Checked Status", "Checked Marked by", "Tokopedia Invoice Number"]


def _grouped(units: int, mark: str) -> str:
    return f"{units:,}".replace(",", mark)


def rupiah(amount: Decimal) -> str:  # Rp 150.000
    return f"Rp {_grouped(int(amount), '.')}"


def dong(amount: Decimal) -> str:  # 299.000₫
    return f"{_grouped(int(amount), '.')}₫"


def euro(amount: Decimal) -> str:  # 1.022,25 €
    units, cents = divmod(int(amount * 100), 100)
    return f"{_grouped(units, '.')},{cents:02d} €"


def pound(amount: Decimal) -> str:  # £1,022.25
    return f"£{amount:,.2f}"


def peso(amount: Decimal) -> str:  # MXN 3,121.71
    return f"MXN {amount:,.2f}"


@dataclass
class Line:
    sku_id: str
    product_id: str
    quantity: int
    unit_price: Decimal  # in currency units
    seller_discount: Decimal = Decimal(0)
    platform_discount: Decimal = Decimal(0)
    returned: int = 0


@dataclass
class Order:
    order_id: str
    status: str  # as the market's export writes it
    paid: datetime | None
    buyer: str
    lines: list[Line]
    cancel_type: str = ""
    cancelled: datetime | None = None
    extra: dict[str, str] = field(default_factory=dict)


def market_rows(orders: list[Order], money, *, time_format: str = "%d/%m/%Y %H:%M:%S",
                extra: dict[str, str] | None = None) -> list[dict[str, str]]:
    """One row per SKU line, order-level cells repeated on each, as exports have them."""
    def when(moment: datetime | None) -> str:
        return f"{moment.strftime(time_format)}\t" if moment else ""

    rows = []
    for order in orders:
        created = order.paid or datetime(2026, 11, 1, 0, 0, 0)
        for line in order.lines:
            before = line.unit_price * line.quantity
            rows.append({
                "Order ID": f"{order.order_id}\t", "Order Status": order.status,
                "Cancelation/Return Type": order.cancel_type,
                "SKU ID": f"{line.sku_id}\t", "Product ID": f"{line.product_id}\t",
                "Product Name": f"Product {line.product_id[-2:]}",
                "Quantity": str(line.quantity), "Sku Quantity of return": str(line.returned),
                "SKU Unit Original Price": money(line.unit_price),
                "SKU Subtotal Before Discount": money(before),
                "SKU Platform Discount": money(line.platform_discount),
                "SKU Seller Discount": money(line.seller_discount),
                "SKU Subtotal After Discount": money(before - line.platform_discount
                                                     - line.seller_discount),
                "Shipping Fee After Discount": money(Decimal(0)),
                "Original Shipping Fee": money(Decimal(0)),
                "Shipping Fee Platform Discount": money(Decimal(0)),
                "Order Amount": money(before - line.platform_discount - line.seller_discount),
                "Created Time": when(created), "Paid Time": when(order.paid),
                "Cancelled Time": when(order.cancelled),
                "Buyer Username": order.buyer, "Recipient": "B*** S***",
                **(extra or {}), **order.extra,
            })
    return rows


def write_market_csv(path: Path, rows: list[dict[str, str]], headers: list[str]) -> Path:
    """CSV with a BOM and the field-description row, as Seller Center writes it."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        described = description_row(headers)
        writer.writerow([described[h] for h in headers])
        writer.writerows([row.get(h, "") for h in headers] for row in rows)
    return path


def write_market_xlsx(path: Path, rows: list[dict[str, str]], headers: list[str]) -> Path:
    """XLSX with the OrderSKUList sheet, the description row and every cell as text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "OrderSKUList"
    sheet.append(headers)
    described = description_row(headers)
    sheet.append([described[h] for h in headers])
    for row in rows:
        sheet.append([row.get(h, "") for h in headers])
    workbook.save(path)
    return path


ID_HEADERS = US_ORDER_HEADERS + SEA_HEADERS
VN_HEADERS = US_ORDER_HEADERS + ["Province", "District"]
