"""Pull orders, affiliate orders and inventory from the Open API into the store.

Orders and affiliate orders are pulled incrementally by ``update_time``: from the cursor of
the kind's last successful run less a lookback (updates can land late, and an order seen
twice is simply "unchanged"), or ``initial_days`` back on the first run, up to now. Each
kind is one run in ``sync_run`` and one entry in ``import_log`` (so "last import" on every
page counts a sync), written in one transaction through the file importers' writers.
Inventory is saved as one inventory-search response and imported through the stock
importer, exactly as a saved API response file would be.
"""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from campaign_core.formatting import plural
from campaign_core.importers.affiliate_orders import (
    classify_affiliate_orders,
    write_affiliate_orders,
)
from campaign_core.importers.parsed import RecordCounts
from campaign_core.importers.pipeline import ImportReport, import_file
from campaign_core.openapi.affiliate_mapping import map_affiliate_orders
from campaign_core.openapi.client import ApiClient, ApiError, PageLimitReached, TokenExpired
from campaign_core.openapi.orders_mapping import map_orders
from campaign_core.openapi.store_write import import_parsed_orders, log_finish, log_start
from campaign_core.openapi.versions import CALLED
from campaign_core.store import read_connection, write_transaction
from campaign_core.store.shops import resolve_shop, working_shop
from campaign_core.store.sync_state import fail_stale_runs, finish_run, last_cursor, start_run

ORDERS_PATH = CALLED["orders"].path
AFFILIATE_ORDERS_PATH = CALLED["affiliate_orders"].path
INVENTORY_PATH = CALLED["inventory"].path
DEFAULT_LOOKBACK_S = 2 * 3600
DEFAULT_INITIAL_DAYS = 30
INVENTORY_BATCH = 50
KINDS = ("orders", "affiliate_orders", "inventory")


@dataclass
class SyncResult:
    kind: str
    status: str  # ok / failed
    records: int = 0  # orders / affiliate lines / stock rows received
    pages: int = 0
    counts: RecordCounts | None = None
    cursor_utc: int | None = None
    message: str = ""
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # joined into ``message`` at the end

    def summary_line(self) -> str:
        if self.status != "ok":
            return f"sync {self.kind}: failed: {self.message}"
        counts = (f" new={self.counts.new} updated={self.counts.updated} "
                  f"unchanged={self.counts.unchanged} kept_newer={self.counts.kept_newer}"
                  if self.counts else "")
        return (f"sync {self.kind}: records={self.records} pages={self.pages}{counts} "
                f"in {self.seconds:.2f} s" + (f" ({self.message})" if self.message else ""))


def sync_all(db_path: Path | str, client: ApiClient, *, shop_name: str | None = None,
             kinds: tuple[str, ...] = KINDS, now_utc: int | None = None,
             lookback_s: int = DEFAULT_LOOKBACK_S,
             initial_days: int = DEFAULT_INITIAL_DAYS) -> list[SyncResult]:
    """Run each kind in turn; an expired token stops the rest (they would fail too).
    Never raises for API trouble: a failed kind has status "failed" and a message."""
    results = []
    for kind in kinds:
        runner = {"orders": sync_orders, "affiliate_orders": sync_affiliate_orders,
                  "inventory": sync_inventory}[kind]
        options = {} if kind == "inventory" else {"lookback_s": lookback_s,
                                                  "initial_days": initial_days}
        result = runner(db_path, client, shop_name=shop_name, now_utc=now_utc, **options)
        results.append(result)
        if result.status != "ok" and result.message.startswith("token:"):
            break
    return results


def _begin(db_path: Path | str, kind: str, shop_name: str | None) -> tuple[int, int, str]:
    with write_transaction(db_path) as conn:
        fail_stale_runs(conn)  # a run a killed process left "running"
        # Unnamed: the store's only shop, or the one beside the demo's.
        shop = resolve_shop(conn, working_shop(conn, shop_name), None)
        return start_run(conn, kind, shop.shop_id), shop.shop_id, shop.name


