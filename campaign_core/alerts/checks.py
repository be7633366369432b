"""The condition behind each rule kind: what fires now, each with a stable key.

A check reads the store (read-only) and returns ``Firing``s; the engine applies the
cool-down per (rule, key) and delivers. Checks whose data belongs to another section
(creator deals, ad reports) return nothing on a store without those tables or rows.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from campaign_core.forecast.pacing import campaign_pacing
from campaign_core.forecast.stock_cover import OUT_OF_STOCK, product_cover, sku_cover
from campaign_core.formatting import money, plural
from campaign_core.metrics.ad_time import shop_day_of_account_day
from campaign_core.store.ad_accounts import primary_ad_account
from campaign_core.store.campaigns import Campaign, list_campaigns

MIN_MINUTES_INTO_HOUR = 10
FAILURE_LOOKBACK_S = 24 * 3600


@dataclass(frozen=True)
class Firing:
    key: str  # what the cool-down is per: the same key is not repeated within it
    severity: str  # warning / error
    message: str


def current_campaign(conn: sqlite3.Connection, shop_id: int, now: datetime) -> Campaign | None:
    """The shop's campaign running at ``now``, else the latest that has started."""
    campaigns = list_campaigns(conn, shop_id)  # newest start first
    started = [c for c in campaigns
               if c.start_day <= now.astimezone(ZoneInfo(c.timezone)).date()]
    running = [c for c in started if now.astimezone(ZoneInfo(c.timezone)).date() <= c.end_day]
    return (running or started or [None])[0]


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name",
                        {"name": name}).fetchone() is not None


def _money(cents: int | float, currency: str) -> str:
    return money(cents / 100, currency)


def pacing_below(conn: sqlite3.Connection, campaign: Campaign, now: datetime,
                 threshold_pct: float) -> list[Firing]:
    pacing = campaign_pacing(conn, campaign, now)
    target = pacing.gmv_target
    # Launch day's "too early to tell": the one-figure projection is not judged yet.
    if not target or pacing.status in ("not_started", "no_target", "reached", "too_early"):
        return []
    short_pct = float((target - pacing.projected_gmv) / target * 100)
    if short_pct <= threshold_pct:
        return []
    projected = _money(float(pacing.projected_gmv) * 100, campaign.currency)
    return [Firing(f"pacing:{campaign.campaign_id}", "error",
                   f"{campaign.name}: projected GMV {projected} is {short_pct:.0f}% below "
                   f"the target {_money(float(target) * 100, campaign.currency)}.")]


def stock_sellout(conn: sqlite3.Connection, campaign: Campaign, now: datetime,
                  threshold_days: float) -> list[Firing]:
    covers = product_cover(sku_cover(conn, campaign.shop_id, campaign, now))
    names = dict(conn.execute("SELECT product_id, name FROM product WHERE shop_id = :shop_id",
                              {"shop_id": campaign.shop_id}).fetchall())
    firings = []
    for product in covers:
        label = names.get(product.product_id) or product.product_id or product.sku_ids[0]
        key = f"stock:{product.product_id or product.sku_ids[0]}"
        if product.status == OUT_OF_STOCK:
            firings.append(Firing(key, "error", f"{label} is out of stock."))
        elif product.days_of_cover is not None and product.days_of_cover < threshold_days:
            firings.append(Firing(
                key, "warning", f"{label} sells out in {product.days_of_cover:.1f} days "
                f"(around {product.stockout_date:%b %d})."))
    return firings


def late_creators(conn: sqlite3.Connection, shop_id: int, campaign_name: str | None,
                  today: date, min_days_late: float = 0,
                  timezone: str = "UTC") -> list[tuple[str, date, int]]:
    """(creator, due day, days late) of the deals late today by more than
    ``min_days_late``, as the creator pipeline defines late (``creators.pipeline``:
    posts matched automatically); ``[]`` on a store without the creator pipeline."""
    if not _has_table(conn, "creator_deal"):
        return []
    try:
        from campaign_core.creators.pipeline import deal_statuses, late_list

        statuses = late_list(deal_statuses(conn, shop_id, timezone, today, campaign_name))
    except (ImportError, sqlite3.OperationalError):  # another build, another shape
        return []
    return [(s.creator, s.due_day, s.days_late) for s in statuses
            if s.due_day is not None and (s.days_late or 0) > min_days_late]


def creator_overdue(conn: sqlite3.Connection, campaign: Campaign, now: datetime,
                    threshold_days: float) -> list[Firing]:
    today = now.astimezone(ZoneInfo(campaign.timezone)).date()
    return [Firing(f"creator:{creator}:{due}", "warning",
                   f"{creator}'s content was due {due:%b %d} ({plural(late, 'day')} ago) and is "
                   "not posted yet.")
            for creator, due, late in late_creators(conn, campaign.shop_id, campaign.name,
                                                    today, threshold_days, campaign.timezone)]


