"""Writers and readers for creator deals, sample shipments, creator fees and experiments.

Every writer runs inside the caller's write transaction (``store.write_transaction``), so
the templates, the page's editors and the demo share one path into the store. Creators are
named by their TikTok username; ``creator_key`` is how names are compared everywhere
(``@Glow.Girl`` and ``glow.girl`` are one creator).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from campaign_core.store import audit

DEAL_DAY_FIELDS: tuple[str, ...] = (
    "outreach_day", "accepted_day", "sample_shipped_day", "sample_delivered_day",
    "brief_sent_day", "content_due_day", "posted_day", "cancelled_day")
DEAL_FIELDS: tuple[str, ...] = (*DEAL_DAY_FIELDS, "extension", "flat_fee_cents",
                                "retainer_cents", "commission_rate", "posted_content_id",
                                "notes")
FEE_KINDS = ("flat_fee", "retainer")
EXPERIMENT_PLAN_FIELDS = ("varies", "metric", "planned_split", "variants", "mde_pp",
                          "baseline_rate_pct", "planned_looks", "notes")
# SQL for the comparison key of a creator column (see ``creator_key``).
CREATOR_KEY_SQL = "LOWER(LTRIM(TRIM({column}), '@'))"


def creator_key(name: str | None) -> str:
    """How creator names compare: trimmed, without a leading @, case-folded."""
    return (name or "").strip().lstrip("@").lower()


def clean_creator(name: str | None) -> str:
    """A creator name as stored: trimmed, without a leading @. Raises ``ValueError`` when
    empty."""
    text = (name or "").strip().lstrip("@").strip()
    if not text:
        raise ValueError("A creator needs a username.")
    return text


@dataclass(frozen=True)
class Deal:
    deal_id: int
    creator: str
    campaign: str
    outreach_day: date | None
    accepted_day: date | None
    sample_shipped_day: date | None
    sample_delivered_day: date | None
    brief_sent_day: date | None
    content_due_day: date | None  # the override; see creators.pipeline for the rule
    posted_day: date | None
    cancelled_day: date | None
    extension: bool
    flat_fee_cents: int
    retainer_cents: int
    commission_rate: float | None
    posted_content_id: str | None
    notes: str | None


def _day(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _day_text(value: object) -> str | None:
    day = _day(value)
    return None if day is None else day.isoformat()


def list_deals(conn: sqlite3.Connection, shop_id: int,
               campaign: str | None = None) -> list[Deal]:
    """The shop's deals (of one campaign when ``campaign`` is given), by creator."""
    clause = "" if campaign is None else " AND campaign = :campaign"
    rows = conn.execute(
        "SELECT * FROM creator_deal WHERE shop_id = :shop_id" + clause +
        " ORDER BY creator COLLATE NOCASE, campaign", {"shop_id": shop_id, "campaign": campaign})
    return [Deal(row["deal_id"], row["creator"], row["campaign"],
                 *(_day(row[name]) for name in DEAL_DAY_FIELDS), bool(row["extension"]),
                 row["flat_fee_cents"] or 0, row["retainer_cents"] or 0,
                 row["commission_rate"], row["posted_content_id"], row["notes"])
            for row in rows]


