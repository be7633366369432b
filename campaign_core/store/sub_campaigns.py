"""Sub-campaigns: named time ranges inside a campaign (a flash sale, a LIVE deal...) on a
set of SKUs, so the dashboard can show orders and GMV per sub-campaign.

A sub-campaign belongs to one campaign; its name is unique within that campaign. Its time
range is a half-open range of UTC instants ``[start_utc, end_utc)``. An empty SKU list means
"all SKUs" (a storewide voucher, a bundle week), which is why no SKU rows are stored for it.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

# Offered in the app and the template; any other text is accepted as well.
SUB_CAMPAIGN_KINDS: tuple[str, ...] = ("Flash sale", "LIVE deal", "Voucher", "Bundle", "Other")
DEFAULT_KIND = "Other"

_SKU_ID = re.compile(r"^[0-9A-Za-z_\-]+$")


@dataclass(frozen=True)
class SubCampaign:
    sub_campaign_id: int
    campaign_id: int
    name: str
    kind: str
    start_utc: int  # inclusive, Unix seconds
    end_utc: int  # exclusive, Unix seconds
    sku_ids: tuple[str, ...]  # sorted; empty means every SKU of the shop

    @property
    def all_skus(self) -> bool:
        return not self.sku_ids


def list_sub_campaigns(conn: sqlite3.Connection, campaign_id: int) -> list[SubCampaign]:
    """The sub-campaigns of ``campaign_id``, by start time then name (empty if none)."""
    rows = conn.execute(
        "SELECT sub_campaign_id, campaign_id, name, kind, start_utc, end_utc "
        "FROM sub_campaign WHERE campaign_id = :campaign_id ORDER BY start_utc, name",
        {"campaign_id": campaign_id}).fetchall()
    skus = _sku_ids_by_sub_campaign(conn, campaign_id)
    return [_row_to_sub_campaign(row, skus.get(row["sub_campaign_id"], ())) for row in rows]


def find_sub_campaign(conn: sqlite3.Connection, campaign_id: int,
                      name: str) -> SubCampaign | None:
    """The sub-campaign called ``name`` (surrounding spaces ignored) in ``campaign_id``."""
    row = conn.execute(
        "SELECT sub_campaign_id, campaign_id, name, kind, start_utc, end_utc "
        "FROM sub_campaign WHERE campaign_id = :campaign_id AND name = :name",
        {"campaign_id": campaign_id, "name": name.strip()}).fetchone()
    if row is None:
        return None
    return _row_to_sub_campaign(row, _sku_ids_of(conn, row["sub_campaign_id"]))


def save_sub_campaign(conn: sqlite3.Connection, *, campaign_id: int, name: str,
                      kind: str | None, start_utc: int, end_utc: int,
                      sku_ids: Iterable[str], sub_campaign_id: int | None = None) -> SubCampaign:
    """Create a sub-campaign, or update the one with this ``sub_campaign_id`` (or, without
    an ID, the one with this name in the campaign). Its SKU list is replaced.

    Call inside a write transaction. ``kind`` is free text (empty means "Other");
    ``sku_ids`` may be empty, meaning all SKUs; duplicates and surrounding spaces are
    dropped. Returns the stored sub-campaign. Raises ``ValueError`` when the name is
    empty or taken by another sub-campaign of the campaign, the campaign or
    ``sub_campaign_id`` does not exist, the end is not after the start, or a SKU ID is not
    an ID.
    """
    name = name.strip()
    if not name:
        raise ValueError("A sub-campaign needs a name.")
    if end_utc <= start_utc:
        raise ValueError(f"The sub-campaign {name!r} must end after it starts.")
    skus = normalise_sku_ids(sku_ids)
    _require_campaign(conn, campaign_id)
    sub_campaign_id = _resolve_target(conn, campaign_id, name, sub_campaign_id)
    params = {"campaign_id": campaign_id, "name": name,
              "kind": (kind or "").strip() or DEFAULT_KIND, "start": int(start_utc),
              "end": int(end_utc), "sub_campaign_id": sub_campaign_id}
    if sub_campaign_id is None:
        sub_campaign_id = conn.execute(
            "INSERT INTO sub_campaign (campaign_id, name, kind, start_utc, end_utc) "
            "VALUES (:campaign_id, :name, :kind, :start, :end)", params).lastrowid
    else:
        conn.execute(
            "UPDATE sub_campaign SET campaign_id = :campaign_id, name = :name, kind = :kind, "
            "start_utc = :start, end_utc = :end WHERE sub_campaign_id = :sub_campaign_id",
            params)
    _replace_sku_ids(conn, sub_campaign_id, skus)
    return find_sub_campaign(conn, campaign_id, name)


def delete_sub_campaign(conn: sqlite3.Connection, sub_campaign_id: int) -> None:
    """Remove a sub-campaign and its SKU list (call inside a write transaction); orders
    are untouched. Deleting an unknown ID does nothing."""
    params = {"id": sub_campaign_id}
    conn.execute("DELETE FROM sub_campaign_sku WHERE sub_campaign_id = :id", params)
    conn.execute("DELETE FROM sub_campaign WHERE sub_campaign_id = :id", params)


def delete_campaign_sub_campaigns(conn: sqlite3.Connection, campaign_id: int) -> None:
    """Remove every sub-campaign of ``campaign_id`` with their SKU lists (before the
    campaign itself is deleted: the SKU rows reference their sub-campaign)."""
    params = {"campaign_id": campaign_id}
    conn.execute("DELETE FROM sub_campaign_sku WHERE sub_campaign_id IN (SELECT "
                 "sub_campaign_id FROM sub_campaign WHERE campaign_id = :campaign_id)", params)
    conn.execute("DELETE FROM sub_campaign WHERE campaign_id = :campaign_id", params)


def normalise_sku_ids(sku_ids: Iterable[str]) -> tuple[str, ...]:
    """SKU IDs trimmed, de-duplicated and sorted; raises ``ValueError`` for one that is not
    an ID (letters, digits, ``-`` and ``_`` only)."""
    cleaned = {str(sku).strip() for sku in sku_ids}
    cleaned.discard("")
    bad = sorted(sku for sku in cleaned if not _SKU_ID.match(sku))
    if bad:
        raise ValueError(f"Not a SKU ID: {', '.join(repr(sku) for sku in bad)} "
                         "(letters, digits, - and _ only).")
    return tuple(sorted(cleaned))


def _require_campaign(conn: sqlite3.Connection, campaign_id: int) -> None:
    found = conn.execute("SELECT 1 FROM campaign WHERE campaign_id = :id",
                         {"id": campaign_id}).fetchone()
    if found is None:
        raise ValueError(f"No campaign with ID {campaign_id}.")


def _resolve_target(conn: sqlite3.Connection, campaign_id: int, name: str,
                    sub_campaign_id: int | None) -> int | None:
    """The row to update (None: insert), refusing a name another sub-campaign holds."""
    same_name = find_sub_campaign(conn, campaign_id, name)
    if sub_campaign_id is None:
        return same_name.sub_campaign_id if same_name else None
    exists = conn.execute("SELECT 1 FROM sub_campaign WHERE sub_campaign_id = :id",
                          {"id": sub_campaign_id}).fetchone()
    if exists is None:
        raise ValueError(f"No sub-campaign with ID {sub_campaign_id}.")
    if same_name is not None and same_name.sub_campaign_id != sub_campaign_id:
        raise ValueError(f"Another sub-campaign of this campaign is already called {name!r}.")
    return sub_campaign_id


def _replace_sku_ids(conn: sqlite3.Connection, sub_campaign_id: int,
                     sku_ids: tuple[str, ...]) -> None:
    conn.execute("DELETE FROM sub_campaign_sku WHERE sub_campaign_id = :id",
                 {"id": sub_campaign_id})
    conn.executemany(
        "INSERT INTO sub_campaign_sku (sub_campaign_id, sku_id) VALUES (:id, :sku_id)",
        ({"id": sub_campaign_id, "sku_id": sku} for sku in sku_ids))


def _sku_ids_of(conn: sqlite3.Connection, sub_campaign_id: int) -> tuple[str, ...]:
    rows = conn.execute("SELECT sku_id FROM sub_campaign_sku WHERE sub_campaign_id = :id "
                        "ORDER BY sku_id", {"id": sub_campaign_id})
    return tuple(row[0] for row in rows)


def _sku_ids_by_sub_campaign(conn: sqlite3.Connection,
                             campaign_id: int) -> dict[int, tuple[str, ...]]:
    rows = conn.execute(
        "SELECT k.sub_campaign_id, k.sku_id FROM sub_campaign_sku k "
        "JOIN sub_campaign s ON s.sub_campaign_id = k.sub_campaign_id "
        "WHERE s.campaign_id = :campaign_id ORDER BY k.sub_campaign_id, k.sku_id",
        {"campaign_id": campaign_id})
    grouped: dict[int, list[str]] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(row[1])
    return {key: tuple(skus) for key, skus in grouped.items()}


def _row_to_sub_campaign(row: sqlite3.Row, sku_ids: tuple[str, ...]) -> SubCampaign:
    return SubCampaign(sub_campaign_id=row["sub_campaign_id"], campaign_id=row["campaign_id"],
                       name=row["name"], kind=row["kind"] or DEFAULT_KIND,
                       start_utc=row["start_utc"], end_utc=row["end_utc"], sku_ids=sku_ids)
