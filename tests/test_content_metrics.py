"""Content GMV, share, commission and the own / affiliate split, worked out by hand on the
tiny store of ``conftest.hand_orders`` plus one affiliate export.

Hand store (shop time, America/Los_Angeles): order 1 paid Nov 20 10:01 (SKU 01: 2 units,
GMV 23.98; SKU 02: 12.99), order 2 paid Nov 20 23:05 (SKU 01, 12.99, later cancelled:
still GMV), order 3 paid Nov 21 00:30 (SKU 03, 3 units, 27.00), order 4 unpaid, order 5 a
free sample (SKU 02). Shop GMV Nov 20-21: 76.96; Nov 20 alone: 49.96.

Affiliate rows (``AFFILIATE``):
- order 1 SKU 01 -> video V1 by glowqueen: GMV 23.98, 2 units; commission 2.40 (standard
  estimate, actual 0) + 1.20 (Shop Ads actual beats 1.00 estimate) + 0.50 bonus = 4.10
- order 2 SKU 01 -> LIVE L1 by liveanna, Ineligible: GMV 12.99, commission 0
- order 9 SKU 04 (not in the store) -> LIVE L1: falls back to Price 5.00 x 2 = 10.00,
  paid Nov 20 12:00; commission 1.00
- order 3 SKU 03 -> video V2 by @GlowAndGo (a linked account): GMV 27.00, commission 2.70
- order 5 SKU 02 (a sample) -> video V3: no GMV
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from campaign_core.demo.content_files import AffiliateRowSpec, write_affiliate_csv
from campaign_core.importers.pipeline import import_file
from campaign_core.metrics.content import (
    SORT_KEYS,
    content_account_sql,
    content_detail,
    content_report,
    content_rows,
    content_supply,
    filter_content,
    live_violation_summary,
    sort_content,
)
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.content import (
    add_linked_account,
    add_to_content_ad_shortlist,
    add_to_creator_shortlist,
    add_violation,
    content_ad_shortlist,
    creator_shortlist,
    linked_accounts,
    set_key_live,
)
from campaign_core.windows import daily_window, period_window
from tests.conftest import TZ

LATER = datetime(2026, 12, 1, tzinfo=UTC)
SKU = "17290000000000000{}".format
V1, V2, V3, L1 = "7300000000000000001", "7300000000000000002", "7300000000000000003", \
    "7400000000000000001"
PAID = datetime(2026, 11, 20, 10, 1)


def affiliate_rows() -> list[AffiliateRowSpec]:
    common = dict(product_id="1730000000000000001", commission_rate_pct=10)
    return [
        AffiliateRowSpec("576000000000000001", SKU("01"), creator="glowqueen",
                         content_kind="video", content_id=V1, price_cents=1299, quantity=2,
                         paid=PAID, est_standard_cents=240, est_shop_ads_cents=100,
                         actual_shop_ads_cents=120, est_bonus_cents=50, **common),
        AffiliateRowSpec("576000000000000002", SKU("01"), creator="liveanna",
                         content_kind="live", content_id=L1, price_cents=1299, quantity=1,
                         paid=datetime(2026, 11, 20, 23, 5), status="Ineligible",
                         est_standard_cents=130, **common),
        AffiliateRowSpec("576000000000000009", SKU("04"), creator="liveanna",
                         content_kind="live", content_id=L1, price_cents=500, quantity=2,
                         paid=datetime(2026, 11, 20, 12, 0), est_standard_cents=100, **common),
        AffiliateRowSpec("576000000000000003", SKU("03"), creator="@GlowAndGo",
                         content_kind="video", content_id=V2, price_cents=1000, quantity=3,
                         paid=datetime(2026, 11, 21, 0, 30), actual_standard_cents=270,
                         est_standard_cents=250, **common),
        AffiliateRowSpec("576000000000000005", SKU("02"), creator="sampler",
                         content_kind="video", content_id=V3, price_cents=1299, quantity=1,
                         paid=datetime(2026, 11, 20, 13, 0), est_standard_cents=130, **common),
    ]


@pytest.fixture
def content_store(hand_store: Path, tmp_path: Path) -> Path:
    report = import_file(hand_store, write_affiliate_csv(tmp_path / "aff.csv",
                                                         affiliate_rows()), timezone=TZ)
    assert report.ok and report.rows_stored == 5, report.message
    with write_transaction(hand_store) as conn:
        add_linked_account(conn, 1, "@glowandgo")
    return hand_store


def period() -> object:
    return period_window(date(2026, 11, 20), date(2026, 11, 21), TZ, LATER)


def by_id(rows):
    return {row.content_id: row for row in rows}


def test_content_gmv_share_commission_and_account(content_store):
    with read_connection(content_store) as conn:
        rows = by_id(content_rows(conn, 1, period()))
    assert set(rows) == {V1, V2, L1}  # V3 sold only a free sample
    v1, v2, l1 = rows[V1], rows[V2], rows[L1]
    assert (v1.gmv, v1.orders, v1.units, v1.commission) == (Decimal("23.98"), 1, 2,
                                                            Decimal("4.10"))
    assert v1.gmv_share_pct == Decimal("31.16")  # 23.98 / 76.96
    assert (l1.gmv, l1.orders, l1.units, l1.commission) == (Decimal("22.99"), 2, 3,
                                                            Decimal("1.00"))
    assert (v2.gmv, v2.commission, v2.gmv_share_pct) == (Decimal("27.00"), Decimal("2.70"),
                                                         Decimal("35.08"))
    assert v1.account == "affiliate" and l1.account == "affiliate"
    assert v2.account == "own"  # @GlowAndGo is a linked account


def test_daily_window_counts_by_paid_time(content_store):
    nov_20 = daily_window(date(2026, 11, 20), TZ, LATER)
    with read_connection(content_store) as conn:
        rows = by_id(content_rows(conn, 1, nov_20))
    assert set(rows) == {V1, L1}
    assert rows[L1].gmv_share_pct == Decimal("46.02")  # 22.99 / 49.96


def test_report_section_sorted_by_gmv_with_numbers(content_store):
    with read_connection(content_store) as conn:
        section = content_report(conn, 1, period())
    assert [item["content_id"] for item in section["video"]] == [V2, V1]
    assert [item["content_id"] for item in section["live"]] == [L1]
    assert section["video"][1] == {
        "content_id": V1, "type": "video", "title": None, "creator": "glowqueen",
        "account": "affiliate", "gmv": 23.98, "orders": 1, "units": 2, "gmv_share_pct": 31.16,
        "commission": 4.1, "violations": 0}


def test_unlinking_makes_content_affiliate_again(content_store):
    with write_transaction(content_store) as conn:
        conn.execute("DELETE FROM linked_account")
    with read_connection(content_store) as conn:
        assert by_id(content_rows(conn, 1, period()))[V2].account == "affiliate"


def test_seller_listed_content_without_affiliate_rows_is_own(content_store):
    with write_transaction(content_store) as conn:
        conn.execute("INSERT INTO content (shop_id, content_id, kind, creator, posted_utc, "
                     "seller_listed) VALUES (1, '7300000000000000042', 'video', 'someone', "
                     ":t, 1)", {"t": period().start_utc + 60})
        conn.execute("UPDATE content SET seller_listed = 1 WHERE content_id = :id", {"id": V1})
        accounts = dict(conn.execute(
            f"SELECT content_id, {content_account_sql('c')} FROM content AS c").fetchall())
    assert accounts["7300000000000000042"] == "own"
    assert accounts[V1] == "affiliate"  # seller-listed, but an affiliate order names it


def test_filters_search_and_sorting(content_store):
    with read_connection(content_store) as conn:
        rows = content_rows(conn, 1, period())
    assert [r.content_id for r in filter_content(rows, kind="video", account="own")] == [V2]
    assert [r.content_id for r in filter_content(rows, search="QUEEN")] == [V1]
    assert [r.content_id for r in filter_content(rows, search="74000")] == [L1]
    assert [r.content_id for r in sort_content(rows, "units")] == [V2, L1, V1]
    assert [r.content_id for r in sort_content(rows, "orders")][0] == L1
    with pytest.raises(ValueError):
        sort_content(rows, "gmv; DROP TABLE content")
    assert set(SORT_KEYS) == {"gmv", "orders", "units", "views", "ctr", "ctor", "gpm"}


def test_violations_key_live_and_quick_filters(content_store):
    with write_transaction(content_store) as conn:
        assert add_violation(conn, 1, L1, "Misleading claim", 1_790_000_000)
        assert not add_violation(conn, 1, L1, "Misleading claim", 1_790_000_000)
        assert add_violation(conn, 1, L1, "Off-platform link", None)
        assert not add_violation(conn, 1, L1, "Off-platform link", None)
        set_key_live(conn, 1, L1)
    with read_connection(content_store) as conn:
        rows = content_rows(conn, 1, period())
        summary = live_violation_summary(conn, 1)
    assert (summary.count, summary.lives, summary.latest_content_id) == (2, 1, L1)
    assert summary.latest_type == "Misleading claim"
    assert [r.content_id for r in filter_content(rows, with_violations=True)] == [L1]
    assert [r.content_id for r in filter_content(rows, key_live_only=True)] == [L1]
    assert by_id(rows)[L1].violations == 2


def test_detail_hourly_products_and_live_hours(content_store):
    with write_transaction(content_store) as conn:
        start = int(datetime(2026, 11, 20, 20, 0, tzinfo=UTC).timestamp())
        conn.execute("UPDATE content SET posted_utc = :s, ended_utc = :e WHERE content_id = :id",
                     {"s": start, "e": start + 2 * 3600, "id": L1})
    with read_connection(content_store) as conn:
        detail = content_detail(conn, 1, period(), L1)
        assert content_detail(conn, 1, period(), "999") is None
    assert sum(point.gmv for point in detail.hourly) == Decimal("22.99")
    assert sum(point.orders for point in detail.hourly) == 2
    assert detail.live_hours == 2.0 and detail.gmv_per_live_hour == Decimal("11.50")
    assert {p.product_id for p in detail.products} == {"1730000000000000001"}
    assert detail.products[0].units == 3


def test_content_supply_counts_posted_content(content_store):
    window = period()
    with write_transaction(content_store) as conn:
        for content_id, posted in ((V1, 100), (V2, 200), (L1, 300)):
            conn.execute("UPDATE content SET posted_utc = :t WHERE content_id = :id",
                         {"t": window.start_utc + posted, "id": content_id})
    with read_connection(content_store) as conn:
        supply = content_supply(conn, 1, window)
    assert supply == {"creator_videos": 1, "creator_lives": 1, "seller_videos": 1,
                      "seller_lives": 0}


def test_shortlists_and_linked_accounts(content_store):
    with write_transaction(content_store) as conn:
        assert add_to_creator_shortlist(conn, 1, "glowqueen", V1, "great hooks", now_utc=5)
        assert not add_to_creator_shortlist(conn, 1, "glowqueen", V2)
        assert add_to_content_ad_shortlist(conn, 1, V1, now_utc=6)
        with pytest.raises(ValueError):
            add_to_creator_shortlist(conn, 1, "  ")
    with read_connection(content_store) as conn:
        assert creator_shortlist(conn, 1) == [{"creator": "glowqueen", "added_utc": 5,
                                               "content_id": V1, "note": "great hooks"}]
        ads = content_ad_shortlist(conn, 1)
        assert [(a["content_id"], a["kind"], a["creator"]) for a in ads] == \
            [(V1, "video", "glowqueen")]
        assert linked_accounts(conn, 1) == ["glowandgo"]


def test_own_live_detail_shows_the_shops_own_sales_while_it_ran(content_store):
    live = "7400000000000000099"
    start = int(datetime(2026, 11, 20, 18, 0, tzinfo=UTC).timestamp())  # 10:00 in LA
    with write_transaction(content_store) as conn:
        conn.execute("INSERT INTO content (shop_id, content_id, kind, creator, posted_utc, "
                     "ended_utc, seller_listed) VALUES (1, :id, 'live', 'glowandgo', :s, :e, 1)",
                     {"id": live, "s": start, "e": start + 3600})
        conn.execute("INSERT INTO content_stats (shop_id, content_id, period_start, period_end, "
                     "source, gmv_cents, orders) VALUES (1, :id, '2026-11-20', '2026-11-20', "
                     "'live_list', 5000, 3)", {"id": live})
    with read_connection(content_store) as conn:
        detail = content_detail(conn, 1, period(), live)
    assert detail.row.account == "own" and detail.row.gmv == Decimal("50.00")
    assert detail.basis == "during_live"
    # Order 1 (paid 10:01): SKU 01 is affiliate-attributed, so only SKU 02's 12.99 is own.
    assert [(p.gmv, p.orders) for p in detail.hourly] == [(Decimal("12.99"), 1)]
    assert detail.gmv_per_live_hour == Decimal("50.00")


def test_ad_revenue_of_a_promoted_video_is_shown_apart_never_added(content_store):
    with write_transaction(content_store) as conn:
        conn.execute("INSERT INTO ad_creative_period (shop_id, account_id, campaign_id, "
                     "product_id, video_id, cost_cents, gross_revenue_cents, period_start, "
                     "period_end) VALUES (1, '', '9', '1730000000000000001', :id, 500, 2398, "
                     "'2026-11-20', '2026-11-20')", {"id": V1})
    with read_connection(content_store) as conn:
        detail = content_detail(conn, 1, period(), V1)
        nov_21 = content_detail(conn, 1, daily_window(date(2026, 11, 21), TZ, LATER), V2)
    assert (detail.ad_revenue, detail.ad_cost) == (Decimal("23.98"), Decimal("5.00"))
    assert detail.row.gmv == Decimal("23.98")  # not 47.96: the overlap is never added
    assert nov_21.ad_revenue is None
