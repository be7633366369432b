"""What a campaign plan may hold: the plannable metrics, a target, and how one is written.

A plan is a set of optional targets, one per metric below, each with the direction that
is good ("above" or "below" the target). Names are the metric catalog's; a few aliases
are accepted where people say it another way (``own_videos`` for ``seller_videos``).
Units: money in the shop's currency (``250000`` or ``$250,000``), percentages as percent
(``4.5`` or ``4.5%`` means 4.5%), ROAS as a ratio (``3.2``), counts as counts.

Two kinds of metric are paced differently (``forecast.plan_pacing``): sums (GMV, margin,
new buyers, content counts) add up over the campaign and are projected to its end; ratios
(ROAS, rates, margin %) are judged on the period so far, never summed or projected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from campaign_core.metrics.catalog import CATALOG, Format

SUM, RATIO = "sum", "ratio"
# How a sum is projected to the campaign's end: with GMV's projection (sales follow the
# shop's run rate and hour-of-day profile), or in proportion to the time elapsed.
WITH_SALES, WITH_TIME = "sales", "time"
GOOD_IF = ("above", "below")


@dataclass(frozen=True)
class PlanMetric:
    name: str  # the catalog's name
    kind: str  # sum / ratio
    projection: str | None  # sums: sales / time; ratios: None
    aliases: tuple[str, ...] = ()

    @property
    def is_money(self) -> bool:
        return CATALOG[self.name].format is Format.MONEY


PLAN_METRICS: tuple[PlanMetric, ...] = (
    PlanMetric("gmv", SUM, WITH_SALES),
    PlanMetric("contribution_margin", SUM, WITH_SALES, ("margin",)),
    PlanMetric("contribution_margin_pct", RATIO, None, ("margin_pct",)),
    PlanMetric("roas", RATIO, None),
    PlanMetric("conversion", RATIO, None, ("conversion_rate", "ctor")),
    PlanMetric("ctr", RATIO, None),
    PlanMetric("new_buyers", SUM, WITH_SALES),
    PlanMetric("creator_videos", SUM, WITH_TIME),
    PlanMetric("creator_lives", SUM, WITH_TIME),
    PlanMetric("seller_videos", SUM, WITH_TIME, ("own_videos",)),
    PlanMetric("seller_lives", SUM, WITH_TIME, ("own_lives",)),
)
PLAN_METRIC_NAMES: tuple[str, ...] = tuple(m.name for m in PLAN_METRICS)
_BY_NAME = {alias: m for m in PLAN_METRICS for alias in (m.name, *m.aliases)}
_BY_LABEL = {CATALOG[m.name].label.lower(): m for m in PLAN_METRICS}
_NUMBER_NOISE = re.compile(r"[\s,%$€£¥₫₱฿]|RM|Rp|R\$")


@dataclass(frozen=True)
class PlanTarget:
    metric: str
    target: Decimal  # in the metric's unit (money in currency units, percent as percent)
    good_if: str  # above / below


def plan_metric(name: str) -> PlanMetric:
    """The plannable metric called ``name`` (or an alias or its label; any case).
    Raises ``ValueError`` naming the plannable metrics."""
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return _BY_NAME[key]
    except KeyError:
        pass
    try:  # the label as the app shows it ("Creator videos", "Contribution margin %")
        return _BY_LABEL[name.strip().lower()]
    except KeyError:
        raise ValueError(f"{name!r} is not a plannable metric; plannable: "
                         f"{', '.join(PLAN_METRIC_NAMES)}") from None


def default_good_if(name: str) -> str:
    """The catalog's direction of ``name``: above when higher is better."""
    return "above" if CATALOG[plan_metric(name).name].higher_is_better else "below"


def parse_good_if(text: str | None, metric: str) -> str:
    """``above`` / ``below`` (also ``higher`` / ``lower``, ``>`` / ``<``); empty: the
    metric's default. Raises ``ValueError`` for anything else."""
    word = (text or "").strip().lower()
    if not word:
        return default_good_if(metric)
    for good_if, spellings in (("above", ("above", "higher", "more", ">", ">=")),
                               ("below", ("below", "lower", "less", "<", "<="))):
        if word in spellings:
            return good_if
    raise ValueError(f"'Good if' must be above or below, not {text!r}.")


def parse_target_value(text: str, metric: str) -> Decimal | None:
    """A target as written (``250,000``, ``$250000``, ``4.5%``, ``3.2``); blank or ``none``
    clears it (None). Raises ``ValueError`` for text that is not a number or a negative
    target."""
    cleaned = _NUMBER_NOISE.sub("", text.strip())
    if cleaned.lower() in ("", "none", "-"):
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number (target of {metric})") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not a number (target of {metric})")
    if value < 0:
        raise ValueError(f"The target of {metric} cannot be negative ({text}).")
    return value


def parse_target_option(text: str) -> tuple[str, Decimal | None, str]:
    """``METRIC=VALUE[:above|:below]`` (the command line's ``--target``) -> (metric name,
    target or None to clear it, direction). Raises ``ValueError`` saying what is wrong."""
    name, sep, rest = text.partition("=")
    if not sep or not name.strip():
        raise ValueError(f"--target {text!r}: write METRIC=VALUE, e.g. roas=4 or "
                         "ctr=2.5%:above")
    metric = plan_metric(name).name
    value_text, _colon, direction = rest.partition(":")
    return (metric, parse_target_value(value_text, metric),
            parse_good_if(direction, metric))
