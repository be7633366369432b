"""Per page, the campaign_core calls it makes, recorded from a real run of the page.

Every store read of a page goes through one cached function of ``ui/data.py`` (keyed by the
store's data version), whose body opens a read connection and calls campaign_core. Rather
than keep a hand-written copy of each page's calls that drifts as pages change, the
benchmark runs each page with AppTest and records which of those functions it called, with
which arguments; ``time_call`` then runs the function's body (``__wrapped__``: no cache) to
time exactly what the page asks the core for. Pages that call none (the Import page reads
only its log) show no rows.

``EXPECTED`` lists the calls each page is known to make, as a check that recording works;
pages added later are recorded all the same.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

EXPECTED = {
    "overview": ("pacing", "kpis", "trend", "sub_campaigns", "content_mix", "operations"),
    "products": ("products",),
}


@dataclass
class RecordedCall:
    page: str
    view: str
    function: str
    args: tuple
    kwargs: dict


@dataclass
class CallTiming:
    page: str
    view: str
    function: str
    cold_ms: float
    warm_ms: float
    runs: list[float] = field(default_factory=list)


class Recorder:
    """Wraps every cached function of ``ui.data`` to note each call while pages run."""

    def __init__(self) -> None:
        from ui import data

        self.module = data
        self.originals: dict[str, Callable] = {}
        self.calls: list[RecordedCall] = []
        self.page = self.view = ""
        for name in dir(data):
            value = getattr(data, name)
            # st.cache_data functions: they have __wrapped__ (the body) and clear().
            if callable(value) and hasattr(value, "__wrapped__") and hasattr(value, "clear"):
                self.originals[name] = value
                setattr(data, name, self._wrapper(name, value))

    def _wrapper(self, name: str, cached: Callable) -> Callable:
        def record(*args, **kwargs):
            self.calls.append(RecordedCall(self.page, self.view, name, args, kwargs))
            return cached(*args, **kwargs)

        return record

    def restore(self) -> None:
        for name, value in self.originals.items():
            setattr(self.module, name, value)

    def unique_calls(self) -> list[RecordedCall]:
        """One call per (page, view, function, arguments): a page rerun repeats them."""
        seen, unique = set(), []
        for call in self.calls:
            key = (call.page, call.view, call.function, repr(call.args), repr(call.kwargs))
            if key not in seen:
                seen.add(key)
                unique.append(call)
        return unique

    def time_call(self, call: RecordedCall, repeats: int = 5) -> CallTiming:
        """Cold: the first run of the uncached body; warm: the median of ``repeats`` more.
        Each run opens its own read connection, as the page's cached function does."""
        body = self.originals[call.function].__wrapped__
        runs = []
        for _ in range(repeats + 1):
            started = time.perf_counter()
            body(*call.args, **call.kwargs)
            runs.append((time.perf_counter() - started) * 1000)
        return CallTiming(call.page, call.view, call.function, runs[0],
                          statistics.median(runs[1:]), runs)
