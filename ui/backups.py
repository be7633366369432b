"""One-click backups and restores of the store, for the Import page."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from campaign_core.store import StoreError
from campaign_core.store.backup import (
    backup_store,
    check_backup,
    default_backup_dir,
    list_backups,
    restore_store,
    summarize_store,
)
from ui.formatting import plain


def show(db_path: Path) -> None:
    st.subheader("Backups", help="A backup is a complete, checked copy of the store, kept "
                 "with its date and time in the backups folder beside it.")
    folder = default_backup_dir(db_path)
    make, pick = st.columns([1, 3], vertical_alignment="bottom")
    if make.button("Back up now", icon=":material/backup:", key="backup_now"):
        try:
            made = backup_store(db_path)
            st.success(f"Saved {plain(made.name)} ({plain(summarize_store(made))}).")
        except StoreError as error:
            st.error(plain(error))
    backups = list_backups(folder) if folder.exists() else []
    if not backups:
        pick.caption("No backups yet. Command line: python -m campaign_core backup --db "
                     "data/campaign.db")
        return
    chosen = pick.selectbox("Restore from", backups, format_func=lambda p: p.name,
                            key="restore_choice")
    # Checked before anything reads its rows: a file named like a backup may be anything.
    problem = check_backup(chosen)
    if problem is None:
        try:
            st.caption(plain(f"{chosen.name}: {summarize_store(chosen)}"))
        except StoreError as error:
            problem = str(error)
    if problem is not None:
        st.warning(plain(f"{problem} It cannot be restored."), icon=":material/block:")
    confirmed = st.checkbox("Replace the current data with this backup (the current data is "
                            "backed up first)", key="restore_confirm")
    if st.button("Restore", disabled=not confirmed or problem is not None,
                 icon=":material/settings_backup_restore:", key="restore_now"):
        try:
            safety = restore_store(chosen, db_path)
            st.success(f"Restored {plain(chosen.name)}. The data from before is in "
                       f"{plain(Path(safety).name)}.")
        except StoreError as error:
            st.error(plain(error))
