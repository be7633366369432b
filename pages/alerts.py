"""Alerts: threshold rules, the alert log, and the daily digest (settings and preview)."""

import pandas as pd
import streamlit as st

from campaign_core.alerts.digest_schedule import DEFAULT_SEND_AT
from campaign_core.alerts.engine import evaluate_alerts
from campaign_core.alerts.rules import CHANNELS, DEFAULT_COOLDOWN_MINUTES, RULE_KINDS
from campaign_core.digest import digest_text
from ui import access, data, edits, realtime, replay, settings, shell
from ui.formatting import local_time, plain, plural, zone_text

ALL_SHOPS = "(every shop)"

shell.require_shell(__file__)
st.title("Alerts")
st.caption("Rules are checked after every import or sync and every few minutes by the inbox "
           "watcher (`python -m campaign_core watch`); the same alert is not sent again "
           "within its cool-down. Slack and e-mail are set in .streamlit/secrets.toml [alerts].")
db_path = settings.db_path()
# A replay: the alert log and the digest as they were then; rules are as they are now.
read_path, now, replaying = replay.reading(db_path)
version = data.current_version(db_path)
shops = data.shops(db_path, version)
# Rules and the digest are settings: admins change them, and nobody while replaying.
admin = access.current().is_admin and not replay.editing_off()
channels = realtime.channels()
st.caption(f"Slack: {'configured' if channels.has_slack else 'not configured'} · "
           f"e-mail: {'configured' if channels.has_email else 'not configured'}")

st.subheader("Rules")
rules = data.alert_rules(db_path, version)
shop_names = {s.shop_id: s.name for s in shops}
if rules:
    st.dataframe(pd.DataFrame([{
        "#": r.rule_id, "rule": r.label, "threshold": r.threshold,
        "unit": RULE_KINDS[r.kind].threshold_label, "shop": shop_names.get(r.shop_id, ALL_SHOPS),
        "channel": r.channel, "cool-down (min)": r.cooldown_minutes, "enabled": r.enabled,
    } for r in rules]), hide_index=True, width="stretch")
else:
    st.caption("No rules yet: add one below.")

if admin:
    with st.form("alert_rule_form"):
        kind = st.selectbox("When", list(RULE_KINDS), format_func=lambda k: RULE_KINDS[k].label,
                            help="\n\n".join(f"**{k.label}**: {k.definition}"
                                             for k in RULE_KINDS.values()))
        threshold, channel, cooldown, shop = st.columns(4)
        value = threshold.number_input("Threshold", min_value=0.0, value=None,
                                       help="Empty: the kind's default (% below target 10, days "
                                            "of cover 3, days overdue 0, ROAS 2, % below 30).")
        chosen_channel = channel.selectbox("Send to", CHANNELS)
        minutes = cooldown.number_input("Cool-down (minutes)", min_value=0,
                                        value=DEFAULT_COOLDOWN_MINUTES, step=15)
        shop_name = shop.selectbox("Shop", [ALL_SHOPS] + [s.name for s in shops])
        if st.form_submit_button("Add rule", icon=":material/add_alert:"):
            shop_id = next((s.shop_id for s in shops if s.name == shop_name), None)
            edits.add_alert_rule(db_path, kind=kind, threshold=value, channel=chosen_channel,
                                 shop_id=shop_id, cooldown_minutes=int(minutes))
            st.rerun()

    if rules:
        pick, toggle, remove, run = st.columns([2, 1, 1, 1], vertical_alignment="bottom")
        chosen = pick.selectbox("Rule", [r.rule_id for r in rules], key="alert_rule_pick",
                                format_func=lambda i: next(f"#{r.rule_id} {r.label}"
                                                           for r in rules if r.rule_id == i))
        rule = next(r for r in rules if r.rule_id == chosen)
        if toggle.button("Disable" if rule.enabled else "Enable", key="alert_rule_toggle"):
            edits.switch_alert_rule(db_path, rule)
            st.rerun()
        if remove.button("Delete", key="alert_rule_delete"):
            edits.delete_alert_rule(db_path, rule.rule_id)
            st.rerun()
        if run.button("Check now", icon=":material/notifications_active:", key="alert_check"):
            fired = evaluate_alerts(db_path, settings.now(), channels=channels)
            st.toast(f"{plural(len(fired), 'new alert')}.")

st.subheader("Alert log")
events = data.alert_events(read_path, data.current_version(read_path))
zone = shops[0].timezone if shops else "UTC"
if events:
    st.dataframe(pd.DataFrame([{
        "when": local_time(e["fired_utc"], zone, "%Y-%m-%d %H:%M"),
        "rule": RULE_KINDS[e["kind"]].label if e["kind"] in RULE_KINDS else "daily digest",
        "severity": e["severity"], "message": e["message"], "channel": e["channel"],
        "delivered": bool(e["delivered"]), "error": e["error"] or "",
    } for e in events]), hide_index=True, width="stretch")
else:
    st.caption("No alerts so far.")

st.subheader("Daily digest")
campaigns = data.campaigns(db_path, version)
if not campaigns:
    st.info("The digest needs a campaign: create one on the Campaigns page.")
    st.stop()
campaign_name = st.selectbox("Campaign", [c.name for c in campaigns], key="digest_campaign")
campaign = next(c for c in campaigns if c.name == campaign_name)
setting = data.digest_setting(db_path, version, campaign.shop_id)
if admin:
    with st.form("digest_form"):
        send_at, send_to, on = st.columns(3, vertical_alignment="bottom")
        at = send_at.text_input(f"Send at (HH:MM, {zone_text(campaign.timezone)})",
                                value=setting.send_at if setting else DEFAULT_SEND_AT)
        via = send_to.selectbox("Send to", CHANNELS,
                                index=CHANNELS.index(setting.channel) if setting else 2)
        enabled = on.checkbox("Send every day", value=setting.enabled if setting else False)
        if st.form_submit_button("Save digest settings"):
            try:
                edits.save_digest_setting(db_path, campaign.shop_id, send_at=at, channel=via,
                                          enabled=enabled)
                st.rerun()
            except ValueError as error:
                st.error(plain(error))

if setting and setting.last_sent_day:
    st.caption(f"Last sent for {plain(setting.last_sent_day)}.")
instant = int(now.timestamp())
digest = data.digest_preview(read_path, data.current_version(read_path), campaign,
                             instant - instant % 60)
st.caption(f"Preview as it would have been sent then ({plain(digest.subject)}):" if replaying
           else f"Preview as it would be sent now ({plain(digest.subject)}):")
st.text(digest_text(digest))
