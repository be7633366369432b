"""Traffic: where do shoppers come from, and which channel converts its clicks?"""

import streamlit as st

from campaign_core.metrics.traffic import TRAFFIC_DEFINITION
from ui import header, marketing_blocks, plan_blocks, shell

shell.require_shell(__file__)
st.title("Traffic", help=TRAFFIC_DEFINITION)
selection = header.current()
if selection is None:
    st.stop()
context = header.resolve(selection)
header.freshness_line(context)
plan_blocks.show_planned(context, "traffic")
marketing_blocks.show_traffic(context)
