"""GMV Max holdouts: the plan, a simulation with a known lift, and the store evaluation."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from campaign_core.experiments.holdout import assign_arms, estimate_lift, units_per_arm
from campaign_core.experiments.holdout_store import holdout_results, save_holdout
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.costs import set_unit_cost
from tests.gmv_max_store import add_creative, add_line, instant, new_store

TZ = "America/Los_Angeles"


def test_arms_are_a_seeded_random_half():
    units = [f"p{i}" for i in range(10)]
    arms = assign_arms(units, seed=7)
    assert sorted(arms.values()).count("off") == 5
    assert arms == assign_arms(list(reversed(units)), seed=7)  # same seed, same plan
    assert arms != assign_arms(units, seed=8)


def test_units_per_arm_by_hand():
    # 2 x (1.95996 + 0.84162)^2 x (100 / 50)^2 = 62.79 -> 63
    assert units_per_arm(100, 50) == 63
    assert units_per_arm(100, 0) is None


def test_simulated_holdouts_cover_the_known_lift_at_the_stated_rate():
    """400 simulated tests of 40 products per arm with a true lift of 5.00 a day: the 95%
    interval holds the true lift in 92-98% of them (binomial spread around 95%), and the
    test finds the lift (interval above 0) about as often as planned for."""
    rng = random.Random(2026)
    true_lift, sd, per_arm = 500.0, 900.0, 40
    covered = found = 0
    runs = 400
    for _ in range(runs):
        off = [rng.gauss(3000, sd) for _ in range(per_arm)]
        ads = [rng.gauss(3000 + true_lift, sd) for _ in range(per_arm)]
        estimate = estimate_lift(ads, off)
        covered += estimate.low <= true_lift <= estimate.high
        found += estimate.low > 0
    assert 0.92 <= covered / runs <= 0.98
    # Power planned: units_per_arm(900, 500) products per arm give 80%.
    assert units_per_arm(sd, true_lift) == 51
    assert 0.6 <= found / runs <= 0.85  # 40 < 51 per arm: a little under 80%


def test_a_finished_holdout_recovers_the_lift_it_was_given(tmp_path):
    db = new_store(tmp_path)
    start = date(2026, 11, 1)
    rng = random.Random(5)
    products = [f"p{i:02d}" for i in range(30)]
    arms = assign_arms(products, seed=3)
    with write_transaction(db) as conn:
        order = 0
        for product in products:
            set_unit_cost(conn, 1, f"s{product}", 10_00, "2026-10-01")
            for offset in range(14):
                day = (start + timedelta(days=offset)).isoformat()
                value = max(0, round(rng.gauss(40_00, 8_00)))
                if arms[product] == "ads":
                    value += 10_00  # the ads add 10.00 per product-day
                order += 1
                add_line(conn, f"o{order}", f"s{product}", value, instant(day, TZ),
                         product=product)
            if arms[product] == "ads":
                add_creative(conn, "c1", product, 5_00 * 14, 30_00 * 14, "2026-11-01",
                             "2026-11-14")
        save_holdout(conn, 1, "Half off", "products", start, date(2026, 11, 14), arms, 3,
                     lift_cents=10_00)
    with read_connection(db) as conn:
        (result,) = holdout_results(conn, 1, TZ, date(2026, 12, 1))
    assert result.finished and result.days == 14
    estimate, low, high = result.incremental_gmv
    ads_units = sum(1 for arm in arms.values() if arm == "ads")
    truth = 10_00 * 14 * ads_units
    assert low <= truth <= high
    assert estimate == pytest.approx(truth, rel=0.35)
    assert result.ad_spend == 5_00 * 14 * ads_units
    per_dollar = result.per_ad_dollar()[0]
    assert per_dollar == pytest.approx(estimate / result.ad_spend)
    margin = result.margin_per_ad_dollar()[0]
    assert margin == pytest.approx(per_dollar * result.margin_rate - 1)
    assert result.boundary is not None


def test_save_refuses_an_empty_arm(tmp_path):
    db = new_store(tmp_path)
    with write_transaction(db) as conn, pytest.raises(ValueError, match="both arms"):
        save_holdout(conn, 1, "x", "products", date(2026, 11, 1), date(2026, 11, 2),
                     {"p1": "ads"}, 1)
