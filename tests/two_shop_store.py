"""A store of two shops for the access tests: shop A is the demo shop (every page has
data), shop B a small shop from hand-written orders with its own campaign, import and cost,
whose names appear nowhere else (so any of them on a viewer's page is a leak)."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from campaign_core.importers.pipeline import import_file
from campaign_core.store import write_transaction
from campaign_core.store.campaigns import save_campaign
from campaign_core.store.costs import set_unit_cost
from campaign_core.store.shops import DEMO_SHOP_NAME, resolve_shop
from tests.conftest import hand_orders, write_export

SHOP_A, SHOP_B = DEMO_SHOP_NAME, "Brightline UK"
CAMPAIGN_B, FILE_B, SKU_B = "Brightline Winter Sale", "brightline-orders.csv", "SKU-BRIGHT-77"
SHOP_B_WORDS = (SHOP_B, CAMPAIGN_B, FILE_B, SKU_B, "Brightline")
USERS = {"kim": {"role": "viewer", "shops": [SHOP_A]}, "alex": {"role": "admin"},
         "sam@agency.example": {"role": "staff", "shops": [SHOP_A]}}


def build_two_shop_store(demo_store: Path, folder: Path) -> Path:
    """A copy of ``demo_store`` in ``folder`` with shop B added; its path."""
    db = folder / "campaign.db"
    with sqlite3.connect(demo_store) as source, sqlite3.connect(db) as target:
        source.backup(target)
    export = write_export(folder, hand_orders(), name=FILE_B)
    report = import_file(db, export, file_name=FILE_B, shop_name=SHOP_B,
                         timezone="Europe/London")
    if not report.ok:
        raise RuntimeError(report.message)
    with write_transaction(db) as conn:
        shop = resolve_shop(conn, SHOP_B, "Europe/London")
        save_campaign(conn, shop_id=shop.shop_id, name=CAMPAIGN_B,
                      start_day=date(2026, 11, 20), end_day=date(2026, 11, 30),
                      gmv_target_cents=500_000)
        set_unit_cost(conn, shop.shop_id, SKU_B, 250, date(2026, 11, 1))
    return db
