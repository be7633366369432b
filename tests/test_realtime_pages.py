"""AppTest runs of the real-time parts: the Alerts page, the Import page's sync panel
(against the local fake API), and the Today view picking up newly landed data."""

from __future__ import annotations

from datetime import datetime

from streamlit.testing.v1 import AppTest

from campaign_core.demo.build import DEMO_SHOP_NAME
from campaign_core.demo.order_files import OrderSpec
from campaign_core.inbox import InboxWatcher
from tests.conftest import PROJECT_ROOT, TZ, line, write_export
from tests.fake_tiktok_api import FakeTikTokApi
from ui.formatting import WORD_JOINER

APP = str(PROJECT_ROOT / "app.py")


def start(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    if page:
        at.switch_page(page).run()
    return at


def test_alerts_page_adds_a_rule_and_previews_the_digest(private_app_env) -> None:
    at = start("pages/alerts.py")
    assert not at.exception
    rules = at.dataframe[0].value
    assert len(rules) == 5 and "Product selling out" in set(rules["rule"])  # the demo's
    log = at.dataframe[1].value
    assert "Product selling out" in set(log["rule"]) and not log["delivered"].any()
    preview = " ".join(t.value for t in at.text)
    assert "Figures are for yesterday" in preview and "Wednesday Nov 25, 2026" in preview
    at.selectbox[0].set_value("roas_below")
    at.number_input[0].set_value(4.5)
    at.button[0].click().run()  # Add rule
    assert not at.exception
    rules = at.dataframe[0].value
    assert len(rules) == 6 and list(rules["threshold"])[-1] == 4.5
    at.button(key="alert_check").click().run()
    assert not at.exception


def test_import_page_says_why_sync_is_off_without_credentials(private_app_env) -> None:
    at = start("pages/import_data.py")
    assert not at.exception
    assert at.button(key="sync_now").disabled
    captions = " ".join(c.value for c in at.caption)
    assert "Sync is off" in captions and "No sync yet." in captions


def test_sync_now_pulls_from_the_api_and_shows_the_result(private_app_env) -> None:
    server = FakeTikTokApi().start()
    try:
        at = AppTest.from_file(APP, default_timeout=60)
        at.secrets["tiktok_shop"] = server.credentials()
        at.run()
        at.switch_page("pages/import_data.py").run()
        at.button(key="sync_now").click().run()
        assert not at.exception
        kinds = [s.value.split()[1].replace(WORD_JOINER, "").rstrip("\\:") for s in at.success]
        assert kinds == ["orders", "affiliate\\_orders", "inventory"]  # markdown-escaped
        assert "Last sync:" in " ".join(c.value for c in at.caption)
        shown = " ".join(e.value for e in [*at.success, *at.caption, *at.markdown])
        assert server.requests and "good-token" not in shown and "test-secret" not in shown
    finally:
        server.stop()


def test_the_today_view_shows_a_file_dropped_into_the_inbox(private_app_env, tmp_path) -> None:
    at = start()
    before = {m.label: m.value for m in at.metric}
    big = OrderSpec("579999999999999001", "Shipped", datetime(2026, 11, 26, 13, 59),
                    datetime(2026, 11, 26, 14, 0), [line("77", 1, 500_000_00)],
                    buyer_username="whale")
    inbox = tmp_path / "inbox"
    watcher = InboxWatcher(private_app_env, inbox, shop_name=DEMO_SHOP_NAME, timezone=TZ,
                           stable_seconds=0)
    write_export(inbox, [big], name="All order-2026-11-26-14_05.csv")
    watcher.poll()
    [result] = watcher.poll()
    assert result.report.records.new == 1
    at.run()  # what the fragment's run_every does on its interval
    after = {m.label: m.value for m in at.metric}
    assert after["Orders"] != before["Orders"] and after["GMV"] != before["GMV"]


def test_the_app_watches_the_inbox_folder_by_itself(private_app_env, tmp_path,
                                                    monkeypatch) -> None:
    import time

    inbox = tmp_path / "app-inbox"
    inbox.mkdir()
    monkeypatch.setenv("CAMPAIGN_INBOX", str(inbox))
    at = start()
    assert not at.exception
    (inbox / "notes.csv").write_text("Hello,World\n1,2\n", encoding="utf-8")
    deadline = time.monotonic() + 30
    while not (inbox / "failed" / "notes.csv.report.json").exists():
        assert time.monotonic() < deadline, "the app's watcher did not pick the file up"
        time.sleep(0.2)
    assert (inbox / "failed" / "notes.csv").exists()
