"""The stakeholder report as a PDF, drawn with fpdf2; charts as PNG images from vl-convert.

Page one (portrait) is the answer: the facts, three plain sentences, the pacing figure, the
core KPIs with their change, the trend, the top 5 lists and the risks. The detail follows
on landscape pages: each section starts on a new page only when its heading and first
block would not fit. Tables never split a row across pages and repeat their headings on
continued pages (fpdf2's ``table``); columns are sized to their content so no word is
broken, and a name too long for its column is ellipsised, its full text listed under "Full
names". Paper is Letter for shops in the US, Canada and Mexico, A4 elsewhere.

Text uses DejaVu Sans where the system has it (any script in product names); without it
the built-in Helvetica is used and characters outside Latin-1 print as "?".
"""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from campaign_core.markets import CURRENCIES
from campaign_core.stakeholder.charts import to_png
from campaign_core.stakeholder.document import Document, Section, Table
from campaign_core.stakeholder.document import is_sentence as _sentence
from campaign_core.stakeholder.summary import TopTable

_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
              Path("/usr/local/share/fonts"))
_BLUE = (0, 114, 178)
_GREY = (90, 90, 90)
_HEADER_FILL = (246, 248, 250)
_MARGIN = 12
_BOTTOM = 14
_PADDING = 1.0
_ELLIPSIS = "…"
LOGO_BOX = (45.0, 16.0)  # mm: the largest the shop's logo is drawn on page one
_SYMBOLS = sorted({c.symbol for c in CURRENCIES.values()}, key=len, reverse=True)


class _Pdf(FPDF):
    def __init__(self, document: Document) -> None:
        super().__init__(orientation="P", unit="mm", format=document.paper)
        self.document = document
        self.family = _add_fonts(self)
        self.unicode = self.family != "Helvetica"
        self.set_margins(_MARGIN, _MARGIN, _MARGIN)
        self.set_auto_page_break(auto=True, margin=_BOTTOM)
        self.set_title(self.text(document.title))
        self.set_creator("Campaign dashboard")
        # How full each page is, by page number: fpdf2 may lay a table row out twice (a
        # trial run, then the real one), so a page's figure is the last one taken.
        self.fills: dict[int, float] = {}
        self.full_names: dict[str, None] = {}  # texts cut short in a table, in order
        self.definition_size = 7.5  # chosen so the last page is not mostly empty

    def text(self, value: str) -> str:
        if self.unicode:
            return value
        return value.replace("–", "-").replace("·", "|").replace(_ELLIPSIS, "...").replace(
            "•", "-").encode(
            "latin-1", "replace").decode("latin-1")

    def add_page(self, *args, **kwargs) -> None:
        self.record_fill()
        super().add_page(*args, **kwargs)

    def record_fill(self) -> None:
        """How much of the current page's writing area is used (0-1)."""
        if self.page:
            used = (self.get_y() - self.t_margin) / (self.page_break_trigger - self.t_margin)
            self.fills[self.page] = round(min(1.0, max(0.0, used)), 3)

    def room(self) -> float:
        return self.page_break_trigger - self.get_y()

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(self.family, size=7)
        self.set_text_color(*_GREY)
        self.cell(0, 5, self.text(f"{self.document.title} · page {self.page_no()} of "
                                  f"{self.str_alias_nb_pages}"), align="R")
        self.set_text_color(0, 0, 0)


def render_pdf(document: Document) -> bytes:
    """``document`` as PDF bytes."""
    return bytes(_laid_out(document).output())


def page_fill(document: Document) -> list[float]:
    """How full each page of ``document``'s PDF is (0-1 of the writing area), in order."""
    return _fills(_laid_out(document))


def _fills(pdf: _Pdf) -> list[float]:
    pdf.record_fill()
    return [pdf.fills[page] for page in sorted(pdf.fills)]


# The definitions close the report; their type size is the one free choice left, so the
# last page is drawn at the first size that leaves it at least half full (a report that
# ends with a few lines on a page of their own reads as unfinished).
DEFINITION_SIZES = (7.5, 8.0, 8.5, 7.0, 9.0, 9.5)
LAST_PAGE_FILL = 0.5


def _laid_out(document: Document) -> _Pdf:
    best: _Pdf | None = None
    for size in DEFINITION_SIZES:
        pdf = _draw(document, size)
        last = _fills(pdf)[-1]
        if pdf.page == 1 or last >= LAST_PAGE_FILL:
            return pdf
        if best is None or last > _fills(best)[-1]:
            best = pdf
    return best


