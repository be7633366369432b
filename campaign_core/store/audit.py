"""The audit log: who imported which file, synced, or changed a campaign, target, cost or
deal, and when.

The store functions that make such a change call ``record`` with the connection of their
own write transaction, so the entry is stored with the change or not at all. Who acts is
a context variable: the app sets the signed-in user for each run (``acting_as``); anything
that sets nothing (the command line, the inbox watcher, a local app without sign-in) acts
as the operating-system user (``getpass.getuser()``).
"""

from __future__ import annotations

import getpass
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

_ACTOR: ContextVar[str | None] = ContextVar("campaign_actor", default=None)
ACTIONS = ("import", "sync", "campaign", "target", "cost", "deal", "shop")


def os_user() -> str:
    """The operating-system user running this process ("unknown" when it has no name)."""
    try:
        return getpass.getuser()
    except Exception:  # no login name, no USER/LOGNAME variable (some containers)
        return "unknown"


def current_actor() -> str:
    return _ACTOR.get() or os_user()


def set_actor(actor: str | None) -> None:
    """Who acts in this thread from now on (None: the operating-system user)."""
    _ACTOR.set(actor)


@contextmanager
def acting_as(actor: str | None) -> Iterator[None]:
    token = _ACTOR.set(actor)
    try:
        yield
    finally:
        _ACTOR.reset(token)


def record(conn: sqlite3.Connection, action: str, shop_id: int | None, subject: str,
           detail: str = "", now_utc: int | None = None) -> None:
    """Add one entry, inside the caller's write transaction. ``action`` is one of
    ``ACTIONS``; ``subject`` names what changed (a file, a campaign, a SKU, a creator)."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}.")
    conn.execute(
        "INSERT INTO audit_log (at_utc, actor, action, shop_id, subject, detail) "
        "VALUES (:at, :actor, :action, :shop_id, :subject, :detail)",
        {"at": int(now_utc or time.time()), "actor": current_actor(), "action": action,
         "shop_id": shop_id, "subject": subject[:500], "detail": detail[:1000]})


@dataclass(frozen=True)
class AuditEntry:
    audit_id: int
    at_utc: int
    actor: str
    action: str
    shop: str | None
    subject: str
    detail: str


def audit_entries(conn: sqlite3.Connection, shop_ids: Iterable[int] | None,
                  limit: int = 500) -> list[AuditEntry]:
    """The newest ``limit`` entries, newest first. ``shop_ids`` None: every entry (an
    admin); else only those of these shops (entries of no shop are left out)."""
    params: dict[str, object] = {"limit": limit}
    where = ""
    if shop_ids is not None:
        ids = sorted(set(shop_ids))
        params.update({f"s{i}": shop_id for i, shop_id in enumerate(ids)})
        where = (f"WHERE a.shop_id IN ({', '.join(f':s{i}' for i in range(len(ids)))})"
                 if ids else "WHERE 0")
    rows = conn.execute(
        "SELECT a.audit_id, a.at_utc, a.actor, a.action, s.name, a.subject, a.detail "
        f"FROM audit_log a LEFT JOIN shop s ON s.shop_id = a.shop_id {where} "
        "ORDER BY a.audit_id DESC LIMIT :limit", params).fetchall()
    return [AuditEntry(r[0], r[1], r[2], r[3], r[4], r[5] or "", r[6] or "") for r in rows]