def _fail(db_path: Path | str, run_id: int, result: SyncResult, error: Exception,
          started: float) -> SyncResult:
    prefix = "token: " if isinstance(error, TokenExpired) else ""
    text = str(error) if isinstance(error, ApiError) else f"{type(error).__name__}: {error}"
    result.status, result.message = "failed", f"{prefix}{text}"
    result.seconds = time.monotonic() - started
    with write_transaction(db_path) as conn:
        finish_run(conn, run_id, status="failed", records=result.records,
                   pages=result.pages, message=result.message)
    return result


def _window(db_path: Path | str, kind: str, shop_id: int, now_utc: int, lookback_s: int,
            initial_days: int) -> tuple[int, int | None]:
    with read_connection(db_path) as conn:
        cursor = last_cursor(conn, kind, shop_id)
    start = cursor - lookback_s if cursor is not None else now_utc - initial_days * 86400
    return start, cursor


def _pull(client: ApiClient, path: str, start: int, now_utc: int,
          result: SyncResult) -> list[dict]:
    items: list[dict] = []
    body = {"update_time_ge": start, "update_time_lt": now_utc + 1}
    try:
        for page in client.pages("POST", path, "orders", body=body,
                                 params={"sort_field": "update_time", "sort_order": "ASC"}):
            result.pages += 1
            items.extend(page)
    except PageLimitReached as limit:
        # Pages come oldest update first: what came is a whole prefix, and the cursor
        # (its newest update) is where the next sync goes on.
        result.notes.append(f"stopped after {limit.pages} pages; the next sync goes on "
                            "from the newest update received")
    result.records = len(items)
    return items


def _newest_update(items: list[dict], previous: int | None) -> int | None:
    times = [int(i["update_time"]) for i in items
             if isinstance(i, dict) and str(i.get("update_time", "")).isdigit()]
    return max(times + ([previous] if previous is not None else []), default=None)


def sync_orders(db_path: Path | str, client: ApiClient, *, shop_name: str | None = None,
                now_utc: int | None = None, lookback_s: int = DEFAULT_LOOKBACK_S,
                initial_days: int = DEFAULT_INITIAL_DAYS) -> SyncResult:
    """Pull orders updated since the cursor (less ``lookback_s``) and store them."""
    started = time.monotonic()
    now_utc = int(now_utc or time.time())
    result = SyncResult("orders", "ok")
    run_id, shop_id, shop = _begin(db_path, "orders", shop_name)
    try:
        start, cursor = _window(db_path, "orders", shop_id, now_utc, lookback_s, initial_days)
        items = _pull(client, ORDERS_PATH, start, now_utc, result)
        parsed = map_orders(items)
        with write_transaction(db_path) as conn:
            report = import_parsed_orders(db_path, parsed, label="Open API orders sync",
                                          shop_name=shop, conn=conn)
            result.counts, result.cursor_utc = report.records, _newest_update(items, cursor)
            if parsed.quarantined_rows:
                result.notes.append(f"{plural(parsed.quarantined_rows, 'order')} quarantined")
            result.message = "; ".join(result.notes)
            finish_run(conn, run_id, status="ok", records=result.records,
                       pages=result.pages, message=result.message,
                       cursor_utc=result.cursor_utc, import_id=report.import_id)
    except Exception as error:  # API trouble, or a bug: the run must not stay 'running'
        return _fail(db_path, run_id, result, error, started)
    result.seconds = time.monotonic() - started
    return result


