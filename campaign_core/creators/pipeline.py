"""The creator workflow: where each deal stands today, when its content is due, who is late.

Stages, in order: outreach -> accepted -> sample shipped -> sample delivered -> brief sent
-> content due -> posted, or late / cancelled (``PIPELINE_RULES``):

- **Due date** = the deal's Content due day when set; else sample delivered + 14 days
  (+ 7 with the extension TikTok allows); none before the sample is delivered.
- **Posted**: the deal's Posted day, else the first video or LIVE of the creator imported
  with a post time on or after the sample delivered day (else the accepted day, else the
  outreach day): posting is matched automatically.
- **Stage today**: cancelled when cancelled; posted when posted; **late** when the due
  date has passed; **content due** when it falls within the next 3 days (today
  included); else the last stage that has a day.
- **Days late** = today - due date. **Sample value at stake** = units x unit cost (valid
  on the shipped day) + shipping of the creator's samples for that campaign (or with no
  campaign).
- **Missed deadlines** of a creator = deals late now + deals posted after their due date.
- **Sample-to-post rate** = deals with a sample shipped that posted / deals with a sample
  shipped x 100.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from campaign_core.store.costs import unit_cost_sql
from campaign_core.store.creators import CREATOR_KEY_SQL, Deal, creator_key, list_deals
from campaign_core.windows import local_day_of

PIPELINE_RULES = __doc__.split("\n\n", 1)[1].replace(" (``PIPELINE_RULES``)", "").strip()
STAGES: tuple[str, ...] = ("outreach", "accepted", "sample_shipped", "sample_delivered",
                           "brief_sent", "content_due", "posted", "late", "cancelled")
STAGE_LABELS = {"outreach": "Outreach", "accepted": "Accepted",
                "sample_shipped": "Sample shipped", "sample_delivered": "Sample delivered",
                "brief_sent": "Brief sent", "content_due": "Content due", "posted": "Posted",
                "late": "Late", "cancelled": "Cancelled"}
DUE_AFTER_DELIVERY = timedelta(days=14)
EXTENSION = timedelta(days=7)
DUE_SOON = timedelta(days=3)

_POSTS_SQL = f"""
SELECT {CREATOR_KEY_SQL.format(column="creator")} AS ckey, content_id, posted_utc
FROM content
WHERE shop_id = :shop_id AND posted_utc IS NOT NULL AND creator IS NOT NULL
ORDER BY posted_utc
"""

_SAMPLE_VALUE_SQL = f"""
SELECT {CREATOR_KEY_SQL.format(column="ss.creator")} AS ckey, ss.campaign,
       SUM(ss.units * COALESCE({unit_cost_sql("ss.shop_id", "ss.sku_id", "ss.shipped_day")},
                               0) + ss.shipping_cost_cents) AS value_cents
