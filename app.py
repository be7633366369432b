"""Campaign dashboard for TikTok Shop sellers: the Streamlit entry point.

Run with ``streamlit run app.py``. On first start with an empty store it builds the demo
campaign, so there is a full dashboard to look at before any import.
"""

import streamlit as st

from ui import auth, bootstrap, header, settings, shell

st.set_page_config(page_title="Campaign dashboard", page_icon=":material/monitoring:",
                   layout="wide")

# Nothing below runs for a visitor who may not see the dashboard (see ui/auth.py).
auth.require_sign_in()

DASHBOARD_PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
]
DATA_PAGES = [
    st.Page("pages/import_data.py", title="Import", icon=":material/upload_file:"),
    st.Page("pages/campaigns.py", title="Campaigns", icon=":material/flag:"),
]

# Navigation first: it also takes Streamlit out of its legacy pages/ mode before the
# (possibly long) first-start demo build draws anything.
page = st.navigation({"Dashboard": DASHBOARD_PAGES, "Data": DATA_PAGES}, position="top")
db_path = settings.db_path()
bootstrap.ensure_store_with_demo(db_path)
if page in DASHBOARD_PAGES:
    header.show(db_path)
shell.mark_shell_running(True)
try:
    page.run()
finally:
    shell.mark_shell_running(False)
