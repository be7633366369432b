"""The Overview's replay bar: ``?as_of=`` replays a past moment, a bad value is refused,
the Replay button opens the slider, play steps one hour on, and links carry the moment."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qsl, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from campaign_core.windows import local_midnight_utc
from tests.conftest import PROJECT_ROOT, TZ

APP = str(PROJECT_ROOT / "app.py")


def start(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


def texts(at: AppTest) -> list[str]:
    return [m.value.replace("\\", "").replace("\u2060", "") for m in at.markdown]


def headline(at: AppTest) -> str:
    return next(text for text in texts(at) if text.startswith("### "))


@pytest.fixture
def live(app_env) -> AppTest:
    return start({"view": "Campaign Period"})


def test_as_of_replays_the_overview_at_that_moment(live):
    at = start({"view": "Campaign Period", "as_of": "2026-11-22T18:00"})
    assert any("Replay] as of **Nov 22, 6 PM**" in text for text in texts(at))
    assert any("(now 18:00)" in caption.value for caption in at.caption)
    assert any("day 3 of 12" in caption.value for caption in at.caption)
    assert headline(at) != headline(live)
    assert at.select_slider(key="replay_slider").value is not None
    assert not [b for b in at.button if b.label == "Set target"]  # a replay is read only
    link = next(code.value for code in at.code if "view=" in code.value)
    assert dict(parse_qsl(urlsplit(link).query))["as_of"] == "2026-11-22T18:00"


@pytest.mark.parametrize("value, reason", [("tomorrow", "not a date and time"),
                                           ("2026-11-01T12:00", "before the campaign")])
def test_a_bad_as_of_is_refused_and_the_page_stays_live(app_env, value, reason):
    at = start({"as_of": value})
    assert any(reason in warning.value for warning in at.warning)
    assert not any("Replay] as of" in text for text in texts(at))


def test_the_replay_button_opens_the_slider_and_play_steps_an_hour(app_env):
    at = start({"view": "Campaign Period"})
    at.button(key="replay_start").click().run()
    assert not at.exception
    slider = at.select_slider(key="replay_slider")
    # Nov 21, 06:00: hour 30 of the campaign.
    slider.set_value(local_midnight_utc(date(2026, 11, 20), TZ) + 30 * 3600).run()
    assert any("as of **Nov 21, 6 AM**" in text for text in texts(at))
    assert at.query_params["as_of"] == "2026-11-21T06:00"
    at.button(key="replay_play").click().run()  # plays: a timer steps on (not in AppTest)
    assert not at.exception
    assert at.button(key="replay_play").label == "Pause"
    at.button(key="replay_play").click().run()
    assert at.button(key="replay_play").label == "Play"
    at.button(key="replay_live").click().run()
    assert not any("Replay] as of" in text for text in texts(at))
    assert "as_of" not in at.query_params
