"""Column settings for ``st.dataframe`` tables, so their figures read like the rest of the
product: money with the currency (thousands separated), percentages with ``%``, counts
whole, days with one decimal; the raw numbers stay underneath (sorting, the app's own
downloads). Empty cells show ``—`` (``None`` shows as ``None`` otherwise).

A shop whose market writes other number marks (``1.234,56 €`` in Germany, ``Rp150.000``
in Indonesia) gets its tables as a pandas ``Styler``: each cell shows the formatter's text
while its value stays a number, so sorting stays numeric. Streamlit's own number formats
cannot do that: their marks are English (printf, ``accounting``) or the browser's
(``localized``, ``dollar``, ``euro``), never the shop's."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from campaign_core.formatting import MISSING, value_text
from campaign_core.markets import currency as currency_of
from campaign_core.markets import number_style
from ui.formatting import plain

# Streamlit's own money formats, where one matches the currency; others are written with
# separators and the currency in the header.
_MONEY_FORMATS = {"USD": "dollar", "EUR": "euro", "JPY": "yen"}
_FORMATS = {"count": "localized", "percent": "%.1f%%", "ratio": "%.2f", "days": "%.1f"}


def number_column(kind: str, currency: str = "USD", label: str | None = None,
                  help: str | None = None,  # noqa: A002 - Streamlit's own name
                  min_value: float | None = None):
    """A ``NumberColumn`` that writes a ``kind`` (money, count, percent, ratio, days)."""
    # Labels and help render as Markdown; a column may be named after imported text.
    title = None if label is None else plain(label)
    hover = None if help is None else plain(help)
    if kind == "money":
        known = _MONEY_FORMATS.get(currency)
        if known is None and title is not None:
            title = f"{title} ({plain(currency_of(currency).symbol.strip())})"
        decimals = currency_of(currency).minor_units
        return st.column_config.NumberColumn(title, help=hover, format=known or "accounting",
                                             step=10 ** -decimals if decimals else 1,
                                             min_value=min_value)
    if kind == "count":
        return st.column_config.NumberColumn(title, help=hover, format="localized", step=1)
    return st.column_config.NumberColumn(title, help=hover, format=_FORMATS.get(kind, "%.2f"))


def column_config(kinds: dict[str, str], currency: str = "USD",
                  helps: dict[str, str] | None = None) -> dict:
    """``column_config`` for ``st.dataframe``: column -> its kind's number column."""
    helps = helps or {}
    return {column: number_column(kind, currency, column, helps.get(column))
            for column, kind in kinds.items()}


def dashes(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with empty text cells shown as ``—`` (numbers stay numbers: their empty
    cells are blank)."""
    shown = frame.copy()
    for column in shown.columns:
        if not pd.api.types.is_numeric_dtype(shown[column]):
            shown[column] = [MISSING if value is None or (isinstance(value, float)
                                                          and value != value) else value
                             for value in shown[column]]
    return shown


def readable(frame: pd.DataFrame, kinds: dict[str, str], currency: str = "USD",
             helps: dict[str, str] | None = None) -> tuple[pd.DataFrame | Styler, dict]:
    """``frame`` and its ``column_config`` for ``st.dataframe``: number columns formatted
    by kind; a number column with empty cells (which Streamlit would show as ``None``)
    written as text by the formatter instead, its empty cells ``—``; empty text cells
    ``—``. Where the shop's market writes other marks than ``1,234.56``, the table is a
    ``Styler`` writing each number cell with the formatter. Downloads take ``frame``
    itself (raw numbers)."""
    shown = dashes(frame)
    config = column_config({c: k for c, k in kinds.items() if c in frame.columns}, currency,
                           helps)
    for column, kind in kinds.items():
        if column in frame.columns and frame[column].isna().any():
            shown[column] = [value_text(kind, value, currency) for value in frame[column]]
            hover = (helps or {}).get(column)
            config[column] = st.column_config.TextColumn(
                plain(column), help=None if hover is None else plain(hover))
    if english_marks(currency):
        return shown, config
    numbers = {c: k for c, k in kinds.items()
               if c in frame.columns and not frame[c].isna().any()}
    for column in numbers:
        hover = (helps or {}).get(column)
        # No format: a column format would override the text the Styler gives each cell.
        config[column] = st.column_config.NumberColumn(
            plain(column), help=None if hover is None else plain(hover))
    return shown.style.format({column: _writer(kind, currency)
                               for column, kind in numbers.items()}), config


def english_marks(currency: str) -> bool:
    """True when the shop whose ``currency`` it is (a ``ShopCurrency`` knows its market)
    writes ``1,234.56``, the marks Streamlit's number formats write."""
    style = number_style(currency)
    return (style.decimal_mark, style.thousands_mark) == (".", ",")


def _writer(kind: str, currency: str):
    return lambda value: value_text(kind, value, currency)
