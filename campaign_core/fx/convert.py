"""Exact conversion of daily amounts between currencies through the rates per EUR.

Rounding rule (README "For agencies"): each shop-local day's amount (integer hundredths of
its currency) is divided by that day's rate of its currency and multiplied by that day's
rate of the reporting currency as an exact fraction; the fractions are summed over the days
(and shops), and the sum is rounded once, half away from zero, to hundredths of the
reporting currency. So a combined EUR GMV is exactly the sum over shop-local days of each
day's GMV / that day's rate, to the cent. Per-shop subtotals are rounded the same way on
their own, so they may differ from the combined figure by a cent per shop.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from campaign_core.store.fx_rates import StoredRate, rates_between

BASE = "EUR"
# A day without a published rate (ECB publishes none at weekends and on TARGET holidays)
# uses the last earlier rate at most this many days old; beyond that it has no rate.
CARRY_FORWARD_DAYS = 7


@dataclass(frozen=True)
class DayRate:
    """The rate a shop-local ``day`` is converted at: ``per_eur`` units of ``currency``
    per EUR, published for ``rate_day`` (earlier than ``day`` when carried forward)."""

    currency: str
    day: date
    rate_day: date
    per_eur: Decimal
    source: str

    @property
    def carried_forward(self) -> bool:
        return self.rate_day != self.day

    def describe(self) -> str:
        """``1 EUR = 0.85618 GBP (ECB reference rate of Nov 28, carried forward)``."""
        if self.currency == BASE:
            return "EUR (no conversion)"
        text = (f"1 EUR = {self.per_eur} {self.currency} ({self.source} of "
                f"{_day_text(self.rate_day)}, {self.rate_day.year}")
        if self.carried_forward:
            text += f", carried forward to {_day_text(self.day)}"
        return text + ")"

    def as_dict(self) -> dict:
        return {"currency": self.currency, "day": self.day.isoformat(),
                "rate_day": self.rate_day.isoformat(), "per_eur": str(self.per_eur),
                "source": self.source, "carried_forward": self.carried_forward}


def _day_text(day: date) -> str:
    return f"{day:%b} {day.day}"


class RateBook:
    """The stored rates of some currencies around a span of days, for lookups by day."""

    def __init__(self, rates: Iterable[StoredRate]) -> None:
        self._rates: dict[str, dict[date, StoredRate]] = {}
        for rate in rates:
            self._rates.setdefault(rate.currency, {})[rate.day] = rate

    @classmethod
    def load(cls, conn: sqlite3.Connection, currencies: Iterable[str], first_day: date,
             last_day: date) -> RateBook:
        """The rates of ``currencies`` a conversion of ``first_day``..``last_day`` may use
        (from ``CARRY_FORWARD_DAYS`` before the first day)."""
        wanted = {c for c in currencies if c != BASE}
        return cls(rates_between(conn, wanted, first_day - timedelta(days=CARRY_FORWARD_DAYS),
                                 last_day))

    def rate(self, currency: str, day: date) -> DayRate | None:
        """The rate of ``currency`` for ``day``: that day's, else the last earlier one
        within ``CARRY_FORWARD_DAYS``; None beyond (not convertible). EUR is always 1."""
        if currency == BASE:
            return DayRate(BASE, day, day, Decimal(1), "base")
        known = self._rates.get(currency, {})
        for back in range(CARRY_FORWARD_DAYS + 1):
            stored = known.get(day - timedelta(days=back))
            if stored is not None:
                return DayRate(currency, day, stored.day, stored.per_eur, stored.source)
        return None


@dataclass(frozen=True)
class DayAmounts:
    """A shop-local day's money, in hundredths of the shop's currency, by name
    (``{"gmv": 12345, "refunds": Fraction(...)}``)."""

    day: date
    cents: dict[str, Fraction | int]


@dataclass
class Conversion:
    """Amounts converted into ``currency``, summed exactly over the days.

    ``totals`` hold the exact sums over the days that had a rate; ``rates_used`` the
    rates per day (of the source currency, and of the target when it is not EUR);
    ``days_without_rate`` the days with money but no rate (their amounts are in no total).
    """

    currency: str
    totals: dict[str, Fraction] = field(default_factory=dict)
    rates_used: list[DayRate] = field(default_factory=list)
    days_without_rate: list[tuple[date, str]] = field(default_factory=list)
    # Per day (one shop's conversion): the converted amounts and the rate of the source
    # currency (None: no conversion needed or possible). Not kept by ``merge``.
    by_day: dict[date, tuple[dict[str, Fraction] | None, DayRate | None]] = field(
        default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.days_without_rate

    def cents(self, name: str) -> int | None:
        """A total rounded to hundredths (the rule above); None when a day had no rate:
        a figure with a day left out would be wrong, so it is not given."""
        if not self.complete:
            return None
        return round_cents(self.totals.get(name, Fraction(0)))

    def merge(self, other: Conversion) -> None:
        for name, value in other.totals.items():
            self.totals[name] = self.totals.get(name, Fraction(0)) + value
        self.rates_used += [r for r in other.rates_used if r not in self.rates_used]
        self.days_without_rate += other.days_without_rate


def round_cents(value: Fraction) -> int:
    """``value`` (hundredths, exact) to a whole hundredth, halves away from zero."""
    sign = -1 if value < 0 else 1
    magnitude = abs(value)
    whole, rest = divmod(magnitude.numerator, magnitude.denominator)
    return sign * (whole + (1 if 2 * rest >= magnitude.denominator else 0))


def exact(value: Fraction | int | float | Decimal) -> Fraction:
    """An amount as an exact fraction; a float (refunds are summed as REAL) by its
    shortest decimal text, as it prints."""
    if isinstance(value, float):
        return Fraction(Decimal(repr(value)))
    return Fraction(value)


def convert_days(days: Iterable[DayAmounts], from_currency: str, to_currency: str,
                 book: RateBook) -> Conversion:
    """Convert each day's amounts from ``from_currency`` to ``to_currency`` at that day's
    rates (``book``) and sum them exactly. A day whose amounts are all zero needs no rate.
    Returns a ``Conversion``; never raises for a missing rate (the day is listed)."""
    result = Conversion(to_currency)
    for amounts in days:
        values = {name: exact(value) for name, value in amounts.cents.items()}
        for name in values:
            result.totals.setdefault(name, Fraction(0))
        if from_currency == to_currency:
            for name, value in values.items():
                result.totals[name] += value
            result.by_day[amounts.day] = (values, None)
            continue
        if not any(values.values()):
            result.by_day[amounts.day] = (values, None)
            continue
        source = book.rate(from_currency, amounts.day)
        target = book.rate(to_currency, amounts.day)
        missing = [c for c, r in ((from_currency, source), (to_currency, target)) if r is None]
        if missing:
            result.days_without_rate += [(amounts.day, currency) for currency in missing]
            result.by_day[amounts.day] = (None, None)
            continue
        factor = Fraction(target.per_eur) / Fraction(source.per_eur)
        converted = {name: value * factor for name, value in values.items()}
        for name, value in converted.items():
            result.totals[name] += value
        result.by_day[amounts.day] = (converted, source)
        result.rates_used += [r for r in (source, target) if r.currency != BASE]
    return result
