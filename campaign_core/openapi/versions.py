"""Every Open API path and version the dashboard calls, and the platform's sunsets.

One table of what is called (``CALLED``), so a version change is one edit and a test checks
the sync calls nothing else. The sunset rules come from the TikTok Shop Partner Center
release notes (mirrored as an RSS feed of the changelog by an open-source project):

- "Deprecating TikTok Shop API V1" (2025-06-05): versions below 202309 are the legacy V1;
- "Supplementary Notice on API Deprecation: Finance APIs" (2025-06-23): the 202309 Get
  Transactions by Order / by Statement are deprecated with V1 (successors: 202501);
- "Get Payments API - Migrate from 202309 to 202605" (2026-06-15): 202309 sunset
  2026-08-15;
- "Affiliate API - Legacy Versions and Endpoints Sunset" (2026-07-29): historical 2024
  versions of the Affiliate Seller APIs and the 2022 legacy affiliate endpoints stop on
  2026-10-12 10:00 (UTC+8); the current affiliate version is 202509, the one that names
  creators by Creator Open ID ("Creator Open ID for Affiliate APIs", 2025-09-08);
- "Gateway HTTP Access to Be Discontinued" (2026-06-08): from 2026-06-17 the gateway
  ``open-api.tiktokglobalshop.com`` accepts HTTPS only.

The feed keeps the first 500 characters of each notice: the affiliate notice's list of the
exact versions removed was not readable, so every 2024 Affiliate Seller version counts as
sunset (the 2024 orders search the sync used, 202410, included) and the sync moved to 202509.
"""

from __future__ import annotations

import ipaddress
import re
import urllib.parse
from dataclasses import dataclass
from datetime import date

FIRST_STANDARD_VERSION = "202309"  # below: the legacy V1 API
HTTPS_ONLY_FROM = date(2026, 6, 17)


@dataclass(frozen=True)
class Endpoint:
    name: str  # as TikTok's documentation names it
    method: str
    path: str

    @property
    def version(self) -> str:
        return version_of(self.path) or ""


# What the sync calls, by sync kind.
CALLED: dict[str, Endpoint] = {
    "orders": Endpoint("Get Order List", "POST", "/order/202309/orders/search"),
    "affiliate_orders": Endpoint("Search Seller Affiliate Orders", "POST",
                                 "/affiliate_seller/202509/orders/search"),
    "inventory": Endpoint("Inventory Search", "POST", "/product/202309/inventory/search"),
}


@dataclass(frozen=True)
class Sunset:
    pattern: str  # a regular expression over the path
    last_day: date | None  # the last day it answers; None: already deprecated
    successor: str
    notice: str


SUNSETS: tuple[Sunset, ...] = (
    Sunset(r"^/finance/202309/payments$", date(2026, 8, 14), "/finance/202605/payments",
           "Get Payments API - Migrate from 202309 to 202605 (sunset 2026-08-15)"),
    Sunset(r"^/finance/202309/orders/[^/]+/statement_transactions$", None,
           "/finance/202501/orders/{order_id}/statement_transactions",
           "Supplementary Notice on API Deprecation: Finance APIs"),
    Sunset(r"^/finance/202309/statements/[^/]+/statement_transactions$", None,
           "/finance/202501/statements/{statement_id}/statement_transactions",
           "Supplementary Notice on API Deprecation: Finance APIs"),
    Sunset(r"^/affiliate_seller/2024\d\d/", date(2026, 10, 11),
           "the same Affiliate Seller API at version 202509 (Creator Open ID)",
           "Affiliate API - Legacy Versions and Endpoints Sunset (2026-10-12 10:00 UTC+8)"),
)


class EndpointSunset(ValueError):
    """A path the platform no longer serves (or soon stops serving): the message names its
    successor and the notice."""


def version_of(path: str) -> str | None:
    """The ``YYYYMM`` version segment of an API path, or None when it has none."""
    match = re.search(r"/(20\d{4})(?:/|$)", path)
    return match.group(1) if match else None


def check_endpoint(path: str, today: date) -> None:
    """Raise ``EndpointSunset`` for a path that is legacy V1 (no version, or below 202309)
    or past its sunset on ``today``; otherwise return."""
    version = version_of(path)
    if version is None or version < FIRST_STANDARD_VERSION:
        raise EndpointSunset(
            f"{path}: a legacy V1 API path (versions below {FIRST_STANDARD_VERSION} are "
            "deprecated: 'Deprecating TikTok Shop API V1'); use its 202309-or-later version")
    for rule in SUNSETS:
        if re.search(rule.pattern, path) and (rule.last_day is None or today > rule.last_day):
            when = "is deprecated" if rule.last_day is None else \
                f"was sunset after {rule.last_day.isoformat()}"
            raise EndpointSunset(f"{path} {when} ({rule.notice}); use {rule.successor}")


def check_base_url(base_url: str) -> None:
    """Raise ``ValueError`` unless ``base_url`` is HTTPS. Plain HTTP is allowed only to this
    machine (a local test server or a local TLS-terminating proxy) and to the names RFC 2606
    reserves for tests (``.test``, ``.invalid``), which never name a real gateway: the
    gateway refuses HTTP since 2026-06-17, and it would send the access token in clear."""
    parts = urllib.parse.urlsplit(base_url)
    if parts.scheme == "https":
        return
    host = parts.hostname or ""
    try:
        local = ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = host == "localhost" or host.endswith((".localhost", ".test", ".invalid"))
    if parts.scheme == "http" and local:
        return
    raise ValueError(
        f"base_url must be https:// (the TikTok Shop gateway accepts HTTPS only since "
        f"{HTTPS_ONLY_FROM.isoformat()}: 'Gateway HTTP Access to Be Discontinued'); "
        f"got {parts.scheme or 'no'} scheme for {host or 'no host'}")
