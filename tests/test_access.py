"""Roles and shop access (campaign_core/security/access.py), enforced where the app reads
and writes: two signed-in users on a two-shop store, a viewer of shop A and an admin.

Shop A is the demo shop (every page has data); shop B is a small shop built here from
hand-written orders, with its own campaign, import, cost and audit entries, so that any
trace of it on a viewer's page is a leak.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from campaign_core.security.access import (
    Access,
    AccessDenied,
    Role,
    access_for,
    configuration_problems,
)
from campaign_core.security.passwords import hash_password
from campaign_core.store import read_connection
from campaign_core.store.campaigns import find_campaign
from campaign_core.store.costs import set_unit_cost
from campaign_core.store.shops import find_shop
from tests.conftest import DEMO_NOW, PROJECT_ROOT, hand_orders, write_export
from tests.two_shop_store import (
    CAMPAIGN_B,
    FILE_B,
    SHOP_A,
    SHOP_B,
    SHOP_B_WORDS,
    USERS,
    build_two_shop_store,
)

APP = str(PROJECT_ROOT / "app.py")
PAGES = sorted(f"pages/{path.name}" for path in (PROJECT_ROOT / "pages").glob("*.py"))
PASSWORD = "correct horse battery"
FAST = 1_000  # hash iterations: same format, quick tests


# --- the rule ----------------------------------------------------------------------------


def test_without_a_users_section_every_signed_in_user_is_an_admin():
    grant = access_for("alex", {})
    assert grant.is_admin and grant.may_see(SHOP_B) and grant.may_write(SHOP_B)


def test_a_viewer_sees_only_their_shops_and_writes_nothing():
    grant = access_for("kim", USERS)
    assert grant.role is Role.VIEWER
    assert grant.may_see(SHOP_A) and not grant.may_see(SHOP_B)
    assert not grant.may_write(SHOP_A) and not grant.may_see(None)
    assert grant.visible([SHOP_A, SHOP_B]) == [SHOP_A]
    with pytest.raises(AccessDenied, match="read only"):
        grant.require_write(SHOP_A)


def test_staff_write_in_their_shops_only_and_match_e_mail_without_case():
    grant = access_for("Sam@Agency.example", USERS)
    assert grant.role is Role.STAFF
    assert grant.may_write(SHOP_A) and not grant.may_write(SHOP_B)
    assert not grant.is_admin


def test_a_user_the_section_does_not_list_sees_no_shop():
    grant = access_for("mallory", USERS)
    assert grant.shops == frozenset() and not grant.may_see(SHOP_A)


def test_a_broken_users_section_is_reported():
    problems = configuration_problems({"kim": {"role": "owner"}, "lee": {"role": "viewer",
                                                                         "shops": "A"}})
    assert any("owner" in p for p in problems) and any("list" in p for p in problems)
    assert access_for("kim", {"kim": {"role": "owner"}}).shops == frozenset()


# --- the two-shop store -----------------------------------------------------------------


@pytest.fixture(scope="module")
def two_shops(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store (shop A) plus shop B with a campaign, an import and a cost."""
    return build_two_shop_store(demo_store, tmp_path_factory.mktemp("two-shops"))


@pytest.fixture
def store_env(two_shops: Path, tmp_path: Path, monkeypatch) -> Path:
    """A private copy of the two-shop store for the app, with the demo's clock."""
    db = tmp_path / "campaign.db"
    with sqlite3.connect(two_shops) as source, sqlite3.connect(db) as target:
        source.backup(target)
    monkeypatch.setenv("CAMPAIGN_DB", str(db))
    monkeypatch.setenv("CAMPAIGN_NOW", DEMO_NOW)
    st.cache_data.clear()
    yield db
    st.cache_data.clear()


@pytest.fixture(autouse=True)
def fresh_sign_in_limits(monkeypatch):
    from campaign_core.security.sign_in_guard import SignInGuard
    from ui import password_sign_in

    monkeypatch.setattr(password_sign_in, "GUARD", SignInGuard())


def signed_in(monkeypatch, user: str, query: dict | None = None) -> AppTest:
    """A browser session of the exposed app, signed in as ``user``."""
    monkeypatch.setenv("CAMPAIGN_EXPOSED", "1")
    at = AppTest.from_file(APP, default_timeout=90)
    stored = hash_password(PASSWORD, iterations=FAST)
    at.secrets["passwords"] = {name: stored for name in ("kim", "alex")}
    at.secrets["users"] = USERS
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    at.text_input[0].input(user)
    at.text_input[1].input(PASSWORD)
    return at.button[0].click().run()


def rendered(at: AppTest) -> bytes:
    """Everything the session was sent: every element's message, tables' data included."""
    parts: list[bytes] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(proto.SerializeToString())
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return b"".join(parts)


def leaks(at: AppTest) -> list[str]:
    sent = rendered(at)
    return [word for word in SHOP_B_WORDS if word.encode() in sent]


# --- AppTest: a viewer of shop A and an admin --------------------------------------------


