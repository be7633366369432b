"""A real server listening on every interface never shows data before sign-in.

Streamlit listens on every interface when ``server.address`` is empty or unset: with
``--server.address=``, and when the app is started from another working directory with no
``.streamlit/config.toml`` beside the script (Streamlit reads the file from the current
folder and from the script's folder; a copy of the app without its hidden ``.streamlit``
folder has neither). A client on 127.0.0.1 must then get the sign-in form or a refusal that
names the fix, never the dashboard.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.browser.conftest import stop_app
from tests.browser.server_process import APP, password_secrets, start_server
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.browser

# What a copy of the app needs to run (its hidden .streamlit folder left out).
APP_PARTS = ("app.py", "ui", "pages", "campaign_core")
# Either of these is an answer; the dashboard's own page names and cards are data.
REFUSAL = "cannot offer a safe sign-in"
SIGN_IN = "Sign in"


def app_copy_without_config(folder: Path) -> Path:
    """The app's files linked into ``folder``, without ``.streamlit``; its ``app.py``."""
    folder.mkdir()
    for part in APP_PARTS:
        (folder / part).symlink_to(PROJECT_ROOT / part)
    return folder / "app.py"


def start_exposed(db: Path, cwd: Path, address_flag: list[str], log: Path,
                  app: Path = APP) -> tuple[subprocess.Popen, str]:
    """``streamlit run`` of ``app`` (absolute path) from ``cwd`` with the given address flag;
    the server listens on every interface, the client talks to 127.0.0.1."""
    return start_server(db, cwd=cwd, log=log, flags=address_flag, app=app)


def page_text_of(browser, url: str) -> tuple[str, int]:
    """The page's text once the app has answered, and how many metric cards it shows."""
    page = browser.new_page()
    try:
        page.goto(url)
        # The dashboard draws metric cards; the gate draws a title or an error box.
        page.wait_for_selector('[data-testid="stMetric"], [data-testid="stAlert"], h1',
                               timeout=90_000)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
            timeout=90_000)
        return page.inner_text("body"), page.locator('[data-testid="stMetric"]').count()
    finally:
        page.close()


def _assert_gated(text: str, metrics: int) -> None:
    assert metrics == 0, "the dashboard showed data to a client that did not sign in"
    assert REFUSAL in text or SIGN_IN in text, text[:500]
    for data_word in ("Overview", "GMV", "Products and stock"):
        assert data_word not in text, f"{data_word!r} shown before sign-in"


@pytest.mark.parametrize("case", ["empty address flag", "started from another folder"])
def test_a_server_on_every_interface_shows_no_data_without_sign_in(
        browser, demo_copy: Path, tmp_path: Path, case: str):
    app, cwd = APP, tmp_path / "elsewhere"
    cwd.mkdir()
    if case == "empty address flag":
        cwd, flag = PROJECT_ROOT, ["--server.address="]
    else:
        app, flag = app_copy_without_config(tmp_path / "copy"), []
    log = tmp_path / "server.log"
    process, url = start_exposed(demo_copy, cwd, flag, log, app)
    try:
        text, metrics = page_text_of(browser, url)
    finally:
        stop_app(process)
    _assert_gated(text, metrics)
    if REFUSAL in text:
        # The page and the log say why and name the fix.
        assert "every network interface" in text and "--server.address=localhost" in text
        logged = log.read_text()
        assert "every network interface" in logged and "--server.address=localhost" in logged


def test_a_server_on_every_interface_with_sign_in_configured_asks_for_it(
        browser, demo_copy: Path, tmp_path: Path):
    cwd = tmp_path / "elsewhere"
    password_secrets(cwd, "alex", "correct horse battery")
    app = app_copy_without_config(tmp_path / "copy")
    process, url = start_exposed(demo_copy, cwd, [], tmp_path / "server.log", app)
    try:
        text, metrics = page_text_of(browser, url)
    finally:
        stop_app(process)
    _assert_gated(text, metrics)
    assert SIGN_IN in text and REFUSAL not in text
