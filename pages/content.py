"""Content: which LIVE or video is selling, whose it is, and whether something is wrong.
Refreshes itself in Today."""

import streamlit as st

from campaign_core.metrics.content import CONTENT_GMV_DEFINITION, LIVE, VIDEO
from campaign_core.windows import View
from ui import content_blocks, data, header, overview_blocks, settings, shell

shell.require_shell(__file__)
st.title("Content", help=CONTENT_GMV_DEFINITION)
selection = header.current()
if selection is None:
    st.stop()
refresh = (settings.REFRESH_SECONDS if selection.view is View.TODAY and not selection.as_of
           else None)  # a replay stands still
# Outside the fragment: a new section reruns the page, so the header's link carries it.
module = content_blocks.choose_module()


@st.fragment(run_every=refresh)
def content() -> None:
    context = header.resolve(selection)
    header.freshness_line(context)
    if module == "Sub-campaigns":
        overview_blocks.show_sub_campaigns(context)
        return
    rows = data.content_rows(context.db_path, context.version, context.shop.shop_id,
                             context.window)
    if not rows:
        st.info("No LIVE or video sales yet in this view. Import the affiliate orders export "
                "(Seller Center > Affiliate > Affiliate orders > Export), the video list "
                "(Analytics > Video > Export) or the LIVE session list (Analytics > LIVE > "
                "Session list > Export) on the Import page.")
        content_blocks.show_lists(context)
        return
    kind = LIVE if module == "LIVE" else VIDEO
    if kind == LIVE:
        content_blocks.show_violation_banner(context)
    filters = content_blocks.choose_filters(kind)
    shown = content_blocks.ranked(rows, kind, filters)
    selected = content_blocks.show_ranking(context, shown, filters["columns"], kind)
    chosen = content_blocks.choose_detail(shown, kind, selected)
    if chosen:
        content_blocks.show_detail(context, chosen)
    content_blocks.show_lists(context)


content()
