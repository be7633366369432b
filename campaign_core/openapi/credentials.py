"""Credentials and settings from ``secrets.toml``: never logged, never shown.

The file is the one Streamlit reads (``.streamlit/secrets.toml``; ``CAMPAIGN_SECRETS``
points elsewhere). Sections used here:

    [tiktok_shop]
    app_key = "..."
    app_secret = "..."
    access_token = "..."
    shop_cipher = "..."
    base_url = "https://open-api.tiktokglobalshop.com"   # optional

    [alerts]
    slack_webhook_url = "https://hooks.slack.com/services/..."
    smtp_host = "smtp.example.com"
    smtp_port = 587
    smtp_user = "..."
    smtp_password = "..."
    smtp_from = "dashboard@example.com"
    smtp_to = ["team@example.com"]
    smtp_starttls = true
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_SECRETS_PATH = Path(".streamlit") / "secrets.toml"
DEFAULT_BASE_URL = "https://open-api.tiktokglobalshop.com"


class MissingCredentials(ValueError):
    """The ``[tiktok_shop]`` section is missing or incomplete."""


def secrets_path() -> Path:
    configured = os.environ.get("CAMPAIGN_SECRETS")
    return Path(configured) if configured else DEFAULT_SECRETS_PATH


def read_secrets(path: Path | str | None = None) -> dict:
    """The whole secrets file as a dict; ``{}`` when there is none.

    Raises ``ValueError`` when the file exists but is not valid TOML (without quoting it:
    it holds secrets)."""
    path = Path(path) if path else secrets_path()
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path.name} is not valid TOML (line {error.lineno})") from None


@dataclass(frozen=True)
class Credentials:
    app_key: str
    app_secret: str = field(repr=False)
    access_token: str = field(repr=False)
    shop_cipher: str
    base_url: str = DEFAULT_BASE_URL

    @classmethod
    def from_mapping(cls, section: Mapping | None) -> Credentials:
        """From a ``[tiktok_shop]`` mapping. Raises ``MissingCredentials`` naming the
        missing keys (never their values)."""
        section = dict(section or {})
        needed = ("app_key", "app_secret", "access_token", "shop_cipher")
        missing = [key for key in needed if not str(section.get(key) or "").strip()]
        if missing:
            raise MissingCredentials(
                "Open API credentials are missing in secrets.toml [tiktok_shop]: "
                + ", ".join(missing))
        return cls(*(str(section[key]).strip() for key in needed),
                   base_url=str(section.get("base_url") or DEFAULT_BASE_URL).rstrip("/"))


def load_credentials(path: Path | str | None = None) -> Credentials:
    """The ``[tiktok_shop]`` credentials of the secrets file. Raises ``MissingCredentials``."""
    return Credentials.from_mapping(read_secrets(path).get("tiktok_shop"))
