"""Browser tests: a real ``streamlit run`` of the app on the demo store, driven by Playwright
with Debian's Chromium (Playwright's own browser download is not used). Skipped, saying
why, where Chromium or Playwright is missing; CI installs both."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DEMO_NOW, PROJECT_ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = PROJECT_ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]

# A module-level mark in a conftest reaches no test module, so every test collected under
# this folder is marked here: `-m "not browser"` then leaves them out.
BROWSER_FOLDER = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if BROWSER_FOLDER in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_app(db: Path, script: Path | str = "app.py",
              cwd: Path = PROJECT_ROOT) -> tuple[subprocess.Popen, str]:
    """``streamlit run script`` (the app by default) on ``db`` with the demo's clock."""
    port = _free_port()
    env = {**os.environ, "CAMPAIGN_DB": str(db), "CAMPAIGN_NOW": DEMO_NOW,
           "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
           # A failing test then shows the exception's message, not a redacted box.
           "STREAMLIT_CLIENT_SHOW_ERROR_DETAILS": "full"}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1"],
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process, wait_until_healthy(process, f"http://127.0.0.1:{port}")


def wait_until_healthy(process: subprocess.Popen, url: str, seconds: float = 60) -> str:
    """``url`` once the server started as ``process`` answers its health check; the process
    is killed and ``RuntimeError`` raised when it does not within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return url
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"streamlit did not start within {seconds:.0f} s")


def stop_app(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def demo_copy(demo_store: Path, tmp_path: Path) -> Path:
    """A private copy of the demo store: browser tests may write (imports, targets)."""
    copy = tmp_path / "campaign.db"
    with __import__("sqlite3").connect(demo_store) as source, \
            __import__("sqlite3").connect(copy) as target:
        source.backup(target)
    return copy


@pytest.fixture(scope="module")
def app_url(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import sqlite3

    db = tmp_path_factory.mktemp("browser") / "campaign.db"
    with sqlite3.connect(demo_store) as source, sqlite3.connect(db) as target:
        source.backup(target)
    process, url = start_app(db)
    yield url
    stop_app(process)


def wait_for_app(page, selector: str = '[data-testid="stMetric"]', timeout: int = 60_000):
    """Wait until the app has drawn ``selector`` and has stopped running."""
    page.wait_for_selector(selector, timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture
def exposed_app(demo_copy: Path, tmp_path: Path):
    """The app on 127.0.0.1 treated as exposed, with one password sign-in
    (``server_process.USER`` / ``PASSWORD``); its URL."""
    from tests.browser.server_process import PASSWORD, USER, password_secrets, start_server

    password_secrets(tmp_path, USER, PASSWORD)
    process, url = start_server(demo_copy, cwd=tmp_path, log=tmp_path / "server.log",
                                flags=["--server.address", "127.0.0.1"],
                                env={"CAMPAIGN_EXPOSED": "1"})
    yield url
    stop_app(process)
