"""Evaluate the shop's A/B tests from their daily counts (tables ``experiment``,
``experiment_day``), with the statistics of ``experiments.stats``.

Rules, shown as help text (``EXPERIMENT_RULES``): the first variant of an experiment is the
control; every other variant is compared with it. Counts are summed over all the
experiment's days (an experiment is not cut to the dashboard's window: it runs on its own
calendar). The plan's baseline rate, else the control's observed rate, and the planned MDE
give the sample size per arm (computed for an even split). Every day with data is a
look, at the information fraction smaller arm / sample size per arm (without an MDE: look
number / planned looks; with neither, no look can decide). A challenger is declared
better or worse only when its z crosses that look's O'Brien-Fleming boundary (alpha split
evenly among the challengers), so checking daily is safe; a test that reached its sample
size without crossing shows "no significant difference"; before that it is
"underpowered", whatever the p-value says. A sample ratio mismatch (p < 0.001) voids the
verdict. Creator-vs-creator tests are observational: creators differ in audience and
timing, so a difference is not caused by the creator alone.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from campaign_core.experiments.stats import (
    ALPHA,
    SRM_THRESHOLD,
    look_boundaries,
    required_per_arm,
    srm_test,
    two_proportion_z,
    wilson_interval,
)
from campaign_core.formatting import p_value

EXPERIMENT_RULES = __doc__.split("(``EXPERIMENT_RULES``): ", 1)[1].strip()
UNDERPOWERED = "underpowered"
NO_DIFFERENCE = "no significant difference"
SRM = "sample ratio mismatch"
NO_DATA = "no data"
OBSERVATIONAL_VARIES = ("creator",)


@dataclass(frozen=True)
class VariantResult:
    name: str
    exposures: int
    conversions: int
    rate: float | None  # fraction
    ci_low: float | None
    ci_high: float | None
    lift_pp: float | None  # vs the control, percentage points
    lift_pct: float | None  # relative, %
    p_value: float | None  # vs the control, fixed-sample z-test


@dataclass(frozen=True)
class ExperimentResult:
    name: str
    varies: str | None
    metric: str | None
    variants: tuple[VariantResult, ...]
    p_value: float | None  # the leading challenger vs the control
    required_per_arm: int | None
    progress_pct: float | None  # the smaller arm's exposures / required x 100
    srm_p_value: float | None
    srm_flag: bool
    looks: int
    planned_looks: int | None
    boundary_z: float | None  # at the latest look
    latest_z: float | None
    decision: str
    verdict: str  # the decision in a sentence
    observational: bool
    mde_pp: float | None
    baseline_pct: float | None

    @property
    def needs_more_per_arm(self) -> int | None:
        if self.required_per_arm is None or not self.variants:
            return None
        smallest = min(v.exposures for v in self.variants)
        return max(0, self.required_per_arm - smallest)


def experiment_results(conn: sqlite3.Connection, shop_id: int) -> list[ExperimentResult]:
    """Every experiment of the shop, evaluated; by name."""
    experiments = conn.execute(
        "SELECT * FROM experiment WHERE shop_id = :shop_id ORDER BY name COLLATE NOCASE",
        {"shop_id": shop_id}).fetchall()
    results = []
    for experiment in experiments:
        days = conn.execute(
            "SELECT variant, day, exposures, conversions FROM experiment_day "
            "WHERE experiment_id = :id ORDER BY day", {"id": experiment["experiment_id"]})
        results.append(evaluate(dict(experiment), [tuple(row) for row in days]))
    return results


def _variant_order(plan: dict, counts: list[tuple]) -> list[str]:
    named = [v for v in (plan.get("variants") or "").split("/") if v]
    seen = [row[0] for row in counts]
    return named + sorted({v for v in seen if v not in named}, key=seen.index)


def evaluate(plan: dict, counts: list[tuple[str, str, int, int]]) -> ExperimentResult:
    """One experiment: ``plan`` holds ``experiment`` columns (``name``, ``variants``,
    ``planned_split``, ``mde_pp``, ``baseline_rate_pct``, ``planned_looks``, ``varies``,
    ``metric``), ``counts`` its (variant, ISO day, exposures, conversions) rows."""
    names = [v for v in _variant_order(plan, counts)
             if any(row[0] == v for row in counts)] or _variant_order(plan, counts)
    totals = {name: [0, 0] for name in names}
    for variant, _day, exposures, conversions in counts:
        totals[variant][0] += exposures
        totals[variant][1] += conversions
    control = names[0] if names else None
    variants = tuple(_variant(name, totals, control) for name in names)
    baseline_pct = plan.get("baseline_rate_pct")
    if baseline_pct is None and control and totals[control][0]:
        baseline_pct = 100 * totals[control][1] / totals[control][0]
    mde_pp = plan.get("mde_pp")
    required = (required_per_arm(baseline_pct / 100, mde_pp / 100)
                if baseline_pct is not None and mde_pp else None)
    smallest = min((v.exposures for v in variants), default=0)
    progress = None if not required else round(100 * smallest / required, 1)
    srm = srm_test([v.exposures for v in variants], _shares(plan, len(variants)))
    srm_p = srm[1] if srm else None
    sequential = _sequential(names, counts, required, plan.get("planned_looks"))
    challengers = [v for v in variants[1:] if v.p_value is not None]
    leader = max(challengers, key=lambda v: abs(v.lift_pp or 0), default=None)
    decision, verdict = _decide(variants, srm_p, sequential, progress, required,
                                plan.get("mde_pp"))
    return ExperimentResult(
        name=plan.get("name", ""), varies=plan.get("varies"), metric=plan.get("metric"),
        variants=variants, p_value=leader.p_value if leader else None,
        required_per_arm=required, progress_pct=progress, srm_p_value=srm_p,
        srm_flag=srm_p is not None and srm_p < SRM_THRESHOLD,
        looks=sequential["looks"], planned_looks=plan.get("planned_looks"),
        boundary_z=sequential["boundary"], latest_z=sequential["z"], decision=decision,
        verdict=verdict, observational=(plan.get("varies") in OBSERVATIONAL_VARIES),
        mde_pp=mde_pp, baseline_pct=baseline_pct)


def _variant(name: str, totals: dict[str, list[int]], control: str | None) -> VariantResult:
    exposures, conversions = totals[name]
    interval = wilson_interval(conversions, exposures)
    rate = conversions / exposures if exposures else None
    lift_pp = lift_pct = p_value = None
    if control is not None and name != control and rate is not None and totals[control][0]:
        base = totals[control][1] / totals[control][0]
        lift_pp = 100 * (rate - base)
        lift_pct = 100 * (rate - base) / base if base else None
        test = two_proportion_z(totals[control][1], totals[control][0], conversions, exposures)
        p_value = test[1] if test else None
    return VariantResult(name, exposures, conversions, rate,
                         interval[0] if interval else None, interval[1] if interval else None,
                         lift_pp, lift_pct, p_value)


def _shares(plan: dict, arms: int) -> list[float]:
    text = plan.get("planned_split")
    if text:
        try:
            shares = [float(part) for part in text.split("/")]
            if len(shares) == arms and all(s > 0 for s in shares):
                return shares
        except ValueError:
            pass
    return [1.0] * arms


def _sequential(names: list[str], counts: list[tuple], required: int | None,
                planned_looks: int | None = None) -> dict:
    """Walk the days as looks; the first crossing of a boundary decides. The information
    of a look is the smaller arm's exposures / the sample size per arm; without a sample
    size, the look's number / the planned looks."""
    days = sorted({row[1] for row in counts})
    result = {"looks": len(days), "boundary": None, "z": None, "crossed": None}
    if len(names) < 2 or not (required or planned_looks):
        return result
    cumulative = {name: [0, 0] for name in names}
    by_day: dict[str, list[tuple]] = {}
    for row in counts:
        by_day.setdefault(row[1], []).append(row)
    fractions, states = [], []
    for day in days:
        for variant, _day, exposures, conversions in by_day[day]:
            cumulative[variant][0] += exposures
            cumulative[variant][1] += conversions
        if required:
            information = min(c[0] for c in cumulative.values()) / required
        else:
            information = (len(fractions) + 1) / planned_looks
        fractions.append(min(1.0, information))
        states.append({name: tuple(c) for name, c in cumulative.items()})
    alpha = ALPHA / (len(names) - 1)
    boundaries = look_boundaries(fractions, alpha)
    control = names[0]
    for state, boundary in zip(states, boundaries, strict=True):
        best = None
        for name in names[1:]:
            test = two_proportion_z(state[control][1], state[control][0], state[name][1],
                                    state[name][0])
            if test and (best is None or abs(test[0]) > abs(best[1])):
                best = (name, test[0])
        result["z"] = best[1] if best else None
        if boundary is not None:
            result["boundary"] = boundary
        if best and boundary is not None and abs(best[1]) >= boundary:
            result["crossed"] = best
            break
    result["information"] = fractions[-1] if fractions else 0.0
    return result


