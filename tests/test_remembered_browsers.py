"""A browser is remembered as signed in for a limited time, and no longer than its user's
password stays the same."""

from __future__ import annotations

from campaign_core.security import remembered
from campaign_core.security.remembered import RememberedBrowsers


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


PASSWORDS = {"alex": "pbkdf2_sha256$1000$c2FsdA==$aGFzaA=="}


def test_a_browser_is_remembered_until_the_time_is_up():
    clock = Clock()
    browsers = RememberedBrowsers(clock)
    browsers.remember("browser-a", "alex", PASSWORDS["alex"], seconds=3600)
    assert browsers.user_for("browser-a", PASSWORDS) == "alex"
    assert browsers.user_for("browser-b", PASSWORDS) is None
    clock.now = 3600
    assert browsers.user_for("browser-a", PASSWORDS) is None


def test_a_changed_or_removed_password_ends_the_remembered_sign_in():
    browsers = RememberedBrowsers()
    browsers.remember("browser-a", "alex", PASSWORDS["alex"], seconds=3600)
    assert browsers.user_for("browser-a", {"alex": "pbkdf2_sha256$1000$bmV3$bmV3"}) is None
    browsers.remember("browser-a", "alex", PASSWORDS["alex"], seconds=3600)
    assert browsers.user_for("browser-a", {}) is None


def test_sign_out_forgets_and_zero_hours_remembers_nothing():
    browsers = RememberedBrowsers()
    browsers.remember("browser-a", "alex", PASSWORDS["alex"], seconds=3600)
    browsers.forget("browser-a")
    assert browsers.user_for("browser-a", PASSWORDS) is None
    browsers.remember("browser-a", "alex", PASSWORDS["alex"], seconds=0)
    assert browsers.user_for("browser-a", PASSWORDS) is None


def test_the_table_stays_bounded(monkeypatch):
    monkeypatch.setattr(remembered, "MAX_BROWSERS", 10)
    browsers = RememberedBrowsers()
    for n in range(50):
        browsers.remember(f"browser-{n}", "alex", PASSWORDS["alex"], seconds=3600)
    assert len(browsers._entries) == 10
    assert browsers.user_for("browser-49", PASSWORDS) == "alex"
