"""Replay: a store as of a past moment equals a store built only from the orders paid and
the files imported by then; the ``as_of`` parameter is checked."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from campaign_core.demo.order_files import OrderSpec
from campaign_core.importers.pipeline import import_file
from campaign_core.report import build_report
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.campaigns import list_campaigns, save_campaign
from campaign_core.store.replay import ReplayError, parse_as_of, replay_bounds, replay_store
from campaign_core.store.shops import resolve_shop
from tests.conftest import TZ, line, write_export

LA = ZoneInfo(TZ)
# Export A: taken at 10:00 on Nov 21, imported at 10:05. Export B: taken 20:00, imported 20:05.
IMPORT_A = datetime(2026, 11, 21, 10, 5, tzinfo=LA)
IMPORT_B = datetime(2026, 11, 21, 20, 5, tzinfo=LA)
AS_OF = datetime(2026, 11, 21, 18, 0, tzinfo=LA)


def _order(number: int, status: str, paid: datetime, price: int, **extra) -> OrderSpec:
    return OrderSpec(f"5760000000000001{number:02d}", status, paid, paid,
                     [line("01", 1, price)], buyer_username=f"buyer{number}", **extra)


def export_a() -> list[OrderSpec]:
    return [_order(1, "Awaiting shipment", datetime(2026, 11, 20, 9, 0), 1000),
            _order(2, "Awaiting shipment", datetime(2026, 11, 21, 8, 0), 2000),
            _order(3, "Awaiting shipment", datetime(2026, 11, 21, 9, 30), 1500)]


def export_b() -> list[OrderSpec]:
    return [
        # Order 2 again, shipped since: rewritten by B, but known since A.
        _order(2, "Shipped", datetime(2026, 11, 21, 8, 0), 2000),
        # Paid before the moment, first exported in B: not known at 18:00.
        _order(4, "Awaiting shipment", datetime(2026, 11, 21, 11, 0), 4000),
        # Paid after the moment.
        _order(5, "Awaiting shipment", datetime(2026, 11, 21, 19, 0), 8000),
    ]


def _store(folder: Path, exports: list[tuple[list[OrderSpec], datetime]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "store.db"
    for index, (orders, imported) in enumerate(exports):
        path = write_export(folder, orders, name=f"All order {index}.csv")
        report = import_file(db, path, timezone=TZ)
        assert report.ok, report.message
        stamp = int(imported.timestamp())
        with write_transaction(db) as conn:  # the import happened at that moment
            conn.execute("UPDATE import_log SET started_utc = :at, finished_utc = :at "
                         "WHERE import_id = :id", {"at": stamp, "id": report.import_id})
    with write_transaction(db) as conn:
        shop = resolve_shop(conn, None, None)
        save_campaign(conn, shop_id=shop.shop_id, name="Replay", start_day=date(2026, 11, 20),
                      end_day=date(2026, 11, 22), gmv_target_cents=200_00)
    return db


def _report(db: Path, view: str, now: datetime) -> dict:
    with read_connection(db) as conn:
        campaign = list_campaigns(conn)[0]
        return json.loads(json.dumps(build_report(conn, campaign, view, now), default=str))


@pytest.mark.parametrize("view", ["today", "period"])
def test_replay_equals_a_store_of_what_was_paid_and_imported_by_then(tmp_path, view):
    full = _store(tmp_path / "full", [(export_a(), IMPORT_A), (export_b(), IMPORT_B)])
    truth = _store(tmp_path / "truth", [(export_a(), IMPORT_A)])
    replayed = replay_store(full, AS_OF)
    expected = _report(truth, view, AS_OF)
    assert _report(replayed, view, AS_OF) == expected
    # Orders 1 (Nov 20, the period only), 2 and 3.
    orders, gmv = (3, 45.0) if view == "period" else (2, 35.0)
    assert (expected["core"]["orders"], expected["core"]["gmv"]) == (orders, gmv)
    # Beyond the Overview's figures: the Products page's rows are those of then too.
    assert [(p["gmv"], p["units"]) for p in expected["products"]] == [(gmv, orders)]
    # The live store at the same moment knows order 4 (imported later): not a replay.
    assert _report(full, view, AS_OF)["core"]["orders"] == orders + 1
    # The replay leaves the store itself alone.
    later = datetime(2026, 11, 21, 21, tzinfo=LA)
    assert _report(full, view, later)["core"]["orders"] == orders + 2


def test_after_the_second_import_the_replay_knows_it(tmp_path):
    full = _store(tmp_path / "full", [(export_a(), IMPORT_A), (export_b(), IMPORT_B)])
    late = datetime(2026, 11, 21, 19, 30, tzinfo=LA)  # order 5 paid, B not imported yet
    assert _report(replay_store(full, late), "today", late)["core"]["orders"] == 2
    later = datetime(2026, 11, 21, 21, 0, tzinfo=LA)
    assert _report(replay_store(full, later), "today", later)["core"]["orders"] == 4


def test_replay_copies_are_reused(tmp_path):
    full = _store(tmp_path / "full", [(export_a(), IMPORT_A)])
    first = replay_store(full, AS_OF)
    assert replay_store(full, AS_OF) == first
    assert replay_store(full, AS_OF.replace(hour=17)) != first


def test_the_demo_replays_by_paid_time(demo_store):
    """The demo's files are generated at once: its replay counts what was paid by then."""
    with read_connection(demo_store) as conn:
        campaign = list_campaigns(conn)[0]
    moment = datetime.combine(campaign.start_day, datetime.min.time(), LA).replace(day=22,
                                                                                  hour=18)
    replayed = _report(replay_store(demo_store, moment), "period", moment)
    live = _report(demo_store, "period", moment)
    assert replayed["core"] == live["core"] and replayed["core"]["orders"] > 0


def _campaign():
    from campaign_core.store.campaigns import Campaign
    return Campaign(1, 1, "Shop", "C", date(2026, 11, 20), date(2026, 11, 22), TZ, None, "USD")


@pytest.mark.parametrize("text, reason", [
    ("yesterday", "not a date and time"),
    ("2026-11-19T23:00", "before the campaign starts"),
    ("2026-11-21T19:00", "after now"),
    ("2026-11-21T12:00; DROP TABLE", "not a date and time"),
])
def test_as_of_is_checked(text, reason):
    now = datetime(2026, 11, 21, 18, 30, tzinfo=LA)
    with pytest.raises(ReplayError, match=reason):
        parse_as_of(text, _campaign(), now)


def test_as_of_in_shop_time_or_with_an_offset():
    now = datetime(2026, 11, 25, tzinfo=LA)
    campaign = _campaign()
    local = parse_as_of("2026-11-21T18:00", campaign, now)
    assert local == datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
    assert parse_as_of("2026-11-22T02:00Z", campaign, now) == local
    with pytest.raises(ReplayError, match="after the campaign's end"):
        parse_as_of("2026-11-23T01:00", campaign, now)
    start, end = replay_bounds(replace(campaign), now)
    assert end - start == 3 * 86400
