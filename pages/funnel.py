"""Funnel: where do shoppers drop out between seeing a product and buying it?"""

import streamlit as st

from campaign_core.metrics.funnel import FUNNEL_DEFINITION
from ui import data, header, marketing_blocks, plan_blocks, shell

shell.require_shell(__file__)
st.title("Funnel", help=FUNNEL_DEFINITION)
selection = header.current()
if selection is None:
    st.stop()
context = header.resolve(selection)
header.freshness_line(context)
plan_blocks.show_planned(context, "funnel")
shop_id = context.shop.shop_id
funnel = data.funnel(context.db_path, context.version, shop_id, context.window)
before = data.funnel(context.db_path, context.version, shop_id, context.comparison.window)
marketing_blocks.show_funnel(context, funnel, before)
