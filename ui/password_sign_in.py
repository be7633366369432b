"""The built-in password sign-in form (``[passwords]`` in secrets.toml).

Attempts are limited per user name, client address and session for the whole process by
one ``SignInGuard`` kept here at module level: not in a Streamlit cache, which a signed-out
client could clear (see campaign_core/security/sign_in_guard.py).
"""

from __future__ import annotations

import os
import secrets

import streamlit as st

from campaign_core.security.network import client_behind_proxies
from campaign_core.security.sign_in_guard import Result, SignInGuard

GUARD = SignInGuard()
_SESSION_KEY = "sign_in_attempt_session"


def _session_id() -> str:
    session = st.session_state.get(_SESSION_KEY)
    if session is None:
        session = secrets.token_urlsafe(16)
        st.session_state[_SESSION_KEY] = session
    return session


def _client_address() -> str | None:
    """The browser's address: the TCP peer, or behind a trusted reverse proxy the address
    it forwarded (``CAMPAIGN_TRUSTED_PROXIES``); None on this machine, or in tests."""
    try:
        address = st.context.ip_address
        forwarded = st.context.headers.get("X-Forwarded-For")
    except Exception:  # no server context
        return None
    if not isinstance(address, str):  # AppTest gives a stand-in
        return None
    return client_behind_proxies(address, forwarded if isinstance(forwarded, str) else None,
                                 os.environ.get("CAMPAIGN_TRUSTED_PROXIES"))


def show(passwords: dict[str, str]) -> str | None:
    """Draw the form; the signed-in user name once a right password was sent, else None."""
    client, session = _client_address(), _session_id()
    wait = GUARD.locked_for(client=client, session=session)
    if wait:
        st.error(f"Too many failed attempts: try again in {int(wait)} s.")
        return None
    with st.form("sign_in"):
        user = st.text_input("User")
        password = st.text_input("Password", type="password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if not submitted:
        return None
    answer = GUARD.attempt(passwords, user.strip(), password, client=client, session=session)
    if answer.result is Result.SIGNED_IN:
        return user.strip()
    if answer.result is Result.LOCKED:
        st.error(f"Too many failed attempts: try again in {int(answer.retry_after)} s.")
    elif answer.result is Result.BUSY:
        st.error("Too many sign-in attempts on this server: try again in "
                 f"{int(answer.retry_after)} s.")
    elif GUARD.locked_for(client=client, session=session):
        st.rerun()  # this attempt used up the session's tries: hide the form
    else:
        st.error("Wrong user or password.")
    return None
