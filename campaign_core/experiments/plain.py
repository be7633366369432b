"""An A/B test's result in plain words, for the first line of its card: who does better,
the two rates, and whether there is enough data to be sure. The statistics behind it
(p-values, boundaries, sample sizes) are in ``ExperimentResult`` and its ``verdict``."""

from __future__ import annotations

from campaign_core.experiments.evaluate import (
    NO_DATA,
    NO_DIFFERENCE,
    SRM,
    ExperimentResult,
    VariantResult,
)

# What "better" and "worse" mean for each metric of the plan (experiment.metric).
_BETTER = {"conversion": ("converts better", "converts worse"),
           "ctr": ("gets more clicks", "gets fewer clicks"),
           "ctor": ("turns more clicks into orders", "turns fewer clicks into orders")}
_DEFAULT = ("does better", "does worse")


def _rates(first: VariantResult, second: VariantResult) -> tuple[str, str]:
    """Both rates in percent, with one decimal unless that makes them look equal."""
    a, b = 100 * (first.rate or 0), 100 * (second.rate or 0)
    decimals = 1 if f"{a:.1f}" != f"{b:.1f}" or a == b else 2
    return f"{a:.{decimals}f}%", f"{b:.{decimals}f}%"


def _leader(result: ExperimentResult) -> VariantResult:
    """The challenger furthest from the control (the control itself if it is alone)."""
    challengers = [v for v in result.variants[1:] if v.rate is not None]
    return max(challengers, key=lambda v: abs(v.lift_pp or 0), default=result.variants[0])


def headline(result: ExperimentResult) -> str:
    """One or two sentences a seller reads without statistics, e.g. "B converts better:
    3.1% vs 2.6%, enough data to be sure." Follows ``result.decision``; never a p-value."""
    if result.decision == NO_DATA or not result.variants:
        return "No data yet: import the experiment's daily counts (exposures, conversions)."
    control = result.variants[0]
    if result.decision == SRM:
        total = sum(v.exposures for v in result.variants) or 1
        shares = ", ".join(f"{v.name} {100 * v.exposures / total:.0f}%"
                           for v in result.variants[1:])
        return (f"Can't trust this test: {control.name} got "
                f"{100 * control.exposures / total:.0f}% of the visitors, {shares}, not the "
                "planned split. Check how visitors are assigned before reading the rates.")
    leader = _leader(result)
    mine, theirs = _rates(leader, control)
    if result.decision.endswith((" better", " worse")):
        name = result.decision.rsplit(" ", 1)[0]
        winner = next(v for v in result.variants if v.name == name)
        mine, theirs = _rates(winner, control)
        better, worse = _BETTER.get(result.metric or "", _DEFAULT)
        verb = better if result.decision.endswith(" better") else worse
        return f"{name} {verb}: {mine} vs {theirs}, enough data to be sure."
    so_far = f"{leader.name} {mine} vs {control.name} {theirs}"
    if result.decision == NO_DIFFERENCE:
        if result.mde_pp:
            points = "percentage point" if result.mde_pp == 1 else "percentage points"
            return (f"No real difference: {so_far}. With this much data a gap of "
                    f"{result.mde_pp:g} {points} or more would have shown.")
        return f"No real difference: {so_far}, after all the planned checks."
    more = result.needs_more_per_arm
    if more:
        progress = f" ({result.progress_pct:.0f}% of the planned data)" \
            if result.progress_pct is not None else ""
        need = f" About {more:,} more per variant are needed{progress}."
    else:
        need = (" Set the smallest difference worth finding (MDE) to know how much data "
                "is needed.")
    return f"Too early to tell: {so_far} so far, which could still be chance.{need}"
