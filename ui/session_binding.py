"""A password sign-in belongs to the browser that signed in, not to a session id; that
browser is remembered as signed in for ``[access] remember_hours`` (default 12, 0 = off).

Streamlit's session id is a bearer token: it appears in upload URLs (so in proxy logs) and a
websocket that presents it takes the session over, signed-in state included. It is not
renewed at sign-in (the app cannot change it). So the sign-in also records a fingerprint of
the browser's XSRF cookie token (sent in the Cookie header, never in a URL); a run from a
connection without that cookie signs the session out. A reload or a new tab of the same
browser carries the cookie, so it opens signed in until the time is up (see
campaign_core/security/remembered.py: kept in memory, forgotten at sign-out or restart).
"""

from __future__ import annotations

import hashlib
import hmac

import streamlit as st
from streamlit.web.server.starlette.starlette_app_utils import decode_xsrf_token_string

from campaign_core.security.remembered import RememberedBrowsers

XSRF_COOKIE = "_streamlit_xsrf"
_KEY = "signed_in_browser"
DEFAULT_REMEMBER_HOURS = 12.0
REMEMBERED = RememberedBrowsers()


def _fingerprint() -> str | None:
    try:
        cookie = st.context.cookies.get(XSRF_COOKIE)
    except Exception:  # no server context
        return None
    if not isinstance(cookie, str):  # AppTest gives a stand-in
        return None
    # The token, not the cookie text: Streamlit may re-mask the same token.
    token, _ = decode_xsrf_token_string(cookie)
    return hashlib.sha256(token).hexdigest() if token else None


def bind() -> None:
    """Call when the visitor has just signed in."""
    st.session_state[_KEY] = _fingerprint()


def same_browser() -> bool:
    """True when this run comes from the browser that signed in."""
    if _KEY not in st.session_state:
        return False
    stored, current = st.session_state[_KEY], _fingerprint()
    if stored is None:  # signed in without the cookie (tests): nothing to compare
        return current is None
    return current is not None and hmac.compare_digest(stored, current)


def forget() -> None:
    st.session_state.pop(_KEY, None)


def remember_hours() -> float:
    try:
        hours = st.secrets.get("access", {}).get("remember_hours", DEFAULT_REMEMBER_HOURS)
        return max(0.0, float(hours))
    except Exception:  # no secrets.toml, or not a number: the default
        return DEFAULT_REMEMBER_HOURS


def remember(user: str, stored_hash: str) -> None:
    """Remember this browser as ``user`` (after a password sign-in)."""
    browser = _fingerprint()
    if browser is not None:
        REMEMBERED.remember(browser, user, stored_hash, remember_hours() * 3600)


def remembered_user(passwords: dict[str, str]) -> str | None:
    """The user this browser signed in as, while remembered."""
    browser = _fingerprint()
    return REMEMBERED.user_for(browser, passwords) if browser is not None else None


def forget_browser() -> None:
    browser = _fingerprint()
    if browser is not None:
        REMEMBERED.forget(browser)