def _draw(document: Document, definition_size: float = 7.5) -> _Pdf:
    pdf = _Pdf(document)
    pdf.definition_size = definition_size
    pdf.add_page()
    _page_one(pdf, document)
    pdf.add_page(orientation="L")
    first = True
    for section in document.sections:
        if _section(pdf, section, first):
            first = False
    _full_names(pdf)
    _definitions(pdf, document)
    return pdf


def _add_fonts(pdf: FPDF) -> str:
    for folder in _FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            pdf.add_font("DejaVu", "", str(regular))
            pdf.add_font("DejaVu", "B", str(bold))
            return "DejaVu"
    return "Helvetica"


def _paragraph(pdf: _Pdf, height: float, text: str) -> None:
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT", align="L")


def _heading(pdf: _Pdf, text: str, size: int = 13, keep: float = 30) -> None:
    """A heading, on a new page when it and ``keep`` mm of what follows would not fit."""
    if pdf.room() < keep + 12:
        pdf.add_page(orientation="L")
    else:
        pdf.ln(3)
    pdf.set_font(pdf.family, "B", size)
    pdf.set_text_color(*_BLUE)
    _paragraph(pdf, size * 0.5, pdf.text(text))
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(pdf.family, size=9)


# --- Page one ---------------------------------------------------------------------------

def _page_one(pdf: _Pdf, document: Document) -> None:
    summary = document.summary
    logo_bottom = _logo(pdf, document.logo)
    pdf.set_font(pdf.family, "B", 15)
    _paragraph(pdf, 7, pdf.text(document.title))
    pdf.set_font(pdf.family, size=8.5)
    pdf.set_text_color(*_GREY)
    _paragraph(pdf, 4.2, pdf.text("   ·   ".join(f"{name}: {value}"
                                               for name, value in document.facts)))
    pdf.set_text_color(0, 0, 0)
    pdf.set_right_margin(_MARGIN)
    pdf.set_y(max(pdf.get_y(), logo_bottom))
    if summary is None:
        return
    pdf.ln(2)
    pdf.set_font(pdf.family, size=10)
    for sentence in summary.sentences:
        _paragraph(pdf, 5, pdf.text(f"•  {sentence}"))
    pdf.ln(1.5)
    pdf.set_fill_color(*_HEADER_FILL)
    pdf.set_font(pdf.family, "B", 9.5)
    pdf.multi_cell(0, 5, pdf.text(summary.pacing), fill=True, padding=1.5, align="L",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)
    _kpi_cards(pdf, summary.kpis)
    if document.trend is not None:
        spec = {**document.trend.spec, "height": 80}
        image = io.BytesIO(to_png(spec, scale=2))
        pdf.image(image, x=pdf.l_margin, w=pdf.epw * 0.92,
                  alt_text=pdf.text(document.trend.title))
    tables = {table.title.split(" by ")[0]: table for table in summary.tables}
    top = pdf.get_y() + 1
    products, creators = tables.get("Top 5 products"), tables.get("Top 5 creators")
    bottom = top
    if products is not None:
        pdf.set_y(top)
        _top_table(pdf, products, pdf.l_margin, pdf.epw * 0.58)
        bottom = pdf.get_y()
    if creators is not None:
        pdf.set_y(top)
        x = pdf.l_margin + (pdf.epw * 0.61 if products is not None else 0)
        _top_table(pdf, creators, x, pdf.epw * 0.39)
        bottom = max(bottom, pdf.get_y())
    pdf.set_y(bottom)
    if "Top 5 content" in tables:
        _top_table(pdf, tables["Top 5 content"], pdf.l_margin, pdf.epw)
    if summary.risks:
        pdf.ln(1)
        pdf.set_font(pdf.family, "B", 9.5)
        pdf.set_text_color(*_BLUE)
        _paragraph(pdf, 5, pdf.text("Stock risks and alerts"))
        pdf.set_text_color(0, 0, 0)
        pdf.set_font(pdf.family, size=8)
        # Page one stays one page: risks that do not fit are counted, not drawn.
        for index, risk in enumerate(summary.risks):
            left = len(summary.risks) - index
            if pdf.room() < 3.8 * (2 if left == 1 else 3):
                _paragraph(pdf, 3.8, pdf.text(f"•  {left} more: see the detail pages."))
                break
            _paragraph(pdf, 3.8, pdf.text(f"•  {risk}"))


