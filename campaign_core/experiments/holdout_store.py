"""GMV Max holdouts in the store: the plan from the shop's promoted products, and the
evaluation of saved holdouts (rules: ``holdout.HOLDOUT_RULES``)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import stdev

from campaign_core.experiments.holdout import (
    HoldoutResult,
    assign_arms,
    estimate_lift,
    sequential_decision,
    units_per_arm,
)
from campaign_core.profit.break_even import break_even_by_product
from campaign_core.rollups.day_skus import day_span
from campaign_core.rollups.windows import edge_parts, hour_parts, rollup_span
from campaign_core.windows import Window, period_window

# GMV per product of the paid, non-sample lines: whole local days from rollup_day_sku, other
# whole hours from rollup_hour_sku, the partial hours at the edges from the lines (integer
# cents: the same sums).
_PRODUCT_GMV_SQL = """
SELECT product_id, SUM(gmv_cents) AS gmv FROM (
    SELECT product_id, gmv_cents FROM rollup_day_sku
    WHERE shop_id = :shop_id AND day_start_utc >= :day_first AND day_start_utc < :day_last
    UNION ALL
""" + hour_parts("""
    SELECT product_id, gmv_cents FROM rollup_hour_sku
    WHERE shop_id = :shop_id AND {hours}""") + """
    UNION ALL
""" + edge_parts("""
    SELECT product_id, gmv_cents FROM order_line
    WHERE shop_id = :shop_id AND is_sample = 0 AND {edge}""", column="paid_utc") + """)
GROUP BY product_id
"""

_PROMOTED_SQL = """
SELECT DISTINCT product_id FROM ad_creative_period
WHERE shop_id = :shop_id AND product_id <> '' AND period_end >= :first_day
"""

_SPEND_SQL = """
SELECT COALESCE(SUM(cost_cents), 0) FROM ad_creative_period
WHERE shop_id = :shop_id AND period_start >= :first_day AND period_end <= :last_day
  AND (:all_products = 1 OR product_id IN (SELECT unit FROM holdout_unit
                                           WHERE holdout_id = :holdout AND arm = 'ads'))
