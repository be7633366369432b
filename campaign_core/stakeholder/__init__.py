"""The stakeholder report: the campaign report (``campaign_core.report.build_report``) as a
file to send, a self-contained HTML page or a PDF, for one view.

Both are built from the same report dict the app and the command line show, so their
numbers are the app's. ``document.build_document`` turns the dict into sections of cards,
tables and charts (sections other modules add to the report, such as ``content`` or
``creators``, are rendered generically); ``html.render_html`` and ``pdf.render_pdf`` draw it.
"""

from campaign_core.stakeholder.document import Document, build_document
from campaign_core.stakeholder.export import stakeholder_html, stakeholder_pdf

__all__ = ["Document", "build_document", "stakeholder_html", "stakeholder_pdf"]
