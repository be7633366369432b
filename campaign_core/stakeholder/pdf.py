"""The stakeholder report as a PDF (A4 landscape), drawn with fpdf2; charts as PNG images
from vl-convert.

Text uses DejaVu Sans where the system has it (any script in product names); without it
the built-in Helvetica is used and characters outside Latin-1 print as "?".
"""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from campaign_core.stakeholder.charts import to_png
from campaign_core.stakeholder.document import Document, Section, Table

_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
              Path("/usr/local/share/fonts"))
_BLUE = (0, 114, 178)
_HEADER_FILL = (246, 248, 250)
_CHART_WIDTH_MM = 200


class _Pdf(FPDF):
    def __init__(self, document: Document) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.document = document
        self.family = _add_fonts(self)
        self.unicode = self.family != "Helvetica"
        self.set_auto_page_break(auto=True, margin=14)
        self.set_title(self.text(document.title))
        self.set_creator("Campaign dashboard")

    def text(self, value: str) -> str:
        if self.unicode:
            return value
        return value.replace("–", "-").replace("·", "|").encode(
            "latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(self.family, size=7)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, self.text(f"{self.document.title} · page {self.page_no()}"),
                  align="R")


def render_pdf(document: Document) -> bytes:
    """``document`` as PDF bytes."""
    pdf = _Pdf(document)
    pdf.add_page()
    pdf.set_font(pdf.family, "B", 16)
    _paragraph(pdf, 8, pdf.text(document.title))
    pdf.set_font(pdf.family, size=10)
    _paragraph(pdf, 5, pdf.text(document.subtitle))
    pdf.set_text_color(80, 80, 80)
    _paragraph(pdf, 5, pdf.text(document.stamp))
    pdf.set_text_color(0, 0, 0)
    for section in document.sections:
        _section(pdf, section)
    _definitions(pdf, document)
    return bytes(pdf.output())


def _add_fonts(pdf: FPDF) -> str:
    for folder in _FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            pdf.add_font("DejaVu", "", str(regular))
            pdf.add_font("DejaVu", "B", str(bold))
            return "DejaVu"
    return "Helvetica"


def _paragraph(pdf: _Pdf, height: float, text: str) -> None:
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")


def _heading(pdf: _Pdf, text: str, size: int = 13) -> None:
    if pdf.get_y() > pdf.h - 40:
        pdf.add_page()
    pdf.ln(4)
    pdf.set_font(pdf.family, "B", size)
    pdf.set_text_color(*_BLUE)
    _paragraph(pdf, 7, pdf.text(text))
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(pdf.family, size=9)


def _section(pdf: _Pdf, section: Section) -> None:
    _heading(pdf, section.title)
    if section.cards:
        _cards(pdf, section)
    for sentence in section.sentences:
        _paragraph(pdf, 5, pdf.text(sentence))
    for chart in section.charts:
        image = io.BytesIO(to_png(chart.spec, scale=2))
        if pdf.get_y() > pdf.h - 80:
            pdf.add_page()
        pdf.image(image, w=_CHART_WIDTH_MM, alt_text=pdf.text(chart.title))
        pdf.ln(2)
    for table in section.tables:
        _table(pdf, table)


def _cards(pdf: _Pdf, section: Section) -> None:
    per_row = 5
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / per_row
    for start in range(0, len(section.cards), per_row):
        x, y = pdf.l_margin, pdf.get_y() + 1
        for card in section.cards[start:start + per_row]:
            pdf.rect(x + 1, y, width - 2, 15)
            pdf.set_xy(x + 3, y + 1.5)
            pdf.set_font(pdf.family, size=8)
            pdf.cell(width - 6, 4, pdf.text(card.label))
            pdf.set_xy(x + 3, y + 6.5)
            pdf.set_font(pdf.family, "B", 12)
            pdf.cell(width - 6, 6, pdf.text(card.text))
            x += width
        pdf.set_xy(pdf.l_margin, y + 17)
    pdf.set_font(pdf.family, size=9)


def _table(pdf: _Pdf, table: Table) -> None:
    if table.title:
        _heading(pdf, table.title, size=10)
    size = 8 if len(table.columns) <= 8 else 7
    pdf.set_font(pdf.family, size=size)
    alignments = tuple("RIGHT" if numeric else "LEFT" for numeric in table.numeric)
    widths = _column_widths(table)
    heading = FontFace(emphasis="BOLD", fill_color=_HEADER_FILL)
    with pdf.table(col_widths=widths, text_align=alignments, headings_style=heading,
                   line_height=size * 0.55, padding=1,
                   width=min(pdf.w - pdf.l_margin - pdf.r_margin,
                             max(90, 26 * len(table.columns)))) as grid:
        grid.row([pdf.text(column) for column in table.columns])
        for values in table.rows:
            grid.row([pdf.text(value) for value in values])
    if table.note:
        pdf.set_font(pdf.family, size=7)
        _paragraph(pdf, 4, pdf.text(table.note))
    pdf.set_font(pdf.family, size=9)


def _column_widths(table: Table) -> tuple[int, ...]:
    # Text columns (names) get room; numbers are short.
    lengths = [max([len(table.columns[i])] + [len(row[i]) for row in table.rows])
               for i in range(len(table.columns))]
    return tuple(max(6, min(length, 40)) for length in lengths)


def _definitions(pdf: _Pdf, document: Document) -> None:
    _heading(pdf, "Definitions", size=11)
    pdf.set_font(pdf.family, size=7)
    _paragraph(pdf, 4, pdf.text(f"{document.stamp} Times are shop time; money is in the "
                                 "shop's currency."))
    for name, definition in document.definitions:
        pdf.set_font(pdf.family, "B", 7)
        _paragraph(pdf, 3.6, pdf.text(name))
        pdf.set_font(pdf.family, size=7)
        _paragraph(pdf, 3.6, pdf.text(definition))
