"""The Overview page's blocks, each a small ``show_*`` function over a ViewContext."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from campaign_core.alerts import Alert, pacing_alerts, stock_alerts
from campaign_core.forecast.band import ProjectionBand, band_text
from campaign_core.forecast.pacing import PACING_DEFINITION, Pacing
from campaign_core.formatting import percent
from campaign_core.markets import number_style
from campaign_core.metrics.baseline import BASELINE_DEFINITION, MAX_BASELINE_AGE_DAYS
from campaign_core.metrics.catalog import CATALOG
from campaign_core.metrics.content_mix import CONTENT_MIX_DEFINITION, unattributed_share_pct
from campaign_core.metrics.operations import OPERATIONS_DEFINITIONS
from campaign_core.metrics.sub_campaigns import SUB_CAMPAIGN_DEFINITION
from campaign_core.metrics.trend import TREND_METRICS
from campaign_core.store.campaign_shops import set_target_of_shop
from ui import access, charts, data, edits, share
from ui.cards import kpi_cards
from ui.downloads import csv_file
from ui.formatting import compact_money, money, plain, share_percent, value_text
from ui.header import ViewContext, current
from ui.tables import readable

_STATUS_TEXT = {"on_track": "on track", "at_risk": "at risk", "behind": "behind",
                "reached": "target reached", "missed": "target missed",
                "no_target": "no target set", "not_started": "not started",
                "too_early": "too early to tell"}


def show_alerts(alerts: list[Alert]) -> None:
    """One strip: a line per alert, each with a link to the page where the user acts."""
    if not alerts:
        return
    selection = current()
    with st.container(border=True, key="alert_strip"):
        for alert in alerts:
            text, act = st.columns([4, 1], vertical_alignment="center")
            colour = "red" if alert.severity == "error" else "orange"
            text.markdown(f":{colour}[:material/warning:] {plain(alert.message)}")
            if alert.page != "pages/overview.py":
                # The page opens filtered on what the alert is about, in the same view.
                filters = dict(alert.filters)
                params = share.link_params(selection, filters) if selection else filters
                act.page_link(alert.page, label="Act on it", icon=":material/arrow_forward:",
                              query_params=params)


def pacing_headline(pacing: Pacing, currency: str, band: ProjectionBand | None = None) -> str:
    """The one figure at the top of the Overview, as Markdown: "52% of $347.0K · on track ·
    projected $368.0K" (without a target: GMV so far instead of the share); with a
    projection band, its range ("projected $350.0K–$390.0K (80% range)") instead."""
    # Amounts escaped: two "$" on a line would read as a formula.
    status = f":{plain(pacing.colour)}[{_STATUS_TEXT[pacing.status]}]"
    projected = (plain(band_text(band, currency)) if band is not None else
                 f"projected {plain(compact_money(pacing.projected_gmv, currency))}")
    if pacing.gmv_target is None or pacing.progress_pct is None:
        return (f"{plain(compact_money(pacing.gmv_so_far, currency))} so far · {status} · "
                f"{projected}")
    whole = percent(pacing.progress_pct, 0, number_style(currency))
    return (f"{plain(whole)} of {plain(compact_money(pacing.gmv_target, currency))}"
            f" · {status} · {projected}")


def show_headline(context: ViewContext, pacing: Pacing,
                  band: ProjectionBand | None = None) -> None:
    """Whose campaign this is, then whether it is on track, in one big line."""
    st.markdown(f"**{plain(context.shop.name)}** · {plain(context.campaign.name)}")
    st.markdown("### " + pacing_headline(pacing, context.campaign.currency, band),
                help=PACING_DEFINITION)


def show_pacing(context: ViewContext, pacing: Pacing) -> None:
    """Target progress bar, projection, GMV needed per day, status, and the target editor."""
    currency = context.campaign.currency
    with st.container(border=True):
        text, edit = st.columns([5, 1], vertical_alignment="center")
        if pacing.gmv_target is None:
            text.markdown(f"**No GMV target yet.** GMV so far {money(pacing.gmv_so_far, currency)}"
                          f" · projected {money(pacing.projected_gmv, currency)}.")
        else:
            status = _STATUS_TEXT[pacing.status]
            # Compact figures on the line (the headline above says the same at a glance);
            # the exact amounts on hover.
            exact = (f"Exact: target {money(pacing.gmv_target, currency)}; GMV so far "
                     f"{money(pacing.gmv_so_far, currency)}; projected "
                     f"{money(pacing.projected_gmv, currency)}; needed per day "
                     f"{money(pacing.required_per_day, currency)}.")
            text.markdown(
                f"**Target {plain(compact_money(pacing.gmv_target, currency))}** · "
                f":{plain(pacing.colour)}-badge[{status}] · GMV so far "
                f"{plain(compact_money(pacing.gmv_so_far, currency))} "
                f"({plain(share_percent(pacing.progress_pct, currency))}) · "
                f"{plain(share_percent(pacing.time_elapsed_pct, currency))} of the campaign's "
                "time gone · needs "
                f"{plain(compact_money(pacing.required_per_day, currency))}/day from now on",
                help=f"{PACING_DEFINITION}\n\n{plain(exact)}")
            st.progress(min(1.0, float(pacing.progress_pct or 0) / 100),
                        text=f"{plain(share_percent(pacing.progress_pct, currency))} of "
                             "target")
        # Viewers and a replay are read only.
        if access.may_write(context.shop.name) and not context.replaying:
            with edit.popover("Set target", icon=":material/flag:"):
                _target_editor(context)


def _target_editor(context: ViewContext) -> None:
    campaign = context.campaign
    current = (campaign.gmv_target_cents or 0) / 100
    value = st.number_input(f"GMV target ({plain(campaign.currency)})", min_value=0.0, step=1000.0,
                            value=float(current), format="%.2f", key="target_input")
    if st.button("Save target", type="primary", key="target_save"):
        with edits.writing(context.db_path, context.shop.shop_id) as conn:
            # A shop added to a campaign keeps its own target (store/campaign_shops.py).
            set_target_of_shop(conn, campaign, int(Decimal(str(value)) * 100) or None)
        st.rerun(scope="app")


def baseline_picker(campaign_day: date) -> date:
    return st.date_input(
        "Compare with (baseline day)", value=campaign_day - timedelta(days=1),
        min_value=campaign_day - timedelta(days=MAX_BASELINE_AGE_DAYS),
        max_value=campaign_day, **share.url_bound("baseline"),
        help=BASELINE_DEFINITION)


def show_baseline(context: ViewContext, baseline_day: date) -> None:
    result = data.baseline(context.db_path, context.version, context.shop.shop_id,
                           context.window, baseline_day, context.now_minute)
    currency = context.campaign.currency
    if result.state == "ok":
        st.markdown(f"GMV {money(result.campaign_gmv, currency)} vs "
                    f"{money(result.gmv, currency)} on {baseline_day:%b %d}: "
                    f"**{result.difference_pct:+.1f}%**")
    elif result.state == "zero_baseline":
        st.info(f"{plain(result.message)} ({baseline_day:%b %d}: {money(result.gmv, currency)})")
    else:
        st.warning(plain(result.message))


def show_kpis(context: ViewContext) -> None:
    kpis = data.kpis(context.db_path, context.version, context.shop.shop_id, context.window)
    previous = data.kpis(context.db_path, context.version, context.shop.shop_id,
                         context.comparison.window)
    if kpis.orders == 0:
        st.warning(f"No paid orders in this window ({plain(context.window.describe())}). Import an "
                   "orders export (Seller Center > Orders > Manage orders > Export) that "
                   "covers it, or pick another view.")
    kpi_cards(kpis, previous, context.comparison.label, context.campaign.currency)
    table = pd.DataFrame([
        {"metric": CATALOG[name].label, "value": value, "compared_with": context.comparison.label,
         "comparison_value": previous.as_dict()[name]}
        for name, value in kpis.as_dict().items()])
    st.download_button("Download KPIs (CSV)", csv_file(table), icon=":material/download:",
                       file_name=f"kpis-{context.window.view.value}-"
                                 f"{context.window.first_day}.csv", mime="text/csv")


def show_trend(context: ViewContext) -> None:
    metric = st.segmented_control(
        "Trend of", list(TREND_METRICS), format_func=lambda name: CATALOG[name].label,
        default="gmv", required=True,
        **share.url_bound("trend_metric", lambda name: CATALOG[name].label))
    buckets = data.trend(context.db_path, context.version, context.shop.shop_id,
                         context.window, context.comparison.window)
    charts.draw(charts.trend_chart(buckets, metric, context.window,
                                       context.comparison.label, context.campaign.currency),
                    width="stretch")


def overview_alerts(context: ViewContext, pacing: Pacing) -> list[Alert]:
    counts = data.stock_alerts(context.db_path, context.version, context.shop.shop_id,
                               context.campaign, context.now_minute)
    return stock_alerts(counts) + pacing_alerts(pacing, context.campaign.currency)


def show_sub_campaigns(context: ViewContext) -> None:
    """Orders and GMV per sub-campaign in the window; those outside it are listed apart."""
    rows = data.sub_campaigns(context.db_path, context.version, context.campaign.campaign_id,
                              context.shop.shop_id, context.window)
    st.subheader("Sub-campaigns", help=SUB_CAMPAIGN_DEFINITION)
    if not rows:
        st.caption("No sub-campaigns yet. Define them (flash sales, LIVE deals, vouchers) on "
                   "the Campaigns page, or import the sub-campaigns template from the Import "
                   "page.")
        return
    active = [r for r in rows if r.overlaps_window]
    zone = ZoneInfo(context.campaign.timezone)
    table = pd.DataFrame([{
        "sub-campaign": r.name, "type": r.kind,
        "runs": f"{_local(r.start_utc, zone):%b %d %H:%M} – {_local(r.end_utc, zone):%b %d %H:%M}",
        "orders": r.orders, "GMV": float(r.gmv),
        "GMV share %": None if r.gmv_share_pct is None else float(r.gmv_share_pct)}
        for r in active])
    if table.empty:
        st.caption("None of the campaign's sub-campaigns runs in this window.")
    else:
        charts.draw(charts.sub_campaign_bars(table, context.campaign.currency),
                        width="stretch")
        shown, config = readable(table, {"orders": "count", "GMV": "money",
                                         "GMV share %": "percent"}, context.campaign.currency)
        st.dataframe(shown, hide_index=True, width="stretch", column_config=config)
        st.download_button("Download sub-campaigns (CSV)", csv_file(table),
                           file_name="sub-campaigns.csv", mime="text/csv",
                           key="download_sub_campaigns")
    outside = [r.name for r in rows if not r.overlaps_window]
    if outside:
        st.caption(f"Not running in this window: {plain(', '.join(outside))}.")


def _local(instant: int, zone: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(instant, UTC).astimezone(zone)


def show_benchmarks(context: ViewContext) -> None:
    """Daily and Campaign Period only: the shop against the benchmark file and peer shops."""
    result = data.benchmarks(context.db_path, context.version, context.shop, context.window)
    st.subheader("Benchmarks", help="Difference % = (your value - benchmark) / benchmark x "
                 "100. Benchmarks come from the benchmark file for your category and GMV "
                 "tier (Campaigns page > Shops), or from other shops of your category in "
                 "this store. They exclude real-time data. Over a period both sides cover "
                 "the same complete days (those with a benchmark); where benchmark days "
                 "are missing in between, totals are compared per day.")
    if not result.available:
        st.caption(plain(result.reason or "No benchmarks for this window."))
        return
    if result.message:
        st.info(plain(result.message), icon=":material/info:")
    currency = context.campaign.currency
    rows = []
    # The benchmark file's rows first, then the peer shops' averages beside them.
    for row in (*result.rows, *result.peer_rows):
        entry = CATALOG[row.metric]
        rows.append({
            "metric": entry.label,
            "you": value_text(entry, row.value, currency),
            "benchmark": value_text(entry, row.benchmark, currency),
            "difference": ("n/a" if row.difference_pct is None
                           else f"{'▲' if row.difference_pct >= 0 else '▼'} "
                                f"{float(row.difference_pct):+.1f}%"),
            "benchmark day": row.benchmark_day,
            "compared": row.basis,
            "source": row.source if not row.peers else f"{row.source} ({row.peers})"})
    table = pd.DataFrame(rows)
    st.dataframe(table, hide_index=True, width="stretch")
    st.download_button("Download benchmarks (CSV)", csv_file(table),
                       file_name="benchmarks.csv", mime="text/csv", key="download_benchmarks")


def show_content_mix(context: ViewContext) -> None:
    slices = data.content_mix(context.db_path, context.version, context.shop.shop_id,
                              context.window)
    st.subheader("GMV by content", help=CONTENT_MIX_DEFINITION)
    if not slices:
        st.caption("No paid orders in this window.")
        return
    frame = pd.DataFrame([{"content type": s.content_type, "account": s.account,
                           "GMV": float(s.gmv), "orders": s.orders} for s in slices])
    charts.draw(charts.content_mix_chart(frame, context.campaign.currency),
                    width="stretch")
    st.caption(_content_mix_caption(slices, context.campaign.currency))


def _content_mix_caption(slices, currency: str) -> str:
    """What share of GMV the content of is known, and what would tell the rest."""
    share = unattributed_share_pct(slices)
    if not share:
        return "The content behind every sale of this window is known."
    unknown = sum(s.gmv for s in slices if s.content_type == "Unattributed")
    text = (f"Content known for {share_percent(100 - share, currency)} of GMV; "
            f"{share_percent(share, currency)} "
            f"({money(unknown, currency)}) "
            "is content not known: sales no affiliate order, order channel, own LIVE or "
            "video / LIVE export accounts for.")
    if unattributed_share_pct(slices, axis="account"):
        text += (" Import the affiliate orders export (Affiliate > Affiliate orders > "
                 "Export) to attribute creator content.")
    return text


def _refunds_caption(ops) -> str:
    """Why the refunded orders and the Refunds card agree, and how they overlap the rest."""
    if not ops.refunded_orders:
        return "No refunds in this window."
    text = (f"Refunded orders are the orders behind the Refunds card: "
            f"{ops.refunded_cancelled:,} cancelled (refunded in full, also under Cancelled) "
            f"and {ops.refunded_returned:,} with returned units.")
    return text


def show_operations(context: ViewContext) -> None:
    ops = data.operations(context.db_path, context.version, context.shop.shop_id,
                          context.window)
    st.subheader("Shop operations", help="Paid orders of this window by their current "
                 "status, as the Seller Center home shows them.")
    cards = [("Awaiting shipment", ops.awaiting_shipment, "awaiting_shipment"),
             ("Shipped", ops.shipped, "shipped"), ("Delivered", ops.delivered, "delivered"),
             ("Cancelled", ops.cancelled, "cancelled"),
             ("Refunded orders", ops.refunded_orders, "refunded_orders"),
             ("Items sold", ops.items_sold, "items_sold")]
    with st.container(key="cards_operations"):  # two to a row on a phone
        for column, (label, value, field) in zip(st.columns(len(cards)), cards, strict=True):
            column.metric(plain(label), f"{value:,}", help=OPERATIONS_DEFINITIONS.get(field),
                          border=True)
    st.caption(_refunds_caption(ops))
    if ops.has_product_list:
        counts = ops.listing_status_counts
        st.caption("Product listings: " + " · ".join(
            f"{plain(status.replace('_', ' '))} {count:,}" for status, count in counts.items()))
    else:
        st.caption("Listing status counts appear once a product list is imported (template "
                   "on the Import page, or the Open API product search JSON).")