def test_the_admin_sees_shop_b(store_env, monkeypatch):
    """The store really holds shop B where the app can show it (so its absence below
    means something)."""
    at = signed_in(monkeypatch, "alex", {"shop": SHOP_B})
    assert not at.exception
    assert SHOP_B in at.selectbox(key="shop").options
    assert at.selectbox(key="shop").value == SHOP_B
    at.switch_page("pages/import_data.py").run()
    assert FILE_B.encode() in rendered(at) and SHOP_B.encode() in rendered(at)


@pytest.mark.parametrize("page", PAGES)
def test_a_viewer_never_sees_shop_b_on_any_page(store_env, monkeypatch, page):
    at = signed_in(monkeypatch, "kim")
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert at.title[0].value != "Sign in"
    assert leaks(at) == []


def test_the_portfolio_page_shows_the_viewer_shop_a_only(store_env, monkeypatch):
    """Issue 20's done-when: the viewer sees only shop A on the Portfolio page, while the
    admin's Portfolio holds shop B too (so its absence means something)."""
    viewer = signed_in(monkeypatch, "kim")
    viewer.switch_page("pages/portfolio.py").run()
    assert not viewer.exception, viewer.exception
    assert SHOP_A.encode() in rendered(viewer)
    assert leaks(viewer) == []
    admin = signed_in(monkeypatch, "alex")
    admin.switch_page("pages/portfolio.py").run()
    assert not admin.exception, admin.exception
    assert SHOP_B.encode() in rendered(admin)


def test_the_viewer_header_lists_only_shop_a(store_env, monkeypatch):
    at = signed_in(monkeypatch, "kim")
    assert at.selectbox(key="shop").options == [SHOP_A]
    assert at.metric  # shop A's figures are there


@pytest.mark.parametrize("query", [{"shop": SHOP_B}, {"campaign": CAMPAIGN_B},
                                   {"shop": SHOP_B, "campaign": CAMPAIGN_B, "view": "Daily",
                                    "day": "2026-11-21"}])
@pytest.mark.parametrize("page", ["pages/overview.py", "pages/products.py",
                                  "pages/creators.py"])
def test_a_link_naming_shop_b_is_refused(store_env, monkeypatch, query, page):
    at = signed_in(monkeypatch, "kim")
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page).run()
    assert not at.exception
    assert any("not shared with you" in error.value for error in at.error)
    assert not at.metric and leaks(at) == []


def test_a_link_opened_before_sign_in_is_refused_after_it(store_env, monkeypatch):
    at = signed_in(monkeypatch, "kim", {"shop": SHOP_B})
    assert any("not shared with you" in error.value for error in at.error)
    assert not at.metric and leaks(at) == []


def test_the_viewer_gets_no_write_controls(store_env, monkeypatch):
    at = signed_in(monkeypatch, "kim")
    assert not any(button.label == "Save target" for button in at.button)
    at.switch_page("pages/campaigns.py").run()
    assert not any(b.label == "Save campaign" for b in at.button)
    at.switch_page("pages/import_data.py").run()
    assert not any(b.label == "Back up now" for b in at.button)
    assert any("read only" in info.value for info in at.info)


def test_without_sign_in_the_local_user_sees_both_shops(store_env, monkeypatch):
    monkeypatch.delenv("CAMPAIGN_EXPOSED", raising=False)
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception
    assert {SHOP_A, SHOP_B} <= set(at.selectbox(key="shop").options)


def test_the_viewer_audit_log_holds_only_shop_a(store_env, monkeypatch):
    at = signed_in(monkeypatch, "kim")
    at.switch_page("pages/import_data.py").run()
    audit = next(frame.value for frame in at.dataframe if "who" in frame.value.columns)
    assert set(audit["shop"]) == {SHOP_A}


# --- readers, exports and writers under the viewer's session ------------------------------


@pytest.fixture
def as_viewer(store_env):
    """This thread acts as the viewer kim, as the sign-in gate would set it."""
    st.session_state["access_grant"] = access_for("kim", USERS)
    yield store_env
    st.session_state.pop("access_grant", None)


def shop_b_things(db: Path):
    with read_connection(db) as conn:
        shop = find_shop(conn, SHOP_B)
        campaign = find_campaign(conn, CAMPAIGN_B)
        import_id = conn.execute("SELECT import_id FROM import_log WHERE file_name = :f",
                                 {"f": FILE_B}).fetchone()[0]
    return shop, campaign, import_id


def test_the_report_export_refuses_shop_b(as_viewer):
    from campaign_core.windows import View
    from ui import data, report_download
    from ui.header import Selection

    shop, campaign, _ = shop_b_things(as_viewer)
    version = data.current_version(as_viewer)
    with pytest.raises(AccessDenied):
        data.stakeholder_report(as_viewer, version, campaign, "period", None, 0, "html")
    selection = Selection(as_viewer, shop, campaign, View.PERIOD, None)
    for file_format in ("html", "pdf"):
        with pytest.raises(AccessDenied):
            report_download.report_bytes(selection, file_format)


