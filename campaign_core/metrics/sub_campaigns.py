"""Orders, units and GMV per sub-campaign of a campaign, within the view's window.

An order line counts for a sub-campaign when it is paid inside both the view window and
the sub-campaign's time range, is not a free sample order, and its SKU is in the
sub-campaign's SKU list (or the list is empty, meaning all SKUs). GMV is the line GMV as
the core KPIs define it (``order_line.gmv_cents``); orders are distinct orders. A line can
count for two overlapping sub-campaigns, so the sub-campaigns' totals may add up to more
than the shop's. All sub-campaigns are aggregated in one SQL query.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from campaign_core.metrics.money import cents_to_amount
from campaign_core.store.sub_campaigns import DEFAULT_KIND
from campaign_core.windows import Window

SUB_CAMPAIGN_DEFINITION = (
    "An order line counts for a sub-campaign when it is paid inside both the view's window "
    "and the sub-campaign's time range, is not a free sample order, and its SKU is in the "
    "sub-campaign's SKU list (an empty list means all SKUs). GMV is the lines' GMV (SKU "
    "subtotal before discount minus SKU seller discount); orders are distinct orders; units "
    "the sum of quantities. GMV share % = sub-campaign GMV / the shop's GMV in the same "
    "window x 100. A line can count for two overlapping sub-campaigns, so the sub-campaigns "
    "can add up to more than the shop's total."
)

_TENTH = Decimal("0.1")

# Each sub-campaign's range is clipped to the window first (``from_utc``/``to_utc``); a
# clipped range that is empty matches no line. The range scan on paid_utc uses the
# order_line window index once per sub-campaign; the SKU test is a primary-key lookup.
_PERFORMANCE_SQL = """
WITH sub AS (
    SELECT s.sub_campaign_id, s.name, s.kind, s.start_utc, s.end_utc,
           MAX(s.start_utc, :start) AS from_utc, MIN(s.end_utc, :end) AS to_utc,
           EXISTS (SELECT 1 FROM sub_campaign_sku k
                   WHERE k.sub_campaign_id = s.sub_campaign_id) AS has_sku_list
    FROM sub_campaign s
    WHERE s.campaign_id = :campaign_id
)
SELECT sub.sub_campaign_id, sub.name, sub.kind, sub.start_utc, sub.end_utc,
       sub.from_utc < sub.to_utc AS overlaps_window,
       COUNT(DISTINCT l.order_id) AS orders,
       COALESCE(SUM(l.gmv_cents), 0) AS gmv_cents,
       COALESCE(SUM(l.quantity), 0) AS units,
       (SELECT COALESCE(SUM(t.gmv_cents), 0) FROM order_line t
        WHERE t.shop_id = :shop_id AND t.paid_utc >= :start AND t.paid_utc < :end
          AND t.is_sample = 0) AS shop_gmv_cents
FROM sub
LEFT JOIN order_line l
  ON l.shop_id = :shop_id
 AND l.paid_utc >= sub.from_utc AND l.paid_utc < sub.to_utc
 AND l.is_sample = 0
 AND (NOT sub.has_sku_list
      OR EXISTS (SELECT 1 FROM sub_campaign_sku k
                 WHERE k.sub_campaign_id = sub.sub_campaign_id AND k.sku_id = l.sku_id))
GROUP BY sub.sub_campaign_id
ORDER BY gmv_cents DESC, sub.start_utc, sub.name
"""


@dataclass(frozen=True)
class SubCampaignPerformance:
    sub_campaign_id: int
    name: str
    kind: str
    start_utc: int  # the sub-campaign's own range, not clipped to the window
    end_utc: int
    orders: int
    gmv: Decimal
    units: int
    gmv_share_pct: Decimal | None  # 1 decimal; None when the shop has no GMV in the window
    overlaps_window: bool  # False: the sub-campaign runs entirely outside the window

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def sub_campaign_performance(conn: sqlite3.Connection, campaign_id: int, shop_id: int,
                             window: Window) -> list[SubCampaignPerformance]:
    """Orders, GMV, units and GMV share of every sub-campaign of ``campaign_id``, counting
    ``shop_id``'s order lines inside ``window`` (definition: ``SUB_CAMPAIGN_DEFINITION``).

    Every sub-campaign is listed, those outside the window with zeros and
    ``overlaps_window`` False; sorted by GMV descending, then start and name. Money is a
    ``Decimal`` rounded half up to cents. An unknown campaign or one without
    sub-campaigns gives an empty list.
    """
    params = {"campaign_id": campaign_id, "shop_id": shop_id, "start": window.start_utc,
              "end": window.end_utc}
    rows = conn.execute(_PERFORMANCE_SQL, params).fetchall()
    return [_row_to_performance(row) for row in rows]


def share_pct(part_cents: int, total_cents: int, places: int = 1) -> Decimal | None:
    """``part / total x 100`` rounded half up to ``places`` decimals; None when the total
    is 0."""
    if not total_cents:
        return None
    return (Decimal(part_cents) * 100 / Decimal(total_cents)).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _row_to_performance(row: sqlite3.Row) -> SubCampaignPerformance:
    return SubCampaignPerformance(
        sub_campaign_id=row["sub_campaign_id"], name=row["name"], kind=row["kind"] or DEFAULT_KIND,
        start_utc=row["start_utc"], end_utc=row["end_utc"], orders=row["orders"],
        gmv=cents_to_amount(row["gmv_cents"]), units=row["units"],
        gmv_share_pct=share_pct(row["gmv_cents"], row["shop_gmv_cents"]),
        overlaps_window=bool(row["overlaps_window"]))
