"""The campaign plan template: detected by its headers, imported by the command line,
bad rows quarantined with line, column, value and reason, re-imports change nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from campaign_core.cli import main
from campaign_core.importers.pipeline import import_file
from campaign_core.plan_targets import PlanTarget
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.campaigns import find_campaign, save_campaign
from campaign_core.store.plans import campaign_plan
from campaign_core.store.shops import resolve_shop
from campaign_core.templates import TEMPLATES
from tests.conftest import TZ


def store_with_campaign(tmp_path):
    db = tmp_path / "s.db"
    with write_transaction(db) as conn:
        shop = resolve_shop(conn, None, TZ)
        save_campaign(conn, shop_id=shop.shop_id, name="Black Friday 2026",
                      start_day=date(2026, 11, 20), end_day=date(2026, 12, 1))
    return db


def test_the_downloadable_template_imports_as_it_is(tmp_path, capsys):
    db = store_with_campaign(tmp_path)
    path = tmp_path / TEMPLATES["campaign_plan"].file_name
    path.write_bytes(TEMPLATES["campaign_plan"].build())
    assert main(["import", "--db", str(db), str(path)]) == 0
    assert "kind=campaign_plan read=6 stored=6 new=6" in capsys.readouterr().out
    with read_connection(db) as conn:
        plan = campaign_plan(conn, find_campaign(conn, "Black Friday 2026"))
    assert plan == [PlanTarget("gmv", Decimal(250000), "above"),
                    PlanTarget("contribution_margin_pct", Decimal(25), "above"),
                    PlanTarget("roas", Decimal("3.5"), "above"),
                    PlanTarget("conversion", Decimal(3), "above"),
                    PlanTarget("creator_videos", Decimal(120), "above"),
                    PlanTarget("seller_lives", Decimal(24), "above")]
    again = import_file(db, path)
    assert "new=0 updated=0 unchanged=6" in again.summary_line()


def test_bad_rows_are_quarantined_with_line_column_and_reason(tmp_path):
    db = store_with_campaign(tmp_path)
    path = tmp_path / "plan.csv"
    path.write_text("Campaign,Metric,Target,Good if\n"
                    "Black Friday 2026,Creator videos,80,\n"
                    "Black Friday 2026,views,3,\n"
                    "Black Friday 2026,roas,lots,\n"
                    "Black Friday 2026,gmv,1000,below\n"
                    "Summer sale,ctr,3,\n"
                    "Black Friday 2026,Contribution margin %,30,below\n", encoding="utf-8")
    report = import_file(db, path)
    assert report.ok and report.rows_quarantined == 4
    problems = {(p.file_line, p.column, p.raw_value): p.reason for p in report.problems}
    assert "not a plannable metric" in problems[(3, "Metric", "views")]
    assert "not a number" in problems[(4, "Target", "lots")]
    assert "floor" in problems[(5, "Good if", "below")]
    assert "no campaign named 'Summer sale'" in problems[(6, "Campaign", "Summer sale")]
    with read_connection(db) as conn:
        plan = campaign_plan(conn, find_campaign(conn, "Black Friday 2026"))
    assert plan == [PlanTarget("contribution_margin_pct", Decimal(30), "below"),
                    PlanTarget("creator_videos", Decimal(80), "above")]


def test_an_empty_target_removes_it(tmp_path):
    db = store_with_campaign(tmp_path)
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("Campaign,Metric,Target\nBlack Friday 2026,roas,4\n", encoding="utf-8")
    second.write_text("Campaign,Metric,Target\nBlack Friday 2026,roas,\n", encoding="utf-8")
    assert import_file(db, first).ok and import_file(db, second).ok
    with read_connection(db) as conn:
        assert campaign_plan(conn, find_campaign(conn, "Black Friday 2026")) == []
