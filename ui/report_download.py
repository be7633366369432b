"""The "Report" control in the header of every dashboard page: the stakeholder report
(campaign_core.stakeholder) of the current view as HTML or PDF, and a link to the view.

The files are made only when a button is clicked (``st.download_button`` with a
callable), so pages stay fast; ``ui.data.stakeholder_report`` caches them per data
version and minute.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import streamlit as st

from campaign_core.report import campaign_window
from campaign_core.security.access import Access
from campaign_core.stakeholder.document import report_file_stem
from ui import access, data, share

if TYPE_CHECKING:  # the header draws this control: no import of it at run time
    from ui.header import Selection

FORMATS = {"html": ("HTML (opens in any browser, offline)", "text/html"),
           "pdf": ("PDF", "application/pdf")}


def report_bytes(selection: Selection, file_format: str, grant: Access | None = None) -> bytes:
    """The stakeholder report of ``selection`` as of this minute (cached per minute and
    data version, like the pages' other per-minute reads), HTML (UTF-8) or PDF. ``grant``:
    the session's access when the file is made outside its run (a deferred download);
    ``AccessDenied`` when the session may not see the campaign's shop."""
    now = int(selection.now.timestamp())  # a replay: its moment, from its copy
    db_path = selection.read_path
    with access.carried(grant or access.current()):
        return data.stakeholder_report(db_path, data.current_version(db_path),
                                       selection.campaign, selection.view.value,
                                       selection.day, now - now % 60, file_format)


def file_name(selection: Selection, file_format: str) -> str:
    window = campaign_window(selection.campaign, selection.view, selection.now, selection.day)
    return (f"{report_file_stem(selection.campaign.name, selection.view.value, window.last_day)}"
            f".{file_format}")


def show(selection: Selection) -> None:
    """A popover with the two downloads and the link to this view."""
    with st.popover("Report", icon=":material/ios_share:", width="stretch",
                    help="Download this view as a report for people without the app, "
                         "or copy a link to it."):
        st.markdown("**Download report**")
        # Markdown, not captions: the page's first caption is the header's freshness line.
        st.markdown(":small[Page one answers how the campaign did (pacing, KPIs, top 5, "
                    "risks, what to do next); the detail of this view follows, with the "
                    "data-as-of time and the metric definitions.]")
        for file_format, (label, mime) in FORMATS.items():
            st.download_button(
                # Made when the browser asks for it, outside this run: the session's
                # access goes with it.
                label, data=partial(report_bytes, selection, file_format, access.current()),
                file_name=file_name(selection, file_format), mime=mime,
                icon=":material/download:", on_click="ignore", width="stretch",
                key=f"report_download_{file_format}")
        share.show_link(selection)