FROM sample_shipment ss WHERE ss.shop_id = :shop_id GROUP BY 1, 2
"""


@dataclass(frozen=True)
class DealStatus:
    deal: Deal
    due_day: date | None
    posted_day: date | None  # the deal's own, else the matched post
    posted_content_id: str | None
    matched_post: bool  # posted_day came from an imported video or LIVE
    stage: str
    days_late: int | None
    sample_value_cents: int
    posted_late: bool

    @property
    def creator(self) -> str:
        return self.deal.creator


def due_day(deal: Deal) -> date | None:
    """The content due date of ``deal`` (rules: ``PIPELINE_RULES``)."""
    if deal.content_due_day is not None:
        return deal.content_due_day
    if deal.sample_delivered_day is None:
        return None
    return deal.sample_delivered_day + DUE_AFTER_DELIVERY + (EXTENSION if deal.extension
                                                              else timedelta())


def stage_of(deal: Deal, today: date, posted_day: date | None = None) -> str:
    """The deal's stage on ``today``; ``posted_day`` overrides the deal's own."""
    posted = posted_day or deal.posted_day
    if deal.cancelled_day is not None and deal.cancelled_day <= today:
        return "cancelled"
    if posted is not None and posted <= today:
        return "posted"
    due = due_day(deal)
    if due is not None and today > due:
        return "late"
    if due is not None and due - today < DUE_SOON:
        return "content_due"
    reached = [name for name in STAGES[:5] if getattr(deal, f"{name}_day") is not None
               and getattr(deal, f"{name}_day") <= today]
    return reached[-1] if reached else "outreach"


def deal_statuses(conn: sqlite3.Connection, shop_id: int, timezone: str, today: date,
                  campaign: str | None = None) -> list[DealStatus]:
    """Every deal of the shop (of ``campaign`` when given) with its due date, matched
    post, stage on ``today`` and lateness; late deals first (most days late first), then
    by creator."""
    posts: dict[str, list[tuple[date, str]]] = {}
    for row in conn.execute(_POSTS_SQL, {"shop_id": shop_id}):
        posts.setdefault(row["ckey"], []).append(
            (local_day_of(row["posted_utc"], timezone), row["content_id"]))
    values: dict[tuple[str, str | None], int] = {
        (row["ckey"], row["campaign"]): int(row["value_cents"] or 0)
        for row in conn.execute(_SAMPLE_VALUE_SQL, {"shop_id": shop_id})}
    statuses = [_status(deal, today, posts.get(creator_key(deal.creator), []), values)
                for deal in list_deals(conn, shop_id, campaign)]
    return sorted(statuses, key=lambda s: (s.stage != "late", -(s.days_late or 0),
                                           s.creator.casefold()))


def _status(deal: Deal, today: date, posts: list[tuple[date, str]],
            values: dict[tuple[str, str | None], int]) -> DealStatus:
    posted, content_id, matched = deal.posted_day, deal.posted_content_id, False
    if posted is None:
        since = deal.sample_delivered_day or deal.accepted_day or deal.outreach_day
        found = next(((day, cid) for day, cid in posts
                      if since is not None and since <= day <= today), None)
        if found:
            posted, content_id, matched = found[0], found[1], True
    stage = stage_of(deal, today, posted)
    due = due_day(deal)
    key = creator_key(deal.creator)
    value = values.get((key, deal.campaign), 0) + values.get((key, None), 0)
    return DealStatus(deal, due, posted, content_id, matched, stage,
                      (today - due).days if stage == "late" and due else None, value,
                      bool(posted and due and posted > due))


def stage_counts(statuses: list[DealStatus]) -> dict[str, int]:
    """Deals per stage, every stage listed (0 where none), in pipeline order."""
    counts = Counter(status.stage for status in statuses)
    return {stage: counts.get(stage, 0) for stage in STAGES}


def late_list(statuses: list[DealStatus]) -> list[DealStatus]:
    """The deals late today, most days late first."""
    return [status for status in statuses if status.stage == "late"]


def missed_deadlines(statuses: list[DealStatus]) -> dict[str, int]:
    """Per creator key: deals late now + deals posted after their due date."""
    missed: Counter[str] = Counter()
    for status in statuses:
        if status.stage == "late" or status.posted_late:
            missed[creator_key(status.creator)] += 1
    return dict(missed)


def sample_to_post_rate(statuses: list[DealStatus]) -> float | None:
    """Deals with a sample shipped that posted / deals with a sample shipped x 100."""
    sampled = [s for s in statuses if s.deal.sample_shipped_day is not None
               and s.stage != "cancelled"]
    if not sampled:
        return None
    return round(100 * sum(1 for s in sampled if s.posted_day is not None) / len(sampled), 1)


def late_deal_count(conn: sqlite3.Connection, shop_id: int, timezone: str, today: date,
                    campaign: str | None = None) -> int:
    """How many deals (of ``campaign`` when given) are late on ``today``: for an alert
    such as "4 creator posts late"."""
    return len(late_list(deal_statuses(conn, shop_id, timezone, today, campaign)))
