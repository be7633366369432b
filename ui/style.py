"""The app's shared style: how pages lay out on a phone. Static CSS only (no data in it).

Containers opt in by their key (Streamlit gives a container the class ``st-key-<key>``):
``phone_*`` containers show only below 640 px (Streamlit's own phone breakpoint, where
columns stack), ``wide_*`` containers only from 640 px, and in a ``cards_*`` container
metric cards keep two to a row on a phone instead of one (the Overview's cards would be
5,000 px tall otherwise). Button groups (filter chips) wrap instead of being cut.
"""

from __future__ import annotations

import streamlit as st

PHONE_MAX_PX = 639.98
# Rows of metric cards: the columns inside a container keyed ``cards_*``.
_CARD_ROW = '[class*="st-key-cards_"] [data-testid="stHorizontalBlock"]'

_CSS = f"""
<style>
@media (max-width: {PHONE_MAX_PX}px) {{
  [class*="st-key-wide_"] {{ display: none !important; }}
  {_CARD_ROW} {{ flex-wrap: wrap; gap: 0.5rem; }}
  {_CARD_ROW} > [data-testid="stColumn"] {{
    flex: 1 1 calc(50% - 0.25rem) !important;
    min-width: calc(50% - 0.25rem) !important;
    max-width: calc(50% - 0.25rem) !important;
  }}
  {_CARD_ROW} [data-testid="stMetricValue"] {{ font-size: 1.5rem; }}
  [data-testid="stButtonGroup"] > div {{ flex-wrap: wrap; }}
}}
@media (min-width: {PHONE_MAX_PX + 0.02}px) {{
  [class*="st-key-phone_"] {{ display: none !important; }}
}}
</style>
"""


def card_columns(key: str, spec: int | list[float]) -> list:
    """``st.columns(spec)`` for metric cards: two to a row on a phone."""
    with st.container(key=f"cards_{key}"):
        return st.columns(spec)


def apply() -> None:
    """Add the shared style to the page (once per run, before the page draws)."""
    st.html(_CSS)