def upsert_deal(conn: sqlite3.Connection, shop_id: int, creator: str, campaign: str,
                values: Mapping[str, object], *, source: str = "app",
                import_id: int | None = None) -> int:
    """Create or update the deal of ``creator`` in ``campaign``; ``values`` maps
    ``DEAL_FIELDS`` to new values (days as dates or ISO text, money in cents); fields it
    leaves out keep their stored value. Returns the deal ID. Raises ``ValueError`` for an
    unknown field, an empty creator or campaign, a bad day or a negative fee."""
    unknown = set(values) - set(DEAL_FIELDS)
    if unknown:
        raise ValueError(f"Unknown deal fields: {', '.join(sorted(unknown))}")
    creator = clean_creator(creator)
    campaign = (campaign or "").strip()
    if not campaign:
        raise ValueError("A deal needs a campaign.")
    row = {name: _deal_value(name, value) for name, value in values.items()}
    existing = conn.execute(
        "SELECT deal_id FROM creator_deal WHERE shop_id = :shop_id AND creator = :creator "
        "AND campaign = :campaign", {"shop_id": shop_id, "creator": creator,
                                     "campaign": campaign}).fetchone()
    stamp = {"source": source, "import_id": import_id, "updated_utc": int(time.time())}
    if existing is None:
        data = {"shop_id": shop_id, "creator": creator, "campaign": campaign,
                "extension": 0, "flat_fee_cents": 0, "retainer_cents": 0, **row, **stamp}
        cursor = conn.execute(
            f"INSERT INTO creator_deal ({', '.join(data)}) "
            f"VALUES ({', '.join(':' + k for k in data)})", data)
        _audit_deal(conn, shop_id, creator, campaign, "created", values, import_id)
        return cursor.lastrowid
    data = {**row, **stamp}
    conn.execute(f"UPDATE creator_deal SET {', '.join(f'{k} = :{k}' for k in data)} "
                 "WHERE deal_id = :deal_id", {**data, "deal_id": existing[0]})
    _audit_deal(conn, shop_id, creator, campaign, "updated", values, import_id)
    return existing[0]


def _audit_deal(conn: sqlite3.Connection, shop_id: int, creator: str, campaign: str,
                verb: str, values: Mapping[str, object], import_id: int | None) -> None:
    if import_id is None:  # a file's deals are audited once, as its import
        audit.record(conn, "deal", shop_id, f"{creator} in {campaign}",
                     f"{verb}: {', '.join(sorted(values)) or 'no fields'}")


def _deal_value(name: str, value: object) -> object:
    if name in DEAL_DAY_FIELDS:
        try:
            return _day_text(value)
        except ValueError as error:
            raise ValueError(f"{name}: not a day ({value!r}); write YYYY-MM-DD") from error
    if name == "extension":
        return int(bool(value))
    if name in ("flat_fee_cents", "retainer_cents"):
        cents = int(value or 0)
        if cents < 0:
            raise ValueError(f"{name} cannot be negative")
        return cents
    if name == "commission_rate":
        return None if value is None or value == "" else float(value)
    text = None if value is None else str(value).strip()
    return text or None


def delete_deal(conn: sqlite3.Connection, shop_id: int, deal_id: int) -> None:
    gone = conn.execute("SELECT creator, campaign FROM creator_deal WHERE shop_id = :shop_id "
                        "AND deal_id = :deal_id", {"shop_id": shop_id, "deal_id": deal_id}
                        ).fetchone()
    conn.execute("DELETE FROM creator_deal WHERE shop_id = :shop_id AND deal_id = :deal_id",
                 {"shop_id": shop_id, "deal_id": deal_id})
    if gone is not None:
        audit.record(conn, "deal", shop_id, f"{gone[0]} in {gone[1]}", "deleted")


def upsert_sample(conn: sqlite3.Connection, shop_id: int, creator: str, sku_id: str,
                  shipped_day: date | str, units: int, shipping_cost_cents: int,
                  campaign: str | None = None, *, import_id: int | None = None) -> None:
    """Store one sample shipment, keyed by (creator, SKU, shipped day): a second one
    replaces the first. Raises ``ValueError`` for non-positive units or a negative cost."""
    if units <= 0 or shipping_cost_cents < 0:
        raise ValueError("A sample ships at least one unit at a non-negative cost.")
    conn.execute(
        "INSERT INTO sample_shipment (shop_id, creator, sku_id, shipped_day, units, "
        "shipping_cost_cents, campaign, import_id) VALUES (:shop_id, :creator, :sku_id, "
        ":day, :units, :cost, :campaign, :import_id) ON CONFLICT (shop_id, creator, sku_id, "
        "shipped_day) DO UPDATE SET units = excluded.units, shipping_cost_cents = "
        "excluded.shipping_cost_cents, campaign = excluded.campaign, import_id = "
        "excluded.import_id",
        {"shop_id": shop_id, "creator": clean_creator(creator), "sku_id": sku_id,
         "day": _day_text(shipped_day), "units": units, "cost": shipping_cost_cents,
         "campaign": campaign, "import_id": import_id})


