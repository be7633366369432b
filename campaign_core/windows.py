"""Time windows of the view switcher (Today / Daily / Campaign Period) in shop time.

A window is a half-open range of UTC instants ``[start_utc, end_utc)``, built from local
midnights of the campaign's timezone, so a day that changes to or from daylight saving time
has its 23 or 25 hours. "Now" is always a parameter: nothing here reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


class View(StrEnum):
    TODAY = "today"
    DAILY = "daily"
    PERIOD = "period"

    @property
    def label(self) -> str:
        return {"today": "Today", "daily": "Daily", "period": "Campaign Period"}[self.value]


@dataclass(frozen=True)
class Window:
    view: View
    start_utc: int  # inclusive, Unix seconds
    end_utc: int  # exclusive, Unix seconds
    timezone: str
    first_day: date  # local day of the start
    last_day: date  # local day of the last instant inside the window
    complete: bool  # False while "now" is inside the window (Today, or a running campaign)

    @property
    def hours(self) -> float:
        return (self.end_utc - self.start_utc) / 3600

    def describe(self) -> str:
        if self.first_day == self.last_day:
            return self.first_day.strftime("%b %d, %Y").replace(" 0", " ")
        return (f"{self.first_day:%b %d} - {self.last_day:%b %d, %Y}").replace(" 0", " ")


def local_midnight_utc(day: date, timezone: str) -> int:
    """The instant a local day starts, in Unix seconds.

    Where midnight itself falls in a DST gap, zoneinfo reads it with the offset before the
    change (``fold=0``), which is exactly the instant the day begins.
    """
    local = datetime.combine(day, time(0), tzinfo=ZoneInfo(timezone))
    return int(local.astimezone(UTC).timestamp())


def local_day_of(instant_utc: int, timezone: str) -> date:
    return datetime.fromtimestamp(instant_utc, ZoneInfo(timezone)).date()


def _now_bound(now: datetime) -> int:
    # Times in exports have whole seconds: an order paid at the current second is in.
    return int(now.timestamp()) + 1


def today_window(now: datetime, timezone: str) -> Window:
    """From 00:00 shop time today until now (inclusive of the current second)."""
    today = now.astimezone(ZoneInfo(timezone)).date()
    return Window(View.TODAY, local_midnight_utc(today, timezone), _now_bound(now), timezone,
                  today, today, complete=False)


def daily_window(day: date, timezone: str, now: datetime) -> Window:
    """One whole local day; a day that has not ended yet is cut at now (``complete`` False)."""
    start = local_midnight_utc(day, timezone)
    end = local_midnight_utc(day + timedelta(days=1), timezone)
    now_bound = _now_bound(now)
    if now_bound < end:
        return Window(View.DAILY, start, max(start, now_bound), timezone, day, day,
                      complete=False)
    return Window(View.DAILY, start, end, timezone, day, day, complete=True)


def period_window(start_day: date, end_day: date, timezone: str, now: datetime) -> Window:
    """From the campaign's first local midnight until now, or until its last day ends."""
    start = local_midnight_utc(start_day, timezone)
    end = local_midnight_utc(end_day + timedelta(days=1), timezone)
    now_bound = _now_bound(now)
    complete = now_bound >= end
    end = min(end, max(start, now_bound))
    last_day = local_day_of(max(start, end - 1), timezone)
    return Window(View.PERIOD, start, end, timezone, start_day, min(last_day, end_day),
                  complete=complete)


def yesterday(now: datetime, timezone: str) -> date:
    return now.astimezone(ZoneInfo(timezone)).date() - timedelta(days=1)


def resolve_window(view: View | str, *, start_day: date, end_day: date, timezone: str,
                   now: datetime, day: date | None = None) -> Window:
    """The window of a view for a campaign. ``day`` (Daily view) defaults to yesterday."""
    view = View(view)
    if view is View.TODAY:
        return today_window(now, timezone)
    if view is View.DAILY:
        return daily_window(day or yesterday(now, timezone), timezone, now)
    return period_window(start_day, end_day, timezone, now)


def parse_now(text: str | None, timezone: str) -> datetime:
    """``--now``: ISO-8601 with an offset, or naive meaning shop time; None is the clock."""
    if not text:
        return datetime.now(UTC)
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class Comparison:
    window: Window
    label: str  # what a delta is compared with: "yesterday", "Nov 20", "the 7 days before"


def default_comparison(window: Window) -> Comparison:
    """The window a view's deltas compare with by default.

    Today: yesterday from 00:00 to the same clock time. Daily: the day before. Campaign
    Period: as many days right before the campaign start, cut at the same elapsed time.
    """
    zone = window.timezone
    if window.view is View.TODAY:
        day = window.first_day - timedelta(days=1)
        start = local_midnight_utc(day, zone)
        elapsed = datetime.fromtimestamp(window.end_utc, ZoneInfo(zone)).replace(tzinfo=None)
        same_time = datetime.combine(day, elapsed.time(), tzinfo=ZoneInfo(zone))
        end = int(same_time.astimezone(UTC).timestamp())
        if elapsed.date() != window.first_day:  # the window ended at midnight: whole day
            end = local_midnight_utc(window.first_day, zone)
        return Comparison(Window(View.TODAY, start, max(start, end), zone, day, day, True),
                          "yesterday")
    if window.view is View.DAILY:
        day = window.first_day - timedelta(days=1)
        return Comparison(daily_window(day, zone, datetime.fromtimestamp(window.end_utc, UTC)),
                          f"{day:%b %d}".replace(" 0", " "))
    days = (window.last_day - window.first_day).days + 1
    first = window.first_day - timedelta(days=days)
    start = local_midnight_utc(first, zone)
    end = min(start + (window.end_utc - window.start_utc), window.start_utc)
    return Comparison(Window(View.PERIOD, start, end, zone, first,
                             window.first_day - timedelta(days=1), True),
                      f"the {days} day{'s' if days != 1 else ''} before")
