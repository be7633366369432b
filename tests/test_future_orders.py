"""Orders paid after "now" (times read in the wrong timezone, or a wrong clock) are stored
but the import report warns, with the count and the likely cause."""

from __future__ import annotations

from datetime import UTC, datetime

from campaign_core.cli import main
from campaign_core.demo.order_files import OrderSpec
from campaign_core.importers.pipeline import import_file
from tests.conftest import TZ, line, write_export

# Nov 20, 2026 10:00-12:00 in Los Angeles is 18:00-20:00 UTC.
NOW_BEFORE = int(datetime(2026, 11, 20, 19, 0, tzinfo=UTC).timestamp())  # 11:00 in LA
NOW_AFTER = int(datetime(2026, 11, 21, 0, 0, tzinfo=UTC).timestamp())


def _orders(year: int = 2026) -> list[OrderSpec]:
    return [OrderSpec(f"57610000000000000{n}", "To ship", datetime(year, 11, 20, 9 + n, 0),
                      datetime(year, 11, 20, 9 + n, 1), [line("01", 1, 1000)],
                      buyer_username=f"buyer{n}") for n in (1, 2, 3)]


def test_orders_paid_after_now_are_stored_with_a_warning(tmp_path):
    # Paid 10:01, 11:01 and 12:01 in LA; now is 11:00 in LA: two are in the future.
    report = import_file(tmp_path / "s.db", write_export(tmp_path, _orders()), timezone=TZ,
                         now_utc=NOW_BEFORE)
    assert report.ok and report.rows_stored == 3
    (warning,) = report.warnings
    assert warning.startswith("2 orders are paid after now")
    assert "America/Los_Angeles" in warning and "timezone" in warning and "clock" in warning
    assert "WARNING: 2 orders are paid after now" in report.summary_line()


def test_orders_paid_before_now_give_no_warning(tmp_path):
    report = import_file(tmp_path / "s.db", write_export(tmp_path, _orders()), timezone=TZ,
                         now_utc=NOW_AFTER)
    assert report.ok and report.warnings == []
    assert "warning" not in report.summary_line()


def test_a_preview_warns_too(tmp_path):
    report = import_file(tmp_path / "s.db", write_export(tmp_path, _orders()), timezone=TZ,
                         now_utc=NOW_BEFORE, dry_run=True)
    assert report.warnings and report.warnings[0].startswith("2 orders")


def test_the_command_line_prints_the_warning_on_the_file_line(tmp_path, capsys):
    export = write_export(tmp_path, _orders(year=2099))
    code = main(["import", "--db", str(tmp_path / "s.db"), str(export)])
    out = capsys.readouterr().out
    assert code == 0
    assert "stored=3" in out and "WARNING: 3 orders are paid after now" in out
