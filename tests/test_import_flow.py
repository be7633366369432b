"""The Import page's flow: templates named in full, file kinds in words, what an import
changed, and what to do after the first import into a new shop."""

from __future__ import annotations

from datetime import UTC, date, datetime

from streamlit.testing.v1 import AppTest

from campaign_core.importers.kinds import KINDS, kind_label
from campaign_core.importers.parsed import RecordCounts
from campaign_core.importers.pipeline import ImportReport
from campaign_core.templates import TEMPLATES
from tests.conftest import PROJECT_ROOT
from ui.import_summary import campaign_days, outcome

APP = str(PROJECT_ROOT / "app.py")
TZ = "America/Los_Angeles"


def import_page(state: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    for key, value in (state or {}).items():
        at.session_state[key] = value
    return at.switch_page("pages/import_data.py").run()


def orders_report(new=0, updated=0, unchanged=0, first=None, last=None) -> ImportReport:
    return ImportReport("All order-2026-11-26.csv", "imported", kind="orders",
                        kind_label="Orders export (All order)", rows_read=10_665,
                        rows_stored=10_665,
                        records=RecordCounts(new=new, updated=updated, unchanged=unchanged),
                        first_paid_utc=first, last_paid_utc=last)


def utc(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


def test_every_template_has_a_full_name_in_a_grid(app_env):
    at = import_page()
    labels = [button.proto.label for button in at.get("download_button")]
    for template in TEMPLATES.values():
        assert template.label in labels
    assert "Traffic by channel" in labels and "Experiment counts" in labels


def test_kinds_are_named_in_words():
    assert kind_label("gmv_max_creative") == "GMV Max creative/product report"
    assert kind_label("api_orders") == "Open API orders"
    assert kind_label("something_new") == "Something new"
    assert all("_" not in kind_label(kind.name) for kind in KINDS)


def test_the_import_log_names_kinds_in_words(app_env):
    log = import_page().dataframe[0].value
    assert "GMV Max creative/product report" in set(log["kind"])
    assert not any("_" in kind for kind in log["kind"])


def test_a_re_import_that_changed_nothing_says_so():
    level, text = outcome([orders_report(unchanged=6_717)])
    assert level == "info"
    assert text.startswith("Nothing changed: 0 new, 0 updated, 6,717 unchanged orders")
    assert "10,665" not in text


def test_an_import_with_changes_counts_them():
    level, text = outcome([orders_report(new=12, updated=1, unchanged=6_704)])
    assert level == "success"
    assert text.startswith("12 new, 1 updated, 6,704 unchanged orders")


def test_files_of_several_kinds_are_counted_as_records():
    other = ImportReport("stock.csv", "imported", kind="stock", records=RecordCounts(new=3))
    assert outcome([orders_report(unchanged=5), other])[1].startswith(
        "3 new, 0 updated, 5 unchanged records from 2 files")


def test_campaign_days_come_from_the_orders_paid_range_in_shop_time():
    reports = [orders_report(first=utc("2026-11-01T09:00"), last=utc("2026-11-20T07:00")),
               orders_report(first=utc("2026-10-30T12:00"), last=utc("2026-11-05T12:00"))]
    # 2026-11-20 07:00 UTC is still Nov 19 in Los Angeles.
    assert campaign_days(reports, TZ) == (date(2026, 10, 30), date(2026, 11, 19))
    assert campaign_days([ImportReport("x.csv", "imported", kind="stock")], TZ) is None


def test_after_the_first_import_into_a_new_shop_the_page_says_what_next(private_app_env):
    from campaign_core.store import write_transaction
    from campaign_core.store.shops import resolve_shop

    with write_transaction(private_app_env) as conn:
        resolve_shop(conn, "Fresh shop", TZ)
    report = orders_report(new=40, first=utc("2026-11-01T09:00"), last=utc("2026-11-20T07:00"))
    at = import_page({"import_results": [report], "import_results_shop": "Fresh shop"})
    assert not at.exception
    assert any("Next: create a campaign for Fresh shop" in info.value for info in at.info)
    at.button(key="import_next_campaign").click().run()
    assert not at.exception
    assert at.session_state["campaign_prefill"] == {
        "shop": "Fresh shop", "start": date(2026, 11, 1), "end": date(2026, 11, 19)}


def test_the_campaigns_page_opens_prefilled(private_app_env):
    from campaign_core.store import write_transaction
    from campaign_core.store.shops import resolve_shop

    with write_transaction(private_app_env) as conn:
        resolve_shop(conn, "Fresh shop", TZ)
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.session_state["campaign_prefill"] = {
        "shop": "Fresh shop", "start": date(2026, 11, 1), "end": date(2026, 11, 19)}
    at.switch_page("pages/campaigns.py").run()
    assert not at.exception
    form_shop = next(box for box in at.selectbox if box.label == "Shop")
    assert form_shop.value == "Fresh shop"
    assert [d.value for d in at.date_input][:2] == [date(2026, 11, 1), date(2026, 11, 19)]


def test_a_shop_that_has_a_campaign_gets_no_prompt(app_env):
    at = import_page({"import_results": [orders_report(unchanged=5)],
                      "import_results_shop": "Glow & Go Beauty (demo)"})
    assert not any("Next: create a campaign" in info.value for info in at.info)
