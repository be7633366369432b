"""The product's grid (ui/grid.py): figures written by the formatter, raw values kept for
sorting and downloads, columns wide enough to read, the frame left as the page built it."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from ui.downloads import csv_bytes
from ui.grid import NARROWEST, _with_texts, column_widths


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"Product": ["Serum", None], "GMV contribution": [2.2222, None],
                         "GMV": [26203.84, 44.6], "Orders": [3144, 1]})


def test_cells_show_the_formatter_text_and_keep_the_raw_value():
    shown, texts = _with_texts(_frame(), {"GMV": "money", "Orders": "count",
                                          "GMV contribution": "percent"}, "USD",
                               {"GMV contribution": "No GMV in this window."})
    assert list(shown["GMV"]) == [26203.84, 44.6]  # sorting uses these
    assert list(shown[texts["GMV"][0]]) == ["$26,203.84", "$44.60"]
    assert list(shown[texts["Orders"][0]]) == ["3,144", "1"]
    assert list(shown[texts["GMV contribution"][0]]) == ["2.2%", "—"]
    reasons = list(shown[texts["GMV contribution"][1]])
    assert pd.isna(reasons[0]) and reasons[1] == "No GMV in this window."
    assert list(shown["Product"]) == ["Serum", "—"]


def test_no_column_is_narrower_than_its_header_words_or_48_px():
    shown, texts = _with_texts(_frame(), {"GMV": "money"}, "USD", {})
    widths = column_widths(shown, texts)
    assert min(widths.values()) >= NARROWEST
    # "contribution" (12 letters) fits on one line: the header never breaks mid-word.
    assert widths["GMV contribution"] >= 12 * 7.5
    assert widths["GMV"] >= len("$26,203.84") * 7.5


def _grid_app() -> None:
    import pandas as pd
    import streamlit as st

    from ui.downloads import csv_bytes
    from ui.grid import show_grid

    frame = pd.DataFrame({"Product": ["Serum"], "GMV": [26203.84]})
    show_grid(frame, key="grid")
    st.session_state["downloaded"] = csv_bytes(frame).decode("utf-8-sig")
    st.session_state["columns"] = list(frame.columns)


def test_the_grid_leaves_the_frame_and_its_downloads_as_built():
    at = AppTest.from_function(_grid_app).run()
    assert not at.exception
    assert at.session_state["columns"] == ["Product", "GMV"]
    assert "auto_unique_id" not in at.session_state["downloaded"]
    assert at.session_state["downloaded"].splitlines()[1] == "Serum,26203.84"


def test_downloads_keep_raw_numbers():
    text = csv_bytes(_frame()).decode("utf-8-sig")
    assert "26203.84" in text and "3144" in text and "$" not in text
