"""First start: an empty store gets the demo campaign, so a new user sees a full dashboard."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

from campaign_core.store import ensure_store
from ui import data, settings
from ui.formatting import plain

# Two browser tabs opened at first start must not both build the demo.
_DEMO_LOCK = threading.Lock()


@contextmanager
def _first_start_lock(db_path: Path) -> Iterator[None]:
    """Held while the demo is built: by this server's threads, and (POSIX) by every app
    server sharing the store's folder on one host, through a lock file beside the store:
    two servers started together must not both build the demo into one store."""
    with _DEMO_LOCK:
        try:
            import fcntl
        except ImportError:  # Windows: a single app server per store there
            yield
            return
        lock_file = db_path.parent / f"{db_path.name}-first-start.lock"
        with open(lock_file, "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _store_is_empty(db_path: Path) -> bool:
    return not data.shops(db_path, data.current_version(db_path))


def ensure_store_with_demo(db_path: Path) -> None:
    """Create the store if needed; build the demo into it when it has no shop at all."""
    ensure_store(db_path)
    if not _store_is_empty(db_path):
        return
    with _first_start_lock(db_path), st.status("First start: building the demo campaign...",
                               expanded=True) as status:
        if not _store_is_empty(db_path):  # another session built it meanwhile
            status.update(label="Demo campaign ready", state="complete", expanded=False)
            return
        # Imported here: the demo's generators and importers are a second or more of
        # imports that a store with data (every start after the first) never needs.
        from campaign_core.demo.build import build_demo

        bar = st.progress(0.0)
        # The app's clock (CAMPAIGN_NOW when frozen): the demo's day 7 is the shop's today.
        result = build_demo(db_path, now=settings.now(),
                            progress=lambda fraction, text: bar.progress(fraction, plain(text)))
        status.update(label=f"Demo campaign ready: {result.orders:,} orders in "
                            f"{result.seconds:.0f} s", state="complete", expanded=False)
