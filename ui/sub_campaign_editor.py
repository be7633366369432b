"""Define a campaign's sub-campaigns in the app (the template on the Import page does the
same for many at once). Writes go through the single writer."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from campaign_core.importers.sub_campaigns import split_sku_ids
from campaign_core.store.campaigns import Campaign
from campaign_core.store.sub_campaigns import (
    SUB_CAMPAIGN_KINDS,
    delete_sub_campaign,
    save_sub_campaign,
)
from ui import data, edits
from ui.formatting import plain

NEW = "+ New sub-campaign"


def _local(instant: int, zone: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(instant, UTC).astimezone(zone)


def show(db_path: Path, version: int, campaign: Campaign) -> None:
    zone = ZoneInfo(campaign.timezone)
    st.subheader(f"Sub-campaigns of {plain(campaign.name)}")
    existing = data.sub_campaign_list(db_path, version, campaign.campaign_id)
    if existing:
        st.dataframe(pd.DataFrame([{
            "sub-campaign": s.name, "type": s.kind,
            "starts": f"{_local(s.start_utc, zone):%Y-%m-%d %H:%M}",
            "ends": f"{_local(s.end_utc, zone):%Y-%m-%d %H:%M}",
            "SKUs": "all" if s.all_skus else len(s.sku_ids)} for s in existing]),
            hide_index=True, width="stretch")
    choice = st.selectbox("Sub-campaign", [NEW] + [s.name for s in existing],
                          key="edit_sub_campaign")
    chosen = next((s for s in existing if s.name == choice), None)
    start = _local(chosen.start_utc, zone) if chosen else datetime.combine(
        campaign.start_day, time(0), zone)
    end = _local(chosen.end_utc, zone) if chosen else datetime.combine(
        campaign.start_day, time(23, 59), zone)
    with st.form("sub_campaign_form"):
        name = st.text_input("Name", value=chosen.name if chosen else "")
        kinds = list(SUB_CAMPAIGN_KINDS)
        kind = st.selectbox("Type", kinds, index=kinds.index(chosen.kind)
                            if chosen and chosen.kind in kinds else 0)
        left, right = st.columns(2)
        start_day = left.date_input("Starts on", value=start.date())
        start_time = left.time_input("at", value=start.time(), step=900)
        end_day = right.date_input("Ends on", value=end.date())
        end_time = right.time_input("at ", value=end.time(), step=900)
        skus = st.text_area("SKU IDs (empty: all SKUs)",
                            value=" ".join(chosen.sku_ids) if chosen else "",
                            help="SKU IDs from the orders export, separated by spaces, commas "
                                 "or new lines.")
        saved = st.form_submit_button("Save sub-campaign", type="primary")
    if saved:
        try:
            with edits.writing(db_path, campaign.shop_id) as conn:
                save_sub_campaign(
                    conn, campaign_id=campaign.campaign_id, name=name, kind=kind,
                    start_utc=_instant(start_day, start_time, zone),
                    end_utc=_instant(end_day, end_time, zone), sku_ids=split_sku_ids(skus),
                    sub_campaign_id=chosen.sub_campaign_id if chosen else None)
            st.rerun()
        except ValueError as error:
            st.error(plain(error))
    if chosen and st.button(f"Delete {plain(chosen.name)}", icon=":material/delete:",
                            key="delete_sub_campaign"):
        with edits.writing(db_path, campaign.shop_id) as conn:
            delete_sub_campaign(conn, chosen.sub_campaign_id)
        st.rerun()


def _instant(day, clock: time, zone: ZoneInfo) -> int:
    return int(datetime.combine(day, clock, zone).astimezone(UTC).timestamp())
