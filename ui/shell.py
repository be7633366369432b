"""The app's shell: page config, sign-in gate, navigation, first-start demo, shared header.

``app.py`` calls ``run_app``. Pages call ``require_shell(__file__)`` first: with a
``pages/`` folder beside the entry point, Streamlit serves a run in its legacy multipage
mode until some run calls ``st.navigation`` (the first request after the server starts;
every AppTest run), and that mode runs a page alone, without the shell. The guard then
runs the shell itself, in the same run, so nothing is lost (a button's click included),
and stops the bare page.
"""

from __future__ import annotations

import threading

import streamlit as st

from campaign_core.security.access import AccessDenied
from ui import (
    auth,
    bootstrap,
    branding,
    header,
    keyboard,
    realtime,
    replay,
    settings,
    share,
    style,
)
from ui.formatting import plain

_state = threading.local()


def _pages() -> tuple[list, list]:
    dashboard = [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:",
                default=True),
        st.Page("pages/products.py", title="Products and stock",
                icon=":material/inventory_2:"),
        st.Page("pages/content.py", title="Content", icon=":material/live_tv:"),
        st.Page("pages/marketing.py", title="Marketing", icon=":material/campaign:"),
        st.Page("pages/traffic.py", title="Traffic", icon=":material/alt_route:"),
        st.Page("pages/funnel.py", title="Funnel", icon=":material/filter_alt:"),
        st.Page("pages/creators.py", title="Creators and profit", icon=":material/handshake:"),
        # Every shop side by side: no shop picker (header) above it.
        st.Page("pages/portfolio.py", title="Portfolio", icon=":material/stacked_bar_chart:"),
    ]
    data = [
        st.Page("pages/import_data.py", title="Import", icon=":material/upload_file:"),
        st.Page("pages/campaigns.py", title="Campaigns", icon=":material/flag:"),
        st.Page("pages/alerts.py", title="Alerts", icon=":material/notifications:"),
    ]
    return dashboard, data


def run_app() -> None:
    """Everything around a page: what ``app.py`` runs on every rerun."""
    # An emoji, not a :material/...: icon: Streamlit fetches a material favicon from
    # fonts.gstatic.com on every load, and the dashboard must work offline.
    st.set_page_config(page_title=branding.PRODUCT_NAME, page_icon="📊", layout="wide")
    # Tables offer the app's own formula-safe downloads (ui/downloads.py); the built-in
    # "Download as CSV" of st.dataframe writes cells like "=HYPERLINK(...)" raw.
    st.set_option("client.disableDataExport", True)
    style.apply()
    # Nothing below runs for a visitor who may not see the dashboard (see ui/auth.py).
    auth.require_sign_in()
    dashboard, data = _pages()
    # Navigation before the (possibly long) first-start demo build draws anything.
    page = st.navigation({"Dashboard": dashboard, "Data": data}, position="top")
    share.set_page(page.url_path)
    db_path = settings.db_path()
    bootstrap.ensure_store_with_demo(db_path)
    realtime.ensure_inbox_watcher(db_path)  # when the inbox folder exists
    if page in dashboard and page.url_path != "portfolio":
        header.show(db_path)
    replay.bar(page.url_path)  # while replaying: "Replaying <moment> — back to live"
    branding.show_logo(db_path)
    _state.running = True
    try:
        page.run()
    except AccessDenied as refused:  # a write or read the user's role does not allow
        st.error(plain(refused), icon=":material/lock:")
    finally:
        _state.running = False
    keyboard.enter_applies_typed_dates()


def require_shell(page_file: str) -> None:
    """Call first in a page with its ``__file__``: outside the shell, run the shell (which
    runs this page inside it) and stop here."""
    if getattr(_state, "running", False):
        return
    run_app()
    st.stop()
