"""A/B statistics checked against scipy on known cases, and the verdicts they lead to."""

from __future__ import annotations

import math
import random

import pytest

from campaign_core.experiments import stats
from campaign_core.experiments.evaluate import NO_DIFFERENCE, SRM, UNDERPOWERED, evaluate

scipy_stats = pytest.importorskip("scipy.stats")


@pytest.mark.parametrize(("conversions", "exposures"), [(0, 50), (13, 100), (104, 5200),
                                                       (50, 50), (1, 3)])
def test_wilson_interval_matches_scipy(conversions, exposures):
    expected = scipy_stats.binomtest(conversions, exposures).proportion_ci(
        confidence_level=0.95, method="wilson")
    low, high = stats.wilson_interval(conversions, exposures)
    assert low == pytest.approx(expected.low, abs=1e-9)
    assert high == pytest.approx(expected.high, abs=1e-9)


@pytest.mark.parametrize(("ka", "na", "kb", "nb"), [(104, 5200, 131, 5150), (30, 1000, 30, 1000),
                                                     (5, 40, 15, 45), (200, 10000, 160, 9000)])
def test_two_proportion_z_test_matches_the_pooled_formula_in_scipy(ka, na, kb, nb):
    pooled = (ka + kb) / (na + nb)
    z = (kb / nb - ka / na) / math.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
    expected_p = 2 * scipy_stats.norm.sf(abs(z))
    got_z, got_p = stats.two_proportion_z(ka, na, kb, nb)
    assert got_z == pytest.approx(z, rel=1e-12)
    assert got_p == pytest.approx(expected_p, rel=1e-9, abs=1e-15)


def test_z_test_has_no_p_value_without_variance():
    assert stats.two_proportion_z(0, 100, 0, 100) is None
    assert stats.two_proportion_z(0, 0, 1, 10) is None


@pytest.mark.parametrize(("baseline", "mde"), [(0.02, 0.005), (0.10, 0.02), (0.5, -0.05),
                                               (0.03, 0.003)])
