"""Ad accounts and the primary ad account setting.

The Marketing page and the report show ad numbers of ONE account, the primary: the one the
seller marked; else, when the shop has one named account, that one; else the named account
with the most ad spend (the page asks the seller to choose). Reports that name no account
(account_id '') are counted with the primary account: most sellers have one account and
their exports do not say which.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

UNNAMED = ""

_SPEND_SQL = """
SELECT account_id, SUM(cost_cents) AS spend FROM (
    SELECT account_id, cost_cents FROM ad_day WHERE shop_id = :shop_id
    UNION ALL SELECT account_id, cost_cents FROM ad_campaign_period WHERE shop_id = :shop_id
    UNION ALL SELECT account_id, cost_cents FROM ad_creative_period WHERE shop_id = :shop_id)
GROUP BY account_id
"""


@dataclass(frozen=True)
class AdAccount:
    account_id: str
    name: str | None
    currency: str | None
    is_primary: bool  # marked by the seller
    # The account's fixed UTC offset in minutes (Ads Manager time zones have no DST); None:
    # not known, its reports are read in the shop's timezone (metrics/ad_time.py).
    utc_offset_minutes: int | None = None

    @property
    def label(self) -> str:
        if self.account_id == UNNAMED:
            return "Ad account (not named in the reports)"
        if self.name and self.name != self.account_id:
            return f"{self.name} ({self.account_id})"
        return self.account_id


def list_ad_accounts(conn: sqlite3.Connection, shop_id: int) -> list[AdAccount]:
    """The shop's ad accounts, by label."""
    offset = ("utc_offset_minutes" if _has_offset_column(conn)
              else "NULL AS utc_offset_minutes")
    rows = conn.execute(f"SELECT account_id, name, currency, is_primary, {offset} FROM "
                        "ad_account WHERE shop_id = :shop_id ORDER BY account_id",
                        {"shop_id": shop_id})
    return [AdAccount(r[0], r[1], r[2], bool(r[3]), r[4]) for r in rows]


def _has_offset_column(conn: sqlite3.Connection) -> bool:
    return any(row[1] == "utc_offset_minutes"
               for row in conn.execute("PRAGMA table_info(ad_account)"))


def set_ad_account_offset(conn: sqlite3.Connection, shop_id: int, account_id: str,
                          offset_minutes: int | None) -> None:
    """Set (None: clear) the account's UTC offset, inside the caller's write transaction.
    Raises ``ValueError`` for an account the shop does not have or an offset that is not
    a whole or half hour within UTC-12:00..UTC+14:00 (what Ads Manager offers)."""
    if offset_minutes is not None and (offset_minutes % 30 or
                                       not -12 * 60 <= offset_minutes <= 14 * 60):
        raise ValueError(f"An ad account's time zone is a whole or half hour from UTC, "
                         f"not {offset_minutes} minutes.")
    changed = conn.execute(
        "UPDATE ad_account SET utc_offset_minutes = :offset WHERE shop_id = :shop_id AND "
        "account_id = :account_id",
        {"offset": offset_minutes, "shop_id": shop_id, "account_id": account_id}).rowcount
    if not changed:
        raise ValueError(f"The shop has no ad account {account_id!r}.")


def primary_ad_account(conn: sqlite3.Connection, shop_id: int) -> AdAccount | None:
    """The primary account by the rule in the module docstring; None without accounts."""
    accounts = list_ad_accounts(conn, shop_id)
    if not accounts:
        return None
    marked = [a for a in accounts if a.is_primary]
    if marked:
        return marked[0]
    named = [a for a in accounts if a.account_id != UNNAMED]
    if not named:
        return accounts[0]
    if len(named) == 1:
        return named[0]
    spend = {row[0]: row[1] or 0 for row in conn.execute(_SPEND_SQL, {"shop_id": shop_id})}
    return max(named, key=lambda a: (spend.get(a.account_id, 0), a.account_id))


def counted_account_ids(conn: sqlite3.Connection, shop_id: int) -> list[str]:
    """The account IDs whose rows count as the primary account's: it and the unnamed one."""
    primary = primary_ad_account(conn, shop_id)
    if primary is None:
        return []
    return sorted({primary.account_id, UNNAMED})


def set_primary_ad_account(conn: sqlite3.Connection, shop_id: int, account_id: str) -> None:
    """Mark ``account_id`` primary (inside the caller's write transaction). Raises
    ``ValueError`` for an account the shop does not have."""
    exists = conn.execute("SELECT 1 FROM ad_account WHERE shop_id = :shop_id AND "
                          "account_id = :account_id",
                          {"shop_id": shop_id, "account_id": account_id}).fetchone()
    if exists is None:
        raise ValueError(f"No ad account {account_id!r} in this shop.")
    conn.execute("UPDATE ad_account SET is_primary = (account_id = :account_id) "
                 "WHERE shop_id = :shop_id", {"shop_id": shop_id, "account_id": account_id})
