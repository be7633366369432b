"""Before the sign-in gate is passed nothing may clear the server's caches; the inbox
watcher is one per process whatever the caches do."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import streamlit as st
from streamlit.runtime.app_session import AppSession

from campaign_core.store import ensure_store

AUTHORIZED_KEY = "_campaign_gate_passed"


def install_guards() -> None:
    try:
        from ui import server_guards
    except ImportError:  # before the guards existed
        return
    server_guards.install()


def a_session(state: dict) -> SimpleNamespace:
    """What Streamlit's clear-cache handler reads of its session."""
    return SimpleNamespace(session_state=state, _session_state=mock.MagicMock())


def test_a_signed_out_session_cannot_clear_the_caches():
    runs = []

    @st.cache_data
    def cached() -> int:
        runs.append(1)
        return len(runs)

    @st.cache_resource
    def resource() -> object:
        return object()

    cached()
    kept = resource()
    install_guards()
    AppSession._handle_clear_cache_request(a_session({}))
    assert cached() == 1 and resource() is kept
    AppSession._handle_clear_cache_request(a_session({AUTHORIZED_KEY: "yes"}))  # not True
    assert cached() == 1
    AppSession._handle_clear_cache_request(a_session({AUTHORIZED_KEY: True}))
    assert cached() == 2 and resource() is not kept


def inbox_watchers() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate()
            if thread.name == "inbox-watcher" and thread.is_alive()]


def test_clearing_the_caches_never_starts_a_second_inbox_watcher(tmp_path: Path):
    from ui import realtime

    db = tmp_path / "campaign.db"
    ensure_store(db)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    before = len(inbox_watchers())
    try:
        for _ in range(3):
            assert realtime.ensure_inbox_watcher(db) == inbox
            st.cache_data.clear()
            st.cache_resource.clear()
        assert len(inbox_watchers()) - before == 1
    finally:
        shutil.rmtree(inbox)  # the watcher ends when its folder is gone
        deadline = time.monotonic() + 10
        while len(inbox_watchers()) > before and time.monotonic() < deadline:
            time.sleep(0.1)
