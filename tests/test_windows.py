"""Time windows in shop time: midnight boundaries, DST days, campaign periods, comparisons."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from campaign_core.windows import (
    View,
    daily_window,
    default_comparison,
    parse_now,
    period_window,
    resolve_window,
    today_window,
)

LA = "America/Los_Angeles"


@pytest.mark.parametrize(("day", "hours"), [
    (date(2026, 11, 1), 25),  # clocks go back: a 25-hour day
    (date(2026, 3, 8), 23),  # clocks go forward: a 23-hour day
    (date(2026, 11, 20), 24),
])
def test_daily_window_has_the_local_days_hours(day, hours):
    window = daily_window(day, LA, datetime(2027, 1, 1, tzinfo=UTC))
    assert window.hours == hours
    assert window.complete


def test_daily_window_starts_at_local_midnight():
    window = daily_window(date(2026, 11, 20), LA, datetime(2027, 1, 1, tzinfo=UTC))
    assert datetime.fromtimestamp(window.start_utc, UTC) == datetime(2026, 11, 20, 8, tzinfo=UTC)
    assert datetime.fromtimestamp(window.end_utc, UTC) == datetime(2026, 11, 21, 8, tzinfo=UTC)


def test_today_runs_from_local_midnight_to_now_inclusive():
    now = datetime(2026, 11, 26, 22, 30, 15, tzinfo=UTC)  # 14:30:15 in Los Angeles
    window = today_window(now, LA)
    assert window.first_day == date(2026, 11, 26)
    assert window.start_utc == int(datetime(2026, 11, 26, 8, tzinfo=UTC).timestamp())
    assert window.end_utc == int(now.timestamp()) + 1
    assert not window.complete


def test_today_just_after_utc_midnight_is_still_the_local_day_before():
    now = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # 18:00 on Nov 26 in Los Angeles
    assert today_window(now, LA).first_day == date(2026, 11, 26)


def test_daily_window_of_an_unfinished_day_is_cut_at_now():
    now = datetime(2026, 11, 26, 22, 30, tzinfo=UTC)
    window = daily_window(date(2026, 11, 26), LA, now)
    assert window.end_utc == int(now.timestamp()) + 1 and not window.complete


def test_period_is_capped_by_now_while_the_campaign_runs():
    now = datetime(2026, 11, 26, 22, 30, tzinfo=UTC)
    window = period_window(date(2026, 11, 20), date(2026, 12, 1), LA, now)
    assert window.end_utc == int(now.timestamp()) + 1
    assert window.last_day == date(2026, 11, 26) and not window.complete


def test_period_ends_with_the_last_campaign_day():
    window = period_window(date(2026, 11, 20), date(2026, 12, 1), LA,
                           datetime(2027, 1, 5, tzinfo=UTC))
    assert window.end_utc == int(datetime(2026, 12, 2, 8, tzinfo=UTC).timestamp())
    assert window.complete and window.last_day == date(2026, 12, 1)


def test_period_before_the_campaign_is_empty():
    window = period_window(date(2026, 11, 20), date(2026, 12, 1), LA,
                           datetime(2026, 11, 1, tzinfo=UTC))
    assert window.end_utc == window.start_utc


def test_daily_view_defaults_to_yesterday():
    window = resolve_window(View.DAILY, start_day=date(2026, 11, 20), end_day=date(2026, 12, 1),
                            timezone=LA, now=datetime(2026, 11, 26, 22, tzinfo=UTC))
    assert window.first_day == date(2026, 11, 25) and window.complete


def test_windows_in_another_timezone_use_its_midnight():
    window = daily_window(date(2026, 11, 20), "Asia/Jakarta", datetime(2027, 1, 1, tzinfo=UTC))
    assert datetime.fromtimestamp(window.start_utc, UTC) == datetime(2026, 11, 19, 17,
                                                                     tzinfo=UTC)


def test_today_compares_with_yesterday_up_to_the_same_clock_time():
    now = datetime(2026, 11, 26, 22, 30, tzinfo=UTC)
    comparison = default_comparison(today_window(now, LA))
    assert comparison.label == "yesterday"
    assert comparison.window.first_day == date(2026, 11, 25)
    assert comparison.window.end_utc - comparison.window.start_utc == \
        today_window(now, LA).end_utc - today_window(now, LA).start_utc


def test_period_compares_with_as_many_days_before_the_start():
    now = datetime(2026, 11, 26, 22, 30, tzinfo=UTC)
    window = period_window(date(2026, 11, 20), date(2026, 12, 1), LA, now)
    comparison = default_comparison(window)
    assert comparison.window.first_day == date(2026, 11, 13)
    assert comparison.window.end_utc <= window.start_utc
    assert comparison.label == "the 7 days before"


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-11-26T14:30:00-08:00", datetime(2026, 11, 26, 22, 30, tzinfo=UTC)),
    ("2026-11-26T22:30:00Z", datetime(2026, 11, 26, 22, 30, tzinfo=UTC)),
    ("2026-11-26T14:30:00", datetime(2026, 11, 26, 22, 30, tzinfo=UTC)),  # naive: shop time
])
def test_now_parses_offsets_and_shop_time(text, expected):
    assert parse_now(text, LA) == expected
