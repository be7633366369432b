"""Browsers remembered as signed in, for a limited time, in this process's memory.

The dashboard cannot set a cookie of its own without running JavaScript in the page, so a
browser is known by the token of the XSRF cookie Streamlit already gives it (sent in the
Cookie header, never in a URL). The key is a digest of that token, never the token itself.
An entry also holds a digest of the user's stored password hash: changing the password in
secrets.toml ends every remembered sign-in of that user. A restart forgets everything.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_BROWSERS = 10_000


@dataclass(frozen=True)
class _Entry:
    user: str
    password_digest: str
    expires: float


def password_digest(stored_hash: str) -> str:
    return hashlib.sha256(stored_hash.encode("utf-8")).hexdigest()


class RememberedBrowsers:
    """Thread-safe: browser key -> signed-in user until a deadline."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry] = {}

    def remember(self, browser: str, user: str, stored_hash: str, seconds: float) -> None:
        if seconds <= 0:
            return
        with self._lock:
            self._entries.pop(browser, None)
            self._entries[browser] = _Entry(user, password_digest(stored_hash),
                                            self._clock() + seconds)
            while len(self._entries) > MAX_BROWSERS:  # oldest first
                del self._entries[next(iter(self._entries))]

    def user_for(self, browser: str, passwords: dict[str, str]) -> str | None:
        """The remembered user of ``browser`` while the time lasts and the user's password
        is unchanged in ``passwords`` (user -> stored hash); else None."""
        with self._lock:
            entry = self._entries.get(browser)
            if entry is None:
                return None
            stored = passwords.get(entry.user)
            if self._clock() >= entry.expires or stored is None \
                    or password_digest(str(stored)) != entry.password_digest:
                del self._entries[browser]
                return None
            return entry.user

    def forget(self, browser: str) -> None:
        with self._lock:
            self._entries.pop(browser, None)
