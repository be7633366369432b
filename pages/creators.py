"""Creators and profit: which creators make money, where each deal stands, honest A/B tests."""

import streamlit as st

from campaign_core.profit.creator_margin import MARGIN_RULES
from ui import creator_blocks, data, header, plan_blocks, share, shell

shell.require_shell(__file__)
st.title("Creators and profit", help=MARGIN_RULES)
selection = header.current()
if selection is None:
    st.stop()
context = header.resolve(selection)
header.freshness_line(context)
plan_blocks.show_planned(context, "creators")
overview = data.creators(context.db_path, context.version, context.campaign, context.window,
                         context.now_minute)
profit, pipeline, experiments = st.tabs(["Profit", "Pipeline", "Experiments"],
                                       **share.url_bound("creators_tab"))
with profit:
    if not overview.margins:
        st.info("No creator sales in this view yet. Import the affiliate orders export "
                "(Seller Center > Affiliate > Affiliate orders > Export) with your orders "
                "export; for settled commission, the income export (Finance > Income > "
                "Export); for samples, fees and costs, the templates on the Import page.")
    else:
        creator_blocks.show_profit_cards(context, overview)
        creator_blocks.show_shop_waterfall(context, overview)
        creator_blocks.show_creator_table(context, overview)
        creator_blocks.show_campaign_table(overview, context.campaign.currency)
        creator_blocks.show_creator_detail(context, overview)
        creator_blocks.show_suggestions(overview)
with pipeline:
    if not overview.statuses:
        st.info("No deals in this campaign yet. Add them below, or import the creator deals "
                "template (Import page).")
    else:
        creator_blocks.show_pipeline_board(overview)
        creator_blocks.show_late_list(overview, context.campaign.currency)
    creator_blocks.show_deal_editor(context, overview)
    creator_blocks.show_sample_form(context)
    creator_blocks.show_shortlist(context, overview)
with experiments:
    creator_blocks.show_experiments(context, overview)