def roas_below(conn: sqlite3.Connection, campaign: Campaign, now: datetime,
               threshold: float) -> list[Firing]:
    if not _has_table(conn, "ad_day"):
        return []
    # Ad reports follow the ad account's fixed UTC offset: a shop day is read from the
    # account day that holds most of its hours (metrics/ad_time.py), as the Marketing page
    # reads it.
    account = primary_ad_account(conn, campaign.shop_id)
    offset = account.utc_offset_minutes if account else None
    today = now.astimezone(ZoneInfo(campaign.timezone)).date()
    for day in (today, today - timedelta(days=1)):
        try:
            # Ad money is in the ad account's currency (one per row), not always the shop's.
            cost, revenue, currencies, currency = conn.execute(
                "SELECT SUM(cost_cents), SUM(gross_revenue_cents), "
                "COUNT(DISTINCT COALESCE(currency, '')), MAX(currency) FROM ad_day "
                "WHERE shop_id = :shop_id AND hour IS NULL "
                "AND day IN (SELECT value FROM json_each(:days))",
                {"shop_id": campaign.shop_id,
                 "days": json.dumps(_account_days(day, offset, campaign.timezone))}
            ).fetchone()
        except sqlite3.OperationalError:
            return []
        if cost and currencies > 1:
            return []  # amounts in several currencies make no one ROAS
        if cost:
            roas = (revenue or 0) / cost
            if roas < threshold:
                ad_currency = currency or campaign.currency
                return [Firing(f"roas:{day}", "warning",
                               f"Ads ROAS on {day:%b %d} is {roas:.2f}, below {threshold:g} "
                               f"(revenue {_money(revenue or 0, ad_currency)} on "
                               f"{_money(cost, ad_currency)} spent).")]
            return []
    return []


def _account_days(shop_day: date, offset_minutes: int | None, timezone: str) -> list[str]:
    """The ad account days read as ``shop_day``: itself without a known offset."""
    if offset_minutes is None:
        return [shop_day.isoformat()]
    return [d.isoformat() for d in (shop_day - timedelta(days=1), shop_day,
                                    shop_day + timedelta(days=1))
            if shop_day_of_account_day(d, offset_minutes, timezone) == shop_day]


def _gmv(conn: sqlite3.Connection, shop_id: int, start: int, end: int) -> int:
    return conn.execute(
        "SELECT COALESCE(SUM(gmv_cents), 0) FROM order_line WHERE shop_id = :shop_id "
        "AND paid_utc >= :start AND paid_utc < :end AND is_sample = 0",
        {"shop_id": shop_id, "start": start, "end": end}).fetchone()[0]


def gmv_hour_below(conn: sqlite3.Connection, campaign: Campaign, now: datetime,
                   threshold_pct: float) -> list[Firing]:
    zone = ZoneInfo(campaign.timezone)
    local = now.astimezone(zone)
    if local.minute < MIN_MINUTES_INTO_HOUR:
        return []
    hour_start = local.replace(minute=0, second=0, microsecond=0)
    base_day = local.date() - timedelta(days=1)
    base_start = datetime.combine(base_day, hour_start.time(), tzinfo=zone)
    elapsed = int((local - hour_start).total_seconds())
    start = int(hour_start.timestamp())
    now_gmv = _gmv(conn, campaign.shop_id, start, start + elapsed + 1)
    base_gmv = _gmv(conn, campaign.shop_id, int(base_start.timestamp()),
                    int(base_start.timestamp()) + elapsed + 1)
    if base_gmv <= 0:
        return []
    below = (base_gmv - now_gmv) / base_gmv * 100
    if below <= threshold_pct:
        return []
    return [Firing(f"gmv_hour:{local:%Y-%m-%dT%H}", "warning",
                   f"GMV since {hour_start:%H:%M} is {_money(now_gmv, campaign.currency)}, "
                   f"{below:.0f}% below the same minutes of {base_day:%b %d} "
                   f"({_money(base_gmv, campaign.currency)}).")]


def import_failed(conn: sqlite3.Connection, shop_id: int | None, now_utc: int,
                  since_utc: int) -> list[Firing]:
    """Rejected imports and failed syncs since ``since_utc`` (and within a day)."""
    start = max(since_utc, now_utc - FAILURE_LOOKBACK_S)
    params = {"shop_id": shop_id, "start": start}
    firings = [Firing(f"import:{row[0]}", "error",
                      f"Import of {row[1]} failed: {str(row[2] or '')[:300]}")
               for row in conn.execute(
                   "SELECT import_id, file_name, message FROM import_log "
                   "WHERE status = 'rejected' AND started_utc >= :start "
                   "AND (:shop_id IS NULL OR shop_id IS NULL OR shop_id = :shop_id) "
                   "ORDER BY import_id", params)]
    if _has_table(conn, "sync_run"):
        firings += [Firing(f"sync:{row[0]}", "error",
                           f"Open API sync of {row[1]} failed: {str(row[2] or '')[:300]}")
                    for row in conn.execute(
                        "SELECT run_id, kind, message FROM sync_run WHERE status = 'failed' "
                        "AND started_utc >= :start "
                        "AND (:shop_id IS NULL OR shop_id IS NULL OR shop_id = :shop_id) "
                        "ORDER BY run_id", params)]
    return firings
