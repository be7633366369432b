"""Creator segments and suggestions, each by a written rule with its numbers.

Segments (``SEGMENT_RULE``):
- **retainer**: the creator has a retainer (a creator fee of type Retainer, or a deal with
  a retainer amount), whenever paid;
- **repeat**: not on a retainer, and collaborated in 2 or more of the shop's campaigns (a
  campaign counts when the creator had attributed sales during its days or a deal for it
  that was not cancelled);
- **one-off**: everyone else.

Suggestions (``SUGGESTION_RULES``), for the creators of the view's window:
- **Retainer candidate**: not on a retainer and a positive contribution margin in at least
  2 campaigns (repeatable profit).
- **Raise commission**: at least 10 attributed orders in the window and a margin of at
  least 25% of GMV (it converts, and there is headroom to share).
- **Send more samples or another SKU**: posted, but fewer than 3 attributed orders in the
  window (the content did not sell this product).
- **Pause**: 2 or more missed deadlines, or 1 with a negative margin.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from campaign_core.creators.pipeline import DealStatus, missed_deadlines
from campaign_core.formatting import money, plural
from campaign_core.metrics.money import cents_to_amount
from campaign_core.profit.creator_margin import CreatorMargin, creator_margins
from campaign_core.store.campaigns import Campaign
from campaign_core.store.creators import CREATOR_KEY_SQL, creator_key
from campaign_core.windows import period_window

SEGMENT_RULE = __doc__.split("Segments (``SEGMENT_RULE``):\n", 1)[1].split("\n\n")[0]
SUGGESTION_RULES = __doc__.split("Suggestions (``SUGGESTION_RULES``)", 1)[1].split(
    ":\n", 1)[1].strip()
REPEAT_CAMPAIGNS = 2
RETAINER_PROFITABLE_CAMPAIGNS = 2
RAISE_MIN_ORDERS = 10
RAISE_MIN_MARGIN_PCT = 25.0
MORE_SAMPLES_MAX_ORDERS = 3
PAUSE_MISSED = 2

_RETAINERS_SQL = f"""
SELECT {CREATOR_KEY_SQL.format(column="creator")} FROM creator_fee
WHERE shop_id = :shop_id AND kind = 'retainer' AND amount_cents > 0
UNION SELECT {CREATOR_KEY_SQL.format(column="creator")} FROM creator_deal
WHERE shop_id = :shop_id AND retainer_cents > 0
"""
_DEAL_CAMPAIGNS_SQL = f"""
SELECT {CREATOR_KEY_SQL.format(column="creator")} AS ckey, campaign FROM creator_deal
WHERE shop_id = :shop_id AND cancelled_day IS NULL
"""


@dataclass(frozen=True)
class CreatorHistory:
    key: str
    campaigns: tuple[str, ...]  # campaigns collaborated in
    profitable_campaigns: tuple[str, ...]
    has_retainer: bool

    @property
    def segment(self) -> str:
        if self.has_retainer:
            return "retainer"
        return "repeat" if len(self.campaigns) >= REPEAT_CAMPAIGNS else "one-off"


@dataclass(frozen=True)
class Suggestion:
    creator: str
    kind: str  # retainer_candidate | raise_commission | more_samples | pause
    title: str
    rule: str
    numbers: str


def creator_histories(conn: sqlite3.Connection, shop_id: int, campaigns: list[Campaign],
                      now: datetime) -> dict[str, CreatorHistory]:
    """Per creator key: the campaigns collaborated in, those with a positive margin, and
    whether the creator has a retainer. Margins per campaign over its period (until
    ``now``)."""
    retainers = {row[0] for row in conn.execute(_RETAINERS_SQL, {"shop_id": shop_id})}
    worked: dict[str, set[str]] = {}
    profitable: dict[str, set[str]] = {}
    names = {c.name for c in campaigns if c.shop_id == shop_id}
    for row in conn.execute(_DEAL_CAMPAIGNS_SQL, {"shop_id": shop_id}):
        if row["campaign"] in names:
            worked.setdefault(row["ckey"], set()).add(row["campaign"])
    for campaign in campaigns:
        if campaign.shop_id != shop_id:
            continue
        window = period_window(campaign.start_day, campaign.end_day, campaign.timezone, now)
        for margin in creator_margins(conn, shop_id, window, campaign.name):
            if margin.gmv:
                worked.setdefault(margin.key, set()).add(campaign.name)
            if margin.gmv and margin.margin > 0:
                profitable.setdefault(margin.key, set()).add(campaign.name)
    keys = set(worked) | retainers
    return {key: CreatorHistory(key, tuple(sorted(worked.get(key, ()))),
                                tuple(sorted(profitable.get(key, ()))), key in retainers)
            for key in keys}


def segment_of(history: CreatorHistory | None) -> str:
    return history.segment if history else "one-off"


def suggestions(margins: list[CreatorMargin], histories: dict[str, CreatorHistory],
                statuses: list[DealStatus], currency: str = "USD") -> list[Suggestion]:
    """The suggestions the rules give for ``margins`` (one window's creators), in the
    order pause, raise commission, retainer candidate, more samples; then by creator."""
    missed = missed_deadlines(statuses)
    posted = {creator_key(s.creator) for s in statuses if s.stage == "posted"}
    found: list[Suggestion] = []
    for margin in margins:
        history = histories.get(margin.key)
        found.extend(_creator_suggestions(margin, history, missed.get(margin.key, 0),
                                          margin.key in posted, currency))
    order = ["pause", "raise_commission", "retainer_candidate", "more_samples"]
    return sorted(found, key=lambda s: (order.index(s.kind), s.creator.casefold()))


def _money(cents: float, currency: str) -> str:
    return money(cents_to_amount(cents), currency)


def _creator_suggestions(margin: CreatorMargin, history: CreatorHistory | None, missed: int,
                         posted: bool, currency: str) -> list[Suggestion]:
    result = []
    name = margin.creator
    if missed >= PAUSE_MISSED or (missed >= 1 and margin.margin < 0):
        result.append(Suggestion(
            name, "pause", "Pause", f"{PAUSE_MISSED}+ missed deadlines, or 1 with a negative "
            "margin",
            f"{plural(missed, 'missed deadline')}; margin {_money(margin.margin, currency)}"))
    if margin.orders >= RAISE_MIN_ORDERS and (margin.margin_pct or 0) >= RAISE_MIN_MARGIN_PCT:
        result.append(Suggestion(
            name, "raise_commission", "Raise commission",
            f">= {RAISE_MIN_ORDERS} orders and margin >= {RAISE_MIN_MARGIN_PCT:g}% of GMV",
            f"{plural(margin.orders, 'order')}; margin {margin.margin_pct:.1f}% "
            f"({_money(margin.margin, currency)})"))
    if history and not history.has_retainer and \
            len(history.profitable_campaigns) >= RETAINER_PROFITABLE_CAMPAIGNS:
        result.append(Suggestion(
            name, "retainer_candidate", "Retainer candidate",
            f"positive margin in >= {RETAINER_PROFITABLE_CAMPAIGNS} campaigns",
            f"profitable in {len(history.profitable_campaigns)} campaigns: "
            f"{', '.join(history.profitable_campaigns)}"))
    if posted and margin.orders < MORE_SAMPLES_MAX_ORDERS:
        result.append(Suggestion(
            name, "more_samples", "Send more samples or another SKU",
            f"posted, fewer than {MORE_SAMPLES_MAX_ORDERS} orders in the window",
            f"{plural(margin.orders, 'order')} from "
            f"{plural(margin.sample_units, 'sample unit')}; GMV "
            f"{_money(margin.gmv, currency)}"))
    return result
