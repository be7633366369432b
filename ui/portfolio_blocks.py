"""Blocks of the agency workspace: the Overview's section for a campaign that spans shops,
and the Portfolio page's table and chart. Money of several shops is shown converted into
the reporting currency (day by day, ``campaign_core.fx``) beside each shop's own."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
import streamlit as st

from campaign_core.fx import CARRY_FORWARD_DAYS, Conversion, DayAmounts, round_cents
from campaign_core.metrics.catalog import CATALOG
from campaign_core.portfolio.overview import SORT_KEYS, Portfolio
from campaign_core.store.campaigns import Campaign
from ui import charts, data, downloads, settings, style
from ui.formatting import MISSING, count, money, percent, plain
from ui.header import ViewContext
from ui.portfolio_charts import gmv_by_shop_chart, gmv_by_shop_frame
from ui.tables import number_column

NOT_CONVERTIBLE = "not convertible"


def _amount(cents: int | None, currency: str) -> str:
    return NOT_CONVERTIBLE if cents is None else money(Decimal(cents) / 100, currency)


def _missing_rate_days(conversion: Conversion) -> str:
    days = sorted({(day, currency) for day, currency in conversion.days_without_rate})
    return ", ".join(f"{day:%b} {day.day} ({currency})" for day, currency in days)


def rates_note(conversion: Conversion) -> str:
    """Which rates converted the figures (range per currency, carried days), for help."""
    if not conversion.rates_used:
        return "No conversion was needed."
    parts = []
    for currency in sorted({r.currency for r in conversion.rates_used}):
        rates = [r for r in conversion.rates_used if r.currency == currency]
        values = sorted({r.per_eur for r in rates})
        carried = sorted({r.day for r in rates if r.carried_forward})
        text = (f"{currency} {values[0]}" if len(values) == 1
                else f"{currency} {values[0]} to {values[-1]}")
        text += f" per EUR ({rates[0].source})"
        if carried:
            text += (f"; {len(carried)} day(s) without a published rate used the last "
                     f"earlier one (up to {CARRY_FORWARD_DAYS} days)")
        parts.append(text)
    return "Converted at each shop-local day's rate: " + "; ".join(parts) + "."


def warn_not_convertible(conversion: Conversion, currency: str) -> None:
    if conversion.complete:
        return
    st.warning(
        f"Some days have no exchange rate within {CARRY_FORWARD_DAYS} days: "
        f"{plain(_missing_rate_days(conversion))}. Their figures are not converted into "
        f"{plain(currency)} (never at 1:1), so the totals in {plain(currency)} are not shown. "
        "Import the ECB's eurofxref-hist.csv on the Import page or enter a rate on the "
        "Campaigns page.", icon=":material/currency_exchange:")


def converted_column(frame: pd.DataFrame, column: str, currency: str, hover: str):
    """The column config of a converted money column; a column with a day that could not
    be converted is written as text ("not convertible"), never as an empty number."""
    if not frame[column].isna().any():
        return number_column("money", currency, help=hover)  # the frame's own header
    frame[column] = [NOT_CONVERTIBLE if value is None or value != value
                     else money(value, currency) for value in frame[column]]
    return st.column_config.TextColumn(plain(column), help=plain(hover))


# --- the Overview of a campaign that spans shops --------------------------------------------


def show_campaign_shops(context: ViewContext) -> None:
    """Combined figures and a per-shop breakdown, when the campaign spans shops the reader
    may see; nothing for a single-shop campaign."""
    db_path, version = context.db_path, context.version
    visible = tuple(shop.shop_id for shop in data.shops(db_path, version))
    views = [v for v in data.campaign_shop_views(db_path, version, context.campaign)
             if v.shop_id in visible]
    if len(views) < 2:
        return
    currency = data.reporting_currency(db_path, version)
    day = context.window.first_day if context.window.view.value == "daily" else None
    figures = data.combined(db_path, version, context.campaign, context.window.view.value,
                            day, context.now_minute, currency, visible)
    st.subheader(f"All {len(figures.shops)} shops in this campaign")
    zones = "; ".join(f"{plain(s.campaign.shop_name)}: {plain(s.campaign.timezone)}"
                      for s in figures.shops)
    st.caption(f"Each shop's windows are in its own timezone ({zones}). Money is converted "
               f"into {plain(currency)}, the reporting currency (set on the Campaigns page), "
               "at the rate of each shop-local day.")
    warn_not_convertible(figures.conversion, currency)
    note = rates_note(figures.conversion)
    gmv_card, orders_card, buyers_card, refunds_card = style.card_columns("campaign_shops", 4)
    for column, name in ((gmv_card, "gmv"), (refunds_card, "refunds")):
        column.metric(plain(f"{CATALOG[name].label}, all shops ({currency})"),
                      _amount(figures.money_cents(name), currency), border=True,
                      help=plain(f"{CATALOG[name].definition}\n\n{note}"))
    for column, name in ((orders_card, "orders"), (buyers_card, "buyers")):
        column.metric(plain(f"{CATALOG[name].label}, all shops"), count(figures.count(name)),
                      border=True, help=plain(CATALOG[name].definition))
    frame = pd.DataFrame([{
        "Shop": s.campaign.shop_name, "Timezone": s.campaign.timezone,
        "GMV": money(s.kpis.gmv, s.campaign.currency),
        f"GMV ({currency})": None if s.converted("gmv") is None else float(s.converted("gmv")),
        "Target": money(None if s.campaign.gmv_target_cents is None
                        else Decimal(s.campaign.gmv_target_cents) / 100, s.campaign.currency),
        "Orders": s.kpis.orders, "Buyers": s.kpis.buyers,
        "Refunds": money(s.kpis.refunds, s.campaign.currency),
    } for s in figures.shops])
    st.dataframe(frame, hide_index=True, width="stretch", column_config={
        f"GMV ({currency})": converted_column(frame, f"GMV ({currency})", currency, note),
        "GMV": st.column_config.TextColumn("GMV", help="In the shop's own currency."),
        "Orders": number_column("count"), "Buyers": number_column("count")})
    chart_rows = [(s.campaign.shop_name, s.campaign.currency,
                   [_day_point(s.conversion, day_amounts, s.campaign.currency)
                    for day_amounts in s.days]) for s in figures.shops]
    charts.draw(gmv_by_shop_chart(gmv_by_shop_frame(chart_rows, currency), currency,
                                      f"GMV per shop-local day ({currency})"),
                    width="stretch")


def _day_point(conversion: Conversion, day_amounts: DayAmounts, shop_currency: str
               ) -> tuple[date, int, int | None, str]:
    """(day, GMV cents, converted cents or None, which rate) of one shop-local day."""
    day, local = day_amounts.day, int(day_amounts.cents["gmv"])
    converted, rate = conversion.by_day.get(day, (None, None))
    if converted is None:
        return day, local, None, f"no rate within {CARRY_FORWARD_DAYS} days: not convertible"
    text = (rate.describe() if rate is not None
            else "no conversion (same currency)" if shop_currency == conversion.currency
            else "no sales that day")
    return day, local, round_cents(converted["gmv"]), text


# --- the Portfolio page ------------------------------------------------------------------


def period_picker(campaigns: list[Campaign]) -> tuple[Campaign | None, date, date]:
    """A campaign (its days) or a date range; returns (campaign or None, first, last)."""
    mode_column, pick_column = st.columns([1, 2], vertical_alignment="bottom")
    choices = ["Campaign", "Date range"] if campaigns else ["Date range"]
    mode = mode_column.segmented_control("Period", choices, default=choices[0], required=True,
                                         key="portfolio_mode")
    if mode == "Campaign":
        name = pick_column.selectbox("Campaign", [c.name for c in campaigns],
                                     key="portfolio_campaign")
        campaign = next(c for c in campaigns if c.name == name)
        return campaign, campaign.start_day, campaign.end_day
    today = settings.now().date()
    chosen = pick_column.date_input("Days", value=(today - timedelta(days=13), today),
                                    key="portfolio_days")
    first, last = (chosen[0], chosen[-1]) if isinstance(chosen, tuple | list) and chosen \
        else (today, today)
    return None, first, last


def _pacing_text(row) -> str:
    if not row.in_campaign:
        return "not in this campaign" if row.campaign.name != "date range" else MISSING
    if row.pacing is None or row.pacing.progress_pct is None:
        return "no target"
    target = money(row.pacing.gmv_target, row.campaign.currency)
    return f"{percent(row.pacing.progress_pct)} of {target}"


def portfolio_frame(figures: Portfolio, sort_label: str, descending: bool) -> pd.DataFrame:
    """One row per shop in the chosen order; money of the shop's currency as text (several
    currencies in one column), the reporting currency's as numbers (sortable)."""
    currency = figures.currency
    return pd.DataFrame([{
        "Shop": row.shop.name,
        f"GMV ({currency})": None if row.gmv_converted is None else float(row.gmv_converted),
        "GMV (shop currency)": money(row.kpis.gmv, row.campaign.currency),
        "Pacing": _pacing_text(row),
        "Orders": row.kpis.orders, "Buyers": row.kpis.buyers,
        "Refunds (shop currency)": money(row.kpis.refunds, row.campaign.currency),
        "Contribution margin": (money(row.margin, row.campaign.currency)
                                if row.margin is not None else "no costs yet"),
        "Stock alerts": row.out_of_stock + row.sells_out_soon,
        "LIVE violations": row.live_violations,
        "Timezone": row.campaign.timezone,
    } for row in figures.sorted_rows(sort_label, descending)])


