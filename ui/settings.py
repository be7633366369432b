"""Where the app finds its store and its clock.

``CAMPAIGN_DB`` points the app at another store (default ``data/campaign.db``);
``CAMPAIGN_NOW`` (ISO-8601) freezes "now" for reproducible demos, screenshots and tests;
``CAMPAIGN_REFRESH_SECONDS`` (default 60) is the Today view's refresh interval and
``CAMPAIGN_STALE_MINUTES`` (default 60) the age at which "data as of" turns amber.
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
