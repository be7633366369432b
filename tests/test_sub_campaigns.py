"""Sub-campaigns: the store, the template importer, per-sub-campaign performance, the demo.

Performance is checked against ``conftest.hand_orders`` (shop time, America/Los_Angeles):
order 1 paid Nov 20 10:01 (SKU 01: 2 units, GMV 23.98; SKU 02: 1 unit, 12.99), order 2
paid Nov 20 23:05 (SKU 01, 12.99, later cancelled: still GMV), order 3 paid Nov 21 00:30
(SKU 03, 3 units, 27.00), order 4 unpaid, order 5 a free sample paid Nov 20 13:00 (SKU 02).
Shop GMV: Nov 20 49.96, Nov 21 27.00, both days 76.96.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from campaign_core.demo.sub_campaigns import write_demo_sub_campaigns
from campaign_core.importers.pipeline import import_file
from campaign_core.importers.sub_campaigns import (
    TEMPLATE_HEADERS,
    split_sku_ids,
    sub_campaign_template_csv,
    sub_campaigns_csv,
)
from campaign_core.metrics.sub_campaigns import (
    SUB_CAMPAIGN_DEFINITION,
    sub_campaign_performance,
)
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.campaigns import delete_campaign, find_campaign, save_campaign
from campaign_core.store.shops import resolve_shop
from campaign_core.store.sub_campaigns import (
    SUB_CAMPAIGN_KINDS,
    delete_campaign_sub_campaigns,
    delete_sub_campaign,
    list_sub_campaigns,
    save_sub_campaign,
)
from campaign_core.windows import daily_window, period_window
from tests.conftest import TZ

LATER = datetime(2026, 12, 1, tzinfo=UTC)
SKU_01, SKU_02, SKU_03 = (f"17290000000000000{n}" for n in ("01", "02", "03"))


def utc(*parts: int) -> int:
    """Unix seconds of a Los Angeles wall-clock time."""
    return int(datetime(*parts, tzinfo=ZoneInfo(TZ)).timestamp())


def hand_campaign_id(db: Path) -> int:
    with read_connection(db) as conn:
        return find_campaign(conn, "Hand").campaign_id


def save(db: Path, **fields):
    with write_transaction(db) as conn:
        return save_sub_campaign(conn, **fields)


def write_csv(folder: Path, rows: list[tuple[str, ...]], name: str = "subs.csv") -> Path:
    path = folder / name
    path.write_bytes(sub_campaigns_csv(rows))
    return path


def quarantined(db: Path, import_id: int) -> list[tuple]:
    with read_connection(db) as conn:
        rows = conn.execute("SELECT file_line, column_name, raw_value, reason FROM quarantine "
                            "WHERE import_id = :id ORDER BY file_line, column_name",
                            {"id": import_id}).fetchall()
    return [tuple(row) for row in rows]


# --- store ---------------------------------------------------------------------------------


def test_save_list_update_and_delete(hand_store):
    campaign_id = hand_campaign_id(hand_store)
    first = save(hand_store, campaign_id=campaign_id, name=" Morning flash ", kind="Flash sale",
                 start_utc=utc(2026, 11, 20, 9), end_utc=utc(2026, 11, 20, 12),
                 sku_ids=[SKU_02, f" {SKU_01}", SKU_02])
    assert first.name == "Morning flash" and first.sku_ids == (SKU_01, SKU_02)
    save(hand_store, campaign_id=campaign_id, name="Launch", kind="", start_utc=utc(2026, 11, 20),
         end_utc=utc(2026, 11, 21), sku_ids=[])
    # The same name updates the sub-campaign and replaces its SKU list.
    updated = save(hand_store, campaign_id=campaign_id, name="Morning flash", kind="LIVE deal",
                   start_utc=utc(2026, 11, 20, 8), end_utc=utc(2026, 11, 20, 12),
                   sku_ids=[SKU_03])
    assert updated.sub_campaign_id == first.sub_campaign_id
    with read_connection(hand_store) as conn:
        listed = list_sub_campaigns(conn, campaign_id)
    assert [(s.name, s.kind, s.sku_ids, s.all_skus) for s in listed] == [
        ("Launch", "Other", (), True), ("Morning flash", "LIVE deal", (SKU_03,), False)]
    with write_transaction(hand_store) as conn:
        delete_sub_campaign(conn, first.sub_campaign_id)
    with read_connection(hand_store) as conn:
        assert [s.name for s in list_sub_campaigns(conn, campaign_id)] == ["Launch"]
        assert conn.execute("SELECT COUNT(*) FROM sub_campaign_sku").fetchone()[0] == 0


def test_renaming_by_id_and_the_kinds_offered(hand_store):
    campaign_id = hand_campaign_id(hand_store)
    saved = save(hand_store, campaign_id=campaign_id, name="Old", kind="Voucher",
                 start_utc=utc(2026, 11, 20), end_utc=utc(2026, 11, 21), sku_ids=[])
    renamed = save(hand_store, campaign_id=campaign_id, name="New", kind="Voucher",
                   start_utc=utc(2026, 11, 20), end_utc=utc(2026, 11, 21), sku_ids=[],
                   sub_campaign_id=saved.sub_campaign_id)
    assert renamed.sub_campaign_id == saved.sub_campaign_id and renamed.name == "New"
    assert SUB_CAMPAIGN_KINDS == ("Flash sale", "LIVE deal", "Voucher", "Bundle", "Other")


@pytest.mark.parametrize(("change", "message"), [
    ({"name": "  "}, "needs a name"),
    ({"end_utc": 1_000}, "must end after it starts"),
    ({"end_utc": 2_000}, "must end after it starts"),
    ({"sku_ids": ["12 34"]}, "Not a SKU ID"),
    ({"campaign_id": 999}, "No campaign with ID 999"),
    ({"sub_campaign_id": 999}, "No sub-campaign with ID 999"),
    ({"name": "Taken", "sub_campaign_id": "other"}, "already called 'Taken'"),
])
def test_save_refuses_invalid_sub_campaigns(hand_store, change, message):
    campaign_id = hand_campaign_id(hand_store)
    base = dict(campaign_id=campaign_id, name="Fine", kind="Other", start_utc=2_000,
                end_utc=3_000, sku_ids=[])
    save(hand_store, **{**base, "name": "Taken"})
    other = save(hand_store, **{**base, "name": "Other one"})
    if change.get("sub_campaign_id") == "other":
        change = {**change, "sub_campaign_id": other.sub_campaign_id}
    with pytest.raises(ValueError, match=message):
        save(hand_store, **{**base, **change})


def test_a_campaign_with_sub_campaigns_can_be_deleted(hand_store):
    campaign_id = hand_campaign_id(hand_store)
    save(hand_store, campaign_id=campaign_id, name="One", kind="Flash sale", start_utc=1,
         end_utc=2, sku_ids=[SKU_01])
    with write_transaction(hand_store) as conn:
        delete_campaign_sub_campaigns(conn, campaign_id)
        delete_campaign(conn, campaign_id)
    with read_connection(hand_store) as conn:
        assert conn.execute("SELECT COUNT(*) FROM sub_campaign_sku").fetchone()[0] == 0
        assert find_campaign(conn, "Hand") is None


# --- template importer ---------------------------------------------------------------------


def black_friday_store(tmp_path: Path) -> Path:
    db = tmp_path / "bf.db"
    with write_transaction(db) as conn:
        shop = resolve_shop(conn, None, TZ)
        save_campaign(conn, shop_id=shop.shop_id, name="Black Friday 2026",
                      start_day=date(2026, 11, 20), end_day=date(2026, 12, 1))
    return db


def test_template_round_trip(tmp_path):
    content = sub_campaign_template_csv()
    assert content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",") == list(TEMPLATE_HEADERS) and len(lines) == 3
    db = black_friday_store(tmp_path)
    template = tmp_path / "sub_campaigns_template.csv"
    template.write_bytes(content)
    report = import_file(db, template)
    assert report.ok and report.kind == "sub_campaigns", report.message
    assert (report.rows_read, report.rows_quarantined, report.records.new) == (2, 0, 2)
    with read_connection(db) as conn:
        subs = list_sub_campaigns(conn, find_campaign(conn, "Black Friday 2026").campaign_id)
    flash, bundle = subs
    assert (flash.name, flash.kind, flash.start_utc, flash.end_utc, flash.sku_ids) == (
        "Launch flash sale", "Flash sale", utc(2026, 11, 20), utc(2026, 11, 20, 6),
        ("1729000000000000001", "1729000000000000002"))
    # A bare End date means through that day: the bound is the next local midnight.
    assert (bundle.name, bundle.start_utc, bundle.end_utc, bundle.sku_ids) == (
        "Bundle week", utc(2026, 11, 21), utc(2026, 11, 27), ())


def test_time_formats_and_sku_separators(tmp_path):
    db = black_friday_store(tmp_path)
    path = write_csv(tmp_path, [
        ("Black Friday 2026", "US times", "LIVE deal", "11/27/2026 07:00:00 PM",
         "11/27/2026 10:00 PM", "11; 22,33  44"),
    ])
    assert import_file(db, path).records.new == 1
    with read_connection(db) as conn:
        sub = list_sub_campaigns(conn, 1)[0]
    assert (sub.start_utc, sub.end_utc) == (utc(2026, 11, 27, 19), utc(2026, 11, 27, 22))
    assert sub.sku_ids == ("11", "22", "33", "44")
    assert split_sku_ids(" 1 2,3;;4 ") == ["1", "2", "3", "4"]


def test_a_spreadsheet_date_cell_as_end_means_the_whole_day(tmp_path):
    from openpyxl import Workbook

    db = black_friday_store(tmp_path)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(TEMPLATE_HEADERS))
    sheet.append(["Black Friday 2026", "Doorbusters", "Flash sale", datetime(2026, 11, 27),
                  datetime(2026, 11, 27), "1729000000000000001"])
    path = tmp_path / "subs.xlsx"
    workbook.save(path)
    assert import_file(db, path).records.new == 1
    with read_connection(db) as conn:
        sub = list_sub_campaigns(conn, 1)[0]
    assert (sub.start_utc, sub.end_utc) == (utc(2026, 11, 27), utc(2026, 11, 28))


def test_bad_rows_are_quarantined_with_line_column_value_and_reason(tmp_path):
    db = black_friday_store(tmp_path)
    path = write_csv(tmp_path, [
        ("Black Friday 2026", "Good", "Flash sale", "2026-11-20 00:00", "2026-11-20 06:00", ""),
        ("Black Friday 2026", "Bad time", "Flash sale", "2026-11-31 00:00", "2026-12-01", ""),
        ("Cyber Week", "Unknown campaign", "Voucher", "2026-11-30", "2026-11-30", ""),
        ("Black Friday 2026", "Backwards", "Bundle", "2026-11-22 10:00", "2026-11-22 09:00", ""),
        ("Black Friday 2026", "", "Bundle", "2026-11-22 10:00", "2026-11-22 11:00", "1.5E+18"),
    ])
    report = import_file(db, path)
    assert report.ok and report.records.new == 1
    problems = quarantined(db, report.import_id)
    assert [p[:3] for p in problems] == [
        (3, "Start", "2026-11-31 00:00"),
        (4, "Campaign", "Cyber Week"),
        (5, "End", "2026-11-22 09:00"),
        (6, "SKU IDs", "1.5E+18"),
        (6, "Sub-campaign", ""),
    ]
    reasons = [p[3] for p in problems]
    assert "not a valid date" in reasons[0]
    assert reasons[1] == "no campaign named 'Cyber Week'; create it first"
    assert reasons[2] == "the sub-campaign must end after it starts"
    assert "scientific notation" in reasons[3] and reasons[4] == "sub-campaign name is missing"
    assert len(report.problems) == len(problems)
    with read_connection(db) as conn:
        assert [s.name for s in list_sub_campaigns(conn, 1)] == ["Good"]


def test_a_campaign_of_another_shop_is_refused(tmp_path):
    db = black_friday_store(tmp_path)
    with write_transaction(db) as conn:
        resolve_shop(conn, "Second shop", "Europe/London")
    path = write_csv(tmp_path, [("Black Friday 2026", "Flash", "Flash sale",
                                 "2026-11-20 00:00", "2026-11-20 06:00", "")])
    report = import_file(db, path, shop_name="Second shop")
    assert report.records.new == 0
    assert "belongs to the shop 'My shop'" in report.problems[0].reason


def test_the_preview_reports_unknown_campaigns_and_writes_nothing(tmp_path):
    db = black_friday_store(tmp_path)
    path = write_csv(tmp_path, [
        ("Black Friday 2026", "Flash", "", "2026-11-20 00:00", "2026-11-20 06:00", ""),
        ("Nope", "Flash", "", "2026-11-20 00:00", "2026-11-20 06:00", ""),
    ])
    report = import_file(db, path, dry_run=True)
    assert report.status == "preview" and report.records.new == 1
    assert [(p.file_line, p.column) for p in report.problems] == [(3, "Campaign")]
    with read_connection(db) as conn:
        assert list_sub_campaigns(conn, 1) == []


def test_re_import_is_idempotent_and_a_changed_row_updates(tmp_path):
    db = black_friday_store(tmp_path)
    rows = [("Black Friday 2026", "Flash", "Flash sale", "2026-11-20 00:00",
             "2026-11-20 06:00", "2 1"),
            ("Black Friday 2026", "Week", "Bundle", "2026-11-21", "2026-11-26", "")]
    first = import_file(db, write_csv(tmp_path, rows))
    again = import_file(db, write_csv(tmp_path, rows))
    assert (first.records.new, first.records.unchanged) == (2, 0)
    assert (again.records.new, again.records.updated, again.records.unchanged) == (0, 0, 2)
    assert again.lines_written == 0
    rows[0] = rows[0][:5] + ("3",)
    changed = import_file(db, write_csv(tmp_path, rows))
    assert (changed.records.updated, changed.records.unchanged) == (1, 1)
    with read_connection(db) as conn:
        subs = list_sub_campaigns(conn, 1)
        assert [s.sku_ids for s in subs] == [("3",), ()]
        assert conn.execute("SELECT COUNT(*) FROM sub_campaign").fetchone()[0] == 2


def test_a_repeated_sub_campaign_keeps_the_later_row(tmp_path):
    db = black_friday_store(tmp_path)
    report = import_file(db, write_csv(tmp_path, [
        ("Black Friday 2026", "Flash", "", "2026-11-20 00:00", "2026-11-20 06:00", ""),
        ("Black Friday 2026", "Flash", "", "2026-11-20 00:00", "2026-11-20 08:00", ""),
    ]))
    assert report.records.new == 1 and any("later row was kept" in n for n in report.notes)
    with read_connection(db) as conn:
        assert list_sub_campaigns(conn, 1)[0].end_utc == utc(2026, 11, 20, 8)


# --- performance ---------------------------------------------------------------------------


@pytest.fixture
def hand_subs(hand_store) -> Path:
    """Four sub-campaigns of the hand campaign, imported from a template file."""
    path = write_csv(hand_store.parent, [
        ("Hand", "Morning flash", "Flash sale", "2026-11-20 09:00", "2026-11-20 12:00", SKU_01),
        ("Hand", "All day Nov 20", "Bundle", "2026-11-20", "2026-11-20", ""),
        ("Hand", "Sample hour", "Voucher", "2026-11-20 13:00", "2026-11-20 14:00", SKU_02),
        ("Hand", "Midnight LIVE", "LIVE deal", "2026-11-20 23:00", "2026-11-21 01:00",
         f"{SKU_01}, {SKU_03}"),
    ])
    report = import_file(hand_store, path)
    assert report.records.new == 4 and not report.problems
    return hand_store


def performance(db: Path, window) -> dict[str, tuple]:
    with read_connection(db) as conn:
        rows = sub_campaign_performance(conn, hand_campaign_id(db), 1, window)
    return {row.name: (row.orders, str(row.gmv), row.units,
                       None if row.gmv_share_pct is None else str(row.gmv_share_pct),
                       row.overlaps_window) for row in rows}


def test_performance_over_the_campaign_period(hand_subs):
    window = period_window(date(2026, 11, 20), date(2026, 11, 21), TZ, LATER)
    result = performance(hand_subs, window)
    # Sorted by GMV. "All day": orders 1 and 2 (the sample order 5 left out) = 49.96 of
    # 76.96; "Midnight LIVE": order 2's SKU 01 and order 3's SKU 03, so order 2 counts for
    # two sub-campaigns; "Morning flash": only order 1's SKU 01 line (23.98 = 31.2%).
    assert list(result.items()) == [
        ("All day Nov 20", (2, "49.96", 4, "64.9", True)),
        ("Midnight LIVE", (2, "39.99", 4, "52.0", True)),
        ("Morning flash", (1, "23.98", 2, "31.2", True)),
        ("Sample hour", (0, "0.00", 0, "0.0", True)),
    ]


def test_performance_is_clipped_to_the_window(hand_subs):
    nov20 = performance(hand_subs, daily_window(date(2026, 11, 20), TZ, LATER))
    nov21 = performance(hand_subs, daily_window(date(2026, 11, 21), TZ, LATER))
    assert nov20["Midnight LIVE"] == (1, "12.99", 1, "26.0", True)  # 12.99 of 49.96
    assert nov20["Morning flash"] == (1, "23.98", 2, "48.0", True)
    assert nov21["Midnight LIVE"] == (1, "27.00", 3, "100.0", True)
    assert nov21["All day Nov 20"] == (0, "0.00", 0, "0.0", False)


def test_no_shop_gmv_gives_no_share(hand_subs):
    result = performance(hand_subs, daily_window(date(2026, 11, 25), TZ, LATER))
    assert set(result.values()) == {(0, "0.00", 0, None, False)}


def test_one_query_for_all_sub_campaigns(hand_subs):
    statements = []
    with read_connection(hand_subs) as conn:
        conn.set_trace_callback(statements.append)
        sub_campaign_performance(conn, hand_campaign_id(hand_subs), 1,
                                 daily_window(date(2026, 11, 20), TZ, LATER))
    assert len([s for s in statements if s.lstrip().upper().startswith("WITH")]) == 1
    assert len(statements) == 1


def test_a_campaign_without_sub_campaigns_has_no_rows(hand_store):
    with read_connection(hand_store) as conn:
        rows = sub_campaign_performance(conn, hand_campaign_id(hand_store), 1,
                                        daily_window(date(2026, 11, 20), TZ, LATER))
    assert rows == []
    assert "empty list means all SKUs" in SUB_CAMPAIGN_DEFINITION
    assert "two overlapping sub-campaigns" in SUB_CAMPAIGN_DEFINITION


# --- demo ----------------------------------------------------------------------------------


DEMO_SKUS = [f"17291000000000{n:04d}" for n in range(20)]


def test_the_demo_file_imports_cleanly(tmp_path):
    db = tmp_path / "demo.db"
    name = "Black Friday / Cyber Monday 2026"
    with write_transaction(db) as conn:
        shop = resolve_shop(conn, None, TZ)
        save_campaign(conn, shop_id=shop.shop_id, name=name, start_day=date(2026, 11, 20),
                      end_day=date(2026, 12, 1))
    path = write_demo_sub_campaigns(tmp_path / "demo", name, date(2026, 11, 20),
                                    date(2026, 12, 1), DEMO_SKUS, seed=7)
    assert path.name == "sub_campaigns.csv"
    report = import_file(db, path)
    assert report.ok and not report.problems and 4 <= report.records.new <= 6
    with read_connection(db) as conn:
        subs = {s.name: s for s in list_sub_campaigns(conn, 1)}
    launch, friday = subs["Launch flash sale"], subs["Black Friday doorbusters"]
    live = subs["Cyber Monday LIVE deal"]
    assert (launch.start_utc, launch.end_utc, len(launch.sku_ids)) == (
        utc(2026, 11, 20), utc(2026, 11, 20, 6), 8)
    assert (friday.start_utc, friday.end_utc) == (utc(2026, 11, 27), utc(2026, 11, 28))
    assert (live.start_utc, live.end_utc) == (utc(2026, 11, 30, 19), utc(2026, 11, 30, 22))
    assert subs["Bundle week"].sku_ids == ()
    assert set(launch.sku_ids) <= set(DEMO_SKUS)


def test_the_demo_file_is_deterministic_per_seed(tmp_path):
    def build(folder: str, seed: int) -> bytes:
        return write_demo_sub_campaigns(tmp_path / folder, "C", date(2026, 11, 20),
                                        date(2026, 12, 1), DEMO_SKUS, seed).read_bytes()

    assert build("a", 7) == build("b", 7)
    assert build("a", 7) != build("c", 8)


def test_a_shorter_campaign_gets_fewer_sub_campaigns(tmp_path):
    path = write_demo_sub_campaigns(tmp_path, "C", date(2026, 11, 20), date(2026, 11, 27),
                                    DEMO_SKUS, seed=1)
    lines = path.read_text(encoding="utf-8-sig").splitlines()[1:]
    assert [line.split(",")[1] for line in lines] == [
        "Launch flash sale", "Bundle week", "Black Friday doorbusters"]



def test_demo_sub_campaigns_are_named_after_the_days_they_run(tmp_path):
    # Started on Wednesday Dec 2, 2026: day 8 is Wednesday Dec 9 (not Black Friday), days 9-10
    # Thursday-Friday (not a weekend), day 11 Saturday Dec 12 (not Cyber Monday).
    path = write_demo_sub_campaigns(tmp_path, "C", date(2026, 12, 2), date(2026, 12, 13),
                                    DEMO_SKUS, seed=7)
    rows = [line.split(",") for line in path.read_text(encoding="utf-8-sig").splitlines()[1:]]
    names = [row[1] for row in rows]
    assert names == ["Launch flash sale", "Bundle week", "Day-8 doorbusters",
                     "Two-day free-shipping voucher", "Evening LIVE deal",
                     "Last-chance flash sale"]
    # The SKUs a plan puts on sale do not depend on its name.
    again = write_demo_sub_campaigns(tmp_path / "nov", "C", date(2026, 11, 20),
                                     date(2026, 12, 1), DEMO_SKUS, seed=7)
    november = [line.split(",") for line in again.read_text(encoding="utf-8-sig").splitlines()[1:]]
    assert [row[5] for row in rows] == [row[5] for row in november]


def test_the_template_is_offered_for_download():
    from campaign_core.templates import TEMPLATES

    template = TEMPLATES["sub_campaigns"]
    assert template.build() == sub_campaign_template_csv()
    assert template.file_name.endswith(".csv")
