"""Campaign dashboard for TikTok Shop sellers: the Streamlit entry point.

Run with ``streamlit run app.py``. On first start with an empty store it builds the demo
campaign, so there is a full dashboard to look at before any import. The shell around the
pages (page config, sign-in, navigation, header) is ``ui/shell.py``.
"""

from ui import shell

shell.run_app()
