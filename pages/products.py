"""Products and stock: which products sell, which run out, and what to restock or advertise."""

import streamlit as st

from campaign_core.forecast.stock_cover import STOCK_COVER_DEFINITION
from ui import data, gmv_max_blocks, header, product_blocks, shell

shell.require_shell(__file__)
st.title("Products and stock", help=STOCK_COVER_DEFINITION)
selection = header.current()
if selection is None:
    st.stop()
context = header.resolve(selection)
header.freshness_line(context)
rows = data.products(context.db_path, context.version, context.shop.shop_id, context.window,
                     context.campaign, context.now_minute)
if not rows:
    st.info("No products yet. Import an orders export (Seller Center > Orders > Manage "
            "orders > Export); for traffic and stock, import the Data Compass product "
            "analysis export and a stock file on the Import page.")
    st.stop()
choice = product_blocks.show_alert_counts(rows)
columns = product_blocks.choose_columns()
product_blocks.show_products(context, product_blocks.filtered(rows, choice), columns)
product_blocks.show_top_products(context, rows)
product_blocks.show_plans_and_shortlist(context, rows)
gmv_max_blocks.show_break_even(context, gmv_max_blocks.economics(context))
