"""Shared fixtures: tiny stores built from hand-written orders, and one demo store."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest

from campaign_core.demo.order_files import LineSpec, OrderSpec, order_rows, write_orders_csv
from campaign_core.importers.pipeline import import_file
from campaign_core.store import write_transaction
from campaign_core.store.campaigns import save_campaign
from campaign_core.store.shops import resolve_shop

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEMO_TODAY = date(2026, 11, 26)
# Mid-afternoon of the demo's "today" in Los Angeles (22:30 UTC = 14:30 PST).
DEMO_NOW = "2026-11-26T22:30:00+00:00"
TZ = "America/Los_Angeles"


def line(sku: str, quantity: int, price_cents: int, **extra) -> LineSpec:
    return LineSpec(sku_id=f"17290000000000000{sku}", product_id="1730000000000000001",
                    product_name=f"Product {sku}", quantity=quantity,
                    unit_price_cents=price_cents, **extra)


def hand_orders() -> list[OrderSpec]:
    """Five orders whose KPIs are worked out by hand in test_kpis.py."""
    return [
        OrderSpec("576000000000000001", "Delivered", datetime(2026, 11, 20, 10, 0),
                  datetime(2026, 11, 20, 10, 1),
                  [line("01", 2, 1299, platform_discount_cents=100, seller_discount_cents=200),
                   line("02", 1, 1299)],
                  buyer_username="amy", shipping_fee_cents=599,
                  shipping_platform_discount_cents=150),
        OrderSpec("576000000000000002", "Cancelled", datetime(2026, 11, 20, 23, 0),
                  datetime(2026, 11, 20, 23, 5), [line("01", 1, 1299)],
                  buyer_nickname="bob", cancel_return_type="Cancel",
                  cancelled=datetime(2026, 11, 21, 8, 0)),
        OrderSpec("576000000000000003", "Delivered", datetime(2026, 11, 21, 0, 20),
                  datetime(2026, 11, 21, 0, 30),
                  [line("03", 3, 1000, seller_discount_cents=300, platform_discount_cents=50,
                        returned_units=1)],
                  buyer_username="amy", cancel_return_type="Return/Refund",
                  delivered=datetime(2026, 11, 24, 12, 0)),
        OrderSpec("576000000000000004", "Unpaid", datetime(2026, 11, 20, 12, 0), None,
                  [line("01", 1, 1299)], buyer_username="carl"),
        OrderSpec("576000000000000005", "Shipped", datetime(2026, 11, 20, 13, 0),
                  datetime(2026, 11, 20, 13, 0),
                  [line("02", 1, 1299, seller_discount_cents=1299)],
                  buyer_username="creator_one"),
    ]


def write_export(folder: Path, orders: list[OrderSpec], name: str = "All order.csv",
                 **options) -> Path:
    rows = [row for order in orders for row in order_rows(order)]
    return write_orders_csv(folder / name, rows, **options)


@pytest.fixture
def hand_store(tmp_path: Path) -> Path:
    """A store holding ``hand_orders`` and a campaign Nov 20-21, 2026."""
    db = tmp_path / "store.db"
    report = import_file(db, write_export(tmp_path, hand_orders()), timezone=TZ)
    assert report.ok, report.message
    with write_transaction(db) as conn:
        shop = resolve_shop(conn, None, None)
        save_campaign(conn, shop_id=shop.shop_id, name="Hand", start_day=date(2026, 11, 20),
                      end_day=date(2026, 11, 21), gmv_target_cents=100_00)
    return db


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo campaign anchored on ``DEMO_TODAY``, built once per test run."""
    from campaign_core.demo.build import build_demo

    db = tmp_path_factory.mktemp("demo") / "campaign.db"
    build_demo(db, today=DEMO_TODAY, seed=7)
    return db


@pytest.fixture
def app_env(demo_store: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app at the demo store with a frozen clock, and start with empty caches."""
    import streamlit as st

    monkeypatch.setenv("CAMPAIGN_DB", str(demo_store))
    monkeypatch.setenv("CAMPAIGN_NOW", DEMO_NOW)
    st.cache_data.clear()
    yield demo_store
    st.cache_data.clear()


@pytest.fixture
def private_app_env(demo_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Like ``app_env`` but on a private copy of the demo store, for tests that write."""
    import sqlite3

    import streamlit as st

    copy = tmp_path / "campaign.db"
    with sqlite3.connect(demo_store) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    monkeypatch.setenv("CAMPAIGN_DB", str(copy))
    monkeypatch.setenv("CAMPAIGN_NOW", DEMO_NOW)
    st.cache_data.clear()
    yield copy
    st.cache_data.clear()


os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")


@pytest.fixture
def slack():
    """A local Slack webhook that records what it is sent (tests/local_channels.py)."""
    from tests.local_channels import SlackCatcher

    catcher = SlackCatcher()
    yield catcher
    catcher.stop()


@pytest.fixture
def smtp():
    """A local SMTP server that records the mail it is sent (tests/local_channels.py)."""
    from tests.local_channels import SmtpCatcher

    catcher = SmtpCatcher()
    yield catcher
    catcher.stop()