def test_sample_size_per_arm_matches_scipy_quantiles(baseline, mde):
    p1, p2 = baseline, baseline + mde
    mean = (p1 + p2) / 2
    za, zb = scipy_stats.norm.ppf(0.975), scipy_stats.norm.ppf(0.8)
    expected = math.ceil((za * math.sqrt(2 * mean * (1 - mean))
                          + zb * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / mde ** 2)
    assert stats.required_per_arm(baseline, mde) == expected


def test_sample_size_of_a_textbook_case():
    # 10% vs 15%, alpha 0.05 two-sided, power 0.8: 686 per arm (Fleiss, no continuity
    # correction).
    assert stats.required_per_arm(0.10, 0.05) == 686


@pytest.mark.parametrize(("statistic", "degrees"), [(0.5, 1), (3.84, 1), (12.5, 2), (30, 3),
                                                    (0.01, 4), (100, 1), (7.2, 5)])
def test_chi_square_tail_matches_scipy(statistic, degrees):
    assert stats.chi_square_sf(statistic, degrees) == pytest.approx(
        scipy_stats.chi2.sf(statistic, degrees), rel=1e-9, abs=1e-300)


def test_srm_test_matches_scipy_chisquare():
    observed, shares = [5300, 4700], [50, 50]
    expected = scipy_stats.chisquare(observed, [5000, 5000])
    statistic, p_value = stats.srm_test(observed, shares)
    assert statistic == pytest.approx(expected.statistic)
    assert p_value == pytest.approx(expected.pvalue, rel=1e-9)
    three = scipy_stats.chisquare([330, 350, 320], [300, 300, 400])
    assert stats.srm_test([330, 350, 320], [3, 3, 4])[1] == pytest.approx(three.pvalue)


def test_obrien_fleming_spending_values():
    assert stats.obrien_fleming_spent(1.0) == pytest.approx(0.05)
    assert stats.obrien_fleming_spent(0.0) == 0.0
    # Per side: 2 - 2 Phi(z_0.9875 / sqrt(0.5)), as gsDesign's sfLDOF with alpha 0.025.
    per_side = 2 - 2 * scipy_stats.norm.cdf(scipy_stats.norm.ppf(1 - 0.0125) / 0.5 ** 0.5)
    assert stats.obrien_fleming_spent(0.5) == pytest.approx(2 * per_side)


@pytest.mark.parametrize(("information", "published"), [
    # Lan-DeMets O'Brien-Fleming boundaries, two-sided alpha 0.05 (gsDesign, ld98).
    ([0.2, 0.4, 0.6, 0.8, 1.0], [4.877, 3.357, 2.680, 2.290, 2.031]),
    ([0.5, 1.0], [2.963, 1.969]),
])
def test_exact_boundaries_match_published_values(information, published):
    assert stats.look_boundaries(information) == pytest.approx(published, abs=2e-3)


def test_looks_that_add_little_information_do_not_decide():
    boundaries = stats.look_boundaries([0.5, 0.5, 0.505, 1.0])
    assert boundaries[1] is None and boundaries[2] is None
    assert boundaries[3] == pytest.approx(1.969, abs=2e-3)
    assert stats.look_boundaries([0.001])[0] is None  # too early to spend anything


def test_daily_peeking_keeps_false_winners_below_alpha():
    """Under no difference, checking every day for 14 days with the boundaries declares a
    winner in about 5% of simulated tests (naive daily p < 0.05 does far more)."""
    rng = random.Random(11)
    days, per_day, rate, runs = 14, 400, 0.05, 600
    false_sequential = false_naive = 0
    for _ in range(runs):
        counts = []
        for day in range(days):
            for variant in "AB":
                conversions = sum(rng.random() < rate for _ in range(per_day))
                counts.append((variant, f"2026-11-{day + 1:02d}", per_day, conversions))
        result = evaluate({"name": "t", "variants": "A/B", "mde_pp": 100 * 0.0165,
                           "baseline_rate_pct": 5.0}, counts)
        # The plan's sample size is reached on the last day: all of alpha gets spent.
        assert result.required_per_arm <= days * per_day
        false_sequential += result.decision.endswith(("better", "worse"))
        naive = False
        totals = {"A": [0, 0], "B": [0, 0]}
        for index in range(0, len(counts), 2):
            for variant, _day, n, k in counts[index:index + 2]:
                totals[variant][0] += n
                totals[variant][1] += k
            test = stats.two_proportion_z(totals["A"][1], totals["A"][0], totals["B"][1],
                                          totals["B"][0])
            naive = naive or (test is not None and test[1] < 0.05)
        false_naive += naive
    # The boundaries spend exactly alpha = 0.05: allow two standard errors of the
    # simulation (600 runs); naive daily checking is far above it.
    standard_error = (0.05 * 0.95 / runs) ** 0.5
    assert false_sequential / runs < 0.05 + 2 * standard_error
    assert false_naive / runs > 0.10 and false_naive > 2 * false_sequential


def counts_for(days: int, per_day: tuple[int, int], rates: tuple[float, float]):
    rows = []
    for day in range(days):
        for variant, n, rate in zip("AB", per_day, rates, strict=True):
            rows.append((variant, f"2026-11-{day + 1:02d}", n, round(n * rate)))
    return rows


def test_an_early_modest_lead_is_underpowered_not_a_winner():
    plan = {"name": "Hook", "variants": "A/B", "mde_pp": 0.5, "baseline_rate_pct": 2.0,
            "planned_split": "50/50"}
    result = evaluate(plan, counts_for(2, (1000, 1000), (0.02, 0.03)))
    assert result.p_value < 0.05  # a fixed-sample test would call it
    assert result.decision == UNDERPOWERED
    assert "needs" in result.verdict and result.needs_more_per_arm > 0


def test_a_large_effect_crosses_the_boundary():
    plan = {"name": "Offer", "variants": "A/B", "mde_pp": 0.5, "baseline_rate_pct": 2.0}
    result = evaluate(plan, counts_for(10, (1500, 1500), (0.02, 0.035)))
    assert result.decision == "B better"
    assert "valid for daily checking" in result.verdict


def test_reaching_the_planned_sample_without_a_difference():
    plan = {"name": "CTA", "variants": "A/B", "mde_pp": 1.0, "baseline_rate_pct": 5.0}
    result = evaluate(plan, counts_for(10, (1000, 1000), (0.05, 0.05)))
    assert result.progress_pct >= 100 and result.decision == NO_DIFFERENCE


def test_a_broken_split_voids_the_verdict():
    plan = {"name": "Split", "variants": "A/B", "mde_pp": 0.5, "baseline_rate_pct": 2.0,
            "planned_split": "50/50"}
    result = evaluate(plan, counts_for(5, (1000, 800), (0.02, 0.05)))
    assert result.srm_flag and result.srm_p_value < 0.001 and result.decision == SRM


def test_creator_tests_are_observational_and_without_plan_underpowered():
    result = evaluate({"name": "Mia vs Sam", "varies": "creator"},
                      counts_for(3, (500, 500), (0.02, 0.04)))
    assert result.observational
    assert result.required_per_arm is None and result.decision == UNDERPOWERED


def test_without_an_mde_the_planned_looks_carry_the_sequential_plan():
    plan = {"name": "Looks", "variants": "A/B", "planned_looks": 4}
    strong = evaluate(plan, counts_for(4, (3000, 3000), (0.02, 0.04)))
    assert strong.required_per_arm is None and strong.decision == "B better"
    flat = evaluate(plan, counts_for(4, (3000, 3000), (0.03, 0.03)))
    assert flat.decision == NO_DIFFERENCE
    early = evaluate(plan, counts_for(2, (300, 300), (0.03, 0.045)))
    assert early.decision == UNDERPOWERED
