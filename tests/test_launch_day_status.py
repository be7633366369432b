"""Launch day: the pacing status (target strip, plan, alerts, report) is judged against the
projection band, not the one-figure projection of the first hours.

The plan store of test_plan_pacing: 28 days of history at $1.00 every hour ($24 a day,
flat), then a campaign Nov 20-23; on Nov 20 one $100 order at 10:00 (a new buyer).
At noon of Nov 20 (launch day, no campaign day complete):
- the one-figure projection: today's $100 is half a typical day's hours done, so today
  ends at $200 and so does each of the 3 days left: $800;
- the band: today $200 (every reference day's ratio "total / by noon" is 2), then from
  "no lift after today" (3 x $24: low $272) to "every day like today" (3 x $200: high $800);
- new buyers (1 so far) are projected with GMV: 1 x 800 / 100 = 8, range 2.72 to 8.
At 00:30 the day's ratios are not usable (under 5% of a day done): the band has no upper end.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

import pytest

from campaign_core.alerts.engine import evaluate_alerts
from campaign_core.alerts.rules import save_rule
from campaign_core.forecast.band import campaign_band
from campaign_core.forecast.pacing import TOO_EARLY, campaign_pacing, launch_status
from campaign_core.forecast.plan_pacing import plan_pacing, plan_report
from campaign_core.plan_targets import PlanTarget
from campaign_core.report import build_report
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.campaigns import find_campaign
from campaign_core.store.plans import set_plan_target
from tests.test_plan_pacing import LA, NOON_DAY_2, plan_store  # noqa: F401 (fixture)

NOON_DAY_1 = datetime(2026, 11, 20, 12, tzinfo=LA)


@pytest.mark.parametrize(("target", "so_far", "low", "high", "good_if", "status"), [
    (100, 20, 110, None, "above", "on_track"),  # even the low end reaches it
    (100, 120, None, None, "above", "on_track"),  # already there
    (100, 20, 40, 80, "above", "behind"),  # even the high end is under 90
    (100, 20, 40, 90, "above", TOO_EARLY),  # 90: within 10% at best
    (100, 20, 40, None, "above", TOO_EARLY),  # no upper end yet
    (100, 50, 60, 95, "below", "on_track"),  # even the high end stays under
    (100, 115, None, None, "below", "behind"),  # already over by more than 10%
    (100, 50, 60, 130, "below", TOO_EARLY),
])
def test_launch_status_on_hand_cases(target, so_far, low, high, good_if, status):
    assert launch_status(target, so_far, low, high, good_if) == status


def _set_target(db, cents: int) -> None:
    with write_transaction(db) as conn:
        conn.execute("UPDATE campaign SET gmv_target_cents = :cents", {"cents": cents})


def _pacing(db, when):
    with read_connection(db) as conn:
        campaign = find_campaign(conn, "Sale")
        return campaign_pacing(conn, campaign, when), campaign_band(conn, campaign, when)


def test_the_band_and_projection_at_noon_of_launch_day(plan_store):  # noqa: F811
    pacing, band = _pacing(plan_store, NOON_DAY_1)
    assert pacing.projected_gmv == Decimal("800.00")
    assert band.too_early and (band.low, band.high) == (Decimal("272.00"), Decimal("800.00"))


@pytest.mark.parametrize(("target", "status"), [
    (250_00, "on_track"),  # 272 >= 250 whatever comes
    (500_00, TOO_EARLY),  # the one figure ($800) said on track
    (850_00, TOO_EARLY),  # the one figure said at risk (800 >= 765)
    (1000_00, "behind"),  # even every day like today: 800 < 900
])
def test_gmv_status_on_launch_day_is_judged_on_the_band(plan_store, target, status):  # noqa: F811
    _set_target(plan_store, target)
    pacing, _ = _pacing(plan_store, NOON_DAY_1)
    assert pacing.status == status


def test_first_half_hour_without_history_of_the_day_is_too_early(plan_store):  # noqa: F811
    _set_target(plan_store, 500_00)
    pacing, band = _pacing(plan_store, NOON_DAY_1.replace(hour=0, minute=30))
    assert band.high is None and pacing.status == TOO_EARLY


def test_day_two_is_judged_on_the_projection_again(plan_store):  # noqa: F811
    pacing, _ = _pacing(plan_store, NOON_DAY_2)
    assert (pacing.projected_gmv, pacing.status) == (Decimal("440.00"), "behind")


def test_planned_sums_on_launch_day(plan_store):  # noqa: F811
    targets = [PlanTarget("gmv", Decimal(500), "above"),
               PlanTarget("new_buyers", Decimal(5), "above"),
               PlanTarget("new_buyers", Decimal(2), "above"),
               PlanTarget("new_buyers", Decimal(10), "above")]
    with read_connection(plan_store) as conn:
        paces = plan_pacing(conn, find_campaign(conn, "Sale"), NOON_DAY_1, targets)
    gmv, five, two, ten = paces
    assert (gmv.projected_low, gmv.projected_high) == (Decimal("272.00"), Decimal("800.00"))
    assert gmv.status == TOO_EARLY
    assert five.actual == 1 and five.projected == pytest.approx(8)
    assert (five.projected_low, five.projected_high) == (pytest.approx(2.72),
                                                          pytest.approx(8))
    assert [five.status, two.status, ten.status] == [TOO_EARLY, "on_track", "behind"]
    rows = plan_report(paces)
    assert rows[1]["projected_low"] == 2.72 and rows[1]["projected_high"] == 8.0
    assert rows[1]["band_level"] == 0.8 and rows[1]["status"] == "too_early"


def test_no_alert_while_it_is_too_early(plan_store):  # noqa: F811
    _set_target(plan_store, 850_00)  # the one figure: 6% short
    with write_transaction(plan_store) as conn:
        campaign_id = find_campaign(conn, "Sale").campaign_id
        set_plan_target(conn, campaign_id, "new_buyers", Decimal("8.5"), "above")  # 8: 6% short
        save_rule(conn, kind="plan_behind", threshold=5)
        save_rule(conn, kind="pacing_below", threshold=5)
    assert evaluate_alerts(plan_store, NOON_DAY_1) == []
    # Day 2 is judged on the projection: both rules fire.
    fired = evaluate_alerts(plan_store, NOON_DAY_2)
    assert {event.key.split(":")[0] for event in fired} == {"plan", "pacing"}


def test_report_json_carries_the_band_and_the_launch_day_status(plan_store):  # noqa: F811
    _set_target(plan_store, 500_00)
    with write_transaction(plan_store) as conn:
        set_plan_target(conn, find_campaign(conn, "Sale").campaign_id, "roas", Decimal(3),
                        "above")
    with read_connection(plan_store) as conn:
        campaign = find_campaign(conn, "Sale")
        report = json.loads(json.dumps(build_report(conn, campaign, "period", NOON_DAY_1),
                                       default=str))
        early = build_report(conn, campaign, "period", NOON_DAY_1.replace(hour=0, minute=30))
        after = build_report(conn, campaign, "period", datetime(2026, 12, 1, tzinfo=LA))
    target = report["target"]
    assert (target["status"], target["projected_gmv"]) == ("too_early", 800.0)
    assert (target["projected_low"], target["projected_high"]) == (272.0, 800.0)
    assert target["band_level"] == 0.8
    plan = {row["metric"]: row for row in report["plan"]}
    assert (plan["gmv"]["projected_low"], plan["gmv"]["projected_high"]) == (272.0, 800.0)
    assert plan["gmv"]["status"] == "too_early"
    assert plan["roas"]["projected_low"] is None and plan["roas"]["band_level"] is None
    assert early["target"]["projected_high"] is None  # no upper end yet
    assert early["target"]["projected_low"] is not None
    # After the end the total is known: no band.
    assert after["target"]["projected_low"] is None and after["target"]["band_level"] is None
