"""Memory handling for files of millions of records, shared by the parsers that build the
records and the store writer that writes them."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a file's records are built.

    A large export makes millions of dicts that all stay alive until written; the collector
    would walk them again and again for nothing (they hold no cycles). Reference counting
    still frees everything as usual; the collector resumes afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
