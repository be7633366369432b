"""Marketing: are we putting enough content and ad money in, and what should change now?"""

import streamlit as st

from campaign_core.metrics.marketing import MARKETING_DEFINITION
from campaign_core.windows import View
from ui import (
    ad_account_time,
    data,
    gmv_max_blocks,
    header,
    marketing_blocks,
    overview_blocks,
    plan_blocks,
    shell,
)

shell.require_shell(__file__)
st.title("Marketing", help=MARKETING_DEFINITION)
selection = header.current()
if selection is None:
    st.stop()
baseline_day = None
if selection.view is View.DAILY:
    baseline_day = overview_blocks.baseline_picker(selection.day)
context = header.resolve(selection, baseline_day)
header.freshness_line(context)
view = data.marketing(context.db_path, context.version, context.campaign, context.window,
                      context.comparison, context.now_minute)
plan_blocks.show_planned(context, "marketing")
marketing_blocks.show_supply(view, context.campaign.currency)
marketing_blocks.show_ads(view, context)
if selection.view is View.DAILY:
    marketing_blocks.show_ad_hours(context, view.ads.currency)
marketing_blocks.show_suggestions(view)
marketing_blocks.show_primary_account(context)
ad_account_time.show_ad_account_time_zone(context)
gmv_max_blocks.show_gmv_max_section(context)
