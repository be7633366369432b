"""Where the app finds its store and its clock.

``CAMPAIGN_DB`` points the app at another store (default ``data/campaign.db``);
``CAMPAIGN_NOW`` (ISO-8601) freezes "now" for reproducible demos, screenshots and tests;
``CAMPAIGN_REFRESH_SECONDS`` (default 60) is the Today view's refresh interval and
``CAMPAIGN_STALE_MINUTES`` (default 60) the age at which "data as of" turns amber.
``CAMPAIGN_WORKER=external`` says a separate worker process (``python -m campaign_core
worker``) watches the inbox: the app server then starts no watcher of its own (a deployment
with several app servers; see README "Deploy for a team"). Unset, the app watches it.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from campaign_core.store import DEFAULT_DB_PATH

APP_ROOT = Path(__file__).resolve().parent.parent
# The "data as of" stamp turns amber when the newest order is older than this.
STALE_AFTER_MINUTES = int(os.environ.get("CAMPAIGN_STALE_MINUTES", "60"))
# How often the Today view re-reads the store by itself.
REFRESH_SECONDS = int(os.environ.get("CAMPAIGN_REFRESH_SECONDS", "60"))


def db_path() -> Path:
    configured = os.environ.get("CAMPAIGN_DB")
    return Path(configured) if configured else APP_ROOT / DEFAULT_DB_PATH


def now() -> datetime:
    frozen = os.environ.get("CAMPAIGN_NOW")
    if frozen:
        moment = datetime.fromisoformat(frozen.replace("Z", "+00:00"))
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.now(UTC)


WORKER_MODES = ("app", "external")


def worker_mode() -> str:
    """``"app"`` (the default: this server watches the inbox) or ``"external"``.

    Raises ValueError for any other value of ``CAMPAIGN_WORKER``: a misspelt "external"
    must not quietly start one watcher per app server."""
    mode = os.environ.get("CAMPAIGN_WORKER", "").strip().lower() or "app"
    if mode not in WORKER_MODES:
        raise ValueError(f"CAMPAIGN_WORKER is {mode!r}: set it to 'external' (a separate "
                         "'python -m campaign_core worker' process watches the inbox) or "
                         "leave it unset (this app server watches it)")
    return mode
