"""Shops: name, IANA timezone and currency of each seller account in the store."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from campaign_core.markets import market_of_timezone
from campaign_core.store import audit

DEFAULT_SHOP_NAME = "My shop"
# US exports are in Pacific time, so a new shop starts there unless told otherwise.
DEFAULT_TIMEZONE = "America/Los_Angeles"
DEFAULT_CURRENCY = "USD"
# The demo campaign's shop (campaign_core.demo): never where unnamed real data goes.
DEMO_SHOP_NAME = "Glow & Go Beauty (demo)"
# The demo brand's UK shop (campaign_core/demo/uk_shop.py), in the same campaign.
DEMO_UK_SHOP_NAME = "Glow & Go Beauty UK (demo)"
DEMO_SHOP_NAMES = frozenset({DEMO_SHOP_NAME, DEMO_UK_SHOP_NAME})


@dataclass(frozen=True)
class Shop:
    shop_id: int
    name: str
    timezone: str
    currency: str
    category: str | None = None  # e.g. "Beauty & Personal Care": which benchmarks apply
    gmv_tier: str | None = None  # e.g. "10k-50k": the peer group's size band


def validate_timezone(name: str) -> str:
    """Return ``name`` if it is an IANA timezone; raise ``ValueError`` saying what to use."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(
            f"Unknown timezone {name!r}: use an IANA name such as America/Los_Angeles, "
            "Europe/London or Asia/Jakarta."
        ) from error
    return name


def _row_to_shop(row: sqlite3.Row) -> Shop:
    return Shop(row["shop_id"], row["name"], row["timezone"], row["currency"],
                row["category"], row["gmv_tier"])


def list_shops(conn: sqlite3.Connection) -> list[Shop]:
    """Every shop, by name."""
    rows = conn.execute("SELECT * FROM shop ORDER BY name").fetchall()
    return [_row_to_shop(row) for row in rows]


def find_shop(conn: sqlite3.Connection, name: str) -> Shop | None:
    row = conn.execute("SELECT * FROM shop WHERE name = :name", {"name": name}).fetchone()
    return _row_to_shop(row) if row else None


def shop_has_orders(conn: sqlite3.Connection, shop_id: int) -> bool:
    row = conn.execute("SELECT 1 FROM orders WHERE shop_id = :shop_id LIMIT 1",
                       {"shop_id": shop_id}).fetchone()
    return row is not None


def resolve_shop(conn: sqlite3.Connection, name: str | None, timezone: str | None,
                 currency: str | None = None) -> Shop:
    """The shop a command works on, created when missing (call inside a write transaction).

    ``name`` None means the store's only shop, or the default shop on an empty store.
    A ``timezone`` given for a shop that holds no orders yet becomes its timezone; a shop
    with orders keeps its own (the caller may still read a file in the given zone).
    The same for ``currency`` (a file's); without one, a new shop takes the currency of
    the market whose zone it is in (Asia/Jakarta: IDR), else USD.
    Raises ``ValueError`` for an unknown timezone or when ``name`` is None and the store
    has several shops.
    """
    if timezone:
        validate_timezone(timezone)
    if name is None:
        shops = list_shops(conn)
        if len(shops) > 1:
            raise ValueError("The store has several shops: name one with --shop "
                             f"({', '.join(s.name for s in shops)}).")
        name = shops[0].name if shops else DEFAULT_SHOP_NAME
    shop = find_shop(conn, name)
    if shop is None:
        conn.execute(
            "INSERT INTO shop (name, timezone, currency, created_utc) "
            "VALUES (:name, :timezone, :currency, :now)",
            {"name": name, "timezone": timezone or DEFAULT_TIMEZONE,
             "currency": currency or currency_of_zone(timezone or DEFAULT_TIMEZONE),
             "now": int(time.time())},
        )
        return find_shop(conn, name)
    changes = {}
    if timezone and timezone != shop.timezone:
        changes["timezone"] = timezone
        if currency is None and shop.currency == currency_of_zone(shop.timezone):
            currency = currency_of_zone(timezone)  # the currency followed the old zone
    if currency and currency != shop.currency:
        changes["currency"] = currency
    if changes and not shop_has_orders(conn, shop.shop_id):
        conn.execute(f"UPDATE shop SET {', '.join(f'{c} = :{c}' for c in changes)} "
                     "WHERE shop_id = :shop_id", {**changes, "shop_id": shop.shop_id})
        return find_shop(conn, name)
    return shop


def working_shop(conn: sqlite3.Connection, name: str | None) -> str | None:
    """The shop an import or sync that names none goes to, for ``resolve_shop``.

    ``name`` when given; else the user's one shop, i.e. the one that is not the demo's (a
    store normally holds the demo shop beside the user's); ``DEFAULT_SHOP_NAME`` (made by
    ``resolve_shop``) when the store holds no shop or only the demo's. Raises
    ``ValueError`` naming the shops when several are the user's.
    """
    if name:
        return name
    shops = list_shops(conn)
    own = [shop for shop in shops if shop.name not in DEMO_SHOP_NAMES]
    if not own:
        return DEFAULT_SHOP_NAME
    if len(own) == 1:
        return own[0].name
    raise ValueError(f"The store has several shops ({', '.join(s.name for s in shops)}): "
                     "name the one to use.")


def currency_of_zone(timezone: str) -> str:
    """The currency of the market whose default zone ``timezone`` is, else USD."""
    market = market_of_timezone(timezone)
    return market.currency.code if market else DEFAULT_CURRENCY


def update_shop(conn: sqlite3.Connection, shop_id: int, *, name: str, timezone: str,
                currency: str, category: str | None = None,
                gmv_tier: str | None = None) -> Shop:
    """Change a shop's name, timezone, currency, category or GMV tier (in a write
    transaction). Raises ``ValueError`` for a taken name, unknown zone or bad currency."""
    validate_timezone(timezone)
    name = name.strip()
    if not name:
        raise ValueError("A shop needs a name.")
    if len(currency.strip()) != 3 or not currency.strip().isalpha():
        raise ValueError(f"{currency!r} is not a currency code (three letters, e.g. USD).")
    same_name = find_shop(conn, name)
    if same_name is not None and same_name.shop_id != shop_id:
        raise ValueError(f"Another shop is already called {name!r}.")
    old_zone = conn.execute("SELECT timezone FROM shop WHERE shop_id = ?",
                            (shop_id,)).fetchone()
    conn.execute(
        "UPDATE shop SET name = :name, timezone = :timezone, currency = :currency, "
        "category = :category, gmv_tier = :tier WHERE shop_id = :shop_id",
        {"name": name, "timezone": timezone, "currency": currency.strip().upper(),
         "category": (category or "").strip() or None, "tier": (gmv_tier or "").strip() or None,
         "shop_id": shop_id},
    )
    if old_zone is not None and old_zone[0] != timezone:
        # The rollups kept per local day hold the old zone's days.
        from campaign_core.rollups import day_skus
        from campaign_core.rollups.day_buyers import rebuild_days

        rebuild_days(conn, shop_id)
        day_skus.rebuild(conn, shop_id)
    audit.record(conn, "shop", shop_id, name,
                 f"settings: {timezone}, {currency.strip().upper()}")
    return find_shop(conn, name)