def _logo(pdf: _Pdf, png: bytes | None) -> float:
    """The shop's logo at the top right of page one, at most ``LOGO_BOX`` mm; the title
    and facts beside it keep clear of it (a narrower right margin until they are drawn).
    Returns the logo's bottom edge (the top margin without a logo)."""
    if not png:
        return pdf.t_margin
    from campaign_core.stakeholder.logo import logo_size

    width_px, height_px = logo_size(png)
    scale = min(LOGO_BOX[0] / width_px, LOGO_BOX[1] / height_px)
    width, height = width_px * scale, height_px * scale
    pdf.image(io.BytesIO(png), x=pdf.w - _MARGIN - width, y=pdf.t_margin, w=width, h=height,
              alt_text=pdf.text("Shop logo"))
    pdf.set_right_margin(_MARGIN + width + 4)
    pdf.set_xy(pdf.l_margin, pdf.t_margin)
    return pdf.t_margin + height + 1


def _kpi_cards(pdf: _Pdf, kpis: list) -> None:
    per_row, height = 3, 15
    width = pdf.epw / per_row
    for start in range(0, len(kpis), per_row):
        x, y = pdf.l_margin, pdf.get_y()
        for kpi in kpis[start:start + per_row]:
            pdf.set_draw_color(208, 215, 222)
            pdf.rect(x + 0.8, y, width - 1.6, height - 1.2)
            pdf.set_xy(x + 2.5, y + 1)
            pdf.set_font(pdf.family, size=7.5)
            pdf.cell(width - 5, 3.6, pdf.text(kpi.label))
            pdf.set_xy(x + 2.5, y + 4.7)
            pdf.set_font(pdf.family, "B", 12)
            pdf.cell(width - 5, 5.2, pdf.text(kpi.text))
            pdf.set_xy(x + 2.5, y + 10)
            pdf.set_font(pdf.family, size=6.5)
            pdf.set_text_color(*_GREY)
            pdf.cell(width - 5, 3, pdf.text(kpi.change or "no comparison"))
            pdf.set_text_color(0, 0, 0)
            x += width
        pdf.set_xy(pdf.l_margin, y + height)
    pdf.set_draw_color(0, 0, 0)


