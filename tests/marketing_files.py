"""Writers of marketing export files in their real layouts, for the marketing tests."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from campaign_core.demo.build import DEMO_SHOP_NAME
from campaign_core.demo.generator import write_demo_files
from campaign_core.demo.marketing import import_demo_marketing
from campaign_core.importers.pipeline import import_file
from campaign_core.store import write_transaction
from campaign_core.store.campaigns import save_campaign
from campaign_core.store.shops import resolve_shop, update_shop
from tests.conftest import DEMO_TODAY

GMV_MAX_CAMPAIGN_HEADER = ["Campaign name", "Campaign ID", "Cost", "Net Cost", "Orders (SKU)",
                           "Cost per order", "Gross revenue", "ROI", "Currency"]
GMV_MAX_CREATIVE_HEADER = ["Campaign name", "Campaign ID", "Product ID", "Creative type",
                           "Video title", "Video ID", "TikTok account", "Time posted",
                           "Status", "Authorization type", "Cost", "SKU orders",
                           "Cost per order", "Gross revenue", "ROI", "Product ad impressions",
                           "Product ad clicks", "Product ad click rate", "Ad conversion rate",
                           "Currency"]
ADS_MANAGER_HEADER = ["By Day", "Ad group name", "Ad group ID", "Ad name", "Ad ID", "Cost",
                      "Impressions", "Clicks (destination)", "Purchases (Shop)",
                      "Gross revenue (Shop)", "Adds to cart (Shop)",
                      "Checkouts initiated (Shop)", "Product page views (Shop)",
                      "Items purchased (Shop)", "Currency"]
TRAFFIC_HEADER = ["Date", "Hour", "Channel", "Impressions", "Clicks", "Unique reach",
                  "Unique clicks", "SKU orders"]


def write_csv(path: Path, rows: Sequence[Sequence[object]], *, encoding: str = "utf-8-sig",
              delimiter: str = ",") -> Path:
    with Path(path).open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return Path(path)


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], sheet: str = "Sheet1") -> Path:
    book = Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(list(row))
    book.save(path)
    return Path(path)


def campaign_report_name(start: str, end: str, suffix: str = "xlsx") -> str:
    return f"Glow TikTok Shop-Campaign Report({start} to {end}).{suffix}"


def build_marketing_store(folder: Path) -> Path:
    """The demo's orders (half scale), its campaign and its marketing files only: what the
    Marketing, Traffic and Funnel pages read, without waiting for the rest of the demo."""
    db = folder / "campaign.db"
    campaign, files = write_demo_files(folder / "demo", DEMO_TODAY, 7, scale=0.5)
    for path in files:
        assert import_file(db, path, shop_name=DEMO_SHOP_NAME, timezone=campaign.timezone).ok
    with write_transaction(db) as conn:
        shop = resolve_shop(conn, DEMO_SHOP_NAME, campaign.timezone)
        save_campaign(conn, shop_id=shop.shop_id, name=campaign.name,
                      start_day=campaign.start_day, end_day=campaign.end_day)
        update_shop(conn, shop.shop_id, name=shop.name, timezone=shop.timezone,
                    currency=shop.currency, category="Beauty & Personal Care",
                    gmv_tier="$50k-$250k / month")
    failed = []
    import_demo_marketing(db, folder / "demo", DEMO_SHOP_NAME, campaign.timezone,
                          campaign.start_day, DEMO_TODAY, 7,
                          lambda path, report: None if report.ok else failed.append(path))
    assert not failed, failed
    return db
