"""Portfolio: every shop you may see side by side, over a campaign or a date range, in the
reporting currency and each shop's own."""

import streamlit as st

from ui import data, portfolio_blocks, replay, settings, shell

shell.require_shell(__file__)
st.title("Portfolio")
# A replay: every shop as it was at the moment (the copy holds them all).
db_path, now, _ = replay.reading(settings.db_path())
version = data.current_version(db_path)
shops = data.shops(db_path, version)  # only the shops this reader may see
if not shops:
    st.info("No shop yet: import an orders export on the Import page.")
    st.page_link("pages/import_data.py", label="Go to Import", icon=":material/upload:")
    st.stop()
currency = data.reporting_currency(db_path, version)
campaign, first_day, last_day = portfolio_blocks.period_picker(
    data.campaigns(db_path, version))
now_minute = int(now.timestamp()) - int(now.timestamp()) % 60
figures = data.portfolio(db_path, version, tuple(s.shop_id for s in shops), now_minute,
                         currency, campaign, first_day, last_day)
if not any(row.kpis.orders for row in figures.rows):
    st.info("No paid orders in this period in any shop. Choose another campaign or range, "
            "or import orders exports on the Import page.")
portfolio_blocks.show_portfolio(figures, campaign)
