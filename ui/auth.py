"""Sign-in for shared deployments.

On this machine only (``server.address`` localhost, the default) the dashboard opens
without sign-in. Exposed (another ``server.address``, or ``CAMPAIGN_EXPOSED=1``, or
``[access] exposed = true`` in secrets.toml) it serves nothing until the user signs in,
with Streamlit's OIDC sign-in (``[auth]`` in secrets.toml) or the built-in password
sign-in (``[passwords]``: user = salted hash from ``python -m campaign_core password``).
Exposed without a usable sign-in, it refuses to serve at all.
"""

from __future__ import annotations

import os
import time

import streamlit as st

from campaign_core.security.passwords import is_placeholder, is_well_formed, verify_password
from ui.formatting import plain

LOCAL_ADDRESSES = {"", "localhost", "127.0.0.1", "::1"}
USER_KEY = "signed_in_user"
_FAILURES_KEY = "sign_in_failures"
MAX_FAILURES = 5
LOCKOUT_SECONDS = 60


def _secrets_section(name: str) -> dict:
    try:
        return dict(st.secrets.get(name, {}))
    except Exception:  # no secrets.toml at all
        return {}


def deployment_is_exposed() -> bool:
    """True when people other than this machine's user can reach the dashboard."""
    if os.environ.get("CAMPAIGN_EXPOSED", "").lower() in ("1", "true", "yes"):
        return True
    if _secrets_section("access").get("exposed") is True:
        return True
    address = str(st.get_option("server.address") or "").strip().lower()
    return address not in LOCAL_ADDRESSES


def configuration_problems() -> list[str]:
    """Why an exposed dashboard cannot offer a safe sign-in (empty when it can)."""
    passwords = _secrets_section("passwords")
    auth = _secrets_section("auth")
    problems = []
    if not passwords and not auth:
        problems.append("no sign-in is configured: add [passwords] (built-in sign-in) or "
                        "[auth] (OIDC) to .streamlit/secrets.toml")
    for user, stored in passwords.items():
        if is_placeholder(str(stored)) or not is_well_formed(str(stored)):
            problems.append(f"the password entry of {user!r} is a placeholder or not a hash "
                            "made by 'python -m campaign_core password'")
    secret = str(auth.get("cookie_secret", "")) if auth else ""
    if auth and (len(secret) < 32 or is_placeholder(secret) or any(c.isspace() for c in secret)):
        problems.append("[auth] cookie_secret is missing, short or a placeholder: use a "
                        "long random value")
    return problems


def require_sign_in() -> None:
    """Stop the run unless the visitor may see the dashboard (call first in app.py)."""
    if not deployment_is_exposed():
        return
    problems = configuration_problems()
    if problems:
        st.error("This dashboard is reachable from other machines but cannot offer a safe "
                 "sign-in, so it shows nothing. Fix .streamlit/secrets.toml: "
                 + "; ".join(problems) + ". See SECURITY.md.", icon=":material/lock:")
        st.stop()
    if _signed_in():
        _sign_out_button()
        return
    _sign_in_page()
    st.stop()


def _signed_in() -> bool:
    if st.session_state.get(USER_KEY):
        return True
    if _secrets_section("auth"):
        try:
            if st.user.is_logged_in:
                allowed = _secrets_section("access").get("allowed_emails")
                return not allowed or st.user.get("email") in allowed
        except Exception:  # OIDC not available (Authlib missing): password sign-in only
            return False
    return False


def _sign_in_page() -> None:
    st.title("Sign in")
    st.caption("This campaign dashboard is shared: sign in to see it.")
    if _secrets_section("auth") and st.button("Sign in with your account", type="primary"):
        st.login()
    passwords = _secrets_section("passwords")
    if not passwords:
        return
    locked_until = st.session_state.get("sign_in_locked_until", 0)
    if time.time() < locked_until:
        st.error(f"Too many failed attempts: try again in "
                 f"{int(locked_until - time.time()) + 1} s.")
        return
    with st.form("sign_in"):
        user = st.text_input("User")
        password = st.text_input("Password", type="password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        stored = passwords.get(user.strip())
        if stored and verify_password(password, str(stored)):
            st.session_state[USER_KEY] = user.strip()
            st.session_state[_FAILURES_KEY] = 0
            st.rerun()
        failures = st.session_state.get(_FAILURES_KEY, 0) + 1
        st.session_state[_FAILURES_KEY] = failures
        if failures >= MAX_FAILURES:
            st.session_state["sign_in_locked_until"] = time.time() + LOCKOUT_SECONDS
            st.session_state[_FAILURES_KEY] = 0
            st.rerun()
        st.error("Wrong user or password.")


def _sign_out_button() -> None:
    with st.sidebar:
        user = st.session_state.get(USER_KEY)
        if user:
            st.caption(f"Signed in as {plain(user)}")
            if st.button("Sign out", key="sign_out"):
                st.session_state.pop(USER_KEY, None)
                st.rerun()
        elif st.button("Sign out", key="sign_out_oidc"):
            st.logout()
