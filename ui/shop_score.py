"""The Shop Performance Score beside the Overview's operations block: the latest score,
the score campaigns accept and the score to stay in one, and a form to record today's."""

from __future__ import annotations

import streamlit as st

from campaign_core.formatting import number
from campaign_core.metrics.shop_score import DEFAULT_WARNING_MARGIN, campaign_thresholds
from campaign_core.metrics.shop_score import __doc__ as SHOP_SCORE_DEFINITION
from ui import data, edits
from ui.formatting import local_time, plain
from ui.header import ViewContext

_STATUS_TEXT = {
    "ok": "Above the score campaigns accept.",
    "near": "Close to the score campaigns accept: a small drop closes campaign registration.",
    "below_registration": "Below the score campaigns accept: the shop cannot register for "
                          "new campaigns.",
    "below_stay": "Below the score needed to stay in a campaign.",
    "no_threshold": "No Shop Performance Score threshold is documented for campaigns in "
                    "this shop's market.",
}


def show_shop_score(context: ViewContext) -> None:
    shop = context.shop
    reading = data.shop_score(context.db_path, context.version, shop.shop_id, shop.timezone)
    help_text = SHOP_SCORE_DEFINITION.strip()
    register_at, stay_at = campaign_thresholds(shop.timezone)
    with st.container(key="cards_shop_score"):
        score, register, stay = st.columns(3)
        score.metric("Shop score",
                     number(reading.score, 2) if reading else "not entered", border=True,
                     help=help_text)
        register.metric("Campaign entry",
                        number(register_at, 1) if register_at else "none documented",
                        border=True, help=help_text)
        stay.metric("Stay in campaign",
                    number(stay_at, 1) if stay_at else "none documented", border=True,
                    help=help_text)
    if reading is None:
        st.caption("Enter the Shop Performance Score Seller Center shows (Account health) to "
                   "compare it with "
                   "the campaign thresholds and get an alert before it falls below them.")
    else:
        status = reading.status(DEFAULT_WARNING_MARGIN)
        text = plain(f"{_STATUS_TEXT[status]} Recorded "
                     f"{local_time(reading.recorded_utc, shop.timezone)} ({reading.source}).")
        if status in ("below_registration", "below_stay"):
            st.error(text, icon=":material/warning:")
        elif status == "near":
            st.warning(text, icon=":material/warning:")
        else:
            st.caption(text)
    if context.replaying:  # a replay is read only
        return
    with st.expander("Record today's score"), st.form("shop_score_form", border=False):
        value = st.number_input("Shop Performance Score (0 to 5)", min_value=0.0,
                                max_value=5.0, step=0.1, format="%.1f",
                                value=reading.score if reading else 4.0)
        if st.form_submit_button("Save score"):
            edits.record_shop_score(context.db_path, shop.shop_id, value)
            st.rerun()
