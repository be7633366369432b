"""Write content exports in Seller Center's layouts: the affiliate orders export (US 30
columns, UK 31 with ``Creator Region`` and ``DD/MM/YYYY`` dates), the video list, the LIVE
session list and the content flags template.

The demo and the tests share these writers, so their files take the importer's real path.
Rows are dicts keyed by header; missing cells are empty.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from campaign_core.demo.order_files import format_money, format_time

AFFILIATE_US_HEADERS = [
    "Order ID", "Product ID", "Product Name", "SKU ID", "Price", "Payment Amount", "Currency",
    "Quantity", "Fully returned or refunded", "Payment method", "Order Status",
    "Creator Username", "Content Type", "Content ID", "commission model",
    "Standard commission rate", "Est. Commission Base", "Est. standard commission payment",
    "Actual Commission Base", "Actual Commission Payment", "Shop Ads commission rate",
    "Est. Shop Ads commission payment", "Actual Shop Ads commission payment",
    "Est. co-funded creator bonus", "Actual co-funded creator bonus", "Time Created",
    "Payment time", "Order Delivery Time", "Time Commission Paid", "Platform",
]
_REGION_AT = AFFILIATE_US_HEADERS.index("Creator Username") + 1
AFFILIATE_UK_HEADERS = [*AFFILIATE_US_HEADERS[:_REGION_AT], "Creator Region",
                        *AFFILIATE_US_HEADERS[_REGION_AT:]]
VIDEO_LIST_HEADERS = ["Video ID", "Creator", "Video title", "Post time", "Video views",
                      "Likes", "Comments", "Shares", "Product impressions", "Product clicks",
                      "SKU orders", "Video-attributed GMV"]
LIVE_LIST_HEADERS = ["LIVE ID", "LIVE title", "Creator", "Start time", "End time", "GMV",
                     "Items sold", "Orders", "Viewers", "Product impressions",
                     "Product clicks"]
FLAG_HEADERS = ["Content ID", "Flag", "Violation type", "Time", "Content type", "Creator",
                "Title"]
CONTENT_TYPE_LABELS = {"video": "Video", "live": "Livestream", "card": "Showcase"}


@dataclass
class AffiliateRowSpec:
    """One affiliate order line (money in cents, times naive shop time)."""

    order_id: str
    sku_id: str
    product_id: str
    creator: str
    content_kind: str  # video | live | card
    content_id: str
    price_cents: int
    quantity: int
    paid: datetime
    product_name: str = ""
    status: str = "Completed"
    commission_rate_pct: float = 10.0
    est_standard_cents: int = 0
    actual_standard_cents: int = 0
    est_shop_ads_cents: int = 0
    actual_shop_ads_cents: int = 0
    est_bonus_cents: int = 0
    actual_bonus_cents: int = 0
    creator_region: str = "GB"


def affiliate_row(spec: AffiliateRowSpec, *, layout: str = "us",
                  trailing_tabs: bool = True) -> dict[str, str]:
    """A row of the affiliate orders export for ``spec`` in the ``us`` or ``uk`` layout."""
    tab = "\t" if trailing_tabs else ""
    style = "us" if layout == "us" else "sea"  # the UK writes DD/MM/YYYY HH:MM:SS

    def money(cents: int) -> str:
        return format_money(cents, "$" if layout == "us" else "£") if cents else "--"

    base = spec.price_cents * spec.quantity
    row = {
        "Order ID": spec.order_id + tab, "Product ID": spec.product_id + tab,
        "Product Name": spec.product_name, "SKU ID": spec.sku_id + tab,
        "Price": money(spec.price_cents), "Payment Amount": money(base),
        "Currency": "USD" if layout == "us" else "GBP", "Quantity": str(spec.quantity),
        "Fully returned or refunded": "No", "Payment method": "Card",
        "Order Status": spec.status, "Creator Username": spec.creator,
        "Content Type": CONTENT_TYPE_LABELS[spec.content_kind],
        "Content ID": (spec.content_id + tab) if spec.content_id else "--",
        "commission model": "Standard",
        "Standard commission rate": f"{spec.commission_rate_pct:g}%",
        "Est. Commission Base": money(base), "Est. standard commission payment":
            money(spec.est_standard_cents),
        "Actual Commission Base": money(base if spec.actual_standard_cents else 0),
        "Actual Commission Payment": money(spec.actual_standard_cents),
        "Shop Ads commission rate": "--",
        "Est. Shop Ads commission payment": money(spec.est_shop_ads_cents),
        "Actual Shop Ads commission payment": money(spec.actual_shop_ads_cents),
        "Est. co-funded creator bonus": money(spec.est_bonus_cents),
        "Actual co-funded creator bonus": money(spec.actual_bonus_cents),
        "Time Created": format_time(spec.paid, style) + tab,
        "Payment time": format_time(spec.paid, style) + tab,
        "Order Delivery Time": "", "Time Commission Paid": "", "Platform": "TikTok",
    }
    if layout == "uk":
        row["Creator Region"] = spec.creator_region
    return row


def write_affiliate_csv(path: Path, specs: Iterable[AffiliateRowSpec], *, layout: str = "us",
                        with_description_row: bool = False, trailing_tabs: bool = True,
                        encoding: str = "utf-8-sig") -> Path:
    """An affiliate orders export (CSV, UTF-8 with BOM by default) of ``specs``."""
    headers = AFFILIATE_US_HEADERS if layout == "us" else AFFILIATE_UK_HEADERS
    rows = [affiliate_row(spec, layout=layout, trailing_tabs=trailing_tabs) for spec in specs]
    return write_table_csv(path, headers, rows, description=(
        [f"The {h.strip().lower()} of the affiliate order." for h in headers]
        if with_description_row else None), encoding=encoding)


def write_table_csv(path: Path, headers: list[str], rows: Iterable[dict[str, str]], *,
                    preamble: Iterable[list[str]] = (), description: list[str] | None = None,
                    encoding: str = "utf-8-sig") -> Path:
    """``preamble`` rows, the header, an optional description row, then ``rows``."""
    path = Path(path)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerows(preamble)
        writer.writerow(headers)
        if description:
            writer.writerow(description)
        writer.writerows([row.get(h, "") for h in headers] for row in rows)
    return path
