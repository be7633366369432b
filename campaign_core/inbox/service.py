"""The watcher service: the inbox, alerts on a schedule, the daily digest, optional syncs.

One loop, for a server without a browser open (``python -m campaign_core watch``) and for
the app's background thread: each cycle polls the inbox; new data (a file imported, a sync)
triggers an alert evaluation at once; otherwise alerts are evaluated every
``alert_every_s`` and due digests sent; an Open API sync runs every ``sync_every_s`` when
credentials are configured.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from campaign_core.alerts.delivery import Channels
from campaign_core.alerts.digest_schedule import send_due_digests
from campaign_core.alerts.engine import evaluate_alerts
from campaign_core.alerts.final_report import send_final_reports
from campaign_core.inbox.watcher import InboxResult, InboxWatcher
from campaign_core.openapi.client import ApiClient
from campaign_core.openapi.credentials import Credentials
from campaign_core.openapi.sync import sync_all
from campaign_core.store import ensure_store

_LOG = logging.getLogger(__name__)


@dataclass
class WatchOptions:
    shop_name: str | None = None
    timezone: str | None = None
    poll_seconds: float = 2.0
    stable_seconds: float = 2.0
    alert_every_s: float = 300.0
    sync_every_s: float | None = None  # None: no scheduled sync
    credentials: Credentials | None = field(default=None, repr=False)
    channels: Channels = field(default_factory=Channels, repr=False)


class WatchService:
    """``cycle()`` once; ``run()`` until ``should_stop()``. ``say`` gets one line per event."""

    def __init__(self, db_path: Path | str, folder: Path | str, options: WatchOptions,
                 say: Callable[[str], None] = _LOG.info,
                 clock: Callable[[], float] = time.monotonic):
        self.db_path = ensure_store(db_path)  # alerts read it before any file lands
        self.options = options
        self.watcher = InboxWatcher(db_path, folder, shop_name=options.shop_name,
                                    timezone=options.timezone,
                                    stable_seconds=options.stable_seconds, clock=clock)
        self._say, self._clock = say, clock
        self._last_alerts = self._last_sync = float("-inf")

    def cycle(self) -> list[InboxResult]:
        results = self.watcher.poll()
        for result in results:
            self._say(f"inbox: {result.report.summary_line()} -> {result.moved_to.parent.name}/")
        changed = bool(results)
        now = self._clock()
        if self._sync_due(now):
            self._last_sync = now
            changed |= self._sync()
        if changed or now - self._last_alerts >= self.options.alert_every_s:
            self._last_alerts = now
            self._alerts()
        return results

    def run(self, should_stop: Callable[[], bool] = lambda: False,
            wait: Callable[[float], object] = time.sleep) -> None:
        """Cycle until ``should_stop()``; ``wait(seconds)`` between cycles (the worker
        passes an event's ``wait``, so a stop request ends the pause at once)."""
        while not should_stop():
            try:
                self.cycle()
            except Exception:  # a bad cycle (a full disk, a store error) must not end it
                _LOG.exception("watch cycle failed")
            wait(self.options.poll_seconds)

    def _sync_due(self, now: float) -> bool:
        every = self.options.sync_every_s
        return bool(every and self.options.credentials and now - self._last_sync >= every)

    def _sync(self) -> bool:
        client = ApiClient(self.options.credentials)
        results = sync_all(self.db_path, client, shop_name=self.options.shop_name)
        for result in results:
            self._say(result.summary_line())
        return True

    def _alerts(self) -> None:
        for event in evaluate_alerts(self.db_path, channels=self.options.channels):
            state = "sent" if event.delivered else (event.error or "logged")
            self._say(f"alert: {event.message} ({event.channel}: {state})")
        for send in send_due_digests(self.db_path, channels=self.options.channels):
            self._say(f"digest: {send.subject} ({'sent' if send.delivered else send.error})")
        for final in send_final_reports(self.db_path, channels=self.options.channels):
            self._say(f"report: {final.subject} ({'sent' if final.delivered else final.error})")
