"""Overview: the campaign's core KPIs for the chosen view, and GMV over time."""

import pandas as pd
import streamlit as st

from campaign_core.metrics.catalog import CATALOG
from ui import charts, data, header, shell
from ui.cards import kpi_cards
from ui.downloads import csv_bytes

shell.require_shell(__file__)
st.title("Overview")
context = header.current()
if context is None:
    st.stop()
if context.is_demo:
    st.info("You are looking at the demo campaign (generated data). Import your own "
            "Seller Center exports on the Import page to see your shop.", icon=":material/info:")

kpis = data.kpis(context.db_path, context.version, context.shop.shop_id, context.window)
previous = data.kpis(context.db_path, context.version, context.shop.shop_id,
                     context.comparison.window)
if kpis.orders == 0:
    st.warning(f"No paid orders in this window ({context.window.describe()}). Import an "
               "orders export (Seller Center > Orders > Manage orders > Export) that covers "
               "it, or pick another view.")
kpi_cards(kpis, previous, context.comparison.label, context.campaign.currency)

points = data.trend(context.db_path, context.version, context.shop.shop_id, context.window)
st.altair_chart(charts.gmv_trend_chart(points, context.window, context.campaign.currency),
                width="stretch")
table = pd.DataFrame(
    [{"metric": CATALOG[name].label, "value": value, "compared_with": context.comparison.label,
      "comparison_value": previous.as_dict()[name]} for name, value in kpis.as_dict().items()])
st.download_button("Download KPIs (CSV)", csv_bytes(table), icon=":material/download:",
                   file_name=f"kpis-{context.window.view.value}-{context.window.first_day}.csv",
                   mime="text/csv")
