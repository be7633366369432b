"""A/B test statistics on the standard library (``statistics.NormalDist``): no scipy at run time.

- Rates carry **Wilson score intervals** (95%), which stay inside [0, 1] and behave with
  few conversions, unlike the normal ("Wald") interval.
- Lift: absolute (B - A, percentage points) and relative ((B - A) / A).
- p-value: the **two-proportion z-test** with the pooled rate, two-sided.
- Sample size per arm for an absolute effect ``mde`` over the baseline ``p1`` (alpha 0.05
  two-sided, power 0.8): ``n = (z_{1-a/2} sqrt(2 p(1-p)) + z_{1-b} sqrt(p1(1-p1) +
  p2(1-p2)))^2 / (p2 - p1)^2`` with ``p2 = p1 + mde`` and ``p = (p1 + p2) / 2``, rounded up.
- Sample ratio mismatch: Pearson's **chi-square goodness-of-fit** of the exposures against
  the planned split (k - 1 degrees of freedom); flagged when p < 0.001.
- Sequential testing: the **Lan-DeMets O'Brien-Fleming-type alpha-spending** function
  over the information fraction ``t`` (the smaller arm's exposures / the sample size per
  arm), on each side's alpha / 2: ``2 - 2 Phi(z_{1-a/4} / sqrt(t))`` (as gsDesign and
  rpact). Each look (a day with data) may spend what the function allows by then; its
  boundary is the exact group-sequential one, found by numerical integration over the
  earlier looks, so the chance of any false "winner" over all looks is alpha however
  often the test is checked. (Looks closer than 2% of the information to the previous
  one do not decide; their alpha waits for the next look.)
"""

from __future__ import annotations

import math
from functools import lru_cache
from statistics import NormalDist

_NORMAL = NormalDist()
ALPHA = 0.05
POWER = 0.8
SRM_THRESHOLD = 0.001


def z_quantile(probability: float) -> float:
    return _NORMAL.inv_cdf(probability)


