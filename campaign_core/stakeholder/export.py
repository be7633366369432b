"""The stakeholder report of one campaign view as HTML text or PDF bytes."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from campaign_core.report import build_report
from campaign_core.stakeholder.document import Document, build_document
from campaign_core.store.campaigns import Campaign
from campaign_core.store.logos import load_logo
from campaign_core.windows import View


def stakeholder_html(conn: sqlite3.Connection, campaign: Campaign, view: View | str,
                     now: datetime, day: date | None = None) -> str:
    """A self-contained HTML page (inline CSS, charts as inline SVG, no scripts) of
    ``build_report(conn, campaign, view, now, day)``."""
    from campaign_core.stakeholder.html import render_html

    return render_html(campaign_document(conn, campaign, view, now, day))


def stakeholder_pdf(conn: sqlite3.Connection, campaign: Campaign, view: View | str,
                    now: datetime, day: date | None = None) -> bytes:
    """The same report as a PDF (page one portrait, the detail landscape, on Letter or A4 by
    market; charts as images)."""
    from campaign_core.stakeholder.pdf import render_pdf

    return render_pdf(campaign_document(conn, campaign, view, now, day))


def campaign_document(conn: sqlite3.Connection, campaign: Campaign, view: View | str,
                      now: datetime, day: date | None = None) -> Document:
    """The stakeholder report's content for one view of ``campaign``, with its shop's logo
    when one is set."""
    return build_document(build_report(conn, campaign, view, now, day),
                          load_logo(conn, campaign.shop_id))
