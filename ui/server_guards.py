"""What a browser that has not passed the sign-in gate may not do on the server.

Streamlit lets any websocket session (a self-issued XSRF cookie is enough) upload files to
``/_stcore/upload_file/<session>/…`` and send a ``clear_cache`` message, which clears the
caches of every session, before the app's script has run at all. The gate
(``ui/auth.py``) marks a session that may see the dashboard; these hooks refuse uploads
(before the body is read) and cache clearing for every other session.

Reports made on click (``st.download_button`` with a callable: the stakeholder report) are
served at ``/media/<hash>.<ext>``, which Streamlit serves to anyone with the address, signed
in or not. Their links are made short-lived: the browser fetches one twice (a check, then
the download) within a second; after two fetches or a minute the file is dropped, so an
address read from a log or a history is dead.

``/_stcore/metrics`` (no option turns it off) would tell anyone the names of the app's
cached functions, its sessions and their memory, and make the server walk every session
to count it: it answers with no figures.

The hooks wrap Streamlit 1.67 internals: ``Runtime.is_active_session`` (asked only by the
upload route), ``AppSession._handle_clear_cache_request``, and the media manager's
``execute_deferred`` and its storage's ``get_file``, and the stats manager's
``registered_families`` and ``get_stats`` (asked only by the metrics route); the tests fail
if an upgrade moves them.
"""

from __future__ import annotations

import functools
import logging
import threading
import time

import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.media_file_storage import MediaFileStorageError

# Set in a session's state by the gate only (no widget has this key).
AUTHORIZED_KEY = "_campaign_gate_passed"
_LOG = logging.getLogger(__name__)
_install_lock = threading.Lock()
# A report made on click may be fetched this often, this soon after it was made.
REPORT_LINK_FETCHES = 2
REPORT_LINK_SECONDS = 60


def mark_authorized() -> None:
    """This session passed the gate (on this machine, or signed in)."""
    st.session_state[AUTHORIZED_KEY] = True


def revoke() -> None:
    st.session_state.pop(AUTHORIZED_KEY, None)


def _state_allows(session: AppSession | None) -> bool:
    if session is None:
        return False
    try:
        return session.session_state[AUTHORIZED_KEY] is True
    except (KeyError, AttributeError):
        return False


def install() -> None:
    """Put the hooks in place, once per process (safe to call on every run)."""
    with _install_lock:
        _guard_clear_cache()
        if Runtime.exists():  # no runtime under AppTest: no upload or media route either
            _guard_uploads(Runtime.instance())
            _single_use_report_links(Runtime.instance())
            _close_metrics(Runtime.instance())


def _guard_clear_cache() -> None:
    handler = AppSession._handle_clear_cache_request
    if getattr(handler, "_campaign_guarded", False):
        return

    @functools.wraps(handler)
    def clear_cache_if_authorized(self: AppSession) -> None:
        if not _state_allows(self):
            _LOG.warning("Ignored a request to clear the caches from a session that has "
                         "not signed in.")
            return
        handler(self)

    clear_cache_if_authorized._campaign_guarded = True  # type: ignore[attr-defined]
    AppSession._handle_clear_cache_request = clear_cache_if_authorized  # type: ignore[method-assign]


def _guard_uploads(runtime: Runtime) -> None:
    is_active = runtime.is_active_session
    if getattr(is_active, "_campaign_guarded", False):
        return

    def may_upload(session_id: str) -> bool:
        # The upload route asks this before it reads the body: a refused upload costs
        # nothing but the request line.
        if not is_active(session_id):
            return False
        if _state_allows(runtime.get_app_session(session_id)):
            return True
        _LOG.warning("Refused an upload from a session that has not signed in.")
        return False

    may_upload._campaign_guarded = True  # type: ignore[attr-defined]
    runtime.is_active_session = may_upload  # type: ignore[method-assign]


def _single_use_report_links(runtime: Runtime) -> None:
    manager = runtime.media_file_mgr
    storage = getattr(manager, "_storage", None)
    if storage is None or getattr(storage.get_file, "_campaign_guarded", False):
        return
    execute_deferred, get_file = manager.execute_deferred, storage.get_file
    armed: dict[str, list[float]] = {}  # file id -> [made at, fetches]
    lock = threading.Lock()

    def execute_and_arm(file_id: str) -> str:
        url = execute_deferred(file_id)  # makes the file (and reads it back for its URL)
        with lock:
            armed[url.rsplit("/", 1)[-1].split(".", 1)[0]] = [time.monotonic(), 0]
        return url

    def get_file_few_times(filename: str):
        file_id = filename.split(".", 1)[0]
        with lock:
            entry = armed.get(file_id)
            expired = entry is not None and (
                time.monotonic() - entry[0] > REPORT_LINK_SECONDS
                or entry[1] >= REPORT_LINK_FETCHES)
            if entry is not None and not expired:
                entry[1] += 1
            if expired:
                del armed[file_id]
        if expired:
            storage.delete_file(file_id)
            raise MediaFileStorageError(f"The link to {filename} has expired")
        return get_file(filename)

    get_file_few_times._campaign_guarded = True  # type: ignore[attr-defined]
    manager.execute_deferred = execute_and_arm  # type: ignore[method-assign]
    storage.get_file = get_file_few_times  # type: ignore[method-assign]


def _close_metrics(runtime: Runtime) -> None:
    stats = runtime.stats_mgr
    if getattr(stats.get_stats, "_campaign_guarded", False):
        return

    def no_stats(*_args, **_kwargs) -> dict:
        return {}

    def no_families() -> list:
        return []

    no_stats._campaign_guarded = True  # type: ignore[attr-defined]
    stats.get_stats = no_stats  # type: ignore[method-assign]
    stats.registered_families = no_families  # type: ignore[method-assign]
