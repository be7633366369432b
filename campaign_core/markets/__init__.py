"""The markets TikTok Shop sells in, as data: currency, number marks, date order, timezone.

One table that the importers (how to read a figure or a date), the formatting (how to show
one) and the docs read. A fact that is not known for a market is ``None`` or absent, never
invented: an importer that needs it asks the file, and quarantines what the file cannot
settle.

Sources: currency codes and minor units are ISO 4217; number marks and date order are the
marks Seller Center exports of that market were seen to use (see ``evidence`` on each
entry), else the market's CLDR convention, marked ``"CLDR"``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Currency:
    """An ISO 4217 currency as a seller reads it."""

    code: str
    symbol: str
    minor_units: int  # digits after the decimal mark: 2 for USD, 0 for IDR, VND, JPY, KRW
    symbol_after: bool = False  # "299.000₫" and "12,50 €" put the symbol after the number


@dataclass(frozen=True)
class Market:
    """One TikTok Shop market and how its exports write figures and dates."""

    code: str  # ISO 3166-1 alpha-2, as TikTok's Open API names regions
    name: str
    currency: Currency
    timezone: str  # IANA name of the Seller Center default for the market
    decimal_mark: str
    thousands_mark: str
    date_order: str  # "MDY", "DMY" or "YMD": how slash dates in exports read
    evidence: tuple[str, ...] = field(default_factory=tuple)
    # Where the market writes the currency's symbol when it differs from the currency's
    # usual side: Ireland writes €1,022.25 (and Dutch and Austrian files € 1.022,25) where
    # the other euro markets write 1.022,25 €.
    symbol_after: bool | None = None


CURRENCIES: dict[str, Currency] = {c.code: c for c in (
    Currency("USD", "$", 2),
    Currency("GBP", "£", 2),
    Currency("EUR", "€", 2, symbol_after=True),
    Currency("IDR", "Rp", 0),
    Currency("MYR", "RM", 2),
    Currency("THB", "฿", 2),
    Currency("VND", "₫", 0, symbol_after=True),
    Currency("PHP", "₱", 2),
    Currency("SGD", "S$", 2),
    Currency("MXN", "MX$", 2),
    Currency("JPY", "¥", 0),
    Currency("BRL", "R$", 2),
    Currency("KRW", "₩", 0),
    Currency("PLN", "zł", 2, symbol_after=True),  # "1 234,56 zł" (CLDR pl)
)}

MARKETS: dict[str, Market] = {m.code: m for m in (
    Market("US", "United States", CURRENCIES["USD"], "America/Los_Angeles", ".", ",", "MDY"),
    Market("GB", "United Kingdom", CURRENCIES["GBP"], "Europe/London", ".", ",", "DMY"),
    Market("ID", "Indonesia", CURRENCIES["IDR"], "Asia/Jakarta", ",", ".", "DMY"),
    Market("MY", "Malaysia", CURRENCIES["MYR"], "Asia/Kuala_Lumpur", ".", ",", "DMY"),
    Market("TH", "Thailand", CURRENCIES["THB"], "Asia/Bangkok", ".", ",", "DMY"),
    Market("VN", "Vietnam", CURRENCIES["VND"], "Asia/Ho_Chi_Minh", ",", ".", "DMY"),
    Market("PH", "Philippines", CURRENCIES["PHP"], "Asia/Manila", ".", ",", "DMY"),
    Market("SG", "Singapore", CURRENCIES["SGD"], "Asia/Singapore", ".", ",", "DMY"),
    Market("ES", "Spain", CURRENCIES["EUR"], "Europe/Madrid", ",", ".", "DMY"),
    Market("IE", "Ireland", CURRENCIES["EUR"], "Europe/Dublin", ".", ",", "DMY",
           symbol_after=False),
    Market("DE", "Germany", CURRENCIES["EUR"], "Europe/Berlin", ",", ".", "DMY"),
    Market("FR", "France", CURRENCIES["EUR"], "Europe/Paris", ",", "\u202f", "DMY"),
    Market("IT", "Italy", CURRENCIES["EUR"], "Europe/Rome", ",", ".", "DMY"),
    Market("MX", "Mexico", CURRENCIES["MXN"], "America/Mexico_City", ".", ",", "DMY"),
    Market("JP", "Japan", CURRENCIES["JPY"], "Asia/Tokyo", ".", ",", "YMD"),
    Market("BR", "Brazil", CURRENCIES["BRL"], "America/Sao_Paulo", ",", ".", "DMY"),
    # Markets reported from June 2026. Belga News Agency, "TikTok expands into Belgian online
    # shopping market with in-app store launch" (2026-05-28,
    # https://www.belganewsagency.eu/tiktok-expands-into-belgian-online-shopping-market-with-in-app-store-launch):
    # TikTok Shop opens in Belgium on 15 June 2026 and has one head "for Belgium, the
    # Netherlands and Austria". No source found gives a launch date for the Netherlands or
    # Austria, nor any TikTok Shop launch in Poland: those three are listed as reported,
    # not verified. No Seller Center export of any of the four was seen: marks, date order
    # and symbol side are the CLDR convention (Dutch for Belgium; French-language Belgian
    # files write "1 234,56 €", which reads the same since spaces may group thousands).
    Market("AT", "Austria", CURRENCIES["EUR"], "Europe/Vienna", ",", ".", "DMY",
           evidence=("CLDR",), symbol_after=False),
    Market("BE", "Belgium", CURRENCIES["EUR"], "Europe/Brussels", ",", ".", "DMY",
           evidence=("CLDR", "Belga News Agency 2026-05-28"), symbol_after=False),
    Market("NL", "Netherlands", CURRENCIES["EUR"], "Europe/Amsterdam", ",", ".", "DMY",
           evidence=("CLDR",), symbol_after=False),
    # Polish groups thousands with a no-break space; CLDR leaves four-digit amounts
    # ungrouped (1234,56 zł), which reads the same.
    Market("PL", "Poland", CURRENCIES["PLN"], "Europe/Warsaw", ",", "\u00a0", "DMY",
           evidence=("CLDR",)),
)}


def currency(code: str | None) -> Currency:
    """The currency ``code`` (ISO 4217); an unknown code is shown as its code, 2 decimals."""
    code = (code or "USD").strip().upper()
    return CURRENCIES.get(code) or Currency(code, f"{code} ", 2)


def market_of_currency(code: str | None) -> Market | None:
    """The one market that uses ``code``; None for EUR (several markets) or an unknown code."""
    found = [m for m in MARKETS.values() if m.currency.code == (code or "").upper()]
    return found[0] if len(found) == 1 else None


def market_of_timezone(timezone: str | None) -> Market | None:
    """The market whose Seller Center default zone ``timezone`` is (Asia/Jakarta -> ID)."""
    found = [m for m in MARKETS.values() if m.timezone == timezone]
    return found[0] if len(found) == 1 else None


def shop_market(currency_code: str | None, timezone: str | None) -> Market | None:
    """The market of a shop keeping ``currency_code`` in ``timezone``: the market with both,
    else the one market of the currency (USD -> US), else the market of the zone when no
    currency is known; None when nothing settles it (EUR in a zone of no EUR market)."""
    code = (currency_code or "").upper()
    zone_market = market_of_timezone(timezone)
    if zone_market and (not code or zone_market.currency.code == code):
        return zone_market
    return market_of_currency(code) if code else None


def date_order_of(currency_code: str | None, timezone: str | None) -> str | None:
    """How a shop's exports write dates (``"DMY"``, ``"MDY"``, ``"YMD"``): its market's, or
    the order all markets of its currency share (every EUR market is DMY); None if unknown."""
    market = shop_market(currency_code, timezone)
    if market is not None:
        return market.date_order
    orders = {m.date_order for m in MARKETS.values()
              if m.currency.code == (currency_code or "").upper()}
    return orders.pop() if len(orders) == 1 else None


@dataclass(frozen=True)
class NumberStyle:
    """How figures of one shop are written: its currency and its market's number marks."""

    currency: Currency
    decimal_mark: str = "."
    thousands_mark: str = ","
    # False when the marks are a default, not the market's (EUR without a market): a
    # figure such as 1.234 is then ambiguous either way.
    marks_known: bool = True
    # False where rows name their own currency (ad reports, cost templates): a sign beside
    # a figure is then not checked against this currency.
    signs_checked: bool = True


