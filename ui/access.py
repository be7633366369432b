"""The signed-in user's access in this session: decided once per run by the sign-in gate
(``ui/auth.py`` calls ``establish``), read by the data readers (``ui/data.py``), the
writers (``ui/edits.py``) and the header's link and query-parameter checks.

The rule itself is ``campaign_core/security/access.py``; this module only finds the user
and the ``[users]`` section and keeps the answer for the session's runs (a fragment's
rerun does not pass the gate again).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import streamlit as st

from campaign_core.security.access import (
    Access,
    AccessDenied,
    access_for,
    configuration_problems,
    local_user,
)
from campaign_core.store import audit
from ui.formatting import plain

_KEY = "access_grant"
# A grant carried into work that runs outside the session's script run: a download whose
# file is made when the browser asks for it, after the run that drew the button.
_CARRIED: ContextVar[Access | None] = ContextVar("carried_access_grant", default=None)


def users_section() -> dict:
    try:
        return {str(name): entry for name, entry in dict(st.secrets.get("users", {})).items()}
    except Exception:  # no secrets.toml at all
        return {}


def problems() -> list[str]:
    """What is wrong with ``[users]`` in secrets.toml (the gate refuses to serve then)."""
    return configuration_problems(users_section())


def establish(user: str | None) -> Access:
    """Decide this session's access: ``user`` None means no sign-in (this machine only):
    one local user with every right, as before roles. Sets who the audit log names."""
    grant = local_user(None) if user is None else access_for(user, users_section())
    st.session_state[_KEY] = grant
    audit.set_actor(user)  # None: the operating-system user
    return grant


def current() -> Access:
    """This session's access. Fails closed: raises ``AccessDenied`` when the gate has not
    decided it (a reader called outside the app's shell)."""
    grant = _CARRIED.get()
    if grant is None:
        try:
            grant = st.session_state.get(_KEY)
        except Exception:  # no session here: nothing was decided for this call
            grant = None
    if not isinstance(grant, Access):
        raise AccessDenied("No sign-in decision for this session: nothing is shown.")
    return grant


@contextmanager
def carried(grant: Access) -> Iterator[Access]:
    """Read as ``grant`` (taken from the session with ``current`` when the button was drawn)
    inside the block, where the session's state cannot be reached."""
    token = _CARRIED.set(grant)
    try:
        yield grant
    finally:
        _CARRIED.reset(token)


def may_write(shop_name: str | None) -> bool:
    """Whether to offer this shop's write controls (the writers check again)."""
    return current().may_write(shop_name)


@contextmanager
def acting() -> Iterator[Access]:
    """Name this session's user in the audit log for the writes inside the block (a
    fragment's rerun runs in a fresh thread, without the gate's setting)."""
    grant = current()
    with audit.acting_as(grant.user):
        yield grant


def refuse_unseen_link(parameter: str, visible: list[str]) -> None:
    """Stop the page when a link's query parameter (``?shop=``, ``?campaign=``) names
    something this session may not see. The answer does not say whether it exists.
    Unrestricted sessions keep the old behaviour (an unknown name falls back)."""
    named = st.query_params.get(parameter)
    if named is None or named in visible or current().shops is None:
        return
    st.error(f"This link names a {plain(parameter)} that is not shared with you, or that does not "
             "exist: nothing of it is shown.", icon=":material/lock:")
    if st.button("Open the dashboard without this link's choices", key="drop_link_choices"):
        st.query_params.clear()
        st.rerun()
    st.stop()
