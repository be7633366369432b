"""The daily digest: yesterday's numbers vs target and baseline, marked as leaving out the
incomplete current day; sent once a day at the chosen time to Slack and e-mail."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from campaign_core.alerts.delivery import Channels
from campaign_core.alerts.digest_schedule import save_setting, send_due_digests
from campaign_core.digest import EXCLUDES_TODAY, build_digest, digest_html, digest_text
from campaign_core.metrics.core import core_kpis
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.campaigns import find_campaign
from campaign_core.store.shops import update_shop
from campaign_core.windows import daily_window
from tests.conftest import TZ
from tests.local_channels import SlackCatcher, SmtpCatcher, html_of, text_of

LA = ZoneInfo(TZ)
MORNING_OF_DAY_TWO = datetime(2026, 11, 21, 8, 30, tzinfo=LA)


def digest_of(db: Path, now: datetime):
    with read_connection(db) as conn:
        return build_digest(conn, find_campaign(conn, "Hand"), now)


def test_the_digest_is_yesterday_against_target_and_baseline(hand_store: Path) -> None:
    digest = digest_of(hand_store, MORNING_OF_DAY_TWO)
    assert digest.day.isoformat() == "2026-11-20" and digest.window.complete
    with read_connection(hand_store) as conn:
        expected = core_kpis(conn, 1, daily_window(digest.day, TZ, MORNING_OF_DAY_TWO))
    assert digest.kpis == expected and digest.kpis.orders == 2
    assert str(digest.target_per_day) == "50.00"  # $100 over 2 days
    assert digest.baseline.day.isoformat() == "2026-11-19"
    text = digest_text(digest)
    assert EXCLUDES_TODAY in text
    assert f"GMV ${digest.kpis.gmv:,.2f} · orders 2" in text
    assert f"Daily target $50.00 ({(digest.kpis.gmv - 50) / 50 * 100:+.1f}%)" in text
    assert "Baseline No data for that day" in text  # nothing imported for Nov 19
    assert "- Product 02: $49.96 (4 units)" in text  # one product, named as last seen


def test_the_digest_html_escapes_what_users_typed(hand_store: Path) -> None:
    with write_transaction(hand_store) as conn:
        update_shop(conn, 1, name="<script>alert(1)</script>", timezone=TZ,
                    currency="USD")
    digest = digest_of(hand_store, MORNING_OF_DAY_TWO)
    page = digest_html(digest)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<em>" in page and "not included" in page


@pytest.fixture
def catchers():
    slack, smtp = SlackCatcher(), SmtpCatcher()
    yield slack, smtp
    slack.stop()
    smtp.stop()


def test_the_digest_is_sent_once_at_the_chosen_time(hand_store: Path, catchers) -> None:
    slack, smtp = catchers
    channels = Channels(slack_webhook_url=slack.url, smtp_host="127.0.0.1",
                        smtp_port=smtp.port, smtp_from="dash@shop.test",
                        smtp_to=("owner@shop.test", "team@shop.test"))
    with write_transaction(hand_store) as conn:
        save_setting(conn, 1, send_at="08:00", channel="slack+email")
    early = datetime(2026, 11, 21, 7, 59, tzinfo=LA)
    assert send_due_digests(hand_store, early, channels=channels) == []
    [sent] = send_due_digests(hand_store, MORNING_OF_DAY_TWO, channels=channels)
    assert sent.delivered and sent.day == "2026-11-21" and sent.error is None
    [mail] = smtp.messages
    assert mail["Subject"] == "Hand: daily digest for Fri Nov 20"
    assert EXCLUDES_TODAY in text_of(mail) and "<h2>" in html_of(mail)
    assert smtp.envelopes[0][1] == ["<owner@shop.test>", "<team@shop.test>"]
    assert slack.posts[0]["text"].startswith("*Hand: daily digest for Fri Nov 20*")
    later = datetime(2026, 11, 21, 15, 0, tzinfo=LA)
    assert send_due_digests(hand_store, later, channels=channels) == []  # once a day
    next_day = datetime(2026, 11, 22, 8, 1, tzinfo=LA)
    assert len(send_due_digests(hand_store, next_day, channels=channels)) == 1
    with read_connection(hand_store) as conn:
        keys = [r[0] for r in conn.execute("SELECT alert_key FROM alert_event ORDER BY 1")]
    assert keys == ["digest:2026-11-21", "digest:2026-11-22"]


def test_a_bad_send_time_is_refused(hand_store: Path) -> None:
    with write_transaction(hand_store) as conn, pytest.raises(ValueError, match="HH:MM"):
        save_setting(conn, 1, send_at="8 in the morning")