def upsert_fee(conn: sqlite3.Connection, shop_id: int, creator: str, fee_day: date | str,
               kind: str, amount_cents: int, campaign: str | None = None,
               note: str | None = None, *, import_id: int | None = None) -> None:
    """Store a flat fee or retainer paid on ``fee_day``; one per (creator, day, kind).
    Raises ``ValueError`` for an unknown kind or a negative amount."""
    if kind not in FEE_KINDS:
        raise ValueError(f"A fee is one of {', '.join(FEE_KINDS)}, not {kind!r}.")
    if amount_cents < 0:
        raise ValueError("A fee cannot be negative.")
    conn.execute(
        "INSERT INTO creator_fee (shop_id, creator, fee_day, kind, amount_cents, campaign, "
        "note, import_id) VALUES (:shop_id, :creator, :day, :kind, :amount, :campaign, "
        ":note, :import_id) ON CONFLICT (shop_id, creator, fee_day, kind) DO UPDATE SET "
        "amount_cents = excluded.amount_cents, campaign = excluded.campaign, "
        "note = excluded.note, import_id = excluded.import_id",
        {"shop_id": shop_id, "creator": clean_creator(creator), "day": _day_text(fee_day),
         "kind": kind, "amount": amount_cents, "campaign": campaign, "note": note,
         "import_id": import_id})


def ensure_experiment(conn: sqlite3.Connection, shop_id: int, name: str,
                      plan: Mapping[str, object] | None = None) -> int:
    """The ID of experiment ``name`` of the shop, created when missing; ``plan`` sets its
    ``EXPERIMENT_PLAN_FIELDS`` (None values leave a stored value alone). Raises
    ``ValueError`` for an empty name or an unknown field."""
    name = (name or "").strip()
    if not name:
        raise ValueError("An experiment needs a name.")
    plan = {k: v for k, v in (plan or {}).items() if v is not None}
    unknown = set(plan) - set(EXPERIMENT_PLAN_FIELDS)
    if unknown:
        raise ValueError(f"Unknown experiment fields: {', '.join(sorted(unknown))}")
    row = conn.execute("SELECT experiment_id FROM experiment WHERE shop_id = :shop_id "
                       "AND name = :name", {"shop_id": shop_id, "name": name}).fetchone()
    if row is None:
        data = {"shop_id": shop_id, "name": name, "created_utc": int(time.time()), **plan}
        return conn.execute(f"INSERT INTO experiment ({', '.join(data)}) VALUES "
                            f"({', '.join(':' + k for k in data)})", data).lastrowid
    if plan:
        conn.execute(f"UPDATE experiment SET {', '.join(f'{k} = :{k}' for k in plan)} "
                     "WHERE experiment_id = :id", {**plan, "id": row[0]})
    return row[0]


def set_experiment_counts(conn: sqlite3.Connection, experiment_id: int,
                          counts: Iterable[tuple[str, date | str, int, int]], *,
                          import_id: int | None = None) -> int:
    """Store (variant, day, exposures, conversions) rows, replacing the same variant and
    day. Raises ``ValueError`` when conversions exceed exposures or a count is negative.
    Returns how many rows were written."""
    written = 0
    for variant, day, exposures, conversions in counts:
        if exposures < 0 or conversions < 0 or conversions > exposures:
            raise ValueError(f"{variant} on {day}: conversions ({conversions}) must be "
                             f"between 0 and the exposures ({exposures}).")
        conn.execute(
            "INSERT INTO experiment_day (experiment_id, variant, day, exposures, conversions, "
            "import_id) VALUES (:id, :variant, :day, :exposures, :conversions, :import_id) "
            "ON CONFLICT (experiment_id, variant, day) DO UPDATE SET exposures = "
            "excluded.exposures, conversions = excluded.conversions, import_id = "
            "excluded.import_id",
            {"id": experiment_id, "variant": str(variant).strip(), "day": _day_text(day),
             "exposures": exposures, "conversions": conversions, "import_id": import_id})
        written += 1
    return written
