"""Every ``st.dataframe`` of every page and view writes its figures readably.

A browser cannot read what ``st.dataframe`` draws (a canvas; its accessible copy holds the
raw values), so this walks the tables in AppTest instead: a number column either carries a
display format (money, thousands separators, ``%``) or its raw values would read right
anyway (``tests/browser/figures.py``), and no text cell shows ``None``.
"""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from streamlit.proto.Dataframe_pb2 import Dataframe as DataframeProto

from tests.browser.figures import raw_figures
from tests.test_pages import PAGES, start

VIEWS = ("Today", "Daily", "Campaign Period")
READ_ONLY = DataframeProto.EditingMode.READ_ONLY  # st.data_editor: FIXED, DYNAMIC...
MODULES = {"pages/content.py": ("LIVE", "Video", "Sub-campaigns")}


def _as_shown_without_format(value) -> str:
    """How Streamlit writes a number that has no format: up to four decimals."""
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


def table_problems(frame: pd.DataFrame, config: dict, order: list[str] | None) -> list[str]:
    problems = []
    for column in frame.columns:
        if order and column not in order:
            continue  # not shown
        values = frame[column]
        formatted = (config.get(column, {}).get("type_config") or {}).get("format")
        if pd.api.types.is_bool_dtype(values):
            continue
        if pd.api.types.is_numeric_dtype(values):
            if values.isna().any():
                problems.append(f"{column}: an empty number cell shows None")
            if not formatted:
                text = "\n".join(_as_shown_without_format(v) for v in values.tolist())
                problems += [f"{column}: {raw}" for raw in raw_figures(text)[:3]]
        elif any(v is None or (isinstance(v, float) and math.isnan(v))
                 for v in values.tolist()):
            problems.append(f"{column}: an empty cell shows None")
    return problems


def _visits():
    for page in PAGES:
        dashboard = page not in ("pages/import_data.py", "pages/campaigns.py",
                                 "pages/alerts.py")
        for view in VIEWS if dashboard else ("",):
            for module in MODULES.get(page, ("",)):
                yield page, view, module


@pytest.mark.parametrize(("page", "view", "module"), list(_visits()))
def test_tables_write_figures_readably(app_env, page, view, module):
    query = {key: value for key, value in (("view", view), ("content_module", module))
             if value}
    at = start(query)
    at.switch_page(page).run()
    assert not at.exception
    problems = []
    for index, table in enumerate(at.dataframe):
        if table.proto.editing_mode != READ_ONLY:
            continue  # an editor: an empty cell is where a value is typed
        config = json.loads(table.proto.columns or "{}")
        order = list(table.proto.column_order) or None
        problems += [f"table {index + 1} {problem}"
                     for problem in table_problems(table.value, config, order)]
    assert not problems, problems


def test_the_check_sees_a_raw_table():
    frame = pd.DataFrame({"GMV": [26203.84], "Orders": [3144], "Note": [None],
                          "Rate": [2.2222]})
    problems = table_problems(frame, {}, None)
    assert any(p.startswith("GMV") for p in problems)
    assert any(p.startswith("Orders") for p in problems)
    assert any(p.startswith("Rate") for p in problems)
    assert any(p.startswith("Note") for p in problems)
    formatted = {c: {"type_config": {"format": "localized"}} for c in ("GMV", "Orders",
                                                                          "Rate")}
    assert table_problems(frame.drop(columns="Note"), formatted, None) == []


def test_readable_writes_empty_number_cells_as_a_dash():
    from ui.tables import readable

    frame = pd.DataFrame({"Spend": [2375.35, None], "Orders": [3144, 2], "Note": ["a", None]})
    shown, config = readable(frame, {"Spend": "money", "Orders": "count"})
    assert list(shown["Spend"]) == ["$2,375.35", "—"]
    assert list(shown["Note"]) == ["a", "—"]
    assert list(shown["Orders"]) == [3144, 2]  # still numbers, formatted by the config
    assert config["Orders"]["type_config"]["format"] == "localized"
    assert frame["Spend"].isna().sum() == 1  # the download keeps the raw frame
