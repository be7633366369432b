"""A campaign that ends sends its final report once, the PDF attached, to the e-mail of
the shop's digest (tested against a local SMTP server the test starts)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from campaign_core.alerts.delivery import Channels
from campaign_core.alerts.digest_schedule import save_setting
from campaign_core.alerts.final_report import send_final_reports
from campaign_core.store import read_connection, write_transaction
from tests.conftest import TZ
from tests.local_channels import text_of

LA = ZoneInfo(TZ)


def test_an_ended_campaign_sends_its_final_report_once(hand_store: Path, smtp) -> None:
    channels = Channels(smtp_host="127.0.0.1", smtp_port=smtp.port,
                        smtp_from="dash@shop.test", smtp_to=("owner@shop.test",))
    with write_transaction(hand_store) as conn:
        save_setting(conn, 1, send_at="08:00", channel="email")
    last_day = datetime(2026, 11, 21, 20, 0, tzinfo=LA)  # the campaign runs Nov 20-21
    assert send_final_reports(hand_store, last_day, channels=channels) == []
    after = datetime(2026, 11, 22, 9, 0, tzinfo=LA)
    [sent] = send_final_reports(hand_store, after, channels=channels)
    assert sent.delivered and sent.error is None
    [mail] = smtp.messages
    assert mail["Subject"] == "Hand: final report"
    assert "GMV" in text_of(mail)
    [pdf] = [part for part in mail.walk() if part.get_content_type() == "application/pdf"]
    assert pdf.get_filename() == "hand-period-2026-11-21.pdf"
    assert pdf.get_payload(decode=True).startswith(b"%PDF-")
    assert send_final_reports(hand_store, after, channels=channels) == []  # once
    with read_connection(hand_store) as conn:
        keys = [r[0] for r in conn.execute("SELECT alert_key FROM alert_event")]
    assert keys == ["final-report:1"]


def test_no_final_report_without_an_e_mail_digest(hand_store: Path, smtp) -> None:
    channels = Channels(smtp_host="127.0.0.1", smtp_port=smtp.port,
                        smtp_from="dash@shop.test", smtp_to=("owner@shop.test",))
    after = datetime(2026, 11, 22, 9, 0, tzinfo=LA)
    assert send_final_reports(hand_store, after, channels=channels) == []
    assert smtp.messages == []


def test_the_daily_digest_can_attach_the_days_report(hand_store: Path, smtp) -> None:
    from campaign_core.alerts.digest_schedule import send_due_digests

    channels = Channels.from_mapping({
        "smtp_host": "127.0.0.1", "smtp_port": smtp.port, "smtp_from": "dash@shop.test",
        "smtp_to": "owner@shop.test", "smtp_starttls": False, "digest_attach_pdf": True})
    with write_transaction(hand_store) as conn:
        save_setting(conn, 1, send_at="08:00", channel="email")
    [sent] = send_due_digests(hand_store, datetime(2026, 11, 21, 8, 30, tzinfo=LA),
                              channels=channels)
    assert sent.delivered, sent.error
    [mail] = smtp.messages
    [pdf] = [part for part in mail.walk() if part.get_content_type() == "application/pdf"]
    assert pdf.get_filename() == "hand-daily-2026-11-20.pdf"
    assert pdf.get_payload(decode=True).startswith(b"%PDF-")
