"""The Streamlit side: settings, cached data access, the shared header and widgets.

Only this package and ``pages/`` import streamlit; ``campaign_core`` never does.
"""
