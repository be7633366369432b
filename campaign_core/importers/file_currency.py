"""The currency a file is in, and how its figures and dates are read (``FileLocale``).

A file names its currency in a ``Currency`` column (affiliate orders, ads, income), in the
signs of its amounts (``Rp 150.000``, ``299.000₫``, ``MXN 3,121.71``), or, for an orders
export of plain figures, by the language of its statuses (``Selesai``: Indonesia). The
first rows are enough: an export is in one currency. What the file does not say, the shop
does.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import chain, islice

from campaign_core.importers.dates import market_order
from campaign_core.importers.reading import FileRejected, SourceTable
from campaign_core.importers.values import FileLocale, clean, is_empty, sign_currencies
from campaign_core.markets import MARKETS, date_order_of, number_style, shop_market
from campaign_core.markets.statuses import markets_of_status

SNIFF_ROWS = 500
# Fields of any kind whose cells are amounts: only their signs name the file's currency (a
# Seller SKU such as RM100 or ABC123 is no amount).
MONEY_FIELDS = frozenset({
    # orders
    "unit_original_price", "subtotal_before", "platform_discount", "seller_discount",
    "subtotal_after", "shipping_fee_platform_discount", "original_shipping_fee",
    "shipping_fee_seller_discount", "shipping_fee_after_discount", "taxes", "order_amount",
    "order_refund_amount", "payment_platform_discount", "retail_delivery_fee",
    # product analytics, content, creators, ads
    "gmv", "refunds", "live_gmv", "video_gmv", "affiliate_gmv", "product_card_gmv",
    "shop_tab_gmv", "creator_gmv", "card_gmv", "est_commission", "cost", "net_cost",
    "gross_revenue",
    # affiliate orders
    "price", "payment_amount", "est_commission_base", "est_standard",
    "actual_commission_base", "actual_standard", "est_shop_ads", "actual_shop_ads",
    "est_bonus", "actual_bonus",
    # income (settlement)
    "total_revenue", "refund_subtotal", "total_fees", "transaction_fee",
    "platform_commission", "seller_shipping_fee", "affiliate_commission",
    "affiliate_shop_ads_commission", "gmv_max_ad_fee", "adjustment", "settlement",
})


def file_currency(table: SourceTable) -> str | None:
    """The one currency the file names (ISO code), or None when it names none.

    Looks at the first rows only, and puts them back: ``table.rows`` yields them again.
    Raises ``FileRejected`` when it names several (``IDR`` and ``USD`` rows, or ``Rp`` and
    ``£`` amounts): such a file cannot go into one shop.
    """
    head = list(islice(table.rows, SNIFF_ROWS))
    table.rows = chain(head, table.rows)
    named: set[str] = set()
    signs: frozenset[str] | None = None
    column = table.columns.positions.get("currency")
    money_columns = [index for name, index in table.columns.positions.items()
                     if name in MONEY_FIELDS]
    for _, cells in head:
        if cells is None:
            continue
        if column is not None and column < len(cells):
            code = clean(cells[column]).upper()
            if not is_empty(code) and len(code) == 3 and code.isalpha():
                named.add(code)
        for index in money_columns:
            found = sign_currencies(cells[index]) if index < len(cells) else None
            if found:
                signs = found if signs is None else (signs & found) or _mixed(signs, found)
    if len(named) > 1:
        raise FileRejected(f"The file mixes currencies ({', '.join(sorted(named))}); a shop "
                           "keeps one currency. Export each shop's data separately.")
    if named:
        return named.pop()
    if signs and len(signs) == 1:
        return next(iter(signs))
    return _currency_of_statuses(table, head)


def _currency_of_statuses(table: SourceTable, head: list) -> str | None:
    """The currency of the one market whose local words the file's order statuses are
    (``Selesai``: Indonesia, IDR); None when they are English or of no single market."""
    column = table.columns.positions.get("status") if table.kind.name == "orders" else None
    if column is None:
        return None
    markets: set[str] = set()
    for _, cells in head:
        if cells is not None and column < len(cells) and isinstance(cells[column], str):
            markets |= markets_of_status(cells[column])
    return MARKETS[markets.pop()].currency.code if len(markets) == 1 else None


def _mixed(first: frozenset[str], second: frozenset[str]) -> frozenset[str]:
    raise FileRejected(f"The file's amounts are written in several currencies "
                       f"({'/'.join(sorted(first))} and {'/'.join(sorted(second))}); a shop "
                       "keeps one currency.")


def locale_for(currency: str, timezone: str, *, signs_checked: bool = True) -> FileLocale:
    """How a file of a shop in ``currency`` and ``timezone`` writes figures and dates;
    ``signs_checked`` False for files whose rows name their own currency."""
    market = shop_market(currency, timezone)
    style = number_style(currency, market.code if market else None)
    if not signs_checked:
        style = replace(style, signs_checked=False)
    return FileLocale(style, market_order(date_order_of(currency, timezone)))
