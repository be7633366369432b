"""Streamlit's session id is a bearer token (it is in upload URLs, so in proxy logs): a
client that presents a signed-in browser's session id gets the sign-in page, not the
session. A stakeholder report's ``/media/<hash>.html`` address works once, for the browser
that asked for it, and is dead afterwards."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.browser.app_pages import DESKTOP, settle
from tests.browser.server_process import PASSWORD, USER
from tests.browser.stream_client import StreamClient

pytestmark = pytest.mark.browser


def session_ids_of(page) -> list[str]:
    """Collects the session id Streamlit sends the page over its websocket."""
    found: list[str] = []

    def on_frame(payload) -> None:
        if isinstance(payload, bytes | bytearray):
            message = ForwardMsg()
            try:
                message.ParseFromString(bytes(payload))
            except Exception:  # not a ForwardMsg
                return
            if message.WhichOneof("type") == "new_session":
                found.append(message.new_session.initialize.session_id)

    page.on("websocket", lambda socket: socket.on("framereceived", on_frame))
    return found


def signed_in_page(browser, url: str):
    page = browser.new_page(viewport=DESKTOP, accept_downloads=True)
    ids = session_ids_of(page)
    page.goto(f"{url}/?view=Daily&day=2026-11-21")
    page.get_by_role("textbox", name="User").fill(USER)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    settle(page, '[data-testid="stMetric"]')
    return page, ids


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_session_id_from_a_log_does_not_carry_the_sign_in(browser, exposed_app):
    page, ids = signed_in_page(browser, exposed_app)
    try:
        assert ids, "no session id seen on the websocket"
        with StreamClient(exposed_app, resume_session=ids[-1]) as thief:
            thief.run()
            shown = " ".join(thief.texts)
        assert "Sign in" in shown and "Overview" not in shown and "GMV" not in shown
    finally:
        page.close()


def test_a_report_link_works_once(browser, exposed_app):
    page, _ = signed_in_page(browser, exposed_app)
    try:
        page.get_by_role("button", name="Report").click()
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="HTML").click()
        content = Path(download.value.path()).read_bytes()
        assert content.startswith(b"<!DOCTYPE html>")
        assert "/media/" in download.value.url
        assert status_of(download.value.url) == 404  # no sign-in, no second fetch
    finally:
        page.close()