class ShopCurrency(str):
    """A shop's currency code (``"EUR"``) that also knows the shop's market (``"DE"``).

    It is the code everywhere a string is expected (JSON, titles, comparisons), so the
    many places that pass a shop's currency along to the formatter need no market argument
    of their own, yet a German shop's figures read ``1.022,25 €`` and an Irish shop's
    ``1,022.25 €``.
    """

    market: str | None

    def __new__(cls, code: str, market: str | None = None) -> ShopCurrency:
        text = super().__new__(cls, code)
        text.market = market
        return text


def shop_currency(currency_code: str, timezone: str | None) -> ShopCurrency:
    """The currency of a shop keeping ``currency_code`` in ``timezone``, with its market
    (``shop_market``) when one is settled."""
    market = shop_market(currency_code, timezone)
    return ShopCurrency(currency_code, market.code if market else None)


def number_style(currency_code: str | None, market_code: str | None = None) -> NumberStyle:
    """The style of a shop in ``currency_code`` (and ``market_code`` when known, or the
    market a ``ShopCurrency`` carries; a market of another currency is ignored).

    Without a market, a currency used by one market takes that market's marks; EUR and
    unknown currencies take ``1,234.56`` (English marks), which no reader can misread.
    """
    market_code = market_code or getattr(currency_code, "market", None)
    money = currency(currency_code)
    found = MARKETS.get((market_code or "").upper())
    if found is None or found.currency.code != money.code:
        found = market_of_currency(money.code)
    if found is None:
        # English marks write the symbol first (``€1,234.56``, as Ireland does); ``1,234.56 €``
        # is no market's way, and Streamlit's own ``euro`` table format writes ``€`` first.
        return NumberStyle(replace(money, symbol_after=False), marks_known=False)
    if found.symbol_after is not None and found.symbol_after != money.symbol_after:
        money = replace(money, symbol_after=found.symbol_after)
    return NumberStyle(money, found.decimal_mark, found.thousands_mark)


