"""Sign-in for shared deployments.

Listening on this machine only (``server.address`` localhost, the project's setting) the
dashboard opens without sign-in. Exposed (listening on any other address, the empty or
unset one included, see ``ui/exposure.py``; or ``CAMPAIGN_EXPOSED=1``, or
``[access] exposed = true`` in secrets.toml) it serves nothing until the user signs in,
with Streamlit's OIDC sign-in (``[auth]`` in secrets.toml) or the built-in password
sign-in (``[passwords]``: user = salted hash from ``python -m campaign_core password``).
Exposed without a usable sign-in, it refuses to serve at all.
"""

from __future__ import annotations

import logging

import streamlit as st

from campaign_core.security.passwords import is_placeholder, is_well_formed
from ui import access, exposure, password_sign_in, server_guards, session_binding
from ui.formatting import plain

USER_KEY = "signed_in_user"
_LOG = logging.getLogger(__name__)


def _secrets_section(name: str) -> dict:
    try:
        return dict(st.secrets.get(name, {}))
    except Exception:  # no secrets.toml at all
        return {}


def deployment_is_exposed() -> bool:
    """True when people other than this machine's user can reach the dashboard."""
    return exposure.reach().exposed


def configuration_problems() -> list[str]:
    """Why an exposed dashboard cannot offer a safe sign-in (empty when it can)."""
    passwords = _secrets_section("passwords")
    auth = _secrets_section("auth")
    problems = []
    if not st.get_option("server.enableXsrfProtection"):
        problems.append("server.enableXsrfProtection is off: the sign-in needs it (set it "
                        "to true in .streamlit/config.toml)")
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
    return problems + access.problems()


def require_sign_in() -> None:
    """Stop the run unless the visitor may see the dashboard (call first in app.py)."""
    server_guards.install()  # no upload or cache clearing before this gate is passed
    reach = exposure.reach()
    if not reach.exposed:
        access.establish(None)  # this machine's one user: every shop, as before roles
        server_guards.mark_authorized()
        return
    problems = configuration_problems()
    if problems:
        _refuse(reach, problems)
    if _signed_in():
        # Never None here: None is the unsigned local user, who may see everything.
        grant = access.establish(signed_in_user() or "(signed in, no name)")
        server_guards.mark_authorized()
        _sign_out_button()
        if grant.shops is not None and not grant.shops:
            st.info("You are signed in, but no shop is shared with you yet: ask an admin "
                    "to add you to [users] in the dashboard's secrets.toml.",
                    icon=":material/lock:")
            st.stop()
        return
    server_guards.revoke()
    _sign_in_page()
    st.stop()


def _refuse(reach: exposure.Reach, problems: list[str]) -> None:
    why = (f"This dashboard {reach.why} but cannot offer a safe sign-in, so it shows "
           f"nothing. Fix .streamlit/secrets.toml: {'; '.join(problems)}.")
    if reach.fix:
        why += f" Or {reach.fix}."
    else:
        why += " See SECURITY.md."
    exposure.log_once(why)
    st.error(plain(why), icon=":material/lock:")
    st.stop()


def _passwords() -> dict[str, str]:
    return {user: str(stored) for user, stored in _secrets_section("passwords").items()}


def signed_in_user() -> str | None:
    """The password user name or the OIDC e-mail address of this session, if any."""
    user = st.session_state.get(USER_KEY)
    if user:
        return str(user)
    try:
        return str(st.user.get("email") or "") or None
    except Exception:  # no OIDC
        return None


def _signed_in() -> bool:
    if st.session_state.get(USER_KEY):
        if session_binding.same_browser():
            return True
        # The session id was presented by another browser (it is in upload URLs, so in
        # proxy logs): end the sign-in rather than hand the session over.
        _LOG.warning("Signed a session out: its id was used from a browser that did not "
                     "sign in.")
        st.session_state.pop(USER_KEY, None)
        session_binding.forget()
        server_guards.revoke()
        return False
    remembered = session_binding.remembered_user(_passwords())
    if remembered:  # a reload or a new tab of a browser that signed in
        st.session_state[USER_KEY] = remembered
        session_binding.bind()
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
    passwords = _passwords()
    if not passwords:
        return
    user = password_sign_in.show(passwords)
    if user:
        st.session_state[USER_KEY] = user
        session_binding.bind()
        session_binding.remember(user, passwords[user])
        st.rerun()


def _sign_out_password_user() -> None:
    session_binding.forget_browser()
    st.session_state.pop(USER_KEY, None)
    session_binding.forget()
    server_guards.revoke()


def _sign_out_button() -> None:
    with st.sidebar:
        user = st.session_state.get(USER_KEY)
        if user:
            st.caption(f"Signed in as {plain(user)}")
            if st.button("Sign out", key="sign_out"):
                _sign_out_password_user()
                st.rerun()
        elif st.button("Sign out", key="sign_out_oidc"):
            st.logout()