def wilson_interval(conversions: int, exposures: int,
                    confidence: float = 0.95) -> tuple[float, float] | None:
    """The Wilson score interval of a rate as (low, high) fractions; None without
    exposures."""
    if exposures <= 0:
        return None
    z = z_quantile(1 - (1 - confidence) / 2)
    rate = conversions / exposures
    denominator = 1 + z * z / exposures
    centre = (rate + z * z / (2 * exposures)) / denominator
    half = z * math.sqrt(rate * (1 - rate) / exposures
                         + z * z / (4 * exposures * exposures)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def two_proportion_z(conversions_a: int, exposures_a: int, conversions_b: int,
                     exposures_b: int) -> tuple[float, float] | None:
    """(z, two-sided p-value) of B's rate against A's, pooled variance; None when an arm
    has no exposures or the pooled rate is 0 or 1 (no variance: p-value 1 is not
    claimed)."""
    if exposures_a <= 0 or exposures_b <= 0:
        return None
    pooled = (conversions_a + conversions_b) / (exposures_a + exposures_b)
    variance = pooled * (1 - pooled) * (1 / exposures_a + 1 / exposures_b)
    if variance <= 0:
        return None
    z = (conversions_b / exposures_b - conversions_a / exposures_a) / math.sqrt(variance)
    return z, 2 * (1 - _NORMAL.cdf(abs(z)))


def required_per_arm(baseline: float, mde: float, alpha: float = ALPHA,
                     power: float = POWER) -> int | None:
    """Exposures each arm needs to detect an absolute change ``mde`` (a fraction: 0.005 =
    0.5 pp) from the ``baseline`` rate (a fraction), two-sided; None when the plan is
    impossible (no effect, or a rate outside (0, 1))."""
    p1, p2 = baseline, baseline + mde
    if mde == 0 or not 0 < p1 < 1 or not 0 < p2 < 1:
        return None
    mean = (p1 + p2) / 2
    numerator = (z_quantile(1 - alpha / 2) * math.sqrt(2 * mean * (1 - mean))
                 + z_quantile(power) * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2
    return math.ceil(numerator / (p2 - p1) ** 2 - 1e-9)


def chi_square_sf(statistic: float, degrees: int) -> float:
    """P(X >= statistic) for a chi-square variable: the regularised upper incomplete gamma
    Q(k/2, x/2) by its series or continued fraction (Numerical Recipes 6.2)."""
    if statistic <= 0:
        return 1.0
    a, x = degrees / 2, statistic / 2
    if x < a + 1:
        term = total = 1 / a
        n = a
        for _ in range(1000):
            n += 1
            term *= x / n
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return max(0.0, 1 - total * math.exp(-x + a * math.log(x) - math.lgamma(a)))
    tiny = 1e-300
    b = x + 1 - a
    c, d = 1 / tiny, 1 / b
    h = d
    for i in range(1, 1000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        step = d * c
        h *= step
        if abs(step - 1) < 1e-15:
            break
    return min(1.0, math.exp(-x + a * math.log(x) - math.lgamma(a)) * h)


def srm_test(exposures: list[int], planned_shares: list[float]) -> tuple[float, float] | None:
    """(chi-square, p-value) of the exposures against the planned shares (any positive
    numbers, normalised); None with fewer than two arms, no exposures or mismatched
    lengths."""
    total = sum(exposures)
    if len(exposures) < 2 or len(exposures) != len(planned_shares) or total <= 0:
        return None
    share_total = sum(planned_shares)
    expected = [total * share / share_total for share in planned_shares]
    statistic = sum((seen - want) ** 2 / want for seen, want in zip(exposures, expected,
                                                                     strict=True))
    return statistic, chi_square_sf(statistic, len(exposures) - 1)


def obrien_fleming_spent(information: float, alpha: float = ALPHA) -> float:
    """Two-sided alpha spent by information fraction ``information`` (0-1] under the
    Lan-DeMets O'Brien-Fleming-type function, applied to each side's alpha / 2 as gsDesign
    and rpact do: ``2 x (2 - 2 Phi(z_{1-alpha/4} / sqrt(t)))``; 0 at 0, alpha at 1."""
    if information <= 0:
        return 0.0
    information = min(1.0, information)
    per_side = 2 - 2 * _NORMAL.cdf(z_quantile(1 - alpha / 4) / math.sqrt(information))
    return 2 * per_side


def look_boundaries(information: list[float], alpha: float = ALPHA) -> list[float | None]:
    """The |z| each look must reach, for looks at non-decreasing information fractions:
    exact two-sided group-sequential boundaries for the alpha the spending function
    allows by each look, found by numerical integration over the earlier looks
    (Armitage-McPherson-Rowe recursion, Simpson's rule). A look that adds less than
    ``MIN_INFORMATION_STEP`` of information since the last deciding look, short of the
    end, is not a deciding look (None): its alpha waits for the next one."""
    return list(_boundaries(tuple(round(min(1.0, f), 6) for f in information), alpha))


MIN_INFORMATION_STEP = 0.02
_GRID = 61  # odd, for Simpson's rule


@lru_cache(maxsize=512)
def _boundaries(information: tuple[float, ...], alpha: float) -> tuple[float | None, ...]:
    result: list[float | None] = []
    grid: list[tuple[float, float]] = []  # (B-value, Simpson weight x sub-density)
    last_t, spent = 0.0, 0.0
    for fraction in information:
        deciding = fraction > last_t and (fraction - last_t >= MIN_INFORMATION_STEP
                                          or (fraction >= 1.0 and last_t < 1.0))
        if not deciding:
            result.append(None)
            continue
        target = obrien_fleming_spent(fraction, alpha) - spent
        if target <= 1e-12:  # so early that it may spend nothing: it cannot decide
            result.append(None)
            continue
        step = fraction - last_t
        bound = _solve_bound(grid, step, target) if grid else \
            z_quantile(1 - target / 2) * math.sqrt(step)
        result.append(bound / math.sqrt(fraction))
        grid = _next_density(grid, step, bound)
        last_t, spent = fraction, spent + target
    return tuple(result)


def _crossing(grid: list[tuple[float, float]], step: float, bound: float) -> float:
    """P(continue until now, then |B| >= bound at this look)."""
    scale = math.sqrt(step)
    cdf = _NORMAL.cdf
    return sum(mass * (cdf((-bound - x) / scale) + 1 - cdf((bound - x) / scale))
               for x, mass in grid)


def _solve_bound(grid: list[tuple[float, float]], step: float, target: float) -> float:
    low, high = 0.0, 40.0 * math.sqrt(step) + max(abs(x) for x, _ in grid)
    for _ in range(60):
        middle = (low + high) / 2
        if _crossing(grid, step, middle) > target:
            low = middle
        else:
            high = middle
        if high - low < 1e-9:
            break
    return (low + high) / 2


def _next_density(grid: list[tuple[float, float]], step: float,
                  bound: float) -> list[tuple[float, float]]:
    """The sub-density of B at this look on (-bound, bound), as (point, Simpson weight x
    density) pairs; the first look starts from B = 0."""
    width = 2 * bound / (_GRID - 1)
    scale = math.sqrt(step)
    previous = grid or [(0.0, 1.0)]
    points = []
    for index in range(_GRID):
        y = -bound + index * width
        density = sum(mass * math.exp(-0.5 * ((y - x) / scale) ** 2)
                      for x, mass in previous) / (scale * math.sqrt(2 * math.pi))
        weight = (1 if index in (0, _GRID - 1) else 4 if index % 2 else 2) * width / 3
        points.append((y, weight * density))
    return points
