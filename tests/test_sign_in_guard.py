"""Sign-in attempts are limited across sessions, and unknown users cost the same hash."""

from __future__ import annotations

import hashlib
import threading

import pytest

from campaign_core.security import sign_in_guard
from campaign_core.security.passwords import hash_password
from campaign_core.security.sign_in_guard import Limits, Result, SignInGuard

PASSWORD = "correct horse battery"
FAST = 1_000


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def passwords() -> dict[str, str]:
    return {"alex": hash_password(PASSWORD, iterations=FAST)}


def test_wrong_passwords_from_many_sessions_lock_the_user_name(passwords):
    guard = SignInGuard()
    answers = [guard.attempt(passwords, "alex", "wrong guess!!", client=f"10.0.0.{n % 3}",
                             session=f"session-{n}").result for n in range(7)]
    assert answers[:5] == [Result.WRONG] * 5
    assert answers[5:] == [Result.LOCKED] * 2
    # Even the right password, from a new session and address, waits out the lock.
    right = guard.attempt(passwords, "alex", PASSWORD, client="10.9.9.9", session="new")
    assert right.result is Result.LOCKED and 0 < right.retry_after <= 60


def test_the_lock_ends_and_each_further_failure_locks_again(passwords):
    clock = Clock()
    guard = SignInGuard(clock=clock)
    for n in range(5):
        guard.attempt(passwords, "alex", "wrong guess!!", session=str(n))
    clock.now += 61
    assert guard.attempt(passwords, "alex", "wrong guess!!", session="a").result \
        is Result.WRONG
    assert guard.attempt(passwords, "alex", PASSWORD, session="b").result is Result.LOCKED
    clock.now += 61
    assert guard.attempt(passwords, "alex", PASSWORD, session="c").result is Result.SIGNED_IN


def test_one_client_guessing_many_user_names_gets_locked(passwords):
    guard = SignInGuard()
    results = [guard.attempt(passwords, f"user{n}", "guess guess!", client="203.0.113.7",
                             session=f"s{n}").result for n in range(22)]
    assert results.count(Result.WRONG) == sign_in_guard.CLIENT_FAILURES
    assert results[-1] is Result.LOCKED
    assert guard.locked_for(client="203.0.113.7") > 0
    assert guard.locked_for(client="198.51.100.1") == 0


def test_a_locked_session_is_known_before_the_form_is_sent(passwords):
    guard = SignInGuard()
    for _ in range(5):
        guard.attempt(passwords, f"name{_}", "guess guess!", session="one")
    assert guard.locked_for(session="one") > 0
    assert guard.locked_for(session="two") == 0


def test_parallel_sessions_get_no_more_guesses_than_the_limit(passwords):
    guard = SignInGuard(Limits(concurrent_hashes=8))
    results: list[Result] = []
    lock = threading.Lock()

    def guess(session: int) -> None:
        for _ in range(4):
            answer = guard.attempt(passwords, "alex", "wrong guess!!", session=str(session),
                                   client=f"10.1.1.{session}")
            with lock:
                results.append(answer.result)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 32
    assert results.count(Result.WRONG) == sign_in_guard.USER_FAILURES


def test_an_unknown_user_costs_the_same_hash_as_a_known_one(passwords, monkeypatch):
    guard = SignInGuard()
    costs: list[int] = []
    real = hashlib.pbkdf2_hmac

    def counting(name, password, salt, iterations, *args):
        costs.append(iterations)
        return real(name, password, salt, iterations, *args)

    guard.attempt(passwords, "nobody", "a guess at it", session="warm-up")  # makes the dummy
    monkeypatch.setattr(hashlib, "pbkdf2_hmac", counting)
    assert guard.attempt(passwords, "alex", "a guess at it").result is Result.WRONG
    known = list(costs)
    costs.clear()
    assert guard.attempt(passwords, "nobody", "a guess at it").result is Result.WRONG
    assert known == costs == [FAST]


def test_hashing_is_bounded_for_the_whole_process(passwords):
    clock = Clock()
    guard = SignInGuard(Limits(hashes_per_minute=10), clock=clock)
    results = [guard.attempt(passwords, f"user{n}", "guess guess!", client=f"10.2.{n}.1",
                             session=str(n)).result for n in range(12)]
    assert results.count(Result.WRONG) == 10 and results[-2:] == [Result.BUSY] * 2
    clock.now += 61
    assert guard.attempt(passwords, "alex", PASSWORD).result is Result.SIGNED_IN


def test_no_more_than_the_allowed_hashes_run_at_once(passwords, monkeypatch):
    guard = SignInGuard(Limits(concurrent_hashes=2, user_failures=100, client_failures=100))
    running, peak, lock = [0], [0], threading.Lock()
    real = sign_in_guard.verify_password

    def slow(password, stored):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        try:
            threading.Event().wait(0.05)
            return real(password, stored)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(sign_in_guard, "verify_password", slow)
    threads = [threading.Thread(target=guard.attempt,
                                args=(passwords, "alex", "wrong guess!!"),
                                kwargs={"session": str(n)}) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak[0] == 2


def test_the_table_of_names_stays_bounded(passwords, monkeypatch):
    monkeypatch.setattr(sign_in_guard, "MAX_TRACKED_KEYS", 50)
    guard = SignInGuard(Limits(client_failures=10_000, hashes_per_minute=10_000))
    for n in range(200):
        guard.attempt(passwords, f"user{n}", "guess guess!")
    assert len(guard._failures) <= 50
