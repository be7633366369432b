"""Everything the Creators and profit page shows for one view, from one call.

``creators_overview`` gathers the creator margins of the window, the shop's waterfall, the
pipeline of the campaign's deals as of today, segments and suggestions, the re-collaborate
shortlist and the experiments. The shop waterfall: shop GMV -> refunds -> net sales ->
product cost (every line, costs by valid-from day) -> TikTok's platform fees (settled, else
estimated: ``platform_fees``) -> the creator costs of the window
(commission, fees, samples, ad spend on creator content) -> contribution after creator
costs.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from campaign_core.creators.pipeline import (
    DealStatus,
    deal_statuses,
    sample_to_post_rate,
    stage_counts,
)
from campaign_core.creators.segments import (
    CreatorHistory,
    Suggestion,
    creator_histories,
    suggestions,
)
from campaign_core.experiments.evaluate import ExperimentResult, experiment_results
from campaign_core.metrics.core import gmv_and_refunds_cents
from campaign_core.metrics.money import cents_to_amount
from campaign_core.profit.creator_margin import CreatorMargin, creator_margins, total_margin
from campaign_core.profit.platform_fees import shop_market_code, shop_platform_fees
from campaign_core.profit.report import period_campaign
from campaign_core.rollups.windows import HOUR, edge_parts, rollup_span
from campaign_core.store.campaigns import Campaign, list_campaigns
from campaign_core.store.costs import day_buckets, unit_cost_sql
from campaign_core.store.creators import creator_key
from campaign_core.windows import Window, local_day_of, period_window

# Units per SKU and day first, then one cost lookup per (SKU, day), not one per line. Whole
# hours come from rollup_hour_sku (each inside one local day: days start on whole UTC hours,
# else the lines answer everything), the partial hours at the window's edges from the lines.
_SHOP_COST_SQL = """
WITH days (day, start_utc, end_utc) AS (VALUES {days}),
units AS (
    SELECT r.sku_id AS sku_id, days.day AS day, SUM(r.units) AS units
    FROM days JOIN rollup_hour_sku r ON r.shop_id = :shop_id
      AND r.hour_utc >= days.start_utc AND r.hour_utc < days.end_utc
      AND r.hour_utc >= :first AND r.hour_utc < :last
    GROUP BY r.sku_id, days.day
    UNION ALL
""" + edge_parts("""
    SELECT l.sku_id, days.day, SUM(l.quantity)
    FROM days JOIN order_line l ON l.shop_id = :shop_id AND l.is_sample = 0
      AND l.paid_utc >= days.start_utc AND l.paid_utc < days.end_utc AND {edge}
    GROUP BY l.sku_id, days.day""") + """
)
SELECT COALESCE(SUM(u.units * COALESCE({unit_cost}, 0)), 0) FROM units u
"""


@dataclass(frozen=True)
class WaterfallStep:
    label: str
    cents: float  # the step's amount: a total, or a negative deduction
    is_total: bool


@dataclass(frozen=True)
class ShortlistEntry:
    creator: str
    added_utc: int | None
    note: str | None
    in_pipeline: bool


@dataclass(frozen=True)
class CampaignMargin:
    """The creator programme of one campaign over its period (until now)."""

    campaign: str
    start_day: date
    end_day: date
    creators: int
    total: CreatorMargin


@dataclass(frozen=True)
class CreatorsOverview:
    today: date
    margins: tuple[CreatorMargin, ...]
    total: CreatorMargin
    shop_waterfall: tuple[WaterfallStep, ...]
    statuses: tuple[DealStatus, ...]
    stage_counts: dict[str, int]
    histories: dict[str, CreatorHistory]
    suggestions: tuple[Suggestion, ...]
    shortlist: tuple[ShortlistEntry, ...]
    experiments: tuple[ExperimentResult, ...]
    sample_to_post_rate: float | None
    posting_creators: int
    campaigns: tuple[CampaignMargin, ...] = ()

    @property
    def cost_per_posting_creator(self) -> float | None:
        """(Commission + fees + sample cost + ad spend) / creators whose deal posted."""
        if not self.posting_creators:
            return None
        total = self.total
        return (total.commission + total.fees + total.sample_cost + total.ad_spend) \
            / self.posting_creators

    def segment(self, key: str) -> str:
        history = self.histories.get(key)
        return history.segment if history else "one-off"


def creator_waterfall(margin: CreatorMargin) -> tuple[WaterfallStep, ...]:
    """GMV -> refunds -> net sales -> product cost, commission, fees, samples, ad spend ->
    contribution margin, for one creator (or the total)."""
    return (WaterfallStep("GMV", margin.gmv, True),
            WaterfallStep("Refunds", -margin.refunds, False),
            WaterfallStep("Net sales", margin.net_sales, True),
            WaterfallStep("Product cost", -margin.product_cost, False),
            WaterfallStep("Platform fees", -margin.platform_fees, False),
            WaterfallStep("Commission", -margin.commission, False),
            WaterfallStep("Fees", -margin.fees, False),
            WaterfallStep("Samples", -margin.sample_cost, False),
            WaterfallStep("Ad spend", -margin.ad_spend, False),
            WaterfallStep("Margin", margin.margin, True))


def _shop_product_cost(conn: sqlite3.Connection, shop_id: int, window: Window) -> int:
    params: dict[str, object] = {"shop_id": shop_id, "start": window.start_utc,
                                 "end": window.end_utc}
    params["first"], params["last"] = rollup_span(conn, shop_id, window.start_utc,
                                                  window.end_utc)
    values = []
    for index, (day, start, end) in enumerate(day_buckets(window.start_utc, window.end_utc,
                                                          window.timezone)):
        params.update({f"d{index}": day, f"s{index}": start, f"e{index}": end})
        values.append(f"(:d{index}, :s{index}, :e{index})")
        if start % HOUR:  # a day starting inside an hour: the lines answer everything
            params["first"] = params["last"] = window.end_utc
    if not values:
        return 0
    sql = _SHOP_COST_SQL.format(days=", ".join(values),
                                unit_cost=unit_cost_sql(":shop_id", "u.sku_id", "u.day"))
    return conn.execute(sql, params).fetchone()[0]


def shop_waterfall(conn: sqlite3.Connection, shop_id: int, window: Window,
                   creators: CreatorMargin) -> tuple[WaterfallStep, ...]:
    gmv_cents, refund_cents = gmv_and_refunds_cents(conn, shop_id, window)
    # As the KPI cards show them: rounded to cents.
    gmv = float(cents_to_amount(gmv_cents)) * 100
    refunds = float(cents_to_amount(refund_cents)) * 100
    cost = _shop_product_cost(conn, shop_id, window)
    platform = shop_platform_fees(conn, shop_id, window, shop_market_code(conn, shop_id))
    creator_costs = [("Platform fees", platform.fees), ("Commission", creators.commission),
                     ("Fees", creators.fees), ("Samples", creators.sample_cost),
                     ("Creator ad spend", creators.ad_spend)]
    result = round(gmv - refunds - cost - sum(amount for _label, amount in creator_costs), 2)
    return (WaterfallStep("GMV", gmv, True), WaterfallStep("Refunds", -refunds, False),
            WaterfallStep("Net sales", gmv - refunds, True),
            WaterfallStep("Product cost", -cost, False),
            *(WaterfallStep(label, -amount, False) for label, amount in creator_costs),
            WaterfallStep("After creator costs", result, True))


def _shortlist(conn: sqlite3.Connection, shop_id: int,
               statuses: list[DealStatus]) -> tuple[ShortlistEntry, ...]:
    in_pipeline = {creator_key(s.creator) for s in statuses}
    rows = conn.execute("SELECT creator, added_utc, note FROM creator_shortlist "
                        "WHERE shop_id = :shop_id ORDER BY added_utc DESC, creator",
                        {"shop_id": shop_id})
    return tuple(ShortlistEntry(row[0], row[1], row[2], creator_key(row[0]) in in_pipeline)
                 for row in rows)


def campaign_margins(conn: sqlite3.Connection, campaigns: list[Campaign],
                     now: datetime) -> tuple[CampaignMargin, ...]:
    """Per campaign (newest first): its creators' margins summed over its period until
    ``now``, with the samples, fees and deals tagged with it."""
    result = []
    for campaign in sorted(campaigns, key=lambda c: c.start_day, reverse=True):
        window = period_window(campaign.start_day, campaign.end_day, campaign.timezone, now)
        margins = creator_margins(conn, campaign.shop_id, window, campaign.name)
        result.append(CampaignMargin(campaign.name, campaign.start_day, campaign.end_day,
                                     sum(1 for m in margins if m.gmv),
                                     total_margin(margins, campaign.name)))
    return tuple(result)


def creators_overview(conn: sqlite3.Connection, campaign: Campaign, window: Window,
                      now: datetime) -> CreatorsOverview:
    """The page's data for ``campaign`` in ``window`` (deal stages as of ``now``'s local
    day). Raises ``sqlite3.Error`` on a store without the v6 tables."""
    shop_id = campaign.shop_id
    margins = creator_margins(conn, shop_id, window, period_campaign(campaign, window))
    total = total_margin(margins)
    today = local_day_of(int(now.timestamp()), campaign.timezone)
    statuses = deal_statuses(conn, shop_id, campaign.timezone, today, campaign.name)
    campaigns = list_campaigns(conn, shop_id)
    histories = creator_histories(conn, shop_id, campaigns, now)
    posting = {creator_key(s.creator) for s in statuses if s.stage == "posted"}
    return CreatorsOverview(
        today=today, margins=tuple(margins), total=total,
        shop_waterfall=shop_waterfall(conn, shop_id, window, total),
        statuses=tuple(statuses), stage_counts=stage_counts(statuses), histories=histories,
        suggestions=tuple(suggestions(margins, histories, statuses, campaign.currency)),
        shortlist=_shortlist(conn, shop_id, statuses),
        experiments=tuple(experiment_results(conn, shop_id)),
        sample_to_post_rate=sample_to_post_rate(statuses), posting_creators=len(posting),
        campaigns=campaign_margins(conn, campaigns, now))