def _top_table(pdf: _Pdf, table: TopTable, x: float, width: float) -> None:
    pdf.set_font(pdf.family, "B", 9.5)
    pdf.set_text_color(*_BLUE)
    pdf.set_x(x)
    pdf.cell(width, 5, pdf.text(table.title), new_x="LEFT", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    _grid(pdf, table.columns, table.rows, table.numeric, size=7.5, width=width, x=x)


# --- Detail -----------------------------------------------------------------------------

def _section(pdf: _Pdf, section: Section, first: bool) -> bool:
    """Draw ``section``'s detail; False when it holds nothing page one did not show."""
    # The overview's cards, target and trend are on page one; its tables follow here.
    overview = section.key == "overview"
    if overview and not section.tables:
        return False
    keep = 70 if section.charts and not overview else 24
    if first:
        pdf.set_font(pdf.family, "B", 13)
    else:
        pdf.ln(2)
    _heading(pdf, "Against the benchmark" if overview else section.title, keep=keep)
    if not overview:
        for sentence in section.sentences:
            _paragraph(pdf, 4.5, pdf.text(sentence))
        for chart in section.charts:
            image = io.BytesIO(to_png(chart.spec, scale=2))
            if pdf.room() < 60:
                pdf.add_page(orientation="L")
            pdf.image(image, w=min(170, pdf.epw), alt_text=pdf.text(chart.title))
            pdf.ln(2)
    for table in section.tables:
        if overview:
            table = Table("", table.keys, table.columns, table.rows, table.numeric, table.note)
        _table(pdf, table)
    return True


def _table(pdf: _Pdf, table: Table) -> None:
    if table.title:
        _heading(pdf, table.title, size=10, keep=20)
    _grid(pdf, table.columns, table.rows, table.numeric,
          size=7.5 if len(table.columns) <= 9 else 7, width=pdf.epw, x=pdf.l_margin)
    if table.note:
        pdf.set_font(pdf.family, size=7)
        _paragraph(pdf, 4, pdf.text(table.note))
    pdf.set_font(pdf.family, size=9)


def _grid(pdf: _Pdf, columns: list[str], rows: list[list[str]], numeric: list[bool], *,
          size: float, width: float, x: float) -> None:
    """A table no wider than ``width`` at ``x``: columns sized to their content, rows
    whole on one page, headings repeated on a continued page."""
    columns = [pdf.text(c) for c in columns]
    rows = [[pdf.text(v) for v in row] for row in rows]
    # A table of many figures may not fit at its size: a smaller type first (words stay
    # whole), and only then columns narrowed in proportion.
    while True:
        pdf.set_font(pdf.family, size=size)
        widths = _column_widths(pdf, columns, rows, numeric, width, size)
        if sum(widths) <= width or size <= 5.5:
            break
        size -= 0.5
    if sum(widths) > width:
        widths = [w * width / sum(widths) for w in widths]
    shown = [[_fit(pdf, value, widths[i] - 2 * _PADDING - 0.6) if not _sentence(value)
              else value for i, value in enumerate(row)] for row in rows]
    alignments = tuple("RIGHT" if n else "LEFT" for n in numeric)
    heading = FontFace(emphasis="BOLD", fill_color=_HEADER_FILL)
    pdf.set_x(x)
    with pdf.table(col_widths=widths, width=sum(widths), align="LEFT", text_align=alignments,
                   headings_style=heading, line_height=size * 0.5, padding=_PADDING,
                   borders_layout="HORIZONTAL_LINES") as grid:
        grid.row(columns)
        for values in shown:
            row = grid.row()
            for value, number in zip(values, numeric, strict=True):
                # A text in a column of numbers (an account name, a currency) reads
                # from the left.
                row.cell(value, align="RIGHT" if number and _figure(value) else "LEFT")
    pdf.ln(1)


def _figure(text: str) -> bool:
    """A formatted figure ("$1,234.50", "12.5%", "Rp150.000", "—"), not a word."""
    bare = text
    for symbol in _SYMBOLS:
        bare = bare.replace(symbol, "")
    return not any(character.isalpha() for character in bare)


def _column_widths(pdf: _Pdf, columns: list[str], rows: list[list[str]],
                   numeric: list[bool], width: float, size: float) -> list[float]:
    pad = 2 * _PADDING + 1.0
    pdf.set_font(pdf.family, "B", size)
    # A heading may wrap between its words, never inside one.
    heading = [max(pdf.get_string_width(word) for word in (c.split() or [""])) + pad
               for c in columns]
    pdf.set_font(pdf.family, size=size)
    content = []
    for i in range(len(columns)):
        texts = [row[i] for row in rows]
        longest = max([pdf.get_string_width(t) for t in texts if not _sentence(t)] or [0])
        words = max([pdf.get_string_width(w) for t in texts if _sentence(t)
                     for w in t.split()] or [0])
        sentences = any(_sentence(t) for t in texts)
        content.append(max(longest, words, 60 if sentences else 0) + pad)
    widths = [max(h, c) for h, c in zip(heading, content, strict=True)]
    if sum(widths) <= width:
        return widths
    # Too wide: text columns give up room (the widest first), numbers keep theirs.
    fixed = sum(w for w, n in zip(widths, numeric, strict=True) if n)
    text = [i for i, n in enumerate(numeric) if not n]
    room = max(width - fixed, 0)
    cap = max(widths)
    while cap > 8 and sum(min(widths[i], cap) for i in text) > room:
        cap -= 0.5
    return [w if numeric[i] else max(min(w, cap), heading[i]) for i, w in enumerate(widths)]


def _fit(pdf: _Pdf, value: str, width: float) -> str:
    """``value``, cut short with an ellipsis when wider than ``width`` mm."""
    if pdf.get_string_width(value) <= width:
        return value
    ellipsis = pdf.text(_ELLIPSIS)
    cut = value
    while cut and pdf.get_string_width(cut.rstrip() + ellipsis) > width:
        cut = cut[:-1]
    pdf.full_names[value] = None
    return cut.rstrip() + ellipsis


def _full_names(pdf: _Pdf) -> None:
    if not pdf.full_names:
        return
    _heading(pdf, "Full names", size=11, keep=20)
    pdf.set_font(pdf.family, size=7.5)
    for name in pdf.full_names:
        _paragraph(pdf, 3.8, pdf.text(name))


def _definitions(pdf: _Pdf, document: Document) -> None:
    _heading(pdf, "Definitions and data sources", size=11, keep=30)
    size = pdf.definition_size
    pdf.set_font(pdf.family, size=size)
    _paragraph(pdf, size * 0.53, pdf.text(f"{document.stamp} Times are shop time; money is "
                                          "in the shop's currency."))
    for name, definition in document.definitions:
        # The name leads its definition on the same line (catalog text: no markup in it).
        pdf.multi_cell(0, size * 0.507, pdf.text(f"**{name}**: {definition}"), markdown=True,
                       new_x="LMARGIN", new_y="NEXT", align="L")
