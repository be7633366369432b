"""The audit log (campaign_core/store/audit.py): who imported, synced or changed a campaign,
target, cost or deal, and when; written in the change's own transaction, by the command
line as the operating-system user, and shown on the Import page."""

from __future__ import annotations

import getpass
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from campaign_core.cli import main
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.audit import acting_as, audit_entries
from campaign_core.store.campaigns import delete_campaign, save_campaign, set_gmv_target
from campaign_core.store.costs import set_unit_cost
from campaign_core.store.creators import delete_deal, upsert_deal
from campaign_core.store.shops import DEMO_SHOP_NAME, resolve_shop
from campaign_core.store.sync_state import finish_run, start_run
from tests.conftest import PROJECT_ROOT, TZ, hand_orders, write_export

APP = str(PROJECT_ROOT / "app.py")


def entries(db) -> list[tuple[str, str, str]]:
    with read_connection(db) as conn:
        return [(e.actor, e.action, e.subject) for e in reversed(audit_entries(conn, None))]


def test_each_change_is_recorded_with_who_made_it(tmp_path):
    db = tmp_path / "s.db"
    with acting_as("alex"), write_transaction(db) as conn:
        shop = resolve_shop(conn, "Acme US", TZ)
        campaign = save_campaign(conn, shop_id=shop.shop_id, name="BF",
                                 start_day=date(2026, 11, 20), end_day=date(2026, 11, 30))
        set_gmv_target(conn, campaign.campaign_id, 1_000_000)
        set_unit_cost(conn, shop.shop_id, "SKU1", 450, date(2026, 11, 1))
        deal = upsert_deal(conn, shop.shop_id, "@maya", "BF", {"flat_fee_cents": 5000})
        delete_deal(conn, shop.shop_id, deal)
        delete_campaign(conn, campaign.campaign_id)
    assert entries(db) == [("alex", "campaign", "BF"), ("alex", "target", "BF"),
                           ("alex", "cost", "SKU SKU1"), ("alex", "deal", "maya in BF"),
                           ("alex", "deal", "maya in BF"), ("alex", "campaign", "BF")]
    with read_connection(db) as conn:
        newest = audit_entries(conn, None)[0]
    assert newest.detail == "deleted" and newest.shop == "Acme US" and newest.at_utc > 0


def test_a_change_rolled_back_leaves_no_entry(tmp_path):
    db = tmp_path / "s.db"
    with write_transaction(db) as conn:
        shop = resolve_shop(conn, "Acme US", TZ)
    with pytest.raises(RuntimeError), write_transaction(db) as conn:
        save_campaign(conn, shop_id=shop.shop_id, name="Gone", start_day=date(2026, 11, 1),
                      end_day=date(2026, 11, 2))
        raise RuntimeError("the process fails before the commit")
    assert entries(db) == []


def test_costs_and_deals_from_a_file_are_recorded_once_as_its_import(tmp_path):
    db = tmp_path / "s.db"
    with write_transaction(db) as conn:
        shop = resolve_shop(conn, "Acme US", TZ)
        set_unit_cost(conn, shop.shop_id, "SKU1", 450, date(2026, 11, 1), import_id=7)
        upsert_deal(conn, shop.shop_id, "@maya", "BF", {"notes": "x"}, import_id=7)
    assert entries(db) == []


def test_the_command_line_records_imports_and_campaigns_as_the_os_user(tmp_path, capsys):
    db = tmp_path / "s.db"
    export = write_export(tmp_path, hand_orders())
    assert main(["import", "--db", str(db), "--shop", "Acme US", str(export)]) == 0
    assert main(["campaign", "--db", str(db), "--name", "BF", "--start", "2026-11-20",
                 "--end", "2026-11-21", "--shop", "Acme US"]) == 0
    capsys.readouterr()
    me = getpass.getuser()
    assert entries(db) == [(me, "import", export.name), (me, "campaign", "BF")]
    with read_connection(db) as conn:
        imported = audit_entries(conn, None)[-1]
    assert "5 new" in imported.detail and imported.shop == "Acme US"


def test_a_sync_run_is_recorded_when_it_finishes(tmp_path):
    db = tmp_path / "s.db"
    with acting_as("sam@agency.example"), write_transaction(db) as conn:
        shop = resolve_shop(conn, "Acme US", TZ)
        run = start_run(conn, "orders", shop.shop_id)
        finish_run(conn, run, status="ok", records=12)
    assert entries(db) == [("sam@agency.example", "sync", "Open API orders")]


def test_entries_are_read_per_shop(tmp_path):
    db = tmp_path / "s.db"
    with write_transaction(db) as conn:
        first = resolve_shop(conn, "Acme US", TZ)
        second = resolve_shop(conn, "Acme UK", "Europe/London")
        set_unit_cost(conn, first.shop_id, "A1", 100, date(2026, 11, 1))
        set_unit_cost(conn, second.shop_id, "B1", 100, date(2026, 11, 1))
    with read_connection(db) as conn:
        assert [e.subject for e in audit_entries(conn, [first.shop_id])] == ["SKU A1"]
        assert audit_entries(conn, []) == []
        assert len(audit_entries(conn, None)) == 2


def test_the_import_page_shows_the_audit_log_with_a_download(private_app_env):
    with write_transaction(private_app_env) as conn:
        shop = resolve_shop(conn, DEMO_SHOP_NAME, None)  # the demo holds a UK shop too
        set_unit_cost(conn, shop.shop_id, "AUDITED-SKU", 199, date(2026, 11, 1))
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page("pages/import_data.py").run()
    assert not at.exception
    assert any(header.value == "Audit log" for header in at.subheader)
    audit = next(frame.value for frame in at.dataframe if "who" in frame.value.columns)
    row = audit[audit["changed"] == "SKU AUDITED-SKU"].iloc[0]
    assert row["who"] == getpass.getuser() and row["what"] == "unit cost"
    assert any(getattr(element, "proto", None) is not None and
               "Download audit log" in str(element.proto) for element in at.get("download_button"))


def test_plan_targets_and_shops_of_a_campaign_are_recorded(tmp_path):
    """The plan's targets, the shops a campaign spans and an added shop's own target are
    campaign and target changes too."""
    from decimal import Decimal

    from campaign_core.store.campaign_shops import set_campaign_shops, set_shop_target
    from campaign_core.store.plans import set_plan_target

    db = tmp_path / "s.db"
    with acting_as("alex"), write_transaction(db) as conn:
        us = resolve_shop(conn, "Acme US", TZ)
        uk = resolve_shop(conn, "Acme UK", "Europe/London")
        campaign = save_campaign(conn, shop_id=us.shop_id, name="BF",
                                 start_day=date(2026, 11, 20), end_day=date(2026, 11, 30))
        set_plan_target(conn, campaign.campaign_id, "roas", Decimal("3.5"))
        set_campaign_shops(conn, campaign.campaign_id, [(uk.shop_id, None)])
        set_shop_target(conn, campaign.campaign_id, uk.shop_id, 500_000)
    assert entries(db)[1:] == [("alex", "target", "BF"), ("alex", "campaign", "BF"),
                               ("alex", "target", "BF")]
    with read_connection(db) as conn:
        newest, shops_set, plan = audit_entries(conn, None)[:3]
    assert "plan roas set to 3.5" in plan.detail
    assert newest.shop == "Acme UK" and "500000 cents" in newest.detail