"""


@dataclass(frozen=True)
class HoldoutPlan:
    """A recommended product holdout: which products keep GMV Max on, and how long."""

    assignment: dict[str, str]  # product ID -> "ads" | "off"
    unit_sd: float | None  # cents per product-day over the lookback
    lift: float  # cents per product-day worth finding
    needed_per_arm: int | None
    enough_products: bool


def _window(first: date, last: date, timezone: str) -> Window:
    # A window over whole local days, whatever "now" is (a plan looks back, a holdout ends).
    return period_window(first, last, timezone, _far_future())


def _far_future():
    from datetime import UTC, datetime
    return datetime(9999, 1, 1, tzinfo=UTC)


def _product_daily_gmv(conn: sqlite3.Connection, shop_id: int, window: Window,
                       products: list[str], days: int) -> dict[str, float]:
    params = {"shop_id": shop_id, "start": window.start_utc, "end": window.end_utc}
    params["first"], params["last"] = rollup_span(conn, shop_id, window.start_utc,
                                                  window.end_utc)
    params["day_first"], params["day_last"] = day_span(conn, shop_id, params["first"],
                                                       params["last"], window.timezone)
    gmv = {row["product_id"]: row["gmv"] for row in conn.execute(_PRODUCT_GMV_SQL, params)}
    return {product: (gmv.get(product) or 0) / max(days, 1) for product in products}


def plan_product_holdout(conn: sqlite3.Connection, shop_id: int, timezone: str, today: date,
                         lookback_days: int = 28, lift_share: float = 0.2,
                         seed: int = 1) -> HoldoutPlan:
    """Split the products GMV Max promoted over the last ``lookback_days`` at random
    (``seed``) and size the test to find a lift of ``lift_share`` of their average daily
    GMV per product (``HOLDOUT_RULES``)."""
    first = today - timedelta(days=lookback_days)
    last = today - timedelta(days=1)
    products = [row[0] for row in conn.execute(
        _PROMOTED_SQL, {"shop_id": shop_id, "first_day": first.isoformat()})]
    values = _product_daily_gmv(conn, shop_id, _window(first, last, timezone), products,
                                lookback_days)
    spread = stdev(values.values()) if len(values) > 1 else None
    average = sum(values.values()) / len(values) if values else 0
    lift = lift_share * average
    needed = units_per_arm(spread or 0, lift)
    return HoldoutPlan(assign_arms(products, seed), spread, lift, needed,
                       needed is not None and len(products) >= 2 * needed)


def save_holdout(conn: sqlite3.Connection, shop_id: int, name: str, design: str,
                 start_day: date, end_day: date, assignment: dict[str, str], seed: int,
                 lift_cents: float | None = None) -> int:
    """Store a holdout and its arms (inside the caller's write transaction); returns its
    id. Raises ``ValueError`` for an unknown design, reversed days or an empty arm."""
    if design not in ("products", "days"):
        raise ValueError(f"design {design!r}: 'products' or 'days'")
    if end_day < start_day:
        raise ValueError("the holdout ends before it starts")
    if set(assignment.values()) != {"ads", "off"}:
        raise ValueError("a holdout needs units in both arms, 'ads' and 'off'")
    cursor = conn.execute(
        "INSERT INTO holdout (shop_id, name, design, start_day, end_day, seed, mde_cents) "
        "VALUES (:shop_id, :name, :design, :start, :end, :seed, :mde)",
        {"shop_id": shop_id, "name": name, "design": design, "start": start_day.isoformat(),
         "end": end_day.isoformat(), "seed": seed,
         "mde": None if lift_cents is None else round(lift_cents)})
    holdout_id = cursor.lastrowid
    conn.executemany("INSERT INTO holdout_unit (holdout_id, unit, arm) VALUES (?, ?, ?)",
                     [(holdout_id, unit, arm) for unit, arm in sorted(assignment.items())])
    return holdout_id


def _margin_rate(conn, shop_id: int, window: Window, products: set[str]) -> float | None:
    rows = [b for b in break_even_by_product(conn, shop_id, window)
            if b.key in products and b.margin_rate is not None]
    gmv = sum(b.gmv for b in rows)
    return None if not gmv else sum(b.margin_before_ads for b in rows) / gmv


def evaluate_holdout(conn: sqlite3.Connection, shop_id: int, holdout: sqlite3.Row,
                     timezone: str, today: date) -> HoldoutResult:
    """One saved holdout evaluated over its days until yesterday (``HOLDOUT_RULES``)."""
    start = date.fromisoformat(holdout["start_day"])
    end = min(date.fromisoformat(holdout["end_day"]), today - timedelta(days=1))
    planned_days = (date.fromisoformat(holdout["end_day"]) - start).days + 1
    arms = dict(conn.execute("SELECT unit, arm FROM holdout_unit WHERE holdout_id = :id",
                             {"id": holdout["holdout_id"]}).fetchall())
    days = max(0, (end - start).days + 1)
    if days == 0:
        return HoldoutResult(holdout["name"], holdout["design"], holdout["start_day"],
                             holdout["end_day"], 0, None, 0, None, None, None, False, False)
    window = _window(start, end, timezone)
    if holdout["design"] == "products":
        values = _product_daily_gmv(conn, shop_id, window, list(arms), days)
    else:
        values = {}
        for unit in arms:
            day = date.fromisoformat(unit)
            if start <= day <= end:
                one = _window(day, day, timezone)
                values[unit] = conn.execute(
                    "SELECT COALESCE(SUM(gmv_cents), 0) FROM order_line WHERE shop_id = "
                    ":shop_id AND paid_utc >= :start AND paid_utc < :end AND is_sample = 0",
                    {"shop_id": shop_id, "start": one.start_utc, "end": one.end_utc}
                ).fetchone()[0]
    ads = [value for unit, value in values.items() if arms[unit] == "ads"]
    off = [value for unit, value in values.items() if arms[unit] == "off"]
    lift = estimate_lift(ads, off)
    spend = conn.execute(_SPEND_SQL, {
        "shop_id": shop_id, "first_day": start.isoformat(), "last_day": end.isoformat(),
        "holdout": holdout["holdout_id"],
        "all_products": 1 if holdout["design"] == "days" else 0}).fetchone()[0]
    promoted = set(arms) if holdout["design"] == "products" else {
        row[0] for row in conn.execute(_PROMOTED_SQL, {"shop_id": shop_id,
                                                       "first_day": start.isoformat()})}
    spread = None
    if lift is not None and lift.standard_error and ads and off:
        spread = lift.standard_error / (1 / len(ads) + 1 / len(off)) ** 0.5
    planned = units_per_arm(spread or 0, holdout["mde_cents"] or 0)
    if holdout["design"] == "products":
        information = [(k + 1) / planned_days for k in range(days)]
    else:
        information = [min(len(ads), len(off)) / planned] if planned else []
    bound, decided = sequential_decision(lift.z if lift else None, information)
    return HoldoutResult(holdout["name"], holdout["design"], holdout["start_day"],
                         holdout["end_day"], days, lift, spend,
                         _margin_rate(conn, shop_id, window, promoted), planned, bound,
                         decided, end >= date.fromisoformat(holdout["end_day"]))


def holdout_results(conn: sqlite3.Connection, shop_id: int, timezone: str,
                    today: date) -> list[HoldoutResult]:
    """Every holdout of the shop, newest first, evaluated as of ``today``."""
    rows = conn.execute("SELECT * FROM holdout WHERE shop_id = :shop_id "
                        "ORDER BY start_day DESC, name", {"shop_id": shop_id}).fetchall()
    return [evaluate_holdout(conn, shop_id, row, timezone, today) for row in rows]