def _decide(variants: tuple[VariantResult, ...], srm_p: float | None, sequential: dict,
            progress: float | None, required: int | None,
            mde_pp: float | None) -> tuple[str, str]:
    if not variants or sum(v.exposures for v in variants) == 0:
        return NO_DATA, "No exposures yet: import the experiment's daily counts."
    if srm_p is not None and srm_p < SRM_THRESHOLD:
        return SRM, (f"Sample ratio mismatch (chi-square p {p_value(srm_p)}): the "
                     "split is not what was planned, so the result cannot be trusted. "
                     "Check how traffic is assigned.")
    crossed = sequential.get("crossed")
    if crossed:
        name, z = crossed
        control = variants[0].name
        if z > 0:
            return f"{name} better", (f"{name} is better than {control} (z = {z:.2f} "
                                      "crossed the O'Brien-Fleming boundary; valid for daily "
                                      "checking).")
        return f"{name} worse", (f"{name} is worse than {control} (z = {z:.2f} crossed the "
                                 "O'Brien-Fleming boundary; valid for daily checking).")
    if required is None:
        if sequential.get("information", 0) >= 1:
            return NO_DIFFERENCE, ("No significant difference after the planned looks.")
        why = "set a planned MDE" if not mde_pp else "the plan's rates are out of range"
        return UNDERPOWERED, (f"Underpowered: no sample size to aim for ({why}), so no "
                              "winner can be declared yet.")
    if progress is not None and progress >= 100:
        return NO_DIFFERENCE, ("No significant difference at the planned sample size: the "
                               f"variants differ by less than the planned {mde_pp:g} pp, "
                               "or not reliably.")
    smallest = min(v.exposures for v in variants)
    return UNDERPOWERED, (f"Underpowered: not enough data yet ({progress or 0:.0f}% of the "
                          f"planned sample; needs {required - smallest:,} more per arm).")


def experiments_report(results: list[ExperimentResult]) -> list[dict]:
    """The command line's ``experiments`` list: ``name``, ``variants`` (``name, exposures,
    conversions, rate, ci_low, ci_high``: rates in percent, 4 decimals), ``p_value``,
    ``required_per_arm``, ``srm_p_value`` (6 significant digits) and ``decision``."""
    def pct(value: float | None) -> float | None:
        return None if value is None else round(100 * value, 4)

    def sig(value: float | None) -> float | None:
        return None if value is None else float(f"{value:.6g}")

    return [{
        "name": result.name,
        "variants": [{"name": v.name, "exposures": v.exposures, "conversions": v.conversions,
                      "rate": pct(v.rate), "ci_low": pct(v.ci_low), "ci_high": pct(v.ci_high)}
                     for v in result.variants],
        "p_value": sig(result.p_value),
        "required_per_arm": result.required_per_arm,
        "srm_p_value": sig(result.srm_p_value),
        "decision": result.decision,
    } for result in results]
