"""Exchange rates per EUR by day, and the workspace's reporting currency.

A rate is how many units of a currency one euro buys on a day (the European Central Bank's
convention: ``USD 1.0547`` means 1 EUR = 1.0547 USD). It is kept as the decimal text it was
published or typed as, so conversions are exact (``campaign_core.fx``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

REPORTING_CURRENCY_KEY = "reporting_currency"
DEFAULT_REPORTING_CURRENCY = "EUR"
MANUAL_SOURCE = "entered by hand"


@dataclass(frozen=True)
class StoredRate:
    currency: str
    day: date
    per_eur: Decimal
    source: str


def check_currency_code(code: str) -> str:
    """``code`` upper-cased when it is three letters; else ``ValueError``."""
    code = (code or "").strip().upper()
    if len(code) != 3 or not code.isalpha() or not code.isascii():
        raise ValueError(f"{code!r} is not a currency code (three letters, e.g. GBP).")
    return code


def check_rate(text: str | Decimal) -> Decimal:
    """A rate per EUR as a positive ``Decimal``; ``ValueError`` otherwise."""
    try:
        rate = Decimal(str(text).strip())
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a rate (a number such as 0.85618).") from None
    if not rate.is_finite() or rate <= 0:
        raise ValueError(f"{text!r} is not a rate: it must be a number above 0.")
    return rate


def save_rates(conn: sqlite3.Connection, rates: Iterable[tuple[str, date, Decimal]],
               source: str, import_id: int | None = None) -> int:
    """Store ``(currency, day, per_eur)`` rows (call inside a write transaction); a rate
    already stored for a currency and day is replaced. Returns how many rows were written."""
    rows = [{"currency": currency, "day": day.isoformat(), "rate": str(rate),
             "source": source, "import_id": import_id} for currency, day, rate in rates]
    conn.executemany(
        "INSERT INTO fx_rate (currency, day, per_eur, source, import_id) "
        "VALUES (:currency, :day, :rate, :source, :import_id) "
        "ON CONFLICT (currency, day) DO UPDATE SET per_eur = excluded.per_eur, "
        "source = excluded.source, import_id = excluded.import_id", rows)
    return len(rows)


def existing_rates(conn: sqlite3.Connection, keys: Iterable[tuple[str, date]]
                   ) -> dict[tuple[str, date], Decimal]:
    """The stored rates of ``(currency, day)`` keys (for an import's new/updated counts)."""
    found = {}
    for currency, day in keys:
        row = conn.execute("SELECT per_eur FROM fx_rate WHERE currency = :c AND day = :d",
                           {"c": currency, "d": day.isoformat()}).fetchone()
        if row is not None:
            found[(currency, day)] = Decimal(row[0])
    return found


def set_rate_for_period(conn: sqlite3.Connection, currency: str, first_day: date,
                        last_day: date, per_eur: str | Decimal) -> int:
    """One rate typed in for every day of ``first_day``..``last_day`` (a write transaction).

    Raises ``ValueError`` for a bad code, a rate that is not a positive number, EUR itself,
    or a period that ends before it starts. Returns the number of days written.
    """
    currency = check_currency_code(currency)
    if currency == "EUR":
        raise ValueError("EUR is the base of the rates: 1 EUR is always 1 EUR.")
    rate = check_rate(per_eur)
    if last_day < first_day:
        raise ValueError(f"The period ends ({last_day}) before it starts ({first_day}).")
    days = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    return save_rates(conn, ((currency, day, rate) for day in days), MANUAL_SOURCE)


def rates_between(conn: sqlite3.Connection, currencies: Iterable[str], first_day: date,
                  last_day: date) -> list[StoredRate]:
    """Stored rates of ``currencies`` from ``first_day`` to ``last_day``, oldest first."""
    found = []
    for currency in sorted(set(currencies)):
        rows = conn.execute(
            "SELECT currency, day, per_eur, source FROM fx_rate WHERE currency = :currency "
            "AND day BETWEEN :first AND :last ORDER BY day",
            {"currency": currency, "first": first_day.isoformat(),
             "last": last_day.isoformat()}).fetchall()
        found += [StoredRate(row[0], date.fromisoformat(row[1]), Decimal(row[2]), row[3])
                  for row in rows]
    return found


def rate_span(conn: sqlite3.Connection) -> list[tuple[str, str, str, int]]:
    """Per currency: first day, last day and number of days with a rate."""
    return [tuple(row) for row in conn.execute(
        "SELECT currency, MIN(day), MAX(day), COUNT(*) FROM fx_rate GROUP BY currency "
        "ORDER BY currency")]


def reporting_currency(conn: sqlite3.Connection) -> str:
    """The workspace's reporting currency (EUR until one is set)."""
    try:
        row = conn.execute("SELECT value FROM workspace_setting WHERE key = :key",
                           {"key": REPORTING_CURRENCY_KEY}).fetchone()
    except sqlite3.OperationalError:  # a store from before the setting existed
        return DEFAULT_REPORTING_CURRENCY
    return row[0] if row else DEFAULT_REPORTING_CURRENCY


def set_reporting_currency(conn: sqlite3.Connection, code: str) -> str:
    """Set the reporting currency (in a write transaction); ``ValueError`` for a bad code."""
    code = check_currency_code(code)
    conn.execute("INSERT INTO workspace_setting (key, value) VALUES (:key, :value) "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                 {"key": REPORTING_CURRENCY_KEY, "value": code})
    return code
