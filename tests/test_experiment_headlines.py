"""A/B tests in plain words first: who does better, by how much, and whether there is
enough data to be sure (the statistics stay one click away)."""

from __future__ import annotations

from campaign_core.experiments.evaluate import evaluate
from campaign_core.experiments.plain import headline


def counts_for(days: int, per_day: tuple[int, int], rates: tuple[float, float]):
    return [(variant, f"2026-11-{day + 1:02d}", n, round(n * rate))
            for day in range(days)
            for variant, n, rate in zip("AB", per_day, rates, strict=True)]


def test_a_winner_reads_as_a_sentence_with_both_rates():
    plan = {"name": "Offer", "variants": "A/B", "mde_pp": 0.5, "baseline_rate_pct": 2.0,
            "metric": "conversion"}
    text = headline(evaluate(plan, counts_for(10, (1500, 1500), (0.026, 0.045))))
    assert text == "B converts better: 4.5% vs 2.6%, enough data to be sure."


def test_a_loser_and_a_click_metric_read_in_their_own_words():
    plan = {"name": "Hook", "variants": "A/B", "mde_pp": 0.5, "baseline_rate_pct": 4.0,
            "metric": "ctr"}
    text = headline(evaluate(plan, counts_for(10, (1500, 1500), (0.045, 0.025))))
    assert text.startswith("B gets fewer clicks: 2.5% vs 4.5%")


def test_an_early_lead_is_too_early_to_tell_and_says_how_much_more_is_needed():
    plan = {"name": "Hook", "variants": "A/B", "mde_pp": 0.5, "baseline_rate_pct": 2.0}
    result = evaluate(plan, counts_for(2, (1000, 1000), (0.02, 0.03)))
    text = headline(result)
    assert text.startswith("Too early to tell: B 3.0% vs A 2.0% so far")
    assert f"{result.needs_more_per_arm:,} more per variant" in text
    assert "p-value" not in text and "z =" not in text


def test_no_difference_at_the_planned_size_says_the_gap_is_small():
    plan = {"name": "CTA", "variants": "A/B", "mde_pp": 1.0, "baseline_rate_pct": 5.0}
    text = headline(evaluate(plan, counts_for(10, (1000, 1000), (0.05, 0.05))))
    assert text.startswith("No real difference: B 5.0% vs A 5.0%")
    assert "1 percentage point" in text


def test_a_broken_split_says_the_test_cannot_be_trusted_in_words():
    plan = {"name": "Split", "variants": "A/B", "mde_pp": 0.5, "baseline_rate_pct": 2.0,
            "planned_split": "50/50"}
    text = headline(evaluate(plan, counts_for(5, (1000, 800), (0.02, 0.05))))
    assert text.startswith("Can't trust this test: A got 56% of the visitors, B 44%")
    assert "not the planned split" in text


def test_no_data_says_what_to_import():
    text = headline(evaluate({"name": "Empty", "variants": "A/B"}, []))
    assert text.startswith("No data yet")