# How exports write a currency beside a figure, besides its symbol and ISO code: Vietnamese
# files also write "đ" and "VNĐ", Indonesian ones "Rp.", and "$" alone is any dollar.
_EXTRA_SIGNS: dict[str, tuple[str, ...]] = {
    "$": ("USD", "MXN", "SGD"),
    "us$": ("USD",), "mx$": ("MXN",), "s$": ("SGD",),
    "rp.": ("IDR",), "đ": ("VND",), "vnđ": ("VND",), "円": ("JPY",), "￥": ("JPY",),
}


@functools.lru_cache(maxsize=1024)
def currencies_of_sign(sign: str) -> frozenset[str] | None:
    """The currencies a sign written beside a figure may stand for (``Rp`` -> IDR, ``$`` ->
    USD, MXN or SGD, ``EUR`` -> EUR); None for a sign that names no currency."""
    # Remembered: a file's every money cell asks about the same one or two signs.
    key = sign.strip().casefold()
    if not key:
        return None
    found = {code for code, money in CURRENCIES.items()
             if key in (code.casefold(), money.symbol.casefold())}
    found.update(_EXTRA_SIGNS.get(key, ()))
    if len(key) == 3 and key.isascii() and key.isalpha():
        found.add(key.upper())  # an ISO code the table does not list (CAD, AUD...)
    return frozenset(found) or None


# Order statuses by market live beside the table (statuses.py); importable from here too.
from campaign_core.markets.statuses import (  # noqa: E402
    ENGLISH_STATUSES,
    LOCAL_STATUSES,
    STATUSES,
    cancelled_by_columns,
    normalise_status,
)

__all__ = [
    "CURRENCIES", "ENGLISH_STATUSES", "LOCAL_STATUSES", "MARKETS", "STATUSES", "Currency",
    "Market", "NumberStyle", "ShopCurrency", "cancelled_by_columns", "currencies_of_sign",
    "currency", "date_order_of", "market_of_currency", "market_of_timezone",
    "normalise_status", "number_style", "shop_currency", "shop_market",
]
