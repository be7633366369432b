"""Overview: are we on track, and what is moving the number? Refreshes itself in Today."""

import streamlit as st

from campaign_core.windows import View
from ui import (
    data,
    header,
    overview_blocks,
    plan_blocks,
    portfolio_blocks,
    projection_blocks,
    replay,
    settings,
    shell,
    shop_score,
)

shell.require_shell(__file__)
st.title("Overview")
selection = header.current()
if selection is None:
    st.stop()
if selection.is_demo:
    st.info("You are looking at the demo campaign (generated data). Import your own "
            "Seller Center exports on the Import page to see your shop.", icon=":material/info:")
as_of = replay.controls(selection)
refresh = settings.REFRESH_SECONDS if selection.view is View.TODAY and not as_of else None


@st.fragment(run_every=refresh)
def overview() -> None:
    # Slots in reading order; the baseline picker is drawn first because the comparison
    # of every block below depends on it.
    headline, alerts, freshness, pacing_slot, baseline_slot = (st.container()
                                                               for _ in range(5))
    baseline_day = None
    if selection.view is View.DAILY:
        with baseline_slot:
            baseline_day = overview_blocks.baseline_picker(selection.day)
    context = header.resolve(selection, baseline_day, as_of)
    with freshness:
        header.freshness_line(context)
    pacing = data.pacing(context.db_path, context.version, context.campaign, context.now_minute)
    band, _ = data.projection_band(context.db_path, context.version, context.campaign,
                                   context.now_minute)
    with headline:
        overview_blocks.show_headline(context, pacing, band)
    with alerts:
        overview_blocks.show_alerts(overview_blocks.overview_alerts(context, pacing))
    with pacing_slot:
        overview_blocks.show_pacing(context, pacing)
        projection_blocks.show_band(context, pacing)
        plan_blocks.show_plan_strip(context)
    if baseline_day is not None:
        with baseline_slot:
            overview_blocks.show_baseline(context, baseline_day)
    overview_blocks.show_kpis(context)
    portfolio_blocks.show_campaign_shops(context)  # a campaign that spans shops: all of them
    overview_blocks.show_trend(context)
    if selection.view is not View.TODAY:
        overview_blocks.show_benchmarks(context)
    sub_campaigns, content = st.columns(2)
    with sub_campaigns:
        overview_blocks.show_sub_campaigns(context)
    with content:
        overview_blocks.show_content_mix(context)
    overview_blocks.show_operations(context)
    shop_score.show_shop_score(context)


overview()
replay.keep_playing(selection)
