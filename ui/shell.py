"""Pages run inside ``app.py``: a guard for Streamlit's legacy ``pages/`` mode.

With a ``pages/`` folder beside the entry point, the first session after the server starts
is served in Streamlit's legacy multipage mode until some run calls ``st.navigation``. A
deep link (``/import_data``) opened first would then run the page alone, without the
shell (page config, navigation, header). Each page calls ``require_shell()`` first: outside
the shell it leaves legacy mode and reruns, and ``app.py`` serves the same page.
"""

from __future__ import annotations

import threading
from pathlib import Path

import streamlit as st

_state = threading.local()


def mark_shell_running(running: bool) -> None:
    """Called by ``app.py`` around ``page.run()``."""
    _state.running = running


def require_shell(page_file: str) -> None:
    """Call first in a page with its ``__file__``; reruns through ``app.py`` if needed."""
    if getattr(_state, "running", False):
        return
    # Any call of st.navigation leaves legacy mode. Listing this very page (not as the
    # default, whose address is the root) keeps the rerun on it.
    st.navigation([st.Page(_placeholder, title="Loading", url_path="loading", default=True),
                   st.Page(Path(page_file).resolve())], position="hidden")
    st.rerun()


def _placeholder() -> None:
    """Never shown: only the default slot of the hand-over navigation."""
