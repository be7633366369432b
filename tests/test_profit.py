"""Contribution margin per creator on the hand store, every part worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from campaign_core.profit.creator_margin import creator_margins, creator_sku_mix, total_margin
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.costs import set_unit_cost
from campaign_core.store.creators import upsert_deal, upsert_fee, upsert_sample
from campaign_core.windows import resolve_window
from tests.conftest import TZ

SKU = "17290000000000000"
ORDER = "57600000000000000"


def affiliate(conn, order: str, sku: str, creator: str, commission: int, *,
              content_id: str | None = None, paid_utc: int | None = None,
              price: int | None = None, quantity: int = 1, returned: int = 0) -> None:
    conn.execute(
        "INSERT INTO affiliate_line (shop_id, order_id, sku_id, creator, content_kind, "
        "content_id, commission_cents, est_standard_cents, paid_utc, price_cents, quantity, "
        "fully_returned) VALUES (1, :order, :sku, :creator, 'video', :content, :commission, "
        ":commission, :paid, :price, :quantity, :returned)",
        {"order": order, "sku": sku, "creator": creator, "content": content_id,
         "commission": commission, "paid": paid_utc, "price": price, "quantity": quantity,
         "returned": returned})


def settlement(conn, key: str, order: str, commission: int, shop_ads: int,
               related: str | None = None) -> None:
    conn.execute(
        "INSERT INTO settlement_line (shop_id, row_key, statement_id, transaction_type, "
        "order_id, related_order_id, affiliate_commission_cents, "
        "affiliate_shop_ads_commission_cents, settlement_cents) VALUES (1, :key, :statement, "
        "'Order', :order, :related, :commission, :shop_ads, 0)",
        {"key": key, "statement": related and "9990001" or order, "order": order,
         "related": related, "commission": commission, "shop_ads": shop_ads})


def ad_row(conn, video: str, account: str, cost: int, start: str, end: str) -> None:
    conn.execute(
        "INSERT INTO ad_creative_period (shop_id, account_id, campaign_id, product_id, "
        "video_id, tiktok_account, cost_cents, period_start, period_end) VALUES (1, '', "
        "'c1', 'p1', :video, :account, :cost, :start, :end)",
        {"video": video, "account": account, "cost": cost, "start": start, "end": end})


@pytest.fixture
def creator_store(hand_store: Path) -> Path:
    with write_transaction(hand_store) as conn:
        set_unit_cost(conn, 1, SKU + "01", 400, "2026-11-01")
        set_unit_cost(conn, 1, SKU + "03", 300, "2026-11-01")
        set_unit_cost(conn, 1, SKU + "03", 350, "2026-11-21")
        # Mia: order 1 SKU 01 (GMV 23.98), order 2 (cancelled, GMV 12.99, ineligible).
        affiliate(conn, ORDER + "1", SKU + "01", "Mia", 240, content_id="7300000000000000001")
        affiliate(conn, ORDER + "2", SKU + "01", "@mia", 0)
        # Sam: order 3 SKU 03 (GMV 27.00, one of three units returned: refund 9.00).
        affiliate(conn, ORDER + "3", SKU + "03", "sam", 270)
        # Order 1 settled: 2.00 + 0.50 commission, on two rows (both count).
        settlement(conn, "r1", ORDER + "1", -150, -50)
        settlement(conn, "r2", ORDER + "1", -50, 0, related=ORDER + "1")
        upsert_sample(conn, 1, "Mia", SKU + "03", "2026-11-20", 2, 650)
        upsert_sample(conn, 1, "Mia", SKU + "03", "2026-11-25", 1, 650)  # outside
        upsert_fee(conn, 1, "mia", "2026-11-21", "flat_fee", 5000)
        upsert_deal(conn, 1, "sam", "Hand", {"accepted_day": "2026-11-20",
                                             "flat_fee_cents": 1000})
        conn.execute("INSERT INTO content (shop_id, content_id, kind, creator, posted_utc) "
                     "VALUES (1, '7300000000000000001', 'video', 'Mia', 0)")
        ad_row(conn, "7300000000000000001", "someone_else", 1000, "2026-11-20", "2026-11-21")
        ad_row(conn, "", "@MIA", 300, "2026-11-21", "2026-11-21")
        ad_row(conn, "", "Mia", 7777, "2026-11-15", "2026-11-21")  # only overlaps
        ad_row(conn, "", "our_own_shop", 999, "2026-11-20", "2026-11-20")  # not a creator
    return hand_store


def period(now: str = "2026-11-23T12:00:00+00:00"):
    return resolve_window("period", start_day=date(2026, 11, 20), end_day=date(2026, 11, 21),
                          timezone=TZ, now=datetime.fromisoformat(now).astimezone(UTC))


def margins(db: Path) -> dict:
    with read_connection(db) as conn:
        return {m.key: m for m in creator_margins(conn, 1, period())}


def test_margin_parts_match_the_hand_computation(creator_store):
    mia = margins(creator_store)["mia"]
    assert mia.gmv == 2398 + 1299
    assert mia.refunds == 1299  # the cancelled order's whole GMV
    assert mia.product_cost == 3 * 400
    assert mia.commission == 250  # settled (2.50) beats the estimate (2.40); 0 ineligible
    assert mia.estimated_commission == 240
    assert mia.fees == 5000
    assert mia.sample_cost == 2 * 300 + 650  # cost valid on the shipped day + shipping
    assert mia.ad_spend == 1000 + 300  # her video's creative and her account's
    # US referral fee 6% of the 23.98 kept (the income rows carry no fee cells: estimated);
    # the cancelled order owes none.
    assert mia.platform_fees == pytest.approx(0.06 * 2398)
    assert mia.fees_status == "estimated"
    assert mia.margin == pytest.approx(3697 - 1299 - 1200 - 0.06 * 2398 - 250 - 5000 - 1250
                                       - 1300)
    assert mia.margin_pct == round(100 * mia.margin / 3697, 2)
    assert mia.settled_share_pct == round(100 * 2398 / 3697, 2)


def test_cost_by_valid_from_day_and_deal_fee_on_the_accepted_day(creator_store):
    sam = margins(creator_store)["sam"]
    assert (sam.gmv, sam.refunds) == (2700, 900)
    assert sam.product_cost == 3 * 350  # paid Nov 21: the cost valid from Nov 21
    assert sam.commission == 270 and sam.settled_share_pct == 0 and sam.is_estimated
    assert sam.fees == 1000
    # 6% of the 18.00 kept, + the refund administration fee on the returned 9.00 (20% of
    # its 6% referral fee, under the $5 cap).
    assert sam.platform_fees == pytest.approx(0.06 * 1800 + 0.2 * 0.06 * 900)
    assert sam.margin == pytest.approx(2700 - 900 - 1050 - 118.8 - 270 - 1000)


def test_only_creators_get_ad_spend_and_totals_add_up(creator_store):
    result = margins(creator_store)
    assert set(result) == {"mia", "sam"}
    total = total_margin(list(result.values()))
    assert total.margin == sum(m.margin for m in result.values())


def test_settled_commission_is_shared_among_an_orders_creators(hand_store):
    with write_transaction(hand_store) as conn:
        affiliate(conn, ORDER + "1", SKU + "01", "amy_creator", 300)
        affiliate(conn, ORDER + "1", SKU + "02", "bo_creator", 100)
        settlement(conn, "r1", ORDER + "1", -360, -40)
    result = margins(hand_store)
    assert result["amy_creator"].commission == pytest.approx(300)
    assert result["bo_creator"].commission == pytest.approx(100)
    assert result["amy_creator"].settled_share_pct == 100


def test_lines_of_orders_not_imported_use_the_affiliate_amounts(hand_store):
    paid = int(datetime(2026, 11, 20, 20, 0, tzinfo=UTC).timestamp())
    with write_transaction(hand_store) as conn:
        affiliate(conn, "576000000000000099", SKU + "01", "lone", 150, paid_utc=paid,
                  price=1500, quantity=2)
        affiliate(conn, "576000000000000098", SKU + "01", "lone", 0, paid_utc=paid,
                  price=1000, quantity=1, returned=1)
    lone = margins(hand_store)["lone"]
    assert (lone.gmv, lone.refunds, lone.commission) == (4000, 1000, 150)


def test_daily_window_leaves_other_days_out(creator_store):
    window = resolve_window("daily", start_day=date(2026, 11, 20), end_day=date(2026, 11, 21),
                            timezone=TZ, now=datetime(2026, 11, 23, tzinfo=UTC),
                            day=date(2026, 11, 21))
    with read_connection(creator_store) as conn:
        result = {m.key: m for m in creator_margins(conn, 1, window)}
    assert result["sam"].gmv == 2700
    assert result["mia"].gmv == 0 and result["mia"].fees == 5000
    assert result["mia"].ad_spend == 300  # the one-day creative period only


def test_sku_mix_lists_the_skus_behind_a_creator(creator_store):
    with read_connection(creator_store) as conn:
        mix = creator_sku_mix(conn, 1, period(), "@MIA")
    assert [(m.sku_id, m.units, m.gmv) for m in mix] == [(SKU + "01", 3, 3697)]


def test_campaign_tagged_samples_count_in_the_campaign_period_whatever_their_day(
        creator_store):
    with write_transaction(creator_store) as conn:
        upsert_sample(conn, 1, "sam", SKU + "01", "2026-11-10", 1, 500, "Hand")
        upsert_sample(conn, 1, "sam", SKU + "01", "2026-11-20", 1, 500, "Other campaign")
    with read_connection(creator_store) as conn:
        tagged = {m.key: m for m in creator_margins(conn, 1, period(), "Hand")}
        by_day = {m.key: m for m in creator_margins(conn, 1, period())}
    assert tagged["sam"].sample_cost == 400 + 500  # Nov 10, tagged "Hand"
    assert by_day["sam"].sample_cost == 400 + 500  # Nov 20, inside the window
    assert tagged["mia"].sample_cost == 2 * 300 + 650  # untagged: its day decides


def test_campaign_margins_sum_each_campaigns_creators(creator_store):
    from campaign_core.profit.overview import campaign_margins
    from campaign_core.store.campaigns import list_campaigns

    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    with read_connection(creator_store) as conn:
        (hand,) = campaign_margins(conn, list_campaigns(conn, 1), now)
        expected = total_margin(creator_margins(conn, 1, period(), "Hand"))
    assert hand.campaign == "Hand" and hand.creators == 2
    assert hand.total.margin == pytest.approx(expected.margin)
