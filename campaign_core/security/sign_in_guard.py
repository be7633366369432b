"""Password sign-in attempts, limited across sessions and answered in the same time.

One ``SignInGuard`` per process (the dashboard keeps one at module level; caches are not
used because a signed-out client can clear them). It

- counts failed attempts per user name, per client address and per session together:
  an attempt is counted *before* its hash is computed (and taken back when it succeeds), so
  parallel sessions cannot slip extra guesses past the limit;
- verifies an unknown user name against a dummy hash of the same cost, so it answers in the
  same time as a known one and the timing does not tell which names exist;
- bounds the hashing work: at most ``concurrent`` hashes at once and ``per_minute`` in any
  minute for the whole process; beyond that an attempt is answered "busy" without hashing.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum

from campaign_core.security.passwords import ITERATIONS, hash_password, verify_password

# Per key: this many failures within WINDOW_SECONDS lock it for LOCKOUT_SECONDS after each.
USER_FAILURES = 5
CLIENT_FAILURES = 20
SESSION_FAILURES = 5
WINDOW_SECONDS = 15 * 60
LOCKOUT_SECONDS = 60
# Process-wide hashing bounds (a hash at 600,000 iterations takes about 0.3 s of one core).
CONCURRENT_HASHES = 2
HASHES_PER_MINUTE = 60
# Attacker-chosen user names must not grow the table without bound.
MAX_TRACKED_KEYS = 10_000


class Result(Enum):
    SIGNED_IN = "signed in"
    WRONG = "wrong user or password"
    LOCKED = "too many failed attempts"
    BUSY = "too many sign-in attempts on this server"


@dataclass(frozen=True)
class Answer:
    """What became of one attempt; ``retry_after`` in seconds when locked or busy."""

    result: Result
    retry_after: int = 0


@dataclass(frozen=True)
class Limits:
    user_failures: int = USER_FAILURES
    client_failures: int = CLIENT_FAILURES
    session_failures: int = SESSION_FAILURES
    window_seconds: float = WINDOW_SECONDS
    lockout_seconds: float = LOCKOUT_SECONDS
    concurrent_hashes: int = CONCURRENT_HASHES
    hashes_per_minute: int = HASHES_PER_MINUTE


class SignInGuard:
    """Thread-safe limits on password sign-in attempts for one process."""

    def __init__(self, limits: Limits = Limits(),
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, deque[float]] = {}
        self._hashes: deque[float] = deque()
        self._hashing = threading.BoundedSemaphore(limits.concurrent_hashes)
        self._dummies: dict[int, str] = {}

    def locked_for(self, *, user: str | None = None, client: str | None = None,
                   session: str | None = None) -> int:
        """Seconds until these may try again (0: now). Give what is known before the form
        is sent (client, session) to hide the form while they are locked."""
        with self._lock:
            return self._locked_for(self._keys(user, client, session), self._clock())

    def attempt(self, passwords: Mapping[str, str], user: str, password: str, *,
                client: str | None = None, session: str | None = None) -> Answer:
        """Check ``password`` for ``user`` against ``passwords`` (user -> stored hash)."""
        keys = self._keys(user, client, session)
        with self._lock:
            now = self._clock()
            wait = self._locked_for(keys, now)
            if wait:
                return Answer(Result.LOCKED, wait)
            busy = self._budget_wait(now)
            if busy:
                return Answer(Result.BUSY, busy)
            self._hashes.append(now)
            for key in keys:  # counted before hashing: parallel attempts see it
                self._failures.setdefault(key, deque()).append(now)
            self._prune(now)
        if not self._verify(passwords, user, password):
            return Answer(Result.WRONG)
        with self._lock:
            self._forget(keys, now)
        return Answer(Result.SIGNED_IN)

    def _verify(self, passwords: Mapping[str, str], user: str, password: str) -> bool:
        stored = passwords.get(user)
        # An unknown user costs the same hash as a known one.
        candidate = str(stored) if stored else self._dummy(passwords.values())
        with self._hashing:
            matches = verify_password(password, candidate)
        return bool(stored) and matches

    def _dummy(self, stored_values: Iterable[str]) -> str:
        iterations = max((_iterations(str(value)) for value in stored_values),
                         default=ITERATIONS)
        dummy = self._dummies.get(iterations)
        if dummy is None:  # made once per cost; two threads making it at once do no harm
            dummy = hash_password(secrets.token_urlsafe(24), iterations=iterations)
            self._dummies[iterations] = dummy
        return dummy

    def _keys(self, user: str | None, client: str | None, session: str | None) -> list[str]:
        keys = []
        if user is not None:
            keys.append("user:" + user.strip().casefold())
        keys.append("client:" + (client or "local"))
        if session is not None:
            keys.append("session:" + session)
        return keys

    def _limit(self, key: str) -> int:
        kind = key.split(":", 1)[0]
        return {"user": self.limits.user_failures, "client": self.limits.client_failures,
                "session": self.limits.session_failures}[kind]

    def _locked_for(self, keys: list[str], now: float) -> int:
        wait = 0.0
        for key in keys:
            times = self._recent(key, now)
            if len(times) >= self._limit(key):
                wait = max(wait, times[-1] + self.limits.lockout_seconds - now)
        return int(wait) + 1 if wait > 0 else 0

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.get(key, deque())
        while times and times[0] <= now - self.limits.window_seconds:
            times.popleft()
        return times

    def _budget_wait(self, now: float) -> int:
        while self._hashes and self._hashes[0] <= now - 60:
            self._hashes.popleft()
        if len(self._hashes) < self.limits.hashes_per_minute:
            return 0
        return int(self._hashes[0] + 60 - now) + 1

    def _forget(self, keys: list[str], attempted: float) -> None:
        """A right password clears its user's and session's failures (this attempt's
        included); the client address keeps its count, so one valid account cannot reset
        the limit on guessing the others."""
        for key in keys:
            if key.startswith("client:"):
                times = self._failures.get(key)
                if times and attempted in times:
                    times.remove(attempted)
            else:
                self._failures.pop(key, None)

    def _prune(self, now: float) -> None:
        if len(self._failures) <= MAX_TRACKED_KEYS:
            return
        for key in [key for key in self._failures if not self._recent(key, now)]:
            del self._failures[key]
        while len(self._failures) > MAX_TRACKED_KEYS:  # oldest first
            del self._failures[next(iter(self._failures))]


def _iterations(stored: str) -> int:
    parts = stored.split("$")
    try:
        return int(parts[1])
    except (IndexError, ValueError):
        return ITERATIONS
