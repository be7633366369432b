"""Real time in the app: the inbox watcher thread, the Open API sync panel of the Import
page, and the alert channels and credentials read from ``st.secrets`` (never shown)."""

from __future__ import annotations

import threading
from pathlib import Path

import streamlit as st

from campaign_core.alerts.delivery import Channels
from campaign_core.alerts.engine import evaluate_after_change
from campaign_core.inbox.service import WatchOptions, WatchService
from campaign_core.inbox.watcher import default_inbox
from campaign_core.openapi.client import ApiClient
from campaign_core.openapi.credentials import Credentials, MissingCredentials
from campaign_core.openapi.sync import sync_all
from campaign_core.store.shops import DEFAULT_SHOP_NAME, DEMO_SHOP_NAMES, Shop
from ui import access, data, settings
from ui.formatting import local_time, plain
from ui.header import SELECTION_KEY


def _section(name: str) -> dict:
    try:
        return dict(st.secrets.get(name, {}))
    except Exception:  # no secrets.toml at all
        return {}


def channels() -> Channels:
    return Channels.from_mapping(_section("alerts"))


def credentials() -> tuple[Credentials | None, str]:
    """The Open API credentials, or None and what is missing (key names only)."""
    try:
        return Credentials.from_mapping(_section("tiktok_shop")), ""
    except MissingCredentials as error:
        return None, str(error)


# One watcher thread per store and folder for the whole server process, kept here and not
# in st.cache_resource: clearing the caches must not start a second watcher.
_WATCHERS: dict[tuple[str, str], threading.Thread] = {}
_WATCHERS_LOCK = threading.Lock()


def _watcher(db_path: str, folder: str) -> threading.Thread:
    """The running watcher of this store and folder, started when there is none alive
    (it ends when the folder is removed, and starts again when it is back)."""
    with _WATCHERS_LOCK:
        thread = _WATCHERS.get((db_path, folder))
        if thread is None or not thread.is_alive():
            service = WatchService(db_path, folder, WatchOptions(channels=channels()))
            thread = threading.Thread(target=service.run, name="inbox-watcher", daemon=True,
                                      kwargs={"should_stop": lambda: not Path(folder).is_dir()})
            thread.start()
            _WATCHERS[(db_path, folder)] = thread
        return thread


def ensure_inbox_watcher(db_path: Path) -> Path | None:
    """Start watching the inbox folder (``CAMPAIGN_INBOX``, else ``inbox/`` beside the
    store) when it exists; return it, or None when there is no such folder. With
    ``CAMPAIGN_WORKER=external`` the worker process watches it: nothing is started here."""
    folder = default_inbox(db_path)
    if settings.worker_mode() == "external" or not folder.is_dir():
        return None
    _watcher(str(db_path), str(folder))
    return folder


def alerts_after_import(db_path: Path) -> None:
    """Check the alert rules after an upload's import (never fails the import)."""
    evaluate_after_change(db_path, channels())


def sync_panel(db_path: Path, timezone: str) -> None:
    """The Import page's "Sync now" button with the last sync's time and result."""
    st.subheader("TikTok Shop Open API and inbox",
                 help="Sync pulls orders updated since the last sync (less a 2-hour "
                      "lookback), affiliate orders and inventory, and stores them as the "
                      "file imports do. Credentials: .streamlit/secrets.toml [tiktok_shop].")
    found, missing = credentials()
    version = data.current_version(db_path)
    runs = data.sync_runs(db_path, version)
    target = _sync_shop(data.shops(db_path, version))
    button, status = st.columns([1, 3], vertical_alignment="center")
    if button.button("Sync now", icon=":material/sync:",
                     disabled=found is None or not _may_sync(db_path, target),
                     key="sync_now"):
        with st.spinner("Pulling from the Open API"), access.acting() as grant:
            if not _may_sync(db_path, target):
                grant.require_write(target)  # refused: says why
            results = sync_all(db_path, ApiClient(found), shop_name=target)
            evaluate_after_change(db_path, channels())
        for result in results:
            (st.success if result.status == "ok" else st.error)(plain(result.summary_line()))
        runs = data.sync_runs(db_path, data.current_version(db_path))
    with status:
        if found is None:
            st.caption(f"Sync is off: {plain(missing)}.")
        if runs:
            last = runs[0]
            when = local_time(last.finished_utc or last.started_utc, timezone, "%b %d, %H:%M")
            text = (f"Last sync: {when}, {plain(last.kind)} {plain(last.status)}, {last.records:,} "
                    "records"
                    + (f" — {plain(last.message)}" if last.message else ""))
            st.caption(f":red[{text}]" if last.status == "failed" else text)
        else:
            st.caption("No sync yet.")
    if settings.worker_mode() == "external":
        st.caption("Inbox and scheduled sync: run by the worker process of this deployment "
                   "(`python -m campaign_core worker`), not by this app server. Exports "
                   "dropped into the worker's inbox folder are imported by themselves; one "
                   "subfolder per shop, named after it, when the store holds several.")
        return
    folder = ensure_inbox_watcher(db_path)
    st.caption(f"Inbox: files dropped into {plain(str(folder))} are imported by themselves "
               "(then moved to processed/ or failed/ with their report). A file in a "
               "subfolder named after a shop goes to that shop; one at the top to your shop "
               "(the one beside the demo's)." if folder else
               f"Inbox: create the folder {plain(str(default_inbox(db_path)))} (or set "
               "CAMPAIGN_INBOX) and exports dropped into it are imported by themselves; one "
               "subfolder per shop, named after it, when the store holds several.")


def _may_sync(db_path: Path, shop_name: str | None) -> bool:
    """A sync writes into the shop: staff of that shop or an admin (a shop not in the
    store yet, which the sync would create: admins only)."""
    grant = access.current()
    known = [s.name for s in data.shops(db_path, data.current_version(db_path))]
    return grant.may_write(shop_name) if shop_name in known else grant.is_admin


def _sync_shop(shops: list[Shop]) -> str | None:
    """The shop "Sync now" pulls into: picked here, starting from the header's pick
    (never the demo's unless chosen here)."""
    if not shops:
        return None
    names = [shop.name for shop in shops]
    if set(names) <= DEMO_SHOP_NAMES:  # your data gets a shop of its own beside the demo's
        names.insert(0, DEFAULT_SHOP_NAME)
    picked = st.session_state.get("shop")
    selection = st.session_state.get(SELECTION_KEY)
    if picked not in names and selection is not None:
        picked = selection.shop.name
    if picked not in names or (picked in DEMO_SHOP_NAMES and len(names) > 1):
        picked = next((name for name in names if name not in DEMO_SHOP_NAMES), names[0])
    return st.selectbox("Sync into shop", names, index=names.index(picked), key="sync_shop",
                        help="The shop whose Open API credentials are in secrets.toml.")
