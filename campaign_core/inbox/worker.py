"""The worker: one process for everything that runs on its own, apart from the app servers.

    python -m campaign_core worker [--db PATH] [--inbox FOLDER] [--shop NAME] [--timezone TZ]
                                   [--poll S] [--stable S] [--alerts-every S]
                                   [--sync-every MINUTES] [--secrets FILE] [--once]

It runs the watcher service (``campaign_core/inbox/service.py``): files dropped into the
inbox are imported, the TikTok Shop Open API is pulled on a schedule when credentials are
configured, alert rules are evaluated and due digests sent. One app server on one machine
does this in a background thread of its own; with several app servers that would be one
watcher per server racing for the same files, and the same digest sent once per server. So
a team deployment runs this one worker and starts its app servers with
``CAMPAIGN_WORKER=external``, under which they start no watcher (``ui/realtime.py``).

The worker logs one line per event to standard output (containers collect it from there)
and stops cleanly on SIGTERM or SIGINT: the cycle under way finishes (an import is one
transaction either way), the pause between cycles ends at once.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from campaign_core.store import DEFAULT_DB_PATH

# The Open API is pulled this often when credentials are configured and no --sync-every
# says otherwise: often enough for the Today view, far below the API's rate limits.
DEFAULT_SYNC_MINUTES = 15.0
_LOG = logging.getLogger("campaign_core.worker")


def default_db() -> Path:
    """``CAMPAIGN_DB`` (the store the app servers read), else ``data/campaign.db``."""
    configured = os.environ.get("CAMPAIGN_DB")
    return Path(configured) if configured else DEFAULT_DB_PATH


def add_parser(commands) -> None:
    worker = commands.add_parser(
        "worker", help="the one background process of a deployment with several app servers: "
                       "inbox, scheduled Open API sync, alerts and digests")
    worker.add_argument("--db", type=Path, default=None,
                        help="the store (default: CAMPAIGN_DB, else data/campaign.db)")
    worker.add_argument("--inbox", type=Path, metavar="FOLDER",
                        help="folder to watch, created if missing (default: CAMPAIGN_INBOX, "
                             "else inbox/ beside the store)")
    worker.add_argument("--shop", help="shop of files at the inbox's top level")
    worker.add_argument("--timezone", help="IANA timezone of the times in the files")
    worker.add_argument("--poll", type=float, default=2.0, help="seconds between cycles")
    worker.add_argument("--stable", type=float, default=2.0,
                        help="seconds a file's size must stay unchanged before it is read")
    worker.add_argument("--alerts-every", type=float, default=300.0, metavar="SECONDS",
                        help="evaluate alerts (and due digests) at least this often")
    worker.add_argument("--sync-every", type=float, metavar="MINUTES",
                        help="pull from the Open API this often (default: every "
                             f"{DEFAULT_SYNC_MINUTES:g} minutes when credentials are "
                             "configured, else no sync; 0: no sync)")
    worker.add_argument("--secrets", type=Path, help="secrets.toml to read (default: "
                                                     "CAMPAIGN_SECRETS, else "
                                                     ".streamlit/secrets.toml)")
    worker.add_argument("--once", action="store_true", help="one cycle, then exit")


def _credentials(secrets_file: Path | None, sync_every: float | None):
    """(credentials or None, minutes between syncs or None, a line saying which)."""
    from campaign_core.openapi.credentials import Credentials, MissingCredentials, read_secrets

    if sync_every is not None and sync_every <= 0:
        return None, None, "Open API sync: off (--sync-every 0)"
    try:
        found = Credentials.from_mapping(read_secrets(secrets_file).get("tiktok_shop"))
    except MissingCredentials as error:
        if sync_every is not None:  # asked for explicitly: say why it cannot be done
            raise ValueError(f"--sync-every: {error}") from None
        return None, None, f"Open API sync: off ({error})"
    minutes = sync_every if sync_every is not None else DEFAULT_SYNC_MINUTES
    return found, minutes, f"Open API sync: every {minutes:g} min"


@contextmanager
def _stdout_log() -> Iterator[None]:
    """The worker's lines, and errors the service logs, go to standard output."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    root = logging.getLogger("campaign_core")
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
        handler.flush()


@contextmanager
def _stop_on_signals(stop: threading.Event, received: list[str]) -> Iterator[None]:
    """SIGTERM (``docker stop``) and SIGINT (Ctrl+C) set ``stop`` and add their name to
    ``received`` (nothing is logged inside the handler: it may interrupt a log call); the
    old handlers come back afterwards. Only the main thread may set handlers: elsewhere,
    nothing is set."""

    def handle(number: int, frame) -> None:
        received.append(signal.Signals(number).name)
        stop.set()

    previous = {}
    try:
        for number in (signal.SIGTERM, signal.SIGINT):
            previous[number] = signal.signal(number, handle)
    except ValueError:  # not the main thread
        pass
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def worker(args: argparse.Namespace, stop: threading.Event | None = None) -> int:
    """Run the worker until SIGTERM/SIGINT (or ``stop`` is set); 0 when it stopped cleanly.

    Raises ValueError for a secrets file that is not TOML or an explicit ``--sync-every``
    without credentials (the command line prints it and exits 1)."""
    from campaign_core.inbox.commands import _channels
    from campaign_core.inbox.service import WatchOptions, WatchService
    from campaign_core.inbox.watcher import default_inbox

    db = args.db or default_db()
    folder = args.inbox or default_inbox(db)
    credentials, sync_minutes, sync_line = _credentials(args.secrets, args.sync_every)
    options = WatchOptions(
        shop_name=args.shop, timezone=args.timezone, poll_seconds=args.poll,
        stable_seconds=args.stable, alert_every_s=args.alerts_every,
        sync_every_s=sync_minutes * 60 if sync_minutes else None,
        credentials=credentials, channels=_channels(args.secrets))
    stop = stop or threading.Event()
    with _stdout_log():
        folder.mkdir(parents=True, exist_ok=True)
        service = WatchService(db, folder, options, say=_LOG.info)
        _LOG.info("worker: store %s, inbox %s (every %g s), %s, alerts every %g s",
                  db, folder, args.poll, sync_line, args.alerts_every)
        if args.once:
            service.cycle()
            service.cycle()  # a file seen in the first cycle is stable by the second
            _LOG.info("worker: one cycle done")
            return 0
        received: list[str] = []
        with _stop_on_signals(stop, received):
            service.run(should_stop=stop.is_set, wait=stop.wait)
        _LOG.info("worker: stopped%s", f" ({received[0]} received)" if received else "")
    return 0
