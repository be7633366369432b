"""The campaign plan: targets stored and parsed, each planned metric paced on hand-computed
cases (sums and ratios, "below is good", missing data), the command line's ``--target``,
the report's ``plan`` and the alert rule "planned metric behind plan".

The plan store: the pacing store of test_pacing_baseline_trend (28 days of history, one
$1.00 order every hour by buyers b0..b49, then a campaign Nov 20-23 with a $1,000 GMV
target), its campaign orders bought by two new buyers and one returning buyer:
$100 on Nov 20 10:00 (new_a), $30 on Nov 21 09:00 (new_b), $30 on Nov 21 11:00 (b3).
At noon of Nov 21: GMV so far $160, projected $440 (test_pacing_baseline_trend works it
out), 1.5 days elapsed, 2.5 days left; no product costs or creators, so the contribution
margin is GMV - refunds = $160; no ad, traffic or content data.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from campaign_core.alerts.engine import evaluate_alerts
from campaign_core.alerts.rules import save_rule
from campaign_core.cli import main
from campaign_core.demo.order_files import OrderSpec
from campaign_core.forecast.plan_pacing import (
    judge,
    pace_ratio,
    pace_sum,
    plan_pacing,
    project_with_sales,
    project_with_time,
)
from campaign_core.importers.pipeline import import_file
from campaign_core.plan_targets import PlanTarget, parse_target_option
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.campaigns import find_campaign, save_campaign
from campaign_core.store.plans import campaign_plan, set_plan_target
from campaign_core.store.shops import resolve_shop
from tests.conftest import TZ, line, write_export

LA = ZoneInfo(TZ)
NOON_DAY_2 = datetime(2026, 11, 21, 12, tzinfo=LA)


def _order(number: int, paid: datetime, cents: int, buyer: str) -> OrderSpec:
    return OrderSpec(f"5780{number:014d}", "Delivered", paid, paid, [line("07", 1, cents)],
                     buyer_username=buyer)


@pytest.fixture
def plan_store(tmp_path):
    orders, number = [], 0
    first = datetime(2026, 11, 20) - timedelta(days=28)
    for hour in range(28 * 24):
        orders.append(_order(number, first + timedelta(hours=hour, minutes=30), 100,
                             f"b{number % 50}"))
        number += 1
    for paid, cents, buyer in ((datetime(2026, 11, 20, 10), 10000, "new_a"),
                               (datetime(2026, 11, 21, 9), 3000, "new_b"),
                               (datetime(2026, 11, 21, 11), 3000, "b3")):
        orders.append(_order(number, paid, cents, buyer))
        number += 1
    db = tmp_path / "plan.db"
    assert import_file(db, write_export(tmp_path, orders), timezone=TZ).ok
    with write_transaction(db) as conn:
        shop = resolve_shop(conn, None, None)
        save_campaign(conn, shop_id=shop.shop_id, name="Sale", start_day=date(2026, 11, 20),
                      end_day=date(2026, 11, 23), gmv_target_cents=1000_00)
    return db


def paced(db, targets: list[PlanTarget], when: datetime = NOON_DAY_2):
    with read_connection(db) as conn:
        return {p.metric: p for p in plan_pacing(conn, find_campaign(conn, "Sale"), when,
                                                 targets)}


# --- the pure rules ---------------------------------------------------------------------

@pytest.mark.parametrize(("value", "target", "good_if", "status"), [
    (100, 100, "above", "on_track"), (95, 100, "above", "at_risk"),
    (90, 100, "above", "at_risk"), (89.9, 100, "above", "behind"),
    (100, 100, "below", "on_track"), (105, 100, "below", "at_risk"),
    (110, 100, "below", "at_risk"), (110.1, 100, "below", "behind"),
    (0, 0, "above", "on_track"), (1, 0, "below", "behind"),
])
def test_judge_on_both_sides_of_the_target(value, target, good_if, status):
    assert judge(value, target, good_if) == status


def test_a_sum_below_is_good_needs_at_most_its_allowance_per_day():
    # Target at most 10; 4 so far, projected 9, 2 days left: on track, at most 3 a day.
    assert pace_sum(10, "below", 4, 9, 2.0, "running") == ("on_track", 3.0)
    assert pace_sum(10, "below", 4, 11.5, 2.0, "running") == ("behind", 3.0)
    # Over its ceiling already: nothing more may be added.
    assert pace_sum(10, "below", 12, 20, 2.0, "running") == ("behind", 0.0)
    assert pace_sum(10, "below", 9, 9, 0.0, "ended") == ("reached", None)


def test_a_sum_above_is_good_once_over_needs_nothing_more():
    assert pace_sum(100, "above", 120, 200, 2.0, "running") == ("on_track", 0.0)
    assert pace_sum(100, "above", 40, 80, 2.0, "running") == ("behind", 30.0)
    assert pace_sum(100, "above", 40, 40, 0.0, "ended") == ("missed", None)
    assert pace_sum(100, "above", 0, 0, 4.0, "not_started") == ("not_started", 25.0)


def test_a_ratio_is_judged_on_the_period_so_far():
    assert pace_ratio(4.0, "above", 3.7, "running") == "at_risk"
    assert pace_ratio(4.0, "above", None, "running") == "no_data"
    assert pace_ratio(4.0, "above", 4.2, "ended") == "reached"
    assert pace_ratio(30.0, "below", 35.0, "ended") == "missed"
    assert pace_ratio(4.0, "above", 1.0, "not_started") == "not_started"


def test_time_projection_never_extrapolates_less_than_a_day():
    assert project_with_time(3, 1.5, 2.5) == 8.0  # 3 + 3 / 1.5 x 2.5
    assert project_with_time(2, 0.5, 3.5) == 9.0  # 2 + 2 / 1 day x 3.5, not 2 / 0.5 x 3.5
    assert project_with_sales(2, Decimal("160"), Decimal("440")) == 5.5
    assert project_with_sales(2, 0, 0) == 2.0


# --- on the plan store ------------------------------------------------------------------

def test_new_buyers_are_paced_with_the_gmv_projection(plan_store):
    # new_a and new_b are new (b3 bought before the campaign): 2 so far; projected with GMV:
    # 2 x 440 / 160 = 5.5; needed (8 - 2) / 2.5 days = 2.4 per day.
    rows = paced(plan_store, [PlanTarget("new_buyers", Decimal(5), "above"),
                              PlanTarget("gmv", Decimal(1000), "above")])
    new = rows["new_buyers"]
    assert (new.actual, new.projected, new.status) == (2, 5.5, "on_track")
    assert rows["gmv"].actual == Decimal("160.00") and rows["gmv"].status == "behind"
    assert rows["gmv"].needed_per_day == 336.0  # (1000 - 160) / 2.5, as the strip says
    assert paced(plan_store, [PlanTarget("new_buyers", Decimal(6), "above")])[
        "new_buyers"].status == "at_risk"  # 5.5 >= 90% of 6
    behind = paced(plan_store, [PlanTarget("new_buyers", Decimal(8), "above")])["new_buyers"]
    assert behind.status == "behind" and behind.needed_per_day == pytest.approx(2.4)


def test_margin_and_its_percent_without_costs(plan_store):
    # No product costs or creator costs: margin = GMV - refunds - the estimated US referral
    # fee (6% of $160 = $9.60) = $150.40, projected like GMV (x 2.75) to $413.60; margin %
    # = 94.0% so far, judged as is (a ratio: no projection, no need).
    rows = paced(plan_store, [PlanTarget("contribution_margin", Decimal(400), "above"),
                              PlanTarget("contribution_margin_pct", Decimal(90), "below")])
    margin, pct = rows["contribution_margin"], rows["contribution_margin_pct"]
    assert margin.actual == Decimal("150.40") and margin.projected == pytest.approx(413.6)
    assert margin.status == "on_track" and margin.needed_per_day == pytest.approx(99.84)
    assert pct.actual == pytest.approx(94.0) and pct.projected is None
    assert pct.needed_per_day is None
    assert pct.status == "at_risk"  # below is good: 94 is within 110% of 90


def test_missing_data_is_no_data_not_zero(plan_store):
    rows = paced(plan_store, [PlanTarget(name, Decimal(3), "above") for name in
                              ("roas", "ctr", "conversion", "creator_videos")])
    for name in ("roas", "ctr", "conversion", "creator_videos"):
        assert rows[name].actual is None and rows[name].status == "no_data", name


def test_after_the_end_sums_and_ratios_are_reached_or_missed(plan_store):
    after = datetime(2026, 12, 2, 12, tzinfo=LA)
    rows = paced(plan_store, [PlanTarget("new_buyers", Decimal(2), "above"),
                              PlanTarget("contribution_margin_pct", Decimal(50), "above")],
                 after)
    assert rows["new_buyers"].status == "reached" and rows["new_buyers"].projected == 2.0
    assert rows["new_buyers"].needed_per_day is None
    assert rows["contribution_margin_pct"].status == "reached"


def test_roas_is_the_period_ratio_not_a_mean_of_days(demo_store):
    from campaign_core.metrics.marketing import ad_totals
    from campaign_core.windows import daily_window, period_window

    with read_connection(demo_store) as conn:
        campaign = find_campaign(conn, conn.execute("SELECT name FROM campaign").fetchone()[0])
        now = datetime(2026, 11, 26, 14, 30, tzinfo=LA)
        [roas] = plan_pacing(conn, campaign, now, [PlanTarget("roas", Decimal(3), "above")])
        period = ad_totals(conn, campaign.shop_id, period_window(
            campaign.start_day, campaign.end_day, TZ, now))
        days = [ad_totals(conn, campaign.shop_id, daily_window(campaign.start_day
                                                                + timedelta(days=n), TZ, now))
                for n in range(6)]
    assert roas.actual == pytest.approx(float(period.revenue / period.spend), abs=1e-4)
    daily_mean = sum(d.roas for d in days if d.roas) / len([d for d in days if d.roas])
    assert roas.actual != pytest.approx(daily_mean, abs=1e-4)
    assert roas.projected is None and roas.status == ("on_track" if roas.actual >= 3 else
                                                      "at_risk" if roas.actual >= 2.7
                                                      else "behind")


# --- storing and writing a plan ---------------------------------------------------------

def test_the_plan_is_stored_with_gmv_in_the_campaign(plan_store):
    with write_transaction(plan_store) as conn:
        campaign_id = find_campaign(conn, "Sale").campaign_id
        set_plan_target(conn, campaign_id, "roas", Decimal("3.5"), "above")
        set_plan_target(conn, campaign_id, "contribution_margin", Decimal("120.50"), "above")
        set_plan_target(conn, campaign_id, "gmv", Decimal("2000"), "above")
        set_plan_target(conn, campaign_id, "own_videos", Decimal(4), "above")
        set_plan_target(conn, campaign_id, "own_videos", None)  # cleared again
    with read_connection(plan_store) as conn:
        campaign = find_campaign(conn, "Sale")
        plan = campaign_plan(conn, campaign)
        cents = conn.execute("SELECT target_cents FROM campaign_plan_target "
                             "WHERE metric = 'contribution_margin'").fetchone()[0]
    assert campaign.gmv_target_cents == 2000_00 and cents == 12050
    assert plan == [PlanTarget("gmv", Decimal("2000"), "above"),
                    PlanTarget("contribution_margin", Decimal("120.5"), "above"),
                    PlanTarget("roas", Decimal("3.5"), "above")]


def test_gmv_below_and_negative_targets_are_refused(plan_store):
    with write_transaction(plan_store) as conn:
        campaign_id = find_campaign(conn, "Sale").campaign_id
        with pytest.raises(ValueError, match="GMV"):
            set_plan_target(conn, campaign_id, "gmv", Decimal(5), "below")
        with pytest.raises(ValueError, match="negative"):
            set_plan_target(conn, campaign_id, "roas", Decimal(-1), "above")


@pytest.mark.parametrize(("text", "parsed"), [
    ("roas=4", ("roas", Decimal(4), "above")),
    ("CTR=2.5%:above", ("ctr", Decimal("2.5"), "above")),
    ("contribution_margin=$12,500.50", ("contribution_margin", Decimal("12500.50"), "above")),
    ("margin_pct=30:below", ("contribution_margin_pct", Decimal(30), "below")),
    ("own_lives=", ("seller_lives", None, "above")),
])
def test_target_option_parsing(text, parsed):
    assert parse_target_option(text) == parsed


@pytest.mark.parametrize(("text", "error"), [
    ("roas", "METRIC=VALUE"), ("views=3", "not a plannable metric"),
    ("roas=four", "not a number"), ("roas=4:sideways", "above or below"),
    ("roas=-2", "negative"),
])
def test_target_option_errors_say_what_is_wrong(text, error):
    with pytest.raises(ValueError, match=error):
        parse_target_option(text)


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_target_sets_the_plan_and_report_json_paces_it(plan_store, capsys):
    code, out, _ = run(capsys, "campaign", "--db", plan_store, "--name", "Sale",
                       "--target", "new_buyers=8", "--target", "margin_pct=90:below",
                       "--target", "gmv=1000", "--target", "roas=4")
    assert code == 0 and "plan: new_buyers 8 (good if above)" in out
    with read_connection(plan_store) as conn:
        campaign = find_campaign(conn, "Sale")
    assert (campaign.start_day, campaign.end_day) == (date(2026, 11, 20), date(2026, 11, 23))
    code, out, _ = run(capsys, "report", "--db", plan_store, "--campaign", "Sale", "--view",
                       "period", "--now", "2026-11-21T12:00:00", "--format", "json")
    plan = {row["metric"]: row for row in json.loads(out)["plan"]}
    assert list(plan) == ["gmv", "contribution_margin_pct", "roas", "new_buyers"]
    assert plan["gmv"] == {"metric": "gmv", "label": "GMV", "kind": "sum",
                           "good_if": "above", "target": 1000.0, "actual": 160.0,
                           "projected": 440.0, "status": "behind", "needed_per_day": 336.0,
                           # The band: day 1's $100 + today's $120 (twice its noon $60),
                           # then 2 days from "no lift" ($24) to the run rate of day 1
                           # and today ($110): the projection, $440, is inside.
                           "projected_low": 268.0, "projected_high": 440.0,
                           "band_level": 0.8}
    assert {k: plan["new_buyers"][k] for k in ("target", "actual", "projected", "status",
                                                "needed_per_day")} == {
        "target": 8.0, "actual": 2, "projected": 5.5, "status": "behind",
        "needed_per_day": 2.4}
    assert plan["contribution_margin_pct"]["status"] == "at_risk"
    assert plan["contribution_margin_pct"]["projected"] is None
    assert plan["roas"]["actual"] is None and plan["roas"]["status"] == "no_data"
    code, out, _ = run(capsys, "report", "--db", plan_store, "--campaign", "Sale", "--view",
                       "today", "--now", "2026-11-21T12:00:00")
    assert "  Plan New buyers: 2 so far, projected 6, target >= 8, behind" in out.splitlines()


def test_cli_target_keeps_the_old_flags_working(tmp_path, capsys):
    db = tmp_path / "s.db"
    code, _, _ = run(capsys, "campaign", "--db", db, "--name", "BF", "--start", "2026-11-20",
                     "--end", "2026-12-01", "--target-gmv", "250000", "--target", "ctr=3")
    assert code == 0
    with read_connection(db) as conn:
        campaign = find_campaign(conn, "BF")
        plan = campaign_plan(conn, campaign)
    assert [t.metric for t in plan] == ["gmv", "ctr"] and plan[0].target == 250000
    code, _, err = run(capsys, "campaign", "--db", db, "--name", "New one", "--target",
                       "ctr=3")
    assert code == 2 and "--start, --end" in err


def test_cli_rejects_an_unknown_metric(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["campaign", "--db", str(tmp_path / "s.db"), "--name", "BF", "--target",
              "views=3"])
    assert "not a plannable metric" in capsys.readouterr().err


# --- the alert rule ---------------------------------------------------------------------

def test_alert_names_the_metric_behind_plan(plan_store):
    with write_transaction(plan_store) as conn:
        campaign_id = find_campaign(conn, "Sale").campaign_id
        set_plan_target(conn, campaign_id, "gmv", None)
        set_plan_target(conn, campaign_id, "new_buyers", Decimal(8), "above")  # 31% short
        set_plan_target(conn, campaign_id, "contribution_margin_pct", Decimal(50), "above")
        save_rule(conn, kind="plan_behind", threshold=20)
    [event] = evaluate_alerts(plan_store, NOON_DAY_2)
    assert event.severity == "error"
    assert event.message == ("Sale: New buyers is projected at 6 (2 so far), 31% below the "
                             "plan's 8; 2 per day needed from now on.")
    # Within the threshold: nothing (and the cool-down holds the first back).
    with write_transaction(plan_store) as conn:
        set_plan_target(conn, find_campaign(conn, "Sale").campaign_id, "new_buyers",
                        Decimal(6), "above")
    assert evaluate_alerts(plan_store, NOON_DAY_2 + timedelta(hours=2)) == []


def test_alert_for_a_ratio_says_so_far_and_is_silent_after_the_end(plan_store):
    with write_transaction(plan_store) as conn:
        campaign_id = find_campaign(conn, "Sale").campaign_id
        set_plan_target(conn, campaign_id, "gmv", None)
        set_plan_target(conn, campaign_id, "contribution_margin_pct", Decimal(60), "below")
        save_rule(conn, kind="plan_behind", threshold=10)
    [event] = evaluate_alerts(plan_store, NOON_DAY_2)
    # 94.0% after the estimated 6% US referral fee.
    assert event.message == ("Sale: Contribution margin % is 94.0% so far, 57% above the "
                             "plan's 60.0%.")
    assert evaluate_alerts(plan_store, datetime(2026, 12, 3, tzinfo=LA)) == []


def test_deleting_a_campaign_deletes_its_plan(plan_store):
    from campaign_core.store.campaigns import delete_campaign

    with write_transaction(plan_store) as conn:
        campaign_id = find_campaign(conn, "Sale").campaign_id
        set_plan_target(conn, campaign_id, "roas", Decimal(3), "above")
        delete_campaign(conn, campaign_id)
    with read_connection(plan_store) as conn:
        assert conn.execute("SELECT COUNT(*) FROM campaign_plan_target").fetchone()[0] == 0
