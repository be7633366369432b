"""Blocks of the Marketing, Traffic and Funnel pages, each a small ``show_*`` function."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from campaign_core.formatting import count, number, ratio
from campaign_core.markets import number_style
from campaign_core.metrics.catalog import CATALOG
from campaign_core.metrics.funnel import FUNNEL_DEFINITION, Funnel
from campaign_core.metrics.marketing import MARKETING_DEFINITION
from campaign_core.metrics.marketing_section import MarketingView
from campaign_core.metrics.suggestions import SUGGESTIONS_DEFINITION
from campaign_core.metrics.traffic import TRAFFIC_DEFINITION, TrafficResult
from campaign_core.store.ad_accounts import UNNAMED, set_primary_ad_account
from campaign_core.windows import View
from ui import charts, data, edits, marketing_charts, replay, style
from ui.downloads import csv_file, xlsx_file
from ui.formatting import difference_pct, money, plain, plural, share_percent, signed_percent
from ui.header import ViewContext
from ui.tables import english_marks, readable

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SUPPLY_METRICS = ("creator_videos", "creator_lives", "seller_videos", "seller_lives")
IMPORT_PAGE = "pages/import_data.py"
ADS_HINT = ("No ad data for this view yet. Export a GMV Max campaign report (TikTok Ads "
            "Manager > GMV Max > Campaigns > Export) or an Ads Manager custom report with "
            "By Day or By Hour (Reporting > Custom report > Export) and import it.")
CONTENT_HINT = ("No content posted in this view. Import the video list (Seller Center > "
                "Analytics > Video > Export), the LIVE session list (Analytics > LIVE > "
                "Session list) and the affiliate orders export (Affiliate > Affiliate orders).")
TRAFFIC_HINT = ("No traffic data for this view. Fill the traffic by channel template "
                "(Import page > templates) from Seller Center > Data Compass traffic views, or "
                "import the Data Compass product analysis export (Data Compass > Product "
                "analysis > Export).")


def _card(name: str, value: str, before: float | None, now: float | None,
          compared_with: str, extra_help: str = "", currency: str = "USD") -> None:
    metric = CATALOG[name]
    change = difference_pct(now, before)
    st.metric(metric.label, value,
              delta=signed_percent(change, currency) if change is not None else "n/a",
              delta_arrow="auto" if change is not None else "off",
              delta_color="normal" if metric.higher_is_better else "inverse",
              delta_description=f"vs {plain(compared_with)}",
              help=metric.definition + (f"\n\n{plain(extra_help)}" if extra_help else ""),
              border=True)


def show_supply(view: MarketingView, currency: str = "USD") -> None:
    """Four content-supply cards: new creator and seller videos and LIVEs, in the number
    marks of the shop whose ``currency`` it is."""
    marks = number_style(currency)
    st.subheader("Content supply")
    # Over a period, the shop's supply is compared on the days the benchmarks cover.
    on_days = view.supply_on_benchmark_days if view.benchmark_days else view.supply
    days = ("the window's days" if not view.benchmark_days else
            f"{view.benchmark_days[0]:%b %d} – {view.benchmark_days[1]:%b %d}, the days with "
            "a benchmark")
    for column, name in zip(style.card_columns("supply", 4), SUPPLY_METRICS, strict=True):
        benchmark = view.benchmarks.get(name)
        with column:
            _card(name, count(view.supply.get(name, 0), marks),
                  view.supply_before.get(name, 0), view.supply.get(name, 0),
                  view.compared_with,
                  "" if benchmark is None else
                  f"Benchmark {number(benchmark, 1, marks)} against "
                  f"{count(on_days.get(name, 0), marks)} over {days}.", currency)
    compared = [f"{CATALOG[name].label} {count(on_days.get(name, 0), marks)} vs benchmark "
                f"{number(view.benchmarks[name], 1, marks)}" for name in SUPPLY_METRICS
                if name in view.benchmarks]
    if compared:
        st.caption(f"Benchmarks over {days} (the same days on both sides): "
                   + "; ".join(compared) + ".")
    if not any(view.supply.values()) and not any(view.supply_before.values()):
        st.caption(CONTENT_HINT)


def _roas_text(roas: float | None, currency: str = "USD") -> str:
    return "–" if roas is None else ratio(roas, number_style(currency))


def show_ads(view: MarketingView, context: ViewContext) -> None:
    """Ad spend, ad revenue and ROAS cards of the primary account (benchmark when known)."""
    ads, before = view.ads, view.ads_before
    st.subheader("Ad investment", help=MARKETING_DEFINITION)
    if ads.account is None or ads.spend is None:
        st.info(ADS_HINT, icon=":material/campaign:")
        st.page_link(IMPORT_PAGE, label="Go to Import", icon=":material/upload_file:")
        return
    # The shop's own currency carries its market's number marks; another one (an ad
    # account billed elsewhere) is written in that currency's.
    shop = context.campaign.currency
    currency = shop if not ads.currency or ads.currency == shop else ads.currency
    source = (f"Ad account: {ads.account.label}; currency {currency}"
              + ("" if ads.currency else " (the reports name none: the shop's is assumed)"))
    spend, revenue, roas = style.card_columns("ads", 3)
    with spend:
        _card("ad_spend", money(ads.spend, currency), _num(before.spend), _num(ads.spend),
              view.compared_with, source, shop)
    with revenue:
        _card("ad_revenue", money(ads.revenue, currency), _num(before.revenue),
              _num(ads.revenue), view.compared_with, source, shop)
    with roas:
        benchmark = (f"Benchmark {_roas_text(view.roas_benchmark, shop)}."
                     if view.roas_benchmark
                     else "No ROAS benchmark imported (metric roas in the Benchmarks "
                          "template).")
        _card("roas", _roas_text(ads.roas, shop), before.roas, ads.roas,
              view.compared_with, benchmark, shop)
    notes = [f"Ad account **{plain(ads.account.label)}**, money in {plain(currency)}."]
    if view.roas_benchmark is not None and ads.roas is not None:
        notes.append(f"ROAS {_roas_text(ads.roas, shop)} vs benchmark "
                     f"{_roas_text(view.roas_benchmark, shop)}.")
    if ads.mixed_currencies:
        notes.append(":orange[The reports mix currencies: totals add different currencies.]")
    if ads.periods_left_out:
        notes.append(f"Left out: {plural(ads.periods_left_out, 'GMV Max report row')} "
                     "whose period only overlaps this view (a period report counts only in "
                     "a view that holds its whole period).")
    st.caption(" ".join(notes))


def _num(value) -> float | None:
    return None if value is None else float(value)


def show_ad_hours(context: ViewContext, currency: str | None) -> None:
    """Daily view: ad spend and ad revenue per hour (Ads Manager hourly rows)."""
    hours = data.ad_hourly(context.db_path, context.version, context.shop.shop_id,
                           context.window)
    if not hours:
        st.caption("No hourly ad data for this day: export the Ads Manager custom report "
                   "with the By Hour dimension to see ad spend and revenue by hour.")
        return
    shop = context.campaign.currency
    ads_currency = shop if not currency or currency == shop else currency
    title = f"Ad spend and ad revenue by hour, {context.window.describe()}"
    charts.draw(marketing_charts.ad_hours_chart(hours, ads_currency, title),
                    width="stretch")


def show_suggestions(view: MarketingView) -> None:
    """"Optimize now": one sentence per rule that fired, with a link to act."""
    st.subheader("Optimize now", help=SUGGESTIONS_DEFINITION)
    if not view.suggestions:
        st.caption("Nothing to optimize by the rules for this view.")
        return
    for suggestion in view.suggestions:
        with st.container(border=True):
            text, action = st.columns([4, 1], vertical_alignment="center")
            text.markdown(plain(suggestion.text))
            with action:
                _page_link(suggestion.page, suggestion.page_label)


def _page_link(page: str, label: str) -> None:
    """A link to ``page``, or to Products while that page is not part of this app."""
    target = page if (PROJECT_ROOT / page).exists() else "pages/products.py"
    try:
        st.page_link(target, label=plain(label), icon=":material/arrow_forward:")
    except Exception:  # a page the navigation does not list (an older layout)
        st.caption(plain(label))


def show_primary_account(context: ViewContext) -> None:
    """The primary ad account setting, shown when the shop has several accounts."""
    accounts, primary = data.ad_accounts(context.db_path, context.version,
                                         context.shop.shop_id)
    # Unnamed reports always count with the primary: only named accounts can be chosen.
    accounts = [a for a in accounts if a.account_id != UNNAMED]
    if len(accounts) < 2:
        return
    with st.expander("Primary ad account"):
        labels = [a.label for a in accounts]
        index = labels.index(primary.label) if primary and primary.label in labels else 0
        choice = st.selectbox("Ad account whose numbers this page shows", labels, index=index,
                              help="Reports that name no account count with the primary "
                                   "account. Without a choice: the named account with the "
                                   "most spend.")
        chosen = accounts[labels.index(choice)]
        if replay.editing_off(context):
            return
        if st.button("Make primary", disabled=primary is not None and
                     chosen.account_id == primary.account_id and primary.is_primary):
            with edits.writing(context.db_path, context.shop.shop_id) as conn:
                set_primary_ad_account(conn, context.shop.shop_id, chosen.account_id)
            st.rerun()


# --- Traffic -----------------------------------------------------------------------------


def traffic_table(result: TrafficResult, ad_spend: dict) -> pd.DataFrame:
    rows = []
    for c in result.channels:
        row = {"Channel": c.label, "Impressions": c.impressions,
               "Impression share %": c.impression_share_pct, "Clicks": c.clicks,
               "CTR %": c.ctr, "SKU orders": c.sku_orders, "CTOR %": c.ctor}
        if ad_spend:
            spend = ad_spend.get(c.channel)
            row["GMV Max ad spend"] = None if spend is None else float(spend)
        rows.append(row)
    return pd.DataFrame(rows)


def show_traffic(context: ViewContext) -> None:
    result = data.traffic(context.db_path, context.version, context.shop.shop_id,
                          context.window)
    if result.source is None:
        st.info(TRAFFIC_HINT, icon=":material/insights:")
        st.page_link(IMPORT_PAGE, label="Go to Import", icon=":material/upload_file:")
        return
    st.caption(f"Source: {plain(result.source)} (the traffic template takes precedence over the "
               "product analytics export).")
    total = sum(c.impressions or 0 for c in result.channels)
    clicks = sum(c.clicks or 0 for c in result.channels)
    cards = style.card_columns("traffic", 3)
    shop = context.campaign.currency
    cards[0].metric("All impressions", _count(total, shop), border=True,
                    help=CATALOG["channel_impressions"].definition)
    cards[1].metric("All clicks", _count(clicks, shop), border=True,
                    help=CATALOG["channel_clicks"].definition)
    cards[2].metric("CTR", "–" if not total else _rate(clicks / total * 100, shop),
                    border=True, help=CATALOG["channel_ctr"].definition)
    title = f"Impression share by channel, {context.window.describe()}"
    charts.draw(marketing_charts.channel_share_chart(result.channels, title, shop),
                    width="stretch")
    ad_spend = data.ad_spend_channels(context.db_path, context.version,
                                      context.shop.shop_id, context.window)
    table = traffic_table(result, ad_spend)
    # Empty cells show a dash, not "None"; a shop whose market writes other number marks
    # gets them in every cell (ui/tables.readable).
    helps = {label: setting["help"] for label, setting in _traffic_columns().items()}
    shown, config = readable(table, _TRAFFIC_KINDS, shop, helps)
    if english_marks(shop):
        config = {**_traffic_columns(), **{
            column: setting for column, setting in config.items()
            if column in table.columns and table[column].isna().any()}}
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config)
    _downloads(table, "traffic_by_channel")
    if len({day for day, _, _ in result.daily_shares}) > 1:
        charts.draw(marketing_charts.share_trend_chart(
            result.daily_shares, f"Impression share by day, {context.window.describe()}",
            shop),
            width="stretch")
    with st.expander("How these numbers are counted"):
        st.markdown(TRAFFIC_DEFINITION)


_TRAFFIC_KINDS = {"Impressions": "count", "Impression share %": "percent", "Clicks": "count",
                  "CTR %": "percent", "SKU orders": "count", "CTOR %": "percent",
                  "GMV Max ad spend": "money"}


def _traffic_columns() -> dict:
    def number(name: str, fmt: str) -> st.column_config.NumberColumn:
        metric = CATALOG[name]
        return st.column_config.NumberColumn(help=metric.definition, format=fmt)
    return {"Impressions": number("channel_impressions", "localized"),
            "Impression share %": number("impression_share_pct", "%.1f%%"),
            "Clicks": number("channel_clicks", "localized"),
            "CTR %": number("channel_ctr", "%.1f%%"),
            "SKU orders": number("channel_sku_orders", "localized"),
            "CTOR %": number("ctor", "%.1f%%"),
            "GMV Max ad spend": st.column_config.NumberColumn(
                help="GMV Max creative report spend by creative type (video, LIVE, product "
                     "card), report periods inside the view only.", format="accounting")}


def _downloads(table: pd.DataFrame, name: str) -> None:
    left, right, _ = st.columns([1, 1, 4])
    left.download_button("Download CSV", csv_file(table), f"{name}.csv", "text/csv")
    right.download_button("Download Excel", xlsx_file(table, "Traffic"), f"{name}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# --- Funnel ------------------------------------------------------------------------------


def _rate(value: float | None, currency: str = "USD") -> str:
    return "–" if value is None else share_percent(value, currency)


def _count(value: int | None, currency: str = "USD") -> str:
    return "–" if value is None else count(value, number_style(currency))


def show_funnel(context: ViewContext, funnel: Funnel, before: Funnel) -> None:
    compared_with = context.comparison.label
    if funnel.source is None:
        st.info(TRAFFIC_HINT, icon=":material/filter_alt:")
        st.page_link(IMPORT_PAGE, label="Go to Import", icon=":material/upload_file:")
    steps = (("avg_unique_reach", funnel.avg_unique_reach, before.avg_unique_reach),
             ("avg_unique_clicks", funnel.avg_unique_clicks, before.avg_unique_clicks),
             ("avg_daily_customers", funnel.avg_daily_customers, before.avg_daily_customers),
             ("click_rate", funnel.click_rate, before.click_rate),
             ("order_rate", funnel.order_rate, before.order_rate))
    for column, (name, value, then) in zip(style.card_columns("funnel", 5), steps,
                                           strict=True):
        with column:
            shop = context.campaign.currency
            text = _rate(value, shop) if name.endswith("_rate") else _count(value, shop)
            _card(name, text, then, value, compared_with, currency=shop)
    days = len(funnel.days)
    st.caption(f"Averaged over {plural(days, 'day')} "
               f"({plain(funnel.source or 'orders only')}); {plain(compared_with)}: "
               f"{plural(len(before.days), 'day')}.")
    drop = funnel.biggest_drop()
    if drop is not None:
        step, rate = drop
        who = ("of the shoppers reached click a product" if step == "reach to clicks"
               else "of the shoppers who click a product buy")
        st.markdown(f"**Biggest drop-off: from {plain(step)}.** Only "
                    f"{plain(_rate(rate, context.campaign.currency))} {who}.")
    if funnel.source is not None:
        label = context.window.view.label if context.window.view is not View.DAILY \
            else context.window.describe()
        charts.draw(marketing_charts.funnel_chart(funnel, before, label, compared_with,
                                                      context.campaign.currency),
                        width="stretch")
    with st.expander("How these numbers are counted"):
        st.markdown(FUNNEL_DEFINITION)

