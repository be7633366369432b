"""The command line, called as scripts outside the app call it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from campaign_core.cli import main
from tests.conftest import PROJECT_ROOT, TZ, hand_orders, write_export


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_import_prints_one_line_per_file_with_counts(tmp_path, capsys):
    export = write_export(tmp_path, hand_orders())
    code, out, _ = run(capsys, "import", "--db", tmp_path / "s.db", export)
    assert code == 0
    assert out.strip() == (f"{export.name}: kind=orders read=6 stored=6 new=5 updated=0 "
                           "unchanged=0 kept_newer=0 quarantined=0")


def test_import_again_changes_nothing(tmp_path, capsys):
    export = write_export(tmp_path, hand_orders())
    run(capsys, "import", "--db", tmp_path / "s.db", export)
    code, out, _ = run(capsys, "import", "--db", tmp_path / "s.db", export)
    assert code == 0 and "new=0 updated=0 unchanged=5" in out


def test_import_exits_non_zero_when_a_file_is_rejected(tmp_path, capsys):
    bad = tmp_path / "notes.csv"
    bad.write_text("Date,Views\n2026-11-20,3\n")
    good = write_export(tmp_path, hand_orders())
    code, out, _ = run(capsys, "import", "--db", tmp_path / "s.db", good, bad)
    assert code == 1
    assert "notes.csv: rejected" in out and "kind=orders" in out


def test_import_reports_quarantined_rows_on_stderr(tmp_path, capsys):
    export = write_export(tmp_path, hand_orders())
    text = export.read_text(encoding="utf-8-sig").replace("576000000000000003\t", "5.76E+17")
    export.write_text(text, encoding="utf-8-sig")
    code, out, err = run(capsys, "import", "--db", tmp_path / "s.db", export)
    assert code == 0 and "quarantined=1" in out
    assert "line 5, Order ID '5.76E+17'" in err


def test_campaign_creates_lists_and_updates(tmp_path, capsys):
    db = tmp_path / "s.db"
    code, out, _ = run(capsys, "campaign", "--db", db, "--name", "BF", "--start", "2026-11-20",
                       "--end", "2026-12-01", "--target-gmv", "250000")
    assert code == 0 and "created" in out
    run(capsys, "campaign", "--db", db, "--name", "Summer", "--start", "2026-06-01",
        "--end", "2026-06-03")
    code, out, _ = run(capsys, "campaign", "--db", db, "--name", "BF", "--start", "2026-11-21",
                       "--end", "2026-12-01")
    assert "updated" in out
    code, out, _ = run(capsys, "campaign", "--db", db, "--list")
    assert out.splitlines() == ["BF", "Summer"]


def test_campaign_rejects_an_end_before_the_start(tmp_path, capsys):
    code, _, err = run(capsys, "campaign", "--db", tmp_path / "s.db", "--name", "X",
                       "--start", "2026-11-20", "--end", "2026-11-01")
    assert code == 2 and "ends" in err


def test_campaign_timezone_on_an_empty_store_sets_the_default_shops(tmp_path, capsys):
    db = tmp_path / "s.db"
    run(capsys, "campaign", "--db", db, "--name", "Harbolnas", "--start", "2026-12-10",
        "--end", "2026-12-12", "--timezone", "Asia/Jakarta")
    code, out, _ = run(capsys, "report", "--db", db, "--campaign", "Harbolnas", "--view",
                       "period", "--now", "2026-12-11T12:00:00", "--format", "json")
    assert json.loads(out)["timezone"] == "Asia/Jakarta"


def test_report_json_has_the_contract_keys_and_hand_values(tmp_path, capsys):
    db = tmp_path / "s.db"
    run(capsys, "import", "--db", db, "--timezone", TZ, write_export(tmp_path, hand_orders()))
    run(capsys, "campaign", "--db", db, "--name", "Hand", "--start", "2026-11-20", "--end",
        "2026-11-21")
    code, out, _ = run(capsys, "report", "--db", db, "--campaign", "Hand", "--view", "daily",
                       "--day", "2026-11-20", "--now", "2026-11-25T00:00:00Z",
                       "--format", "json")
    assert code == 0
    core = json.loads(out)["core"]
    assert core == {"gmv": 49.96, "orders": 2, "sku_orders": 3, "units": 4, "buyers": 2,
                    "aov": 24.98, "tiktok_contribution": 2.5, "refunds": 12.99,
                    "net_sales": 36.97}


def test_report_today_and_period_views(tmp_path, capsys):
    db = tmp_path / "s.db"
    run(capsys, "import", "--db", db, write_export(tmp_path, hand_orders()))
    run(capsys, "campaign", "--db", db, "--name", "Hand", "--start", "2026-11-20", "--end",
        "2026-11-21")
    _, out, _ = run(capsys, "report", "--db", db, "--campaign", "Hand", "--view", "today",
                    "--now", "2026-11-20T12:00:00-08:00", "--format", "json")
    assert json.loads(out)["core"]["orders"] == 1  # order 1 (10:01); order 2 is paid at 23:05
    _, out, _ = run(capsys, "report", "--db", db, "--campaign", "Hand", "--view", "period",
                    "--now", "2026-11-30T00:00:00Z", "--format", "json")
    assert json.loads(out)["core"]["gmv"] == 76.96


def test_report_of_an_unknown_campaign_names_the_known_ones(hand_store, capsys):
    code, _, err = run(capsys, "report", "--db", hand_store, "--campaign", "Nope", "--view",
                       "today")
    assert code == 2 and "Hand" in err


def test_report_text_format_lists_every_core_metric(hand_store, capsys):
    code, out, _ = run(capsys, "report", "--db", hand_store, "--campaign", "Hand", "--view",
                       "period", "--now", "2026-11-30T00:00:00Z")
    assert code == 0 and "GMV" in out and "76.96" in out and "Net sales" in out


def test_module_entry_point_runs(tmp_path: Path):
    result = subprocess.run([sys.executable, "-m", "campaign_core", "campaign", "--db",
                             str(tmp_path / "s.db"), "--list"], capture_output=True,
                            text=True, cwd=PROJECT_ROOT, check=False)
    assert result.returncode == 0 and result.stdout == ""


def test_report_json_has_target_baseline_and_trend(hand_store, capsys):
    code, out, _ = run(capsys, "report", "--db", hand_store, "--campaign", "Hand", "--view",
                       "daily", "--day", "2026-11-21", "--baseline-day", "2026-11-20",
                       "--now", "2026-11-25T00:00:00Z", "--format", "json")
    report = json.loads(out)
    assert code == 0
    assert report["target"]["gmv_target"] == 100.0
    assert report["target"]["progress_pct"] == 77.0  # 76.96 of 100.00
    assert report["target"]["status"] == "missed"
    assert report["baseline"] == {"day": "2026-11-20", "gmv": 49.96, "campaign_gmv": 27.0,
                                  "difference_pct": -46.0, "state": "ok"}
    assert len(report["trend"]) == 24
    assert sum(b["gmv"] for b in report["trend"]) == 27.0
    assert sum(b["comparison_gmv"] for b in report["trend"]) == 49.96


def test_report_without_baseline_day_has_no_baseline(hand_store, capsys):
    _, out, _ = run(capsys, "report", "--db", hand_store, "--campaign", "Hand", "--view",
                    "period", "--now", "2026-11-25T00:00:00Z", "--format", "json")
    assert json.loads(out)["baseline"] is None
