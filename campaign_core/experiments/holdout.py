"""GMV Max holdouts: what the ads add beyond the sales that would have come anyway.

Rules (``HOLDOUT_RULES``):

- **Plan**: comparable products (the promoted ones with sales over the lookback) are split
  at random, with a recorded seed, into two halves: GMV Max stays on for one ("ads") and is
  switched off in Ads Manager for the other ("off") over the test period; or, for a shop
  with too few products, whole days alternate at random. The seller carries the plan out;
  this program only reads the store.
- **Unit**: the randomised unit (a product, or a day), its value its average daily GMV over
  the test period (product design) or the promoted products' GMV that day (day design).
- **Power**: units per arm = 2 (z(1 - alpha/2) + z(power))^2 s^2 / d^2, with s the standard
  deviation of the unit values over the lookback and d the smallest lift worth finding
  (alpha 0.05 two-sided, power 0.8, as the A/B engine).
- **Estimate**: incremental GMV per unit = mean(ads) - mean(off), with a Welch standard
  error and a 95% normal interval; over the test it is that x the ads units (x days for the
  product design). Incremental GMV per ad dollar = that / ad spend of the ads arm in the
  period; margin per ad dollar = incremental GMV x the contribution margin rate before ads
  (``profit.break_even``) / ad spend - 1, with the interval carried through.
- **Sequential**: each day of the test is a look; the information fraction is the smaller
  arm's units with data / the planned units per arm; the A/B engine's O'Brien-Fleming-type
  boundaries (``stats.look_boundaries``) say when |z| may decide before the end.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from statistics import mean, variance

from campaign_core.experiments.stats import ALPHA, POWER, look_boundaries, z_quantile

HOLDOUT_RULES = __doc__.split("\n\n", 1)[1].replace("\n(``HOLDOUT_RULES``)", "").strip()


def assign_arms(units: list[str], seed: int) -> dict[str, str]:
    """A random half of ``units`` (sorted first, so the same seed gives the same plan) in
    "off", the rest in "ads"; an odd unit goes to "ads"."""
    ordered = sorted(units)
    random.Random(seed).shuffle(ordered)
    half = len(ordered) // 2
    return {unit: ("off" if index < half else "ads") for index, unit in enumerate(ordered)}


def units_per_arm(sd: float, lift: float, alpha: float = ALPHA,
                  power: float = POWER) -> int | None:
    """Units each arm needs to find a difference ``lift`` in unit means whose spread is
    ``sd`` (same unit); None when ``lift`` or ``sd`` is not positive."""
    if lift <= 0 or sd <= 0:
        return None
    z = z_quantile(1 - alpha / 2) + z_quantile(power)
    return math.ceil(2 * (z * sd / lift) ** 2 - 1e-9)


@dataclass(frozen=True)
class LiftEstimate:
    """Incremental value per unit (ads - off) with its 95% interval and z."""

    ads_units: int
    off_units: int
    ads_mean: float
    off_mean: float
    difference: float
    standard_error: float | None
    low: float | None
    high: float | None

    @property
    def z(self) -> float | None:
        if not self.standard_error:
            return None
        return self.difference / self.standard_error


def estimate_lift(ads: list[float], off: list[float],
                  confidence: float = 0.95) -> LiftEstimate | None:
    """Difference of the arms' means with a Welch standard error and a normal interval;
    None when an arm has no unit (one unit per arm: no interval)."""
    if not ads or not off:
        return None
    difference = mean(ads) - mean(off)
    error = None
    if len(ads) > 1 and len(off) > 1:
        error = math.sqrt(variance(ads) / len(ads) + variance(off) / len(off))
    z = z_quantile(1 - (1 - confidence) / 2)
    low = high = None
    if error is not None:
        low, high = difference - z * error, difference + z * error
    return LiftEstimate(len(ads), len(off), mean(ads), mean(off), difference, error, low, high)


def sequential_decision(z: float | None, information: list[float]) -> tuple[float | None,
                                                                              bool]:
    """The boundary of the last look over ``information`` fractions and whether |z| crosses
    it (a verdict valid however often the test was looked at)."""
    if z is None or not information:
        return None, False
    bound = look_boundaries(information)[-1]
    return bound, bound is not None and abs(z) >= bound


@dataclass(frozen=True)
class HoldoutResult:
    """A holdout evaluated from the store (money in cents)."""

    name: str
    design: str
    start_day: str
    end_day: str
    days: int
    lift: LiftEstimate | None
    ad_spend: float
    margin_rate: float | None
    planned_per_arm: int | None
    boundary: float | None
    decided: bool
    finished: bool

    @property
    def scale(self) -> int:
        """Unit-values -> the test's total: ads units x days (products) or ads days."""
        if self.lift is None:
            return 0
        return self.lift.ads_units * (self.days if self.design == "products" else 1)

    def _total(self, value: float | None) -> float | None:
        return None if value is None else value * self.scale

    @property
    def incremental_gmv(self) -> tuple[float | None, float | None, float | None]:
        """(estimate, low, high) of the GMV the ads added over the test."""
        if self.lift is None:
            return None, None, None
        return (self._total(self.lift.difference), self._total(self.lift.low),
                self._total(self.lift.high))

    def per_ad_dollar(self) -> tuple[float | None, float | None, float | None]:
        """(estimate, low, high) of incremental GMV per unit of ad spend."""
        if not self.ad_spend:
            return None, None, None
        return tuple(None if value is None else value / self.ad_spend
                     for value in self.incremental_gmv)

    def margin_per_ad_dollar(self) -> tuple[float | None, float | None, float | None]:
        """(estimate, low, high) of incremental margin per unit of ad spend, after it."""
        if self.margin_rate is None:
            return None, None, None
        return tuple(None if value is None else value * self.margin_rate - 1
                     for value in self.per_ad_dollar())
