"""Creator pipeline: due dates, stages, lateness, automatic post matching, rates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from campaign_core.creators.pipeline import (
    STAGES,
    deal_statuses,
    due_day,
    late_list,
    missed_deadlines,
    sample_to_post_rate,
    stage_counts,
    stage_of,
)
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.costs import set_unit_cost
from campaign_core.store.creators import Deal, list_deals, upsert_deal, upsert_sample
from tests.conftest import TZ

D = date.fromisoformat


def deal(**days) -> Deal:
    fields = {name: None for name in (
        "outreach_day", "accepted_day", "sample_shipped_day", "sample_delivered_day",
        "brief_sent_day", "content_due_day", "posted_day", "cancelled_day")}
    fields.update({name: D(value) for name, value in days.items() if name.endswith("_day")})
    return Deal(1, "mia", "BF", **fields, extension=days.get("extension", False),
                flat_fee_cents=0, retainer_cents=0, commission_rate=None,
                posted_content_id=None, notes=None)


def test_due_date_is_delivery_plus_14_days_plus_7_with_extension_or_the_override():
    assert due_day(deal(sample_delivered_day="2026-11-01")) == D("2026-11-15")
    assert due_day(deal(sample_delivered_day="2026-11-01", extension=True)) == D("2026-11-22")
    assert due_day(deal(sample_delivered_day="2026-11-01",
                        content_due_day="2026-11-10")) == D("2026-11-10")
    assert due_day(deal(accepted_day="2026-11-01")) is None


@pytest.mark.parametrize(("days", "today", "stage"), [
    ({"outreach_day": "2026-11-01"}, "2026-11-20", "outreach"),
    ({"outreach_day": "2026-11-01", "accepted_day": "2026-11-02"}, "2026-11-20", "accepted"),
    ({"accepted_day": "2026-11-02", "sample_shipped_day": "2026-11-03"}, "2026-11-04",
     "sample_shipped"),
    ({"sample_delivered_day": "2026-11-05"}, "2026-11-06", "sample_delivered"),
    ({"sample_delivered_day": "2026-11-05", "brief_sent_day": "2026-11-06"}, "2026-11-07",
     "brief_sent"),
    ({"sample_delivered_day": "2026-11-05"}, "2026-11-17", "content_due"),  # due Nov 19
    ({"sample_delivered_day": "2026-11-05"}, "2026-11-19", "content_due"),  # due today
    ({"sample_delivered_day": "2026-11-05"}, "2026-11-20", "late"),
    ({"sample_delivered_day": "2026-11-05", "posted_day": "2026-11-25"}, "2026-11-26",
     "posted"),
    ({"sample_delivered_day": "2026-11-05", "cancelled_day": "2026-11-10"}, "2026-11-26",
     "cancelled"),
    ({"accepted_day": "2026-11-25"}, "2026-11-20", "outreach"),  # a future day is not reached
])
def test_stage_today(days, today, stage):
    assert stage_of(deal(**days), D(today)) == stage


@pytest.fixture
def pipeline_store(hand_store: Path) -> Path:
    with write_transaction(hand_store) as conn:
        set_unit_cost(conn, 1, "1729000000000000001", 400, "2026-11-01")
        upsert_deal(conn, 1, "late_lou", "Hand", {
            "accepted_day": "2026-11-01", "sample_shipped_day": "2026-11-02",
            "sample_delivered_day": "2026-11-04"})  # due Nov 18: 8 days late on Nov 26
        upsert_deal(conn, 1, "@Poster", "Hand", {
            "accepted_day": "2026-11-01", "sample_shipped_day": "2026-11-02",
            "sample_delivered_day": "2026-11-05"})
        upsert_deal(conn, 1, "slow_sue", "Hand", {
            "sample_shipped_day": "2026-11-01", "sample_delivered_day": "2026-11-02",
            "posted_day": "2026-11-20"})  # due Nov 16: posted late
        upsert_deal(conn, 1, "new_ned", "Hand", {"outreach_day": "2026-11-20"})
        upsert_sample(conn, 1, "late_lou", "1729000000000000001", "2026-11-02", 2, 500,
                      "Hand")
        # An earlier video (before the sample) does not count; the later one does.
        for content_id, posted in (("7300000000000000001", datetime(2026, 11, 3, 20)),
                                   ("7300000000000000002", datetime(2026, 11, 21, 20))):
            conn.execute("INSERT INTO content (shop_id, content_id, kind, creator, posted_utc)"
                         " VALUES (1, :id, 'video', 'poster', :posted)",
                         {"id": content_id,
                          "posted": int(posted.replace(tzinfo=UTC).timestamp())})
    return hand_store


def statuses(db: Path, today: str = "2026-11-26"):
    with read_connection(db) as conn:
        return deal_statuses(conn, 1, TZ, D(today), "Hand")


def test_late_list_with_days_late_and_sample_value(pipeline_store):
    late = late_list(statuses(pipeline_store))
    assert [(s.creator, s.days_late, s.sample_value_cents) for s in late] == [
        ("late_lou", 8, 2 * 400 + 500)]


def test_posting_is_matched_from_imported_content(pipeline_store):
    poster = next(s for s in statuses(pipeline_store) if s.creator == "Poster")
    assert poster.stage == "posted" and poster.matched_post
    assert (poster.posted_day, poster.posted_content_id) == (D("2026-11-21"),
                                                             "7300000000000000002")


def test_stage_counts_missed_deadlines_and_sample_to_post_rate(pipeline_store):
    result = statuses(pipeline_store)
    counts = stage_counts(result)
    assert list(counts) == list(STAGES)
    assert (counts["late"], counts["posted"], counts["outreach"]) == (1, 2, 1)
    # Poster posted Nov 21, two days after the Nov 19 due date: late too.
    assert missed_deadlines(result) == {"late_lou": 1, "slow_sue": 1, "poster": 1}
    assert sample_to_post_rate(result) == pytest.approx(66.7)


def test_editing_a_deal_keeps_the_fields_it_leaves_out(pipeline_store):
    with write_transaction(pipeline_store) as conn:
        upsert_deal(conn, 1, "late_lou", "Hand", {"extension": True})
    with read_connection(pipeline_store) as conn:
        lou = next(d for d in list_deals(conn, 1) if d.creator == "late_lou")
    assert lou.extension and lou.sample_delivered_day == D("2026-11-04")
    assert due_day(lou) == D("2026-11-25")


def test_a_bad_deal_edit_is_refused(pipeline_store):
    with pytest.raises(ValueError, match="not a day"), write_transaction(pipeline_store) as conn:
        upsert_deal(conn, 1, "late_lou", "Hand", {"posted_day": "26/11/2026"})
    with pytest.raises(ValueError, match="username"), write_transaction(pipeline_store) as conn:
        upsert_deal(conn, 1, " @ ", "Hand", {})


def test_late_deal_count_for_the_overview_alert(pipeline_store):
    from campaign_core.creators.pipeline import late_deal_count

    with read_connection(pipeline_store) as conn:
        assert late_deal_count(conn, 1, TZ, D("2026-11-26"), "Hand") == 1
        assert late_deal_count(conn, 1, TZ, D("2026-11-10"), "Hand") == 0
