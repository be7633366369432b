"""Build the demo campaign into a store: export files first, then the normal importer.

The demo goes through exactly the path a seller's files take, so what the demo shows is
what the importer does. It lives in its own shop, so a seller's own imports never mix with
it, and building it again replaces the demo shop's data.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from campaign_core.importers.pipeline import ImportReport, import_file
from campaign_core.store import write_transaction
from campaign_core.store.campaigns import save_campaign
from campaign_core.store.shops import find_shop, resolve_shop

DEMO_SHOP_NAME = "Glow & Go Beauty (demo)"


@dataclass
class DemoResult:
    campaign_name: str
    files: list[Path]
    reports: list[ImportReport] = field(default_factory=list)
    orders: int = 0
    seconds: float = 0.0


def demo_folder(db_path: Path | str) -> Path:
    """Demo export files live beside the store: ``data/campaign.db`` -> ``data/demo/``."""
    return Path(db_path).parent / "demo"


def build_demo(db_path: Path | str, *, today: date | None = None, seed: int = 7,
               progress: Callable[[float, str], None] | None = None) -> DemoResult:
    """Write the demo exports and import them into a fresh demo shop with its campaign.

    ``today`` anchors the campaign (it is day 7 of 12); default is the local date.
    Returns the campaign name, files, import reports and the time taken.
    """
    from campaign_core.demo.generator import write_demo_files

    started = time.perf_counter()
    today = today or date.today()
    say = progress or (lambda fraction, text: None)
    say(0.0, "Writing demo export files")
    campaign, files = write_demo_files(demo_folder(db_path), today, seed)
    _reset_demo_shop(db_path, campaign.timezone)
    result = DemoResult(campaign.name, files)
    for index, path in enumerate(files):
        say(0.1 + 0.8 * index / len(files), f"Importing {path.name}")
        result.reports.append(import_file(db_path, path, shop_name=DEMO_SHOP_NAME,
                                          timezone=campaign.timezone))
    with write_transaction(db_path) as conn:
        shop = resolve_shop(conn, DEMO_SHOP_NAME, campaign.timezone)
        save_campaign(conn, shop_id=shop.shop_id, name=campaign.name,
                      start_day=campaign.start_day, end_day=campaign.end_day,
                      gmv_target_cents=campaign.gmv_target_cents)
        result.orders = conn.execute("SELECT COUNT(*) FROM orders WHERE shop_id = :id",
                                     {"id": shop.shop_id}).fetchone()[0]
    say(1.0, "Demo ready")
    result.seconds = time.perf_counter() - started
    return result


def _reset_demo_shop(db_path: Path | str, timezone: str) -> None:
    with write_transaction(db_path) as conn:
        shop = find_shop(conn, DEMO_SHOP_NAME)
        if shop is None:
            resolve_shop(conn, DEMO_SHOP_NAME, timezone)
            return
        params = {"shop_id": shop.shop_id}
        conn.execute("DELETE FROM sub_campaign WHERE campaign_id IN "
                     "(SELECT campaign_id FROM campaign WHERE shop_id = :shop_id)", params)
        for table in ("campaign", "order_line", "orders", "sku", "product"):
            conn.execute(f"DELETE FROM {table} WHERE shop_id = :shop_id", params)
        conn.execute("UPDATE shop SET timezone = :tz WHERE shop_id = :shop_id",
                     {**params, "tz": timezone})
