"""Replay beyond the Overview (AppTest): a moment chosen on the Overview, or a link's
``?as_of=``, shows every page as it was then, with the "Replaying ... back to live" bar;
the moment carries across page switches, and editors are hidden while replaying."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import PROJECT_ROOT
from ui import replay

APP = str(PROJECT_ROOT / "app.py")
MOMENT = "2026-11-22T18:00"


def texts(at: AppTest) -> list[str]:
    return [m.value.replace("\\", "").replace("\u2060", "") for m in at.markdown]


def captions(at: AppTest) -> list[str]:
    return [c.value.replace("\\", "").replace("\u2060", "") for c in at.caption]


def replaying_bar(at: AppTest) -> bool:
    return any("Replaying **Nov 22, 6 PM**" in text for text in texts(at))


def replay_then_open(page: str, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in {"view": "Campaign Period", "as_of": MOMENT, **(query or {})}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("page", ["pages/products.py", "pages/creators.py",
                                  "pages/marketing.py", "pages/traffic.py",
                                  "pages/funnel.py", "pages/content.py"])
def test_every_dashboard_page_replays_the_moment(app_env, page):
    at = replay_then_open(page)
    assert replaying_bar(at)
    # The page's own clock is the moment: day 3 of the demo's 12, at 18:00.
    assert any("(now 18:00)" in c and "day 3 of 12" in c for c in captions(at))
    # The moment carries across the page switch (the address bar keeps it for links).
    assert at.query_params["as_of"] == MOMENT


def test_products_page_hides_its_editors(app_env):
    """The figures come from the copy (``tests/test_replay.py`` checks the copy's products
    against a store of what was known then); the stock and cost forms are gone."""
    at = replay_then_open("pages/products.py")
    assert not [b for b in at.button if b.label in ("Add stock", "Save cost")]


def test_back_to_live_from_another_page(app_env):
    at = replay_then_open("pages/creators.py")
    at.button(key="replay_page_live").click().run()
    assert not at.exception
    assert not replaying_bar(at)
    assert "as_of" not in at.query_params
    assert not any("(now 18:00)" in c for c in captions(at))


def test_editors_are_off_while_replaying(app_env):
    at = replay_then_open("pages/campaigns.py")
    assert replaying_bar(at)
    assert any(replay.EDITING_OFF in c for c in captions(at))
    assert not [b for b in at.button if b.label == "Save campaign"]
    at.switch_page("pages/import_data.py").run()
    assert not at.exception
    assert replaying_bar(at)
    assert not at.get("file_uploader")
    assert any(replay.EDITING_OFF in c for c in captions(at))
    at.switch_page("pages/alerts.py").run()
    assert not at.exception
    assert not [b for b in at.button if b.label in ("Add rule", "Check now")]
    assert any("as it would have been sent then" in c for c in captions(at))


def test_portfolio_replays_every_shop_as_of_then(app_env):
    live = AppTest.from_file(APP, default_timeout=90).run()
    live.switch_page("pages/portfolio.py").run()
    at = replay_then_open("pages/portfolio.py")
    assert replaying_bar(at)
    then_metrics = [m.value for m in at.metric]
    assert then_metrics and then_metrics != [m.value for m in live.metric]