def test_the_readers_behind_downloads_refuse_shop_b(as_viewer):
    from campaign_core.windows import View
    from ui import data, settings
    from ui.audit_table import audit_frame

    shop, campaign, import_id = shop_b_things(as_viewer)
    version = data.current_version(as_viewer)
    from campaign_core.report import campaign_window

    window = campaign_window(campaign, View.PERIOD, settings.now(), None)
    refused = [lambda: data.quarantine(as_viewer, version, import_id),
               lambda: data.kpis(as_viewer, version, shop.shop_id, window),
               lambda: data.products(as_viewer, version, shop.shop_id, window, campaign, 0),
               lambda: data.content_rows(as_viewer, version, shop.shop_id, window),
               lambda: data.creators(as_viewer, version, campaign, window, 0),
               lambda: data.sub_campaign_list(as_viewer, version, campaign.campaign_id),
               lambda: data.pacing(as_viewer, version, campaign, 0),
               lambda: data.benchmarks(as_viewer, version, shop, window)]
    for read in refused:
        with pytest.raises(AccessDenied):
            read()
    assert [s.name for s in data.shops(as_viewer, version)] == [SHOP_A]
    assert CAMPAIGN_B not in [c.name for c in data.campaigns(as_viewer, version)]
    assert FILE_B not in set(data.import_log(as_viewer, version)["file_name"])
    assert set(audit_frame(as_viewer, version, "UTC")["shop"]) == {SHOP_A}


def test_the_viewer_cannot_write(as_viewer, tmp_path):
    from ui import data, edits

    shop_b, campaign_b, _ = shop_b_things(as_viewer)
    version = data.current_version(as_viewer)
    shop_a = next(s for s in data.shops(as_viewer, version) if s.name == SHOP_A)
    with pytest.raises(AccessDenied):
        edits.save_campaign(as_viewer, shop_id=shop_a.shop_id, name="Mine",
                            start_day=date(2026, 12, 1), end_day=date(2026, 12, 2),
                            timezone=None, gmv_target_cents=None, campaign_id=None)
    with pytest.raises(AccessDenied), edits.writing(as_viewer, shop_a.shop_id) as conn:
        set_unit_cost(conn, shop_a.shop_id, "X", 1, date(2026, 11, 1))
    export = write_export(tmp_path, hand_orders())
    with pytest.raises(AccessDenied):
        edits.import_upload(as_viewer, export, file_name="x.csv", shop_name=SHOP_A,
                            timezone="UTC", now_utc=0)
    with read_connection(as_viewer) as conn:
        assert find_campaign(conn, "Mine") is None


def test_staff_write_their_shop_and_not_the_other(store_env, tmp_path):
    from ui import edits

    st.session_state["access_grant"] = access_for("sam@agency.example", USERS)
    try:
        shop_b, campaign_b, _ = shop_b_things(store_env)
        with pytest.raises(AccessDenied):
            edits.delete_campaign(store_env, campaign_b.campaign_id)
        with pytest.raises(AccessDenied):
            edits.import_upload(store_env, write_export(tmp_path, hand_orders()),
                                file_name="x.csv", shop_name=SHOP_B, timezone="UTC",
                                now_utc=0)
        with read_connection(store_env) as conn:
            shop_a = find_shop(conn, SHOP_A)
        saved = edits.save_campaign(store_env, shop_id=shop_a.shop_id, name="Staff sale",
                                    start_day=date(2026, 12, 1), end_day=date(2026, 12, 2),
                                    timezone=None, gmv_target_cents=None, campaign_id=None)
        with pytest.raises(AccessDenied):  # nor move a campaign into a shop not theirs
            edits.save_campaign(store_env, shop_id=shop_b.shop_id, name="Staff sale",
                                start_day=date(2026, 12, 1), end_day=date(2026, 12, 2),
                                timezone=None, gmv_target_cents=None,
                                campaign_id=saved.campaign_id)
        with read_connection(store_env) as conn:
            actor = conn.execute("SELECT actor FROM audit_log WHERE subject = 'Staff sale'"
                                 ).fetchone()[0]
        assert actor == "sam@agency.example"
    finally:
        st.session_state.pop("access_grant", None)


def test_a_reader_without_a_decision_fails_closed(store_env):
    from ui import data

    st.session_state.pop("access_grant", None)
    with pytest.raises(AccessDenied):
        data.shops(store_env, data.current_version(store_env))


def test_every_cached_reader_checks_access_or_filters_its_answer():
    """A reader added later that takes none of the arguments naming a shop must filter
    by itself and be listed in FILTERED_READERS; else this fails."""
    from ui import data

    unchecked = [name for name, value in vars(data).items()
                 if not name.startswith("_") and callable(value) and hasattr(value, "clear")
                 and not getattr(value, "checks_access", False)
                 and name not in data.WORKSPACE_READERS]
    assert unchecked == []
    for name in data.FILTERED_READERS:
        assert callable(getattr(data, name))


def test_an_access_grant_is_an_access():
    assert isinstance(access_for("kim", USERS), Access)
