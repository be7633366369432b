"""Figures as people read them, one formatter for the whole product.

Cards, tables, grids, charts, alerts, the digest and the stakeholder report all write a
figure through here, by its kind in the metric catalog (``Format``): money in the shop's
currency (its symbol, its minor units: 0 decimals for IDR, VND, JPY, KRW; its market's
decimal and thousands marks, ``campaign_core.markets.number_style``), percentages with
``%``, counts whole, ratios and days with the decimals they need. A value that is not
known is ``MISSING``, never ``None`` or ``nan``. Compact money (``$180.1K``) is for cards
only, where the full value goes on hover. Downloads keep raw numbers and never come here.
"""

from __future__ import annotations

import math
from decimal import Decimal

from campaign_core.markets import NumberStyle, number_style
from campaign_core.metrics.catalog import Format

MISSING = "—"
Number = Decimal | float | int

_COMPACT_STEPS = ((1e9, "B"), (1e6, "M"), (1e3, "K"))


def is_missing(value: object) -> bool:
    """None, NaN and pandas' NA are all "not known"."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN and NA are not equal to themselves
    except (TypeError, ValueError):
        return False


def number(value: Number | None, decimals: int = 0, style: NumberStyle | None = None) -> str:
    """``value`` with thousands marks and ``decimals`` digits after the decimal mark of
    ``style`` (English marks without one): ``26,203.84``; ``MISSING`` when unknown."""
    if is_missing(value):
        return MISSING
    amount = float(value)
    if math.isinf(amount):
        return MISSING
    text = f"{abs(amount):,.{decimals}f}"
    if style is not None and (style.decimal_mark, style.thousands_mark) != (".", ","):
        text = text.replace(",", "\0").replace(".", style.decimal_mark).replace(
            "\0", style.thousands_mark)
    # -0.001 shown with 2 decimals is 0.00, not -0.00.
    return f"-{text}" if amount < 0 and round(abs(amount), decimals) else text


def money(value: Number | None, currency: str | None = "USD", market: str | None = None,
          *, decimals: int | None = None) -> str:
    """``$26,203.84``, ``Rp150.000``, ``12,50 €``: the currency's symbol and minor units
    with the market's marks; ``MISSING`` when unknown."""
    if is_missing(value):
        return MISSING
    style = number_style(currency, market)
    digits = style.currency.minor_units if decimals is None else decimals
    return _with_symbol(number(value, digits, style), style)


def compact_money(value: Number | None, currency: str | None = "USD",
                  market: str | None = None) -> str:
    """``$180.1K``, ``$1.2M``; below 1,000 the full amount (``$512.30``). For cards, with
    the full amount (``money``) on hover."""
    if is_missing(value):
        return MISSING
    amount = float(value)
    for limit, suffix in _COMPACT_STEPS:
        if abs(amount) >= limit:
            style = number_style(currency, market)
            return _with_symbol(number(amount / limit, 1, style) + suffix, style)
    return money(value, currency, market)


def _with_symbol(text: str, style: NumberStyle) -> str:
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    symbol = style.currency.symbol
    if style.currency.symbol_after:
        spacer = "\u00a0" if symbol in ("€", "zł") else ""  # 12,50 €, 1 234,56 zł; 299.000₫
        return f"{sign}{digits}{spacer}{symbol}"
    return f"{sign}{symbol}{digits}"


def count(value: Number | None, style: NumberStyle | None = None) -> str:
    """A whole number with thousands marks (an average of people rounds to whole people)."""
    if is_missing(value):
        return MISSING
    return number(round(float(value)), 0, style)


def percent(value: Number | None, decimals: int = 1, style: NumberStyle | None = None) -> str:
    """``4.0%`` from 4.0 (values are already x 100)."""
    if is_missing(value):
        return MISSING
    return number(value, decimals, style) + "%"


def ratio(value: Number | None, style: NumberStyle | None = None) -> str:
    """``3.25`` (ROAS and the like: two decimals)."""
    return number(value, 2, style)


def days(value: Number | None, style: NumberStyle | None = None) -> str:
    """Days of cover and the like: ``1.4``; whole above 100 (``120``)."""
    if is_missing(value):
        return MISSING
    return number(value, 0 if abs(float(value)) >= 100 else 1, style)


def duration(seconds: Number | None) -> str:
    """``45 min``, ``2 h 5 min``: a span of time in words."""
    if is_missing(seconds):
        return MISSING
    minutes = round(float(seconds) / 60)
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours:,} h" + (f" {minutes} min" if minutes else "")


def value_text(kind: Format | str | None, value: object, currency: str | None = "USD",
               *, compact: bool = False, market: str | None = None) -> str:
    """``value`` written as its catalog ``kind`` says (``Format`` or its name: money,
    count, percent, ratio, days, duration); other kinds as text; ``MISSING`` when unknown."""
    if is_missing(value):
        return MISSING
    style = number_style(currency, market)
    kind = str(kind) if kind is not None else None
    if kind == Format.MONEY:
        return compact_money(value, currency, market) if compact else money(
            value, currency, market)
    if kind == Format.COUNT:
        return count(value, style)
    if kind == Format.PERCENT:
        return percent(value, 1, style)
    if kind == Format.RATIO:
        return ratio(value, style)
    if kind == Format.DAYS:
        return days(value, style)
    if kind == Format.DURATION:
        return duration(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return count(value, style)
    if isinstance(value, float | Decimal):
        return number(value, 2, style)
    return str(value)


def d3_format(kind: Format | str | None, currency: str | None = "USD") -> str:
    """The chart format (d3/Vega) of a ``kind``: money with the currency's minor units and
    thousands separators, counts whole, percentages (already x 100) with one decimal."""
    kind = str(kind) if kind is not None else None
    if kind == Format.MONEY:
        return f",.{number_style(currency).currency.minor_units}f"
    if kind in (Format.PERCENT, Format.DAYS):
        return ",.1f"
    if kind == Format.RATIO:
        return ",.2f"
    return ",.0f"


def plural(amount: int, singular: str, plural_form: str | None = None) -> str:
    """``1 product``, ``2 products``, ``1,024 LIVEs`` (``plural_form`` when not
    ``singular + "s"``)."""
    word = singular if amount == 1 else (plural_form or f"{singular}s")
    return f"{count(amount)} {word}"


def p_value(value: Number | None) -> str:
    """A p-value as a reader needs it: ``0.20``, ``0.02``; ``< 0.01`` and ``< 0.001`` below
    those (more digits of a tiny p-value say nothing more)."""
    if is_missing(value):
        return MISSING
    p = float(value)
    if p < 0.001:
        return "< 0.001"
    if p < 0.01:
        return "< 0.01"
    return f"{p:.2f}"


def signed_percent(change: Number | None, style: NumberStyle | None = None) -> str:
    """A change in percent with its sign: ``+12.5%``, ``-3.0%`` (``+12,5%`` in a market
    with the decimal comma); ``MISSING`` when unknown."""
    if is_missing(change):
        return MISSING
    shown = percent(change, 1, style)
    return shown if shown.startswith("-") else f"+{shown}"