def sync_affiliate_orders(db_path: Path | str, client: ApiClient, *,
                          shop_name: str | None = None, now_utc: int | None = None,
                          lookback_s: int = DEFAULT_LOOKBACK_S,
                          initial_days: int = DEFAULT_INITIAL_DAYS) -> SyncResult:
    """Pull affiliate orders updated since the cursor into ``affiliate_line``."""
    started = time.monotonic()
    now_utc = int(now_utc or time.time())
    result = SyncResult("affiliate_orders", "ok")
    run_id, shop_id, shop = _begin(db_path, "affiliate_orders", shop_name)
    try:
        start, cursor = _window(db_path, "affiliate_orders", shop_id, now_utc, lookback_s,
                                initial_days)
        items = _pull(client, AFFILIATE_ORDERS_PATH, start, now_utc, result)
        with write_transaction(db_path) as conn:
            mapped = map_affiliate_orders(conn, shop_id, items)
            parsed = mapped.parsed
            report = ImportReport("Open API affiliate orders sync", "imported",
                                  kind="api_affiliate_orders",
                                  kind_label="Open API affiliate orders")
            report.rows_read, report.rows_stored = parsed.rows_read, len(parsed.lines)
            if mapped.unresolved or parsed.quarantined_rows:
                result.notes.append(
                    f"{plural(mapped.unresolved, 'item')} left out: their order is not in the "
                    f"store yet or names the product only; {parsed.quarantined_rows} unreadable")
            if mapped.unmapped_open_ids:
                result.notes.append(
                    f"{plural(mapped.unmapped_open_ids, 'item')} named a creator by Open ID "
                    "only, with no handle known yet: listed under the Open ID until a "
                    "source names both")
            result.message = report.message = "; ".join(result.notes)
            report.import_id = log_start(conn, report, shop_id)
            result.counts, plan = classify_affiliate_orders(conn, shop_id, parsed, None)
            write_affiliate_orders(conn, shop_id, report.import_id, parsed, plan)
            log_finish(conn, report, result.counts)
            result.cursor_utc = _newest_update(items, cursor)
            finish_run(conn, run_id, status="ok", records=len(parsed.lines),
                       pages=result.pages, message=result.message,
                       cursor_utc=result.cursor_utc, import_id=report.import_id)
    except Exception as error:  # API trouble, or a bug: the run must not stay 'running'
        return _fail(db_path, run_id, result, error, started)
    result.seconds = time.monotonic() - started
    return result


def sync_inventory(db_path: Path | str, client: ApiClient, *, shop_name: str | None = None,
                   now_utc: int | None = None) -> SyncResult:
    """Search the inventory of every product the store knows, import it as stock."""
    started = time.monotonic()
    result = SyncResult("inventory", "ok")
    run_id, shop_id, shop = _begin(db_path, "inventory", shop_name)
    try:
        with read_connection(db_path) as conn:
            product_ids = [row[0] for row in conn.execute(
                "SELECT product_id FROM product WHERE shop_id = :shop_id UNION "
                "SELECT product_id FROM sku WHERE shop_id = :shop_id AND product_id IS NOT NULL "
                "ORDER BY 1", {"shop_id": shop_id})]
        inventory: list[dict] = []
        for offset in range(0, len(product_ids), INVENTORY_BATCH):
            data = client.call("POST", INVENTORY_PATH,
                               body={"product_ids": product_ids[offset:offset + INVENTORY_BATCH]})
            result.pages += 1
            inventory.extend(data.get("inventory") or [])
        result.records = sum(len(p.get("skus") or []) for p in inventory)
    except Exception as error:  # API trouble, or a bug: the run must not stay 'running'
        return _fail(db_path, run_id, result, error, started)
    report = _import_inventory(db_path, inventory, shop) if inventory else None
    with write_transaction(db_path) as conn:
        if report is not None and not report.ok:
            result.status, result.message = "failed", report.message
        elif not product_ids:
            result.message = ("no products in the store yet: import orders or the product "
                              "list first")
        elif report is None:
            result.message = (f"the API returned no inventory for the {len(product_ids):,} "
                              f"product{'s' * (len(product_ids) != 1)} in the store "
                              f"({result.pages} request{'s' * (result.pages != 1)}); stock "
                              "is unchanged. Check that shop_cipher names this shop")
        finish_run(conn, run_id, status=result.status, records=result.records,
                   pages=result.pages, message=result.message,
                   import_id=report.import_id if report else None)
    result.seconds = time.monotonic() - started
    return result


def _import_inventory(db_path: Path | str, inventory: list[dict], shop: str) -> ImportReport:
    document = {"code": 0, "message": "Success", "data": {"inventory": inventory}}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "inventory.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        return import_file(db_path, path, file_name="Open API inventory sync", shop_name=shop)
