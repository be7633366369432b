"""What the Import page says after an import: what the files changed, and what to do next
in a shop that has no campaign yet."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import streamlit as st

from campaign_core.importers.kinds import KINDS
from campaign_core.importers.pipeline import ImportReport
from ui import data
from ui.formatting import plain

# Row nouns that read wrong with an "s" added (importers/kinds.py row_noun).
_PLURALS = {"data": "rows", "traffic": "traffic rows"}
PREFILL_KEY = "campaign_prefill"  # read by the Campaigns page's form


def _noun(kind_name: str | None, count: int) -> str:
    noun = next((k.row_noun for k in KINDS if k.name == kind_name), "record")
    if count == 1:
        return noun
    return _PLURALS.get(noun, f"{noun}s")


def outcome(results: list[ImportReport]) -> tuple[str, str]:
    """("success" | "info" | "error", the sentence): what the imported files changed,
    counted as new, updated and unchanged records, "Nothing changed" when none was new or
    updated (a file imported again)."""
    done = [r for r in results if r.ok]
    rejected = len(results) - len(done)
    refused = ("" if not rejected else " 1 file was rejected (see the table)." if rejected == 1
               else f" {rejected} files were rejected (see the table).")
    if not done:
        return "error", f"Nothing was imported.{refused}"
    new = sum(r.records.new for r in done)
    updated = sum(r.records.updated for r in done)
    unchanged = sum(r.records.unchanged + r.records.kept_newer for r in done)
    kinds = {r.kind for r in done}
    noun = _noun(kinds.pop() if len(kinds) == 1 else None, new + updated + unchanged)
    counts = f"{new:,} new, {updated:,} updated, {unchanged:,} unchanged {noun}"
    files = "" if len(done) == 1 else f" from {len(done)} files"
    if new + updated == 0:
        held = "this file" if len(done) == 1 else "these files"
        return "info", (f"Nothing changed: {counts}{files}; the store already had everything "
                        f"in {held}.{refused}")
    return "success", f"{counts}{files}. The dashboard pages are up to date.{refused}"


def show_outcome(results: list[ImportReport]) -> None:
    level, text = outcome(results)
    {"success": st.success, "info": st.info, "error": st.error}[level](text)


def campaign_days(results: list[ImportReport], timezone: str) -> tuple[date, date] | None:
    """The first and last day, in ``timezone``, of the orders the files hold (paid time),
    or None when no file holds paid orders."""
    firsts = [r.first_paid_utc for r in results if r.ok and r.first_paid_utc is not None]
    lasts = [r.last_paid_utc for r in results if r.ok and r.last_paid_utc is not None]
    if not firsts or not lasts:
        return None
    zone = ZoneInfo(timezone)
    return tuple(datetime.fromtimestamp(t, UTC).astimezone(zone).date()
                 for t in (min(firsts), max(lasts)))


def show_next_step(db_path: Path, version: int, shop_name: str | None,
                   results: list[ImportReport]) -> None:
    """After an import into a shop that has no campaign: say to create one, and open the
    Campaigns page with the shop and the orders' days filled in."""
    shop = next((s for s in data.shops(db_path, version) if s.name == shop_name), None)
    if shop is None or any(c.shop_id == shop.shop_id for c in data.campaigns(db_path, version)):
        return
    days = campaign_days(results, shop.timezone)
    span = (f" Its orders run from {days[0]:%b %-d} to {days[1]:%b %-d, %Y}; the campaign "
            "starts with those dates." if days else "")
    st.info(f"Next: create a campaign for {plain(shop.name)} (its days and GMV target), so "
            f"the dashboard pages can show it.{span}", icon=":material/flag:")
    if st.button("Create the campaign", key="import_next_campaign", type="primary",
                 icon=":material/arrow_forward:"):
        prefill = {"shop": shop.name}
        if days:
            prefill.update(start=days[0], end=days[1])
        st.session_state[PREFILL_KEY] = prefill
        st.switch_page("pages/campaigns.py")
