"""Marketing: ad spend, ad gross revenue and ROAS of the primary ad account for a window.

Which rows count (all of the primary account, plus reports that name no account; see
``store/ad_accounts.py``). Report days are the ad account's: with its UTC offset known they
are converted to shop days (``ad_time.py``: an hour exactly, a day on the shop day holding
most of its hours); without, they are read as shop days.
- Ads Manager rows: a By Day row when its day is one of the window's days; an hourly row
  when its hour starts inside the window and no By Day
  row exists for the same ad and day (so a file of each never counts twice);
- a GMV Max campaign report row when its whole export period lies inside the window
  (period start >= the window's first day and period end <= its last day); a period that
  only overlaps the window is left out (``periods_left_out``), never spread over days;
- a GMV Max creative/product report row likewise, only for a (campaign, period) the
  campaign report does not have: the creative report breaks the same spend down.
Ad spend = the sum of their cost; ad revenue = the sum of their gross revenue;
ROAS = ad revenue / ad spend (none when there is no spend). Money stays in the ad account's
currency. An order may be attributed to an ad and to an affiliate at once: ad revenue is
never added to affiliate GMV.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from decimal import Decimal

from campaign_core.metrics.ad_time import (
    HOUR_START_SQL,
    account_day_range,
    local_day_and_hour,
)
from campaign_core.metrics.money import cents_to_amount
from campaign_core.store.ad_accounts import AdAccount, counted_account_ids, primary_ad_account
from campaign_core.windows import Window

MARKETING_DEFINITION = __doc__.split("\n", 2)[2].strip()

_ROWS_SQL = """
WITH accounts AS (SELECT value AS account_id FROM json_each(:accounts)),
day_rows AS (
    SELECT d.* FROM ad_day d
    WHERE d.shop_id = :shop_id AND d.account_id IN (SELECT account_id FROM accounts)
      AND d.day BETWEEN date(:first_day, '-1 day') AND date(:last_day, '+1 day')
),
counted AS (
    SELECT 'ads_manager' AS source, cost_cents, gross_revenue_cents, currency, 0 AS left_out
    FROM day_rows WHERE hour IS NULL AND day BETWEEN :first_day AND :last_day
    UNION ALL
    SELECT 'ads_manager', h.cost_cents, h.gross_revenue_cents, h.currency, 0
    FROM day_rows h
    WHERE h.hour IS NOT NULL AND {h_start} >= :start AND {h_start} < :end
      AND NOT EXISTS (SELECT 1 FROM day_rows d WHERE d.hour IS NULL
                      AND d.account_id = h.account_id AND d.day = h.day
                      AND d.row_key = h.row_key)
    UNION ALL
    SELECT 'gmv_max', cost_cents, gross_revenue_cents, currency,
           NOT (period_start >= :first_day AND period_end <= :last_day)
    FROM ad_campaign_period
    WHERE shop_id = :shop_id AND account_id IN (SELECT account_id FROM accounts)
      AND period_start <= :last_day AND period_end >= :first_day
    UNION ALL
    SELECT 'gmv_max', c.cost_cents, c.gross_revenue_cents, c.currency,
           NOT (c.period_start >= :first_day AND c.period_end <= :last_day)
    FROM ad_creative_period c
    WHERE c.shop_id = :shop_id AND c.account_id IN (SELECT account_id FROM accounts)
      AND c.period_start <= :last_day AND c.period_end >= :first_day
      AND NOT EXISTS (SELECT 1 FROM ad_campaign_period p
                      WHERE p.shop_id = c.shop_id AND p.account_id = c.account_id
                        AND p.campaign_id = c.campaign_id
                        AND p.period_start = c.period_start AND p.period_end = c.period_end)
      -- Per-product reports (no campaign, campaign_id '') break down spend that a campaign
      -- report or a campaign's creative report of the same period already holds, and a
      -- product-level row (video_id '') holds its product's videos: never both.
      AND NOT (c.campaign_id = '' AND EXISTS (
              SELECT 1 FROM ad_campaign_period p
              WHERE p.shop_id = c.shop_id AND p.account_id = c.account_id
                AND p.period_start = c.period_start AND p.period_end = c.period_end
              UNION ALL
              SELECT 1 FROM ad_creative_period o
              WHERE o.shop_id = c.shop_id AND o.account_id = c.account_id
                AND o.campaign_id <> ''
                AND o.period_start = c.period_start AND o.period_end = c.period_end
              UNION ALL
              SELECT 1 FROM ad_creative_period t
              WHERE c.video_id <> '' AND t.shop_id = c.shop_id
                AND t.account_id = c.account_id AND t.campaign_id = ''
                AND t.product_id = c.product_id AND t.video_id = ''
                AND t.period_start = c.period_start AND t.period_end = c.period_end))
)
SELECT source,
       SUM(CASE WHEN NOT left_out THEN cost_cents END) AS cost_cents,
       SUM(CASE WHEN NOT left_out THEN gross_revenue_cents END) AS revenue_cents,
       SUM(NOT left_out) AS rows_counted, SUM(left_out) AS rows_left_out,
       json_group_array(DISTINCT CASE WHEN NOT left_out THEN currency END) AS currencies