def show_portfolio(figures: Portfolio, campaign: Campaign | None) -> None:
    currency = figures.currency
    warn_not_convertible(_all(figures), currency)
    total = figures.total_converted_cents
    first, second, third = style.card_columns("portfolio", 3)
    first.metric(plain(f"GMV, all shops ({currency})"), _amount(total, currency), border=True,
                 help=plain(f"{CATALOG['gmv'].definition}\n\n{rates_note(_all(figures))}"))
    second.metric("Orders, all shops", count(sum(r.kpis.orders for r in figures.rows)),
                  border=True, help=plain(CATALOG["orders"].definition))
    third.metric("Shops", count(len(figures.rows)), border=True,
                 help="The shops you may see, each over the period in its own timezone.")
    sort_column, order_column = st.columns([2, 1], vertical_alignment="bottom")
    sort_label = sort_column.selectbox("Sort by", list(SORT_KEYS), key="portfolio_sort")
    descending = order_column.toggle("Highest first", value=True, key="portfolio_desc")
    frame = portfolio_frame(figures, sort_label, descending)
    converted = converted_column(frame, f"GMV ({currency})", currency, rates_note(_all(figures)))
    event = st.dataframe(
        frame, hide_index=True, width="stretch", key="portfolio_table",
        on_select="rerun", selection_mode="single-row",
        column_config={
            f"GMV ({currency})": converted,
            "Orders": number_column("count"), "Buyers": number_column("count"),
            "Stock alerts": number_column("count", help="Products out of stock or selling "
                                                        "out soon (Products and stock)."),
            "LIVE violations": number_column("count", help="LIVE violations on record."),
            "Contribution margin": st.column_config.TextColumn(
                help="GMV - refunds - product cost - creator costs (est.), where unit costs "
                     "are imported.")})
    st.caption("Select a row to open that shop's Overview. Each shop's days are in its own "
               "timezone.")
    selected = getattr(getattr(event, "selection", None), "rows", None) or []
    if selected:
        open_overview(frame.iloc[selected[0]]["Shop"], figures, campaign)
    links = st.columns(min(4, len(figures.rows)) or 1)
    for index, row in enumerate(figures.sorted_rows(sort_label, descending)):
        params = {"shop": row.shop.name}
        if row.in_campaign and campaign is not None:
            params["campaign"] = campaign.name
        links[index % len(links)].page_link("pages/overview.py", query_params=params,
                                            label=f"Overview: {plain(row.shop.name)}",
                                            icon=":material/dashboard:")
    st.download_button("Download CSV", downloads.csv_file(frame), "portfolio.csv",
                       "text/csv", icon=":material/download:")
    chart_rows = [(row.shop.name, row.campaign.currency,
                   [_day_point(row.conversion, day_amounts, row.campaign.currency)
                    for day_amounts in row.days]) for row in figures.rows]
    span = f"{figures.first_day:%b} {figures.first_day.day} – {figures.last_day:%b} " \
           f"{figures.last_day.day}, {figures.last_day.year}"
    charts.draw(gmv_by_shop_chart(gmv_by_shop_frame(chart_rows, currency), currency,
                                      f"GMV per shop and shop-local day, {span} ({currency})"),
                    width="stretch")


def _all(figures: Portfolio) -> Conversion:
    total = Conversion(figures.currency)
    for row in figures.rows:
        total.merge(row.conversion)
    return total


def open_overview(shop_name: str, figures: Portfolio, campaign: Campaign | None) -> None:
    row = next(r for r in figures.rows if r.shop.name == shop_name)
    params = {"shop": shop_name}
    if row.in_campaign and campaign is not None:
        params["campaign"] = campaign.name
    st.switch_page("pages/overview.py", query_params=params)
