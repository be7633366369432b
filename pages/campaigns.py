"""Campaigns and shops: create and edit campaigns (dates, timezone, GMV target) and shops."""

from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import available_timezones

import pandas as pd
import streamlit as st

from ui import (
    access,
    agency_settings,
    data,
    edits,
    plan_editor,
    replay,
    settings,
    shell,
    sub_campaign_editor,
)
from ui.formatting import money, plain
from ui.import_summary import PREFILL_KEY

NEW = "+ New campaign"
SHOP_ZONE = "(the shop's timezone)"

shell.require_shell(__file__)
st.title("Campaigns")
db_path = settings.db_path()
version = data.current_version(db_path)
shops = data.shops(db_path, version)
campaigns = data.campaigns(db_path, version)
if not shops:
    st.info("No shop yet: import an orders export on the Import page first.")
    st.stop()

if campaigns:
    st.dataframe(pd.DataFrame([{
        "campaign": c.name, "shop": c.shop_name, "start": c.start_day, "end": c.end_day,
        "days": c.length_days, "timezone": c.timezone,
        # Campaigns of several shops may count in several currencies: each its own.
        "GMV target": money(None if c.gmv_target_cents is None else c.gmv_target_cents / 100,
                            c.currency),
    } for c in campaigns]), hide_index=True, width="stretch",
        column_config={"GMV target": st.column_config.TextColumn(
            help="Empty (—): no target set; set one on the Overview.")})
else:
    st.caption("No campaigns yet.")

if replay.editing_off():
    st.stop()
grant = access.current()
# Staff edit the campaigns of their shops; viewers see the table only.
shops = [s for s in shops if grant.may_write(s.name)]
campaigns = [c for c in campaigns if grant.may_write(c.shop_name)]
if not shops:
    st.caption("Your role is read only: an admin or your shops' staff edit campaigns.")
    st.stop()

st.subheader("Create or edit a campaign")
choice = st.selectbox("Campaign", [NEW] + [c.name for c in campaigns], key="edit_campaign")
current = next((c for c in campaigns if c.name == choice), None)
# Shop and days handed over by the Import page after a first import into a new shop.
prefill = {} if current else st.session_state.get(PREFILL_KEY, {})
shop_names = [s.name for s in shops]
new_shop_index = shop_names.index(prefill["shop"]) if prefill.get("shop") in shop_names else 0
zones = [SHOP_ZONE] + sorted(available_timezones())
with st.form("campaign_form"):
    name = st.text_input("Name", value=current.name if current else "")
    shop_name = st.selectbox("Shop", shop_names,
                             index=[s.shop_id for s in shops].index(current.shop_id)
                             if current else new_shop_index)
    today = date.today()
    start, end = st.columns(2)
    start_day = start.date_input("First day", value=current.start_day if current
                                 else prefill.get("start", today))
    end_day = end.date_input("Last day", value=current.end_day if current
                             else prefill.get("end", today + timedelta(days=11)))
    shop_zone = next(s.timezone for s in shops if current and s.shop_id == current.shop_id) \
        if current else None
    zone = st.selectbox("Timezone", zones, help="Days start at midnight in this timezone.",
                        index=zones.index(current.timezone)
                        if current and current.timezone != shop_zone else 0)
    target = st.number_input(
        "GMV target (0 = none)", min_value=0.0, step=1000.0, format="%.2f",
        value=(current.gmv_target_cents or 0) / 100 if current else 0.0)
    submitted = st.form_submit_button("Save campaign", type="primary")
if submitted:
    shop = next(s for s in shops if s.name == shop_name)
    try:
        saved = edits.save_campaign(
            db_path, shop_id=shop.shop_id, name=name, start_day=start_day, end_day=end_day,
            timezone=None if zone == SHOP_ZONE else zone,
            gmv_target_cents=int(Decimal(str(target)) * 100) or None,
            campaign_id=current.campaign_id if current else None)
        st.session_state.pop(PREFILL_KEY, None)
        st.success(f"Saved {plain(saved.name)}.")
        st.rerun()
    except (ValueError, access.AccessDenied) as error:
        st.error(plain(error))
if current and st.button(f"Delete {plain(current.name)}", icon=":material/delete:",
                         help="Orders stay; only the campaign's definition is removed."):
    edits.delete_campaign(db_path, current.campaign_id)
    st.rerun()

if current:
    plan_editor.show(db_path, version, current)
    sub_campaign_editor.show(db_path, version, current)
    agency_settings.show_campaign_shops(db_path, version, current, shops)

if not grant.is_admin:  # a shop's name, timezone and currency are settings
    st.stop()
st.subheader("Shops")
shop = next(s for s in shops if s.name == st.selectbox("Shop to edit", [s.name for s in shops],
                                                       key="edit_shop"))
with st.form("shop_form"):
    new_name = st.text_input("Shop name", value=shop.name)
    all_zones = sorted(available_timezones())
    new_zone = st.selectbox("Timezone", all_zones, index=all_zones.index(shop.timezone))
    currency = st.text_input("Currency (ISO code)", value=shop.currency, max_chars=3)
    category = st.text_input("Category", value=shop.category or "",
                             help="Your main category, as in the benchmark file: benchmarks "
                                  "and peer shops of this category are compared with you.")
    tier = st.text_input("GMV tier", value=shop.gmv_tier or "",
                         help="Your peer group's GMV band, as in the benchmark file.")
    if st.form_submit_button("Save shop"):
        try:
            edits.update_shop(db_path, shop.shop_id, name=new_name.strip(), timezone=new_zone,
                              currency=currency, category=category, gmv_tier=tier)
            st.rerun()
        except ValueError as error:
            st.error(plain(error))

# The logo on page one of the stakeholder report (PDF and HTML): checked and redrawn as a
# PNG when saved (campaign_core.stakeholder.logo), whatever the file claims to be.
st.markdown("**Logo on the stakeholder report**")
logo = data.shop_logo(db_path, version, shop.shop_id)
if logo:
    st.image(logo, width=160)
else:
    st.caption("No logo yet: the report's page one shows the shop's name only.")
upload = st.file_uploader("Logo (PNG or JPEG, at most 2 MB)", type=["png", "jpg", "jpeg"],
                          key=f"logo_upload_{shop.shop_id}", max_upload_size=2)
if upload is not None and st.button("Save logo", type="primary", key="save_logo"):
    try:
        edits.save_shop_logo(db_path, shop.shop_id, upload.getvalue())
        st.rerun()
    except ValueError as error:
        st.error(plain(error))
if logo and st.button("Remove logo", icon=":material/delete:", key="remove_logo"):
    edits.remove_shop_logo(db_path, shop.shop_id)
    st.rerun()
agency_settings.show_currency_settings(db_path, version)