FROM counted GROUP BY source
""".replace("{h_start}", HOUR_START_SQL.format(t="h."))

_HOURLY_SQL = """
SELECT {start} AS start_utc, SUM(cost_cents) AS cost_cents,
       SUM(gross_revenue_cents) AS revenue_cents
FROM ad_day
WHERE shop_id = :shop_id AND account_id IN (SELECT value FROM json_each(:accounts))
  AND hour IS NOT NULL AND {start} >= :start AND {start} < :end
GROUP BY 1 ORDER BY 1
""".replace("{start}", HOUR_START_SQL.format(t=""))


@dataclass(frozen=True)
class AdTotals:
    """The primary account's ads in a window (see the module docstring)."""

    account: AdAccount | None  # None: no ad data at all
    spend: Decimal | None  # None: no counted row
    revenue: Decimal | None
    currency: str | None  # None: the reports name none (the shop's currency is assumed)
    mixed_currencies: bool
    rows_counted: int
    periods_left_out: int
    sources: tuple[str, ...]  # "ads_manager", "gmv_max"

    @property
    def roas(self) -> float | None:
        if not self.spend or self.revenue is None:
            return None
        return round(float(self.revenue / self.spend), 4)


@dataclass(frozen=True)
class AdHour:
    day: str
    hour: int
    spend: Decimal
    revenue: Decimal


def _params(conn: sqlite3.Connection, shop_id: int, window: Window) -> dict:
    """The query's parameters; ``first_day`` / ``last_day`` are the ACCOUNT days that count
    in the window (its own days when the account's offset is not known)."""
    account = primary_ad_account(conn, shop_id)
    offset = account.utc_offset_minutes if account else None
    first, last = account_day_range(window, offset)
    return {"shop_id": shop_id, "accounts": json.dumps(counted_account_ids(conn, shop_id)),
            "first_day": first.isoformat(), "last_day": last.isoformat(),
            "start": window.start_utc, "end": window.end_utc,
            "offset_s": None if offset is None else offset * 60}


def ad_totals(conn: sqlite3.Connection, shop_id: int, window: Window) -> AdTotals:
    """Ad spend, ad revenue and ROAS of the primary account in ``window``."""
    account = primary_ad_account(conn, shop_id)
    if account is None:
        return AdTotals(None, None, None, None, False, 0, 0, ())
    cost = revenue = 0
    counted = left_out = 0
    currencies: set[str] = set()
    sources = []
    for row in conn.execute(_ROWS_SQL, _params(conn, shop_id, window)):
        left_out += row["rows_left_out"] or 0
        if not row["rows_counted"]:
            continue
        sources.append(row["source"])
        counted += row["rows_counted"]
        cost += row["cost_cents"] or 0
        revenue += row["revenue_cents"] or 0
        currencies |= {c for c in json.loads(row["currencies"]) if c}
    currency = sorted(currencies)[0] if currencies else account.currency
    return AdTotals(account, cents_to_amount(cost) if counted else None,
                    cents_to_amount(revenue) if counted else None, currency,
                    len(currencies) > 1, counted, left_out, tuple(sorted(sources)))


def ad_hours(conn: sqlite3.Connection, shop_id: int, window: Window) -> list[AdHour]:
    """Hourly ad spend and revenue of the primary account from Ads Manager hourly rows
    starting inside ``window``; empty when the reports have no hours."""
    params = _params(conn, shop_id, window)
    return [AdHour(*local_day_and_hour(row["start_utc"], window.timezone),
                   cents_to_amount(row["cost_cents"] or 0),
                   cents_to_amount(row["revenue_cents"] or 0))
            for row in conn.execute(_HOURLY_SQL, params)]


def ad_spend_by_channel(conn: sqlite3.Connection, shop_id: int,
                        window: Window) -> dict[str, Decimal]:
    """GMV Max creative spend of the window split by creative type (``video``, ``live``,
    ``product_card``), for the Traffic page; periods inside the window only."""
    rows = conn.execute(
        "SELECT lower(COALESCE(creative_type, '')) AS kind, SUM(cost_cents) AS cents "
        "FROM ad_creative_period WHERE shop_id = :shop_id "
        "AND account_id IN (SELECT value FROM json_each(:accounts)) "
        "AND period_start >= :first_day AND period_end <= :last_day GROUP BY kind",
        _params(conn, shop_id, window))
    spend: dict[str, Decimal] = {}
    for row in rows:
        channel = ("live" if "live" in row["kind"] else "video" if "video" in row["kind"]
                   else "product_card" if row["kind"] else "unknown")
        spend[channel] = spend.get(channel, Decimal(0)) + cents_to_amount(row["cents"] or 0)
    return spend
