"""Creator segments and suggestions follow their written rules."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from campaign_core.creators.pipeline import deal_statuses
from campaign_core.creators.segments import (
    SEGMENT_RULE,
    SUGGESTION_RULES,
    CreatorHistory,
    creator_histories,
    segment_of,
    suggestions,
)
from campaign_core.profit.creator_margin import CreatorMargin
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.campaigns import list_campaigns, save_campaign
from campaign_core.store.creators import upsert_deal, upsert_fee
from tests.conftest import TZ
from tests.test_profit import ORDER, SKU, affiliate

NOW = datetime(2026, 11, 26, 22, 0, tzinfo=UTC)


def history(key, campaigns=(), profitable=(), retainer=False) -> CreatorHistory:
    return CreatorHistory(key, tuple(campaigns), tuple(profitable), retainer)


@pytest.mark.parametrize(("item", "segment"), [
    (None, "one-off"),
    (history("a", ["BF"]), "one-off"),
    (history("a", ["BF", "11.11"]), "repeat"),
    (history("a", ["BF"], retainer=True), "retainer"),
    (history("a", ["BF", "11.11"], retainer=True), "retainer"),
])
def test_segment_rule(item, segment):
    assert segment_of(item) == segment


def test_rules_are_written_for_the_help_text():
    assert "retainer" in SEGMENT_RULE and "2 or more" in SEGMENT_RULE
    assert "Pause" in SUGGESTION_RULES and "Raise commission" in SUGGESTION_RULES


def test_histories_count_campaigns_by_sales_and_deals(hand_store):
    with write_transaction(hand_store) as conn:
        save_campaign(conn, shop_id=1, name="Later", start_day=date(2026, 11, 24),
                      end_day=date(2026, 11, 30))
        affiliate(conn, ORDER + "1", SKU + "01", "mia", 100)  # sold during "Hand"
        upsert_deal(conn, 1, "mia", "Later", {"accepted_day": "2026-11-24"})
        upsert_deal(conn, 1, "sam", "Later", {"cancelled_day": "2026-11-24"})
        upsert_fee(conn, 1, "rita", "2026-11-01", "retainer", 50000)
    with read_connection(hand_store) as conn:
        result = creator_histories(conn, 1, list_campaigns(conn, 1), NOW)
    assert result["mia"].campaigns == ("Hand", "Later") and result["mia"].segment == "repeat"
    assert result["mia"].profitable_campaigns == ("Hand",)
    assert "sam" not in result  # a cancelled deal is no collaboration
    assert result["rita"].segment == "retainer"


def margin(key, **values) -> CreatorMargin:
    return CreatorMargin(key, key, **values)


def test_suggestions_each_with_rule_and_numbers(hand_store):
    with write_transaction(hand_store) as conn:
        upsert_deal(conn, 1, "late_lou", "Hand", {"sample_delivered_day": "2026-11-01"})
        upsert_deal(conn, 1, "poster", "Hand", {"posted_day": "2026-11-20"})
    with read_connection(hand_store) as conn:
        statuses = deal_statuses(conn, 1, TZ, date(2026, 11, 26), "Hand")
    margins = [
        margin("star", gmv=100_000, orders=12, product_cost=30_000, commission=10_000),
        margin("late_lou", gmv=1_000, orders=1, product_cost=2_000),
        margin("poster", gmv=500, orders=1, sample_units=2),
        margin("steady", gmv=5_000, orders=4),
    ]
    histories = {"steady": history("steady", ["A", "B"], ["A", "B"])}
    found = {(s.creator, s.kind): s for s in suggestions(margins, histories, statuses)}
    assert set(found) == {("star", "raise_commission"), ("late_lou", "pause"),
                          ("poster", "more_samples"), ("steady", "retainer_candidate")}
    assert "12 orders" in found[("star", "raise_commission")].numbers
    assert "60.0%" in found[("star", "raise_commission")].numbers
    assert "-$10.00" in found[("late_lou", "pause")].numbers
    assert found[("late_lou", "pause")].rule
