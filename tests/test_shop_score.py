"""Shop Performance Score against the campaign thresholds, and the alert before a breach."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from campaign_core.alerts.engine import evaluate_alerts
from campaign_core.alerts.rules import save_rule
from campaign_core.metrics.shop_score import latest_shop_score
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.shop_score import record_shop_score
from tests.conftest import PROJECT_ROOT

NOW = datetime(2026, 11, 20, 18, tzinfo=UTC)


def shop(tmp_path: Path, timezone: str = "America/Los_Angeles") -> Path:
    db = tmp_path / "s.db"
    with write_transaction(db) as conn:
        conn.execute("INSERT INTO shop (shop_id, name, timezone, currency) VALUES "
                     "(1, 'My shop', :tz, 'USD')", {"tz": timezone})
        save_rule(conn, kind="shop_score_near", threshold=0.2, shop_id=1)
    return db


def reading(db: Path, score: float, at: int) -> None:
    with write_transaction(db) as conn:
        record_shop_score(conn, 1, score, "entered by hand", now_utc=at)


@pytest.mark.parametrize(("score", "status"), [
    (4.1, "ok"), (3.6, "near"), (3.4, "below_registration"), (2.4, "below_stay")])
def test_a_us_shop_s_score_against_the_campaign_thresholds(tmp_path, score, status) -> None:
    db = shop(tmp_path)
    reading(db, score, 1_795_000_000)
    with read_connection(db) as conn:
        latest = latest_shop_score(conn, 1, "America/Los_Angeles")
    assert (latest.register_at, latest.stay_at) == (3.5, 2.5)
    assert latest.status() == status


def test_the_alert_warns_before_the_breach_and_errs_after(tmp_path) -> None:
    db = shop(tmp_path)
    reading(db, 3.9, 1_795_000_000)
    assert evaluate_alerts(db, NOW) == []
    reading(db, 3.62, 1_795_000_100)  # the newest reading counts
    [event] = evaluate_alerts(db, NOW)
    assert event.severity == "warning" and "within 0.2 of 3.5" in event.message
    reading(db, 3.3, 1_795_000_200)
    [event] = evaluate_alerts(db, NOW)
    assert event.severity == "error" and "cannot register for new campaigns" in event.message


def test_no_threshold_is_assumed_where_none_is_documented(tmp_path) -> None:
    db = shop(tmp_path, "Asia/Jakarta")
    reading(db, 1.0, 1_795_000_000)
    with read_connection(db) as conn:
        assert latest_shop_score(conn, 1, "Asia/Jakarta").status() == "no_threshold"
    assert evaluate_alerts(db, NOW) == []


def test_a_score_off_the_scale_is_refused(tmp_path) -> None:
    db = shop(tmp_path)
    with pytest.raises(ValueError, match="0 to 5"):
        reading(db, 5.5, 1_795_000_000)


def test_the_overview_shows_the_score_and_records_a_new_one(private_app_env) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=90).run()
    shown = {m.label: m.value for m in at.metric}
    assert shown["Shop score"] == "not entered"
    assert shown["Campaign entry"] == "3.5"  # the demo shop is in Los Angeles
    assert shown["Stay in campaign"] == "2.5"
    at.number_input[-1].set_value(3.6)
    at.button[-1].click().run()  # "Save score": the form's submit button
    shown = {m.label: m.value for m in at.metric}
    assert shown["Shop score"] == "3.60"
    assert any("Close to the score campaigns accept" in w.value for w in at.warning)
