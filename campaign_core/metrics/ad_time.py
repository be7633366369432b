"""Ad report days and hours in the ad account's time zone, converted to the shop's.

Ads Manager and GMV Max reports follow the ad account's time zone, a fixed offset from UTC
without daylight saving time (TikTok Ads Manager help, "About time zones"), not the
shop's (``importers/ad_report_facts.py``). With the primary account's offset known
(``ad_account.utc_offset_minutes``: stated by a report, or entered by the seller):

- an hourly row starts at ``day + hour`` in the account's offset: exact;
- a day (a By Day row, a GMV Max day or a period's first and last day) counts on the shop
  day that holds most of its 24 hours, i.e. the shop day of its middle instant (12:00 in
  the account's offset). An account in UTC and a shop in Los Angeles: the UTC day
  2026-11-20 runs from 16:00 (PST) on the 19th to 16:00 on the 20th, 16 of its hours on
  the 20th: it counts on the 20th. In UTC+08:00 it would count on the 19th.

Without an offset the reports are read in the shop's timezone (the rule before).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from campaign_core.windows import Window

_HALF_DAY_S = 12 * 3600


def shop_day_of_account_day(day: date, offset_minutes: int, shop_timezone: str) -> date:
    """The shop day holding most of the account's ``day`` (see the module docstring)."""
    middle = datetime.combine(day, datetime.min.time(), tzinfo=UTC) \
        + timedelta(seconds=_HALF_DAY_S - offset_minutes * 60)
    return middle.astimezone(ZoneInfo(shop_timezone)).date()


def account_day_range(window: Window, offset_minutes: int | None) -> tuple[date, date]:
    """The account days that count in ``window``'s days: the window's own days without an
    offset; else the first and last account day whose shop day is inside the window."""
    first, last = window.first_day, window.last_day
    if offset_minutes is None:
        return first, last
    # The mapping moves a day by at most one, and keeps the order of days.
    start = next(d for d in (first - timedelta(days=1), first, first + timedelta(days=1))
                 if shop_day_of_account_day(d, offset_minutes, window.timezone) >= first)
    end = next(d for d in (last + timedelta(days=1), last, last - timedelta(days=1))
               if shop_day_of_account_day(d, offset_minutes, window.timezone) <= last)
    return start, end


# An hourly row's first instant: in the account's offset when known (:offset_s), else the
# shop-time instant the importer stored.
HOUR_START_SQL = ("CASE WHEN :offset_s IS NULL THEN {t}start_utc ELSE "
                  "CAST(strftime('%s', {t}day) AS INTEGER) + {t}hour * 3600 - :offset_s END")


def local_day_and_hour(instant_utc: int, timezone: str) -> tuple[str, int]:
    """``(YYYY-MM-DD, hour)`` of an instant in ``timezone``."""
    local = datetime.fromtimestamp(instant_utc, ZoneInfo(timezone))
    return local.date().isoformat(), local.hour
