"""A sortable, searchable, paginated table (streamlit-aggrid) that returns the selected row.

Safe by construction: ``allow_unsafe_jscode`` stays off (a ``::JSCODE::`` value is shown as
text), and AgGrid's own download button is off because it would not neutralise formula
cells; pages offer ``ui.downloads`` instead.
"""

from __future__ import annotations

import pandas as pd
from st_aggrid import AgGrid, GridOptionsBuilder

PAGE_SIZE = 20


def show_grid(frame: pd.DataFrame, *, key: str, number_columns: dict[str, str] | None = None,
              pinned: str | None = None, tooltips: dict[str, str] | None = None,
              hidden: list[str] | None = None, height: int = 520) -> dict | None:
    """Render ``frame``. ``number_columns``: numeric columns and their header tooltips;
    ``tooltips``: column -> the column whose text its cells show on hover; ``hidden``:
    columns kept for tooltips only. Returns the selected row as a dict, or None."""
    builder = GridOptionsBuilder.from_dataframe(frame)
    builder.configure_default_column(sortable=True, filter=True, resizable=True,
                                     wrapHeaderText=True, autoHeaderHeight=True)
    for column, description in (number_columns or {}).items():
        if column in frame.columns:
            builder.configure_column(column, type=["numericColumn"], headerTooltip=description)
    for column, source in (tooltips or {}).items():
        if column in frame.columns:
            builder.configure_column(column, tooltipField=source)
    for column in hidden or []:
        builder.configure_column(column, hide=True)
    if pinned and pinned in frame.columns:
        builder.configure_column(pinned, pinned="left", minWidth=220)
    builder.configure_selection("single")
    builder.configure_pagination(paginationAutoPageSize=False, paginationPageSize=PAGE_SIZE)
    builder.configure_grid_options(tooltipShowDelay=300)
    response = AgGrid(frame, gridOptions=builder.build(), height=height, key=key,
                      update_on=["selectionChanged"], allow_unsafe_jscode=False,
                      show_toolbar=True, show_search=True, show_download_button=False,
                      theme="streamlit")
    selected = response.selected_rows
    if selected is None or len(selected) == 0:
        return None
    if isinstance(selected, pd.DataFrame):
        return selected.iloc[0].to_dict()
    return dict(selected[0])
