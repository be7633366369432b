"""The campaign-end summary: when a campaign has ended, its final report (the Campaign
Period report as a PDF) is e-mailed once to the recipients of the shop's daily digest.

A shop receives it when its digest is enabled on a channel with e-mail. The send is logged
in the alert log under the key ``final-report:<campaign id>``, delivered or with its error,
and never repeated. Campaigns that ended more than ``RECENT_DAYS`` ago are left alone, so
turning the digest on does not mail the reports of old campaigns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from campaign_core.alerts.delivery import Channels, DeliveryError, send_email
from campaign_core.alerts.digest_schedule import get_setting
from campaign_core.stakeholder.export import campaign_document
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.campaigns import list_campaigns

RECENT_DAYS = 7


@dataclass(frozen=True)
class FinalReportSend:
    campaign_id: int
    subject: str
    delivered: bool
    error: str | None


def send_final_reports(db_path: Path | str, now: datetime | None = None, *,
                       channels: Channels | None = None) -> list[FinalReportSend]:
    """E-mail the final report of every campaign that ended (in its shop's time) within
    ``RECENT_DAYS`` before ``now`` and was not sent yet; returns what was sent or tried.
    Delivery errors are returned and logged, not raised."""
    now = now or datetime.now(UTC)
    channels = channels or Channels()
    due = []
    with read_connection(db_path) as conn:
        sent = {row[0] for row in conn.execute(
            "SELECT alert_key FROM alert_event WHERE alert_key LIKE 'final-report:%'")}
        for campaign in list_campaigns(conn):
            today = now.astimezone(ZoneInfo(campaign.timezone)).date()
            setting = get_setting(conn, campaign.shop_id)
            if (setting is None or not setting.enabled or "email" not in setting.channel
                    or not campaign.end_day < today <= campaign.end_day
                    + timedelta(days=RECENT_DAYS)
                    or f"final-report:{campaign.campaign_id}" in sent):
                continue
            from campaign_core.stakeholder.pdf import render_pdf  # fpdf: only when one is due

            document = campaign_document(conn, campaign, "period", now)
            due.append((campaign, document, render_pdf(document)))
    sends = []
    for campaign, document, pdf in due:
        subject = f"{campaign.name}: final report"
        summary = document.summary
        lines = [document.subtitle, ""] + ([summary.pacing, "", *summary.sentences]
                                           if summary else [])
        lines += ["", f"The full report is attached ({document.file_stem}.pdf).",
                  document.stamp]
        try:
            send_email(channels, subject, "\n".join(lines),
                       attachments=((f"{document.file_stem}.pdf", pdf),))
            error = None
        except DeliveryError as failure:
            error = str(failure)
        sends.append(FinalReportSend(campaign.campaign_id, subject, error is None, error))
    if sends:
        with write_transaction(db_path) as conn:
            for send, (campaign, _, _) in zip(sends, due, strict=True):
                conn.execute(
                    "INSERT INTO alert_event (rule_id, shop_id, alert_key, fired_utc, "
                    "severity, message, channel, delivered, error) VALUES (NULL, :shop_id, "
                    ":key, :fired, 'info', :message, 'email', :delivered, :error)",
                    {"shop_id": campaign.shop_id, "key": f"final-report:{send.campaign_id}",
                     "fired": int(now.timestamp()), "message": f"Sent: {send.subject}",
                     "delivered": int(send.delivered), "error": send.error})
    return sends
