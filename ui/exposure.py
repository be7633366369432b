"""Who can reach this dashboard: decided from what the server listens on, not from text.

Streamlit listens on every interface when ``server.address`` is empty or unset: with
``--server.address=``, or when the app is started from another folder (Streamlit reads
``.streamlit/config.toml`` from the current folder only, so the project's ``localhost`` is
then not applied). Only loopback listeners (``localhost``, 127.0.0.0/8, ``::1``) count as
local; the real listening sockets are checked too, where the platform lets us look.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass

import streamlit as st

from campaign_core.security.network import is_loopback, listening_addresses

# What Streamlit binds when server.address is empty or unset (its DEFAULT_SERVER_ADDRESS).
STREAMLIT_DEFAULT_ADDRESS = "0.0.0.0"
WILDCARDS = frozenset({"", "0.0.0.0", "::", "[::]"})
FIX_LOCAL = ("start it from the project folder (so .streamlit/config.toml keeps it on "
             "localhost), or pass --server.address=localhost, or configure sign-in in "
             ".streamlit/secrets.toml (see SECURITY.md)")

_LOG = logging.getLogger(__name__)
_logged: set[str] = set()
_log_lock = threading.Lock()


@dataclass(frozen=True)
class Reach:
    """``exposed``: people other than this machine's user may reach the dashboard;
    ``why``: a sentence part saying how (empty when local); ``fix``: how to make it local."""

    exposed: bool
    why: str = ""
    fix: str = ""


def _secrets_section(name: str) -> dict:
    try:
        return dict(st.secrets.get(name, {}))
    except Exception:  # no secrets.toml at all
        return {}


def _listening_on(address: str) -> Reach:
    if address.strip().lower() in WILDCARDS:
        return Reach(True, "listens on every network interface (server.address is empty or "
                           "unset, as when the app is started from another folder)", FIX_LOCAL)
    return Reach(True, f"listens on {address}, which other machines can reach", FIX_LOCAL)


def reach() -> Reach:
    """How far this dashboard can be reached (logged once per process when exposed)."""
    found = _reach()
    if found.exposed:
        log_once(f"The campaign dashboard {found.why}: it shows nothing until a visitor "
                 f"signs in" + (f"; to keep it on this machine, {found.fix}." if found.fix
                                else "."))
    return found


def _reach() -> Reach:
    if os.environ.get("CAMPAIGN_EXPOSED", "").lower() in ("1", "true", "yes"):
        return Reach(True, "is marked as shared (CAMPAIGN_EXPOSED)")
    if _secrets_section("access").get("exposed") is True:
        return Reach(True, "is marked as shared ([access] exposed in secrets.toml)")
    configured = str(st.get_option("server.address") or STREAMLIT_DEFAULT_ADDRESS)
    if not is_loopback(configured):
        return _listening_on(configured)
    for address in listening_addresses() or []:
        if not is_loopback(address):
            return _listening_on(address)
    return Reach(False)


def log_once(message: str) -> None:
    """Warn in the server's log, once per process for each message (not on every rerun)."""
    with _log_lock:
        if message in _logged:
            return
        _logged.add(message)
    _LOG.warning(message)
