"""The creators and experiments sections of the campaign report (``report --format json``)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from campaign_core.creators.pipeline import deal_statuses, stage_counts
from campaign_core.creators.segments import creator_histories, segment_of
from campaign_core.experiments.evaluate import experiment_results, experiments_report
from campaign_core.metrics.money import cents_to_amount
from campaign_core.profit.creator_margin import CreatorMargin, creator_margins
from campaign_core.store.campaigns import Campaign, list_campaigns
from campaign_core.store.creators import creator_key
from campaign_core.windows import View, Window, local_day_of


def _money(cents: float) -> float:
    return float(cents_to_amount(cents))


def period_campaign(campaign: Campaign, window: Window) -> str | None:
    """The campaign whose tagged samples, fees and deals count: the campaign's, in the
    Campaign Period view only."""
    return campaign.name if window.view is View.PERIOD else None


def creators_section(conn: sqlite3.Connection, campaign: Campaign, window: Window,
                     now: datetime) -> list[dict]:
    """One entry per creator with money in ``window`` or a deal in ``campaign``:
    ``creator, gmv, refunds, product_cost, platform_fees, commission, fees, sample_cost,
    ad_spend, margin`` (money rounded half up to cents), ``platform_fees_status`` (settled /
    estimated / unknown / none), ``margin_pct`` and ``settled_share_pct``
    (2 decimals, null without GMV), ``segment`` (one-off / repeat / retainer) and
    ``stage_counts`` (the creator's deals in the campaign per pipeline stage today).
    Sorted by GMV, then margin, descending."""
    margins = creator_margins(conn, campaign.shop_id, window, period_campaign(campaign, window))
    today = local_day_of(int(now.timestamp()), campaign.timezone)
    statuses = deal_statuses(conn, campaign.shop_id, campaign.timezone, today, campaign.name)
    by_key = {margin.key: margin for margin in margins}
    for status in statuses:
        key = creator_key(status.creator)
        by_key.setdefault(key, CreatorMargin(status.creator, key))
    histories = creator_histories(conn, campaign.shop_id,
                                  list_campaigns(conn, campaign.shop_id), now)
    rows = []
    for margin in sorted(by_key.values(),
                         key=lambda m: (-m.gmv, -m.margin, m.creator.casefold())):
        own = [s for s in statuses if creator_key(s.creator) == margin.key]
        rows.append({
            "creator": margin.creator,
            "gmv": _money(margin.gmv), "refunds": _money(margin.refunds),
            "product_cost": _money(margin.product_cost),
            "platform_fees": _money(margin.platform_fees),
            "platform_fees_status": margin.fees_status,
            "commission": _money(margin.commission), "fees": _money(margin.fees),
            "sample_cost": _money(margin.sample_cost), "ad_spend": _money(margin.ad_spend),
            "margin": _money(margin.margin), "margin_pct": margin.margin_pct,
            "settled_share_pct": margin.settled_share_pct,
            "segment": segment_of(histories.get(margin.key)),
            "stage_counts": stage_counts(own),
        })
    return rows


def experiments_section(conn: sqlite3.Connection, campaign: Campaign) -> list[dict]:
    """The shop's experiments, evaluated (see ``experiments.evaluate``)."""
    return experiments_report(experiment_results(conn, campaign.shop_id))


def creator_report_sections(conn: sqlite3.Connection, campaign: Campaign, window: Window,
                            now: datetime) -> dict[str, list[dict]]:
    """``{"creators": ..., "experiments": ...}`` for ``build_report``."""
    return {"creators": creators_section(conn, campaign, window, now),
            "experiments": experiments_section(conn, campaign)}
