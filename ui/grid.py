"""A sortable, searchable, paginated table (streamlit-aggrid) that returns the selected row.

Safe by construction: ``allow_unsafe_jscode`` stays off (a ``::JSCODE::`` value is shown as
text), and AgGrid's own download button is off because it would not neutralise formula
cells; pages offer ``ui.downloads`` instead.

Figures read like everywhere else: a number column keeps its raw value (sorting and
filtering use it) and shows the text of the product's formatter, written beside it in a
hidden column and picked up by a fixed AG Grid value-formatter expression (no JavaScript
from data). Empty cells show ``—``. Columns are never narrower than their header's longest
word (no "contribut ion") and 48 px: on a narrow screen the grid scrolls sideways instead
of squeezing every column to a sliver.
"""

from __future__ import annotations

import pandas as pd
from st_aggrid import AgGrid, GridOptionsBuilder

from campaign_core.formatting import MISSING, is_missing, value_text

PAGE_SIZE = 20
NARROWEST = 48  # px
_CHAR_PX, _PADDING_PX, _HEADER_ICONS_PX = 7.5, 24, 28
_WIDEST_START = 320  # px: long titles wrap to this, the user may widen the column


def show_grid(frame: pd.DataFrame, *, key: str, number_columns: dict[str, str] | None = None,
              pinned: str | None = None, tooltips: dict[str, str] | None = None,
              hidden: list[str] | None = None, height: int = 520,
              kinds: dict[str, str] | None = None, currency: str = "USD",
              missing_reasons: dict[str, str] | None = None) -> dict | None:
    """Render ``frame``. ``number_columns``: numeric columns and their header tooltips;
    ``kinds``: column -> catalog kind (money, count, percent, ratio, days) its cells are
    written as; ``missing_reasons``: column -> why a cell of it is empty (on hover);
    ``tooltips``: column -> the column whose text its cells show on hover; ``hidden``:
    columns kept for tooltips only. Returns the selected row as a dict, or None.
    ``frame`` is not changed."""
    shown, text_columns = _with_texts(frame, kinds or {}, currency, missing_reasons or {})
    builder = GridOptionsBuilder.from_dataframe(shown)
    builder.configure_default_column(sortable=True, filter=True, resizable=True,
                                     wrapHeaderText=True, autoHeaderHeight=True)
    for column, description in (number_columns or {}).items():
        if column in frame.columns:
            builder.configure_column(column, type=["numericColumn"], headerTooltip=description)
    for column, (text_column, reason_column) in text_columns.items():
        # An AG Grid expression over the row: the cell shows the text written for it.
        builder.configure_column(column, valueFormatter=f"data[{text_column!r}]",
                                 **({"tooltipField": reason_column} if reason_column else {}))
    for column, source in (tooltips or {}).items():
        if column in frame.columns:
            builder.configure_column(column, tooltipField=source)
    helper_columns = [c for pair in text_columns.values() for c in pair if c]
    for column in [*(hidden or []), *helper_columns]:
        builder.configure_column(column, hide=True)
    if pinned and pinned in frame.columns:
        builder.configure_column(pinned, pinned="left")
    builder.configure_selection("single")
    builder.configure_pagination(paginationAutoPageSize=False, paginationPageSize=PAGE_SIZE)
    builder.configure_grid_options(
        tooltipShowDelay=300,
        autoSizeStrategy={"type": "fitGridWidth", "defaultMinWidth": NARROWEST,
                          "columnLimits": [{"colId": column, "minWidth": width}
                                           for column, width in column_widths(
                                               shown, text_columns).items()]})
    # AgGrid adds a row-id column to the frame it is given: give it a copy, so downloads
    # of ``frame`` stay as the page built them.
    response = AgGrid(shown.copy(), gridOptions=builder.build(), height=height, key=key,
                      update_on=["selectionChanged"], allow_unsafe_jscode=False,
                      show_toolbar=True, show_search=True, show_download_button=False,
                      theme="streamlit")
    selected = response.selected_rows
    if selected is None or len(selected) == 0:
        return None
    row = (selected.iloc[0].to_dict() if isinstance(selected, pd.DataFrame)
           else dict(selected[0]))
    return {column: row.get(column) for column in frame.columns}


def _with_texts(frame: pd.DataFrame, kinds: dict[str, str], currency: str,
                missing_reasons: dict[str, str]
                ) -> tuple[pd.DataFrame, dict[str, tuple[str, str | None]]]:
    """``frame`` plus, per kind column, its cells' text (and the reason of an empty cell)."""
    shown = frame.copy()
    texts: dict[str, tuple[str, str | None]] = {}
    for index, (column, kind) in enumerate(kinds.items()):
        if column not in frame.columns:
            continue
        text_column = f"shown text {index}"
        shown[text_column] = [value_text(kind, value, currency) for value in frame[column]]
        reason_column = None
        if column in missing_reasons:
            reason_column = f"missing reason {index}"
            shown[reason_column] = [missing_reasons[column] if is_missing(value) else None
                                    for value in frame[column]]
        texts[column] = (text_column, reason_column)
    # Text columns show the dash too, not "None".
    for column in frame.columns:
        if column not in texts and not pd.api.types.is_numeric_dtype(frame[column]):
            shown[column] = [MISSING if is_missing(value) else value for value in frame[column]]
    return shown, texts


def column_widths(frame: pd.DataFrame,
                  text_columns: dict[str, tuple[str, str | None]]) -> dict[str, int]:
    """The least width of each column: its header's longest word (headers wrap between
    words only) and its longest cell text, within 48 px and ``_WIDEST_START``."""
    widths = {}
    for column in frame.columns:
        source = text_columns.get(column, (column, None))[0]
        longest_word = max((len(word) for word in str(column).split()), default=1)
        longest_cell = max((len(str(value)) for value in frame[source].head(200)), default=1)
        header_px = longest_word * _CHAR_PX + _PADDING_PX + _HEADER_ICONS_PX
        cell_px = longest_cell * _CHAR_PX + _PADDING_PX
        widths[str(column)] = int(min(max(NARROWEST, header_px, cell_px), _WIDEST_START))
    return widths
