"""The projection band: hand-computed cases on plain lists, and its back-test on the demo."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from campaign_core.forecast.backtest import BACKTEST_HOURS, backtest
from campaign_core.forecast.band import (
    _order_statistic_bounds,
    band_text,
    campaign_band,
    day_band,
    period_band,
)
from campaign_core.store import read_connection
from campaign_core.store.campaigns import list_campaigns
from tests.conftest import DEMO_TODAY

FLAT = [1.0] * 24  # a day selling 1 every hour


def test_order_statistics_give_the_stated_level() -> None:
    # 28 days: the 3rd lowest and 3rd highest (0-based 2 and 25): 23 / 29 = 79%.
    assert _order_statistic_bounds(28, 0.8) == (2, 25)
    lower, upper = _order_statistic_bounds(99, 0.8)
    assert (upper - lower) / 100 == pytest.approx(0.8)


def test_day_band_from_ratios() -> None:
    # Days whose first 12 hours sell 1/h and last 12 sell 1/h, 2/h or 3/h: ratios 2, 3, 4.
    reference = [[1.0] * 12 + [float(k)] * 12 for k in (1, 2, 3) for _ in range(10)]
    band = day_band(reference, 12, so_far=50.0, level=0.8)
    assert band.from_ratios
    # 30 days: outside = round(0.1 * 31) = 3 -> sorted ratios [2]*10, [3]*10, [4]*10.
    assert (band.low, band.high, band.centre) == (100.0, 200.0, 150.0)


def test_day_band_early_uses_the_remainders() -> None:
    reference = [FLAT] * 28
    band = day_band(reference, 0.5, so_far=3.0, scale=2.0)
    assert not band.from_ratios
    assert band.low == band.high == 3.0 + 23.5 * 2


def test_period_band_on_launch_day_names_no_single_figure() -> None:
    reference = [FLAT] * 28  # 24 a day
    today = day_band(reference, 12, so_far=36.0)  # a launch spike: 3x a normal morning
    band = period_band(so_far=36.0, today=today, today_so_far=36.0, completed_days=[],
                       days_left=11, reference=reference)
    assert band.too_early and band.centre is None
    assert band.low == 72 + 11 * 24  # today's estimate, then no lift: normal days
    assert band.high == 72 + 11 * 72  # every day like today


def test_period_band_without_an_upper_end_in_the_first_hours() -> None:
    reference = [FLAT] * 28
    today = day_band(reference, 0.5, so_far=5.0)
    band = period_band(so_far=5.0, today=today, today_so_far=5.0, completed_days=[],
                       days_left=3, reference=reference)
    assert band.too_early and band.high is None


def test_period_band_spread_grows_with_the_days_left() -> None:
    reference = [[1.0] * 24, [1.5] * 24] * 14  # daily totals 24 and 36: spread 0.2
    completed = [100.0, 120.0, 80.0, 100.0]
    today = day_band(reference, 24, so_far=100.0)
    near = period_band(so_far=500.0, today=today, today_so_far=100.0,
                       completed_days=completed, days_left=1, reference=reference)
    far = period_band(so_far=500.0, today=today, today_so_far=100.0,
                      completed_days=completed, days_left=8, reference=reference)
    assert near.centre == 600.0 and far.centre == 1300.0
    # z(80%) = 1.2816; sd of one day = 0.2 x 100 = 20; days 1: 20^2 + 20^2/4.
    assert near.high - near.centre == pytest.approx(1.2816 * (400 + 100) ** 0.5, rel=1e-3)
    assert far.high - far.centre > near.high - near.centre
    assert far.low >= 500.0  # never below what is already sold


def test_campaign_band_on_the_demo(demo_store) -> None:
    with read_connection(demo_store) as conn:
        campaign = list_campaigns(conn)[0]
        zone = ZoneInfo(campaign.timezone)
        noon_day_1 = datetime.combine(campaign.start_day, datetime.min.time(), zone) \
            + timedelta(hours=12)
        launch = campaign_band(conn, campaign, noon_day_1)
        afternoon = campaign_band(conn, campaign,
                                  datetime.combine(DEMO_TODAY, datetime.min.time(), zone)
                                  + timedelta(hours=14))
        before = campaign_band(conn, campaign, noon_day_1 - timedelta(days=2))
    assert before is None
    assert launch.too_early and launch.centre is None
    assert "too early" in band_text(launch, campaign.currency)
    assert not afternoon.too_early
    assert afternoon.low < afternoon.centre < afternoon.high
    text = band_text(afternoon, campaign.currency)
    assert text.startswith("projected $") and "(80% range)" in text


def test_backtest_coverage_on_the_demo_is_near_the_stated_level(demo_store) -> None:
    with read_connection(demo_store) as conn:
        campaign = list_campaigns(conn)[0]
        result = backtest(conn, campaign.shop_id, campaign.timezone,
                          campaign.start_day - timedelta(days=150),
                          DEMO_TODAY - timedelta(days=1), campaign_start=campaign.start_day)
    coverage = result["all"]
    for hour in BACKTEST_HOURS:
        assert coverage.checked[hour] >= 100
        assert abs(coverage.share(hour) - 0.8) <= 0.10, (hour, coverage.share(hour))
    assert result["campaign"].checked[12] == (DEMO_TODAY - campaign.start_day).days
