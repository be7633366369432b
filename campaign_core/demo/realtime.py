"""The demo's alert rules and alert log, so the Alerts page has something to show.

Rules are written to the log only (no channel configured in a demo); they are evaluated
once at the demo's "now", as the watcher would have done.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from campaign_core.alerts.digest_schedule import save_setting
from campaign_core.alerts.engine import evaluate_alerts
from campaign_core.alerts.rules import save_rule
from campaign_core.store import write_transaction
from campaign_core.store.shops import find_shop

DEMO_RULES = (("pacing_below", 10), ("stock_sellout", 3), ("gmv_hour_below", 30),
              ("creator_overdue", 0), ("import_failed", 0))


def add_demo_alerts(db_path: Path | str, shop_name: str, now: datetime) -> int:
    """Create the demo's rules and digest setting and evaluate them at the demo's ``now``
    (aware), so no alert is stamped after it; returns the number of alerts logged."""
    with write_transaction(db_path) as conn:
        shop = find_shop(conn, shop_name)
        for kind, threshold in DEMO_RULES:
            save_rule(conn, kind=kind, threshold=threshold, shop_id=shop.shop_id)
        save_setting(conn, shop.shop_id, send_at="08:00", channel="email", enabled=False)
    return len(evaluate_alerts(db_path, now))
