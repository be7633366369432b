"""What a browser that has not passed the sign-in gate may not do on the server.

Streamlit lets any websocket session (a self-issued XSRF cookie is enough) upload files to
``/_stcore/upload_file/<session>/…`` and send a ``clear_cache`` message, which clears the
caches of every session, before the app's script has run at all. The gate
(``ui/auth.py``) marks a session that may see the dashboard; these hooks refuse uploads
(before the body is read) and cache clearing for every other session.

The hooks wrap two Streamlit 1.67 internals, ``Runtime.is_active_session`` (asked only by
the upload route) and ``AppSession._handle_clear_cache_request``; ``tests/test_server_guards``
fails if a Streamlit upgrade moves them.
"""

from __future__ import annotations

import functools
import logging
import threading

import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.app_session import AppSession

# Set in a session's state by the gate only (no widget has this key).
AUTHORIZED_KEY = "_campaign_gate_passed"
_LOG = logging.getLogger(__name__)
_install_lock = threading.Lock()


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
        if Runtime.exists():  # no runtime under AppTest: no upload route either
            _guard_uploads(Runtime.instance())


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
