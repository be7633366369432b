"""The primary ad account's time zone on the Marketing page: ad reports follow it, not the
shop's (``campaign_core/metrics/ad_time.py``)."""

from __future__ import annotations

import streamlit as st

from campaign_core.importers.ad_report_facts import format_utc_offset
from campaign_core.metrics.ad_time import __doc__ as AD_TIME_DEFINITION
from ui import data, edits, replay
from ui.formatting import plain, zone_text
from ui.header import ViewContext

_SHOP_TIME = "Not known: read reports in the shop's timezone"
_OFFSETS = list(range(-12 * 60, 14 * 60 + 1, 30))  # what Ads Manager offers


def show_ad_account_time_zone(context: ViewContext) -> None:
    _, primary = data.ad_accounts(context.db_path, context.version, context.shop.shop_id)
    if primary is None:
        return
    with st.expander("Ad account time zone"):
        st.caption(plain(
            f"Ad reports follow the ad account's time zone, set when the account was created "
            f"(Ads Manager > Account settings > Basic information), not the shop's "
            f"({zone_text(context.shop.timezone)}). Reports that state it set it."))
        labels = [_SHOP_TIME] + [format_utc_offset(m) for m in _OFFSETS]
        current = (labels.index(format_utc_offset(primary.utc_offset_minutes))
                   if primary.utc_offset_minutes is not None else 0)
        if replay.editing_off(context):
            return
        with st.form("ad_account_time_zone", border=False):
            choice = st.selectbox(plain(f"Time zone of {primary.label}"), labels, index=current,
                                  help=AD_TIME_DEFINITION.strip())
            if st.form_submit_button("Save time zone"):
                offset = None if choice == _SHOP_TIME else _OFFSETS[labels.index(choice) - 1]
                edits.set_ad_account_time_zone(context.db_path, context.shop.shop_id,
                                               primary.account_id, offset)
                st.rerun()
