"""Cell text for the stakeholder report: a value formatted by its key's catalog entry.

Keys of the report that are metrics in the catalog take the catalog's format; other keys
are read by their name (``*_pct`` is a percentage, money words are money), so sections
added to the report later format sensibly without a change here.
"""

from __future__ import annotations

from campaign_core.formatting import MISSING, money, value_text
from campaign_core.metrics.catalog import CATALOG, Format

_MONEY_WORDS = ("gmv", "revenue", "spend", "commission", "cost", "margin", "profit", "aov",
                "sales", "refunds", "fee", "amount", "price", "contribution", "budget")
_PERCENT_WORDS = ("_pct", "_rate", "ctr", "ctor", "share")
# Words that look like money or percentages in a key but hold something else.
_NOT_MONEY = ("orders", "units", "count", "_day", "date", "status", "name", "_id", "source",
              "state", "roas")
_MISSING = MISSING
_ACRONYMS = {"gmv": "GMV", "aov": "AOV", "ctr": "CTR", "ctor": "CTOR", "roas": "ROAS",
             "sku": "SKU", "skus": "SKUs", "live": "LIVE", "id": "ID", "gpm": "GPM"}


def value_format(key: str) -> Format | None:
    """The format of the report key ``key``: the catalog's, else guessed from the name."""
    if key in CATALOG:
        return CATALOG[key].format
    lowered = key.lower()
    if lowered == "rate" or any(word in lowered for word in _PERCENT_WORDS):
        return Format.PERCENT
    if any(word in lowered for word in _NOT_MONEY):
        return None
    if any(word in lowered for word in _MONEY_WORDS):
        return Format.MONEY
    return None


def money_text(value: float | int, currency: str) -> str:
    """``$12,480.50``: the product's money format (``campaign_core.formatting.money``)."""
    return money(value, currency)


def cell_text(key: str, value: object, currency: str) -> str:
    """``value`` of the report key ``key`` as text (not escaped: the renderer escapes)."""
    if value is None or value == "":
        return _MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        kind = value_format(key)
        if kind is not None:
            return value_text(kind, value, currency)
        if isinstance(value, int) or float(value).is_integer():
            return value_text(Format.COUNT, value, currency)
        return value_text(Format.RATIO, value, currency).rstrip("0").rstrip(".")
    if isinstance(value, list | tuple):
        return "; ".join(cell_text(key, item, currency) for item in value)
    if isinstance(value, dict):
        # Counts per stage and the like: the non-zero ones say it all.
        shown = [f"{label(k)}: {cell_text(k, v, currency)}" for k, v in value.items()
                 if v not in (None, 0, "", [], {})]
        return ", ".join(shown) or _MISSING
    return str(value)


def label(key: str) -> str:
    """A column or row label: the catalog's label, else the key in words."""
    if key in CATALOG:
        return CATALOG[key].label
    words = [_ACRONYMS.get(word, word) for word in key.replace("_", " ").split()]
    text = " ".join(words).replace(" pct", " %")
    return text[:1].upper() + text[1:]
