"""The Import page's audit log: who imported which file, synced, or changed a campaign,
target, cost or deal, and when; only entries of the shops this session may see."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from ui import data
from ui.downloads import csv_file
from ui.formatting import local_time

ACTION_LABELS = {"import": "imported a file", "sync": "synced", "campaign": "campaign",
                 "target": "GMV target", "cost": "unit cost", "deal": "creator deal",
                 "shop": "shop settings"}


def audit_frame(db_path: Path, version: int, timezone: str) -> pd.DataFrame:
    """The visible audit entries as a table (times in ``timezone``), newest first."""
    return pd.DataFrame([{
        "when": local_time(entry.at_utc, timezone, "%Y-%m-%d %H:%M"),
        "who": entry.actor, "what": ACTION_LABELS.get(entry.action, entry.action),
        "shop": entry.shop or "(every shop)", "changed": entry.subject,
        "details": entry.detail} for entry in data.audit_log(db_path, version)],
        columns=["when", "who", "what", "shop", "changed", "details"])


def show(db_path: Path, version: int, timezone: str) -> None:
    st.subheader("Audit log", help="Written with each change, in the same transaction: "
                 "imports, syncs, and campaign, target, cost and deal edits, by the signed-in "
                 "user, or by the computer's user for the command line and the inbox.")
    frame = audit_frame(db_path, version, timezone)
    if frame.empty:
        st.caption("No changes recorded yet.")
        return
    st.dataframe(frame, hide_index=True, width="stretch")
    st.download_button("Download audit log (CSV)", csv_file(frame), file_name="audit-log.csv",
                       mime="text/csv", key="audit_log_download", icon=":material/download:")
