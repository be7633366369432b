"""What reaches Slack is text: ``&``, ``<`` and ``>`` from imported names are escaped the
way Slack asks (``&amp;``, ``&lt;``, ``&gt;``), so a product named like a mass mention or a
disguised link reaches the channel as those characters. The mail keeps the text as it is
(its HTML part, the digest's, escapes it for HTML)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from campaign_core.alerts.delivery import Channels, deliver, slack_text
from campaign_core.alerts.engine import evaluate_alerts
from campaign_core.alerts.rules import save_rule
from campaign_core.importers.pipeline import import_file
from campaign_core.store import write_transaction
from tests.local_channels import SlackCatcher, SmtpCatcher, text_of
from tests.test_alert_rules import ON_DAY_TWO

HOSTILE = "<!channel> <http://evil.example/phish|Open the report> & <@U024BE7LH>"
ESCAPED = ("&lt;!channel&gt; &lt;http://evil.example/phish|Open the report&gt; &amp; "
           "&lt;@U024BE7LH&gt;")


@pytest.mark.parametrize(("text", "sent"), [
    (HOSTILE, ESCAPED), ("AT&amp;T", "AT&amp;amp;T"), ("a > b < c", "a &gt; b &lt; c"),
    ("Plain *name* 42", "Plain *name* 42"),
])
def test_slack_text_escapes_what_slack_reads_as_markup(text, sent):
    assert slack_text(text) == sent


def test_a_hostile_product_name_reaches_slack_escaped_and_mail_as_typed(
        hand_store: Path, tmp_path: Path, slack: SlackCatcher, smtp: SmtpCatcher) -> None:
    with sqlite3.connect(hand_store) as conn:
        conn.execute("UPDATE product SET name = ?", (HOSTILE,))
    stock = tmp_path / "stock.csv"
    stock.write_text("SKU ID,Available,As of\n1729000000000000001,0,2026-11-21 08:00\n",
                     encoding="utf-8")
    assert import_file(hand_store, stock).ok
    with write_transaction(hand_store) as conn:
        save_rule(conn, kind="stock_sellout", threshold=3, channel="slack+email")
    channels = Channels(slack_webhook_url=slack.url, smtp_host="127.0.0.1",
                        smtp_port=smtp.port, smtp_from="dash@shop.test",
                        smtp_to=("team@shop.test",))
    [event] = evaluate_alerts(hand_store, ON_DAY_TWO, channels=channels)
    assert event.delivered and HOSTILE in event.message
    [post] = slack.posts
    assert ESCAPED in post["text"]
    assert "<" not in post["text"] and ">" not in post["text"]
    assert HOSTILE in text_of(smtp.messages[0])


def test_the_subject_is_escaped_too(slack: SlackCatcher) -> None:
    assert deliver(Channels(slack_webhook_url=slack.url), "slack", "[<!here>] Stock",
                   "Out of stock.") is None
    assert slack.posts == [{"text": "*[&lt;!here&gt;] Stock*\nOut of stock."}]
