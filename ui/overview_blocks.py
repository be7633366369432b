"""The Overview page's blocks, each a small ``show_*`` function over a ViewContext."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
import streamlit as st

from campaign_core.alerts import Alert, pacing_alerts
from campaign_core.forecast.pacing import PACING_DEFINITION, Pacing
from campaign_core.metrics.baseline import BASELINE_DEFINITION, MAX_BASELINE_AGE_DAYS
from campaign_core.metrics.catalog import CATALOG
from campaign_core.metrics.trend import TREND_METRICS
from campaign_core.store import write_transaction
from campaign_core.store.campaigns import set_gmv_target
from ui import charts, data
from ui.cards import kpi_cards
from ui.downloads import csv_bytes
from ui.formatting import money
from ui.header import ViewContext

_STATUS_TEXT = {"on_track": "on track", "at_risk": "at risk", "behind": "behind",
                "reached": "target reached", "missed": "target missed",
                "no_target": "no target set", "not_started": "not started"}


def show_alerts(alerts: list[Alert]) -> None:
    for alert in alerts:
        box = st.error if alert.severity == "error" else st.warning
        box(alert.message, icon=":material/warning:")


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
            text.markdown(
                f"**Target {money(pacing.gmv_target, currency)}** · "
                f":{pacing.colour}-badge[{status}] · GMV so far "
                f"{money(pacing.gmv_so_far, currency)} ({pacing.progress_pct:.1f}%) · "
                f"{pacing.time_elapsed_pct:.1f}% of the campaign's time gone · projected "
                f"{money(pacing.projected_gmv, currency)} · needs "
                f"{money(pacing.required_per_day, currency)}/day from now on",
                help=PACING_DEFINITION)
            st.progress(min(1.0, float(pacing.progress_pct or 0) / 100),
                        text=f"{pacing.progress_pct:.1f}% of target")
        with edit.popover("Set target", icon=":material/flag:"):
            _target_editor(context)


def _target_editor(context: ViewContext) -> None:
    campaign = context.campaign
    current = (campaign.gmv_target_cents or 0) / 100
    value = st.number_input(f"GMV target ({campaign.currency})", min_value=0.0, step=1000.0,
                            value=float(current), format="%.2f", key="target_input")
    if st.button("Save target", type="primary", key="target_save"):
        with write_transaction(context.db_path) as conn:
            set_gmv_target(conn, campaign.campaign_id, int(Decimal(str(value)) * 100) or None)
        st.rerun(scope="app")


def baseline_picker(campaign_day: date) -> date:
    return st.date_input(
        "Compare with (baseline day)", value=campaign_day - timedelta(days=1),
        min_value=campaign_day - timedelta(days=MAX_BASELINE_AGE_DAYS),
        max_value=campaign_day, key="baseline", bind="query-params",
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
        st.info(f"{result.message} ({baseline_day:%b %d}: {money(result.gmv, currency)})")
    else:
        st.warning(result.message)


def show_kpis(context: ViewContext) -> None:
    kpis = data.kpis(context.db_path, context.version, context.shop.shop_id, context.window)
    previous = data.kpis(context.db_path, context.version, context.shop.shop_id,
                         context.comparison.window)
    if kpis.orders == 0:
        st.warning(f"No paid orders in this window ({context.window.describe()}). Import an "
                   "orders export (Seller Center > Orders > Manage orders > Export) that "
                   "covers it, or pick another view.")
    kpi_cards(kpis, previous, context.comparison.label, context.campaign.currency)
    table = pd.DataFrame([
        {"metric": CATALOG[name].label, "value": value, "compared_with": context.comparison.label,
         "comparison_value": previous.as_dict()[name]}
        for name, value in kpis.as_dict().items()])
    st.download_button("Download KPIs (CSV)", csv_bytes(table), icon=":material/download:",
                       file_name=f"kpis-{context.window.view.value}-"
                                 f"{context.window.first_day}.csv", mime="text/csv")


def show_trend(context: ViewContext) -> None:
    metric = st.segmented_control(
        "Trend of", list(TREND_METRICS), format_func=lambda name: CATALOG[name].label,
        default="gmv", required=True, key="trend_metric")
    buckets = data.trend(context.db_path, context.version, context.shop.shop_id,
                         context.window, context.comparison.window)
    st.altair_chart(charts.trend_chart(buckets, metric, context.window,
                                       context.comparison.label, context.campaign.currency),
                    width="stretch")


def overview_alerts(pacing: Pacing) -> list[Alert]:
    return pacing_alerts(pacing)
