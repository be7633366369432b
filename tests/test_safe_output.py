"""What leaves the app is safe: downloads cannot run formulas, user text never becomes
Markdown or HTML, and no page can turn on unsafe HTML or JavaScript."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
import pytest

from campaign_core.store import StoreError, read_connection
from tests.conftest import PROJECT_ROOT
from ui.downloads import csv_bytes
from ui.formatting import WORD_JOINER, plain

UI_SOURCES = sorted([*PROJECT_ROOT.glob("ui/*.py"), *PROJECT_ROOT.glob("pages/*.py"),
                     PROJECT_ROOT / "app.py"])


def read_back(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize(("cell", "shown"), [
    ("=1+1", "'=1+1"), ("+SUM(A1)", "'+SUM(A1)"), ("@cmd", "'@cmd"),
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"), ("\tabc", "'\tabc"), ("\rabc", "'\rabc"),
    ("-abc", "'-abc"), ("-12.50", "-12.50"), ("+3", "+3"), ("plain", "plain"),
])
def test_csv_downloads_neutralise_formula_cells(cell, shown):
    rows = read_back(csv_bytes(pd.DataFrame({"name": [cell]})))
    assert rows[1][0] == shown


def test_numbers_stay_numbers_in_downloads():
    rows = read_back(csv_bytes(pd.DataFrame({"gmv": [-12.5, 3.0]})))
    assert [row[0] for row in rows[1:]] == ["-12.5", "3.0"]


@pytest.mark.parametrize("text", [
    "[click](javascript:alert(1))", "![x](http://evil.example/p.png)", ":red[alarm]",
    "**bold** _it_", "<script>alert(1)</script>", "$x^2$", ":material/delete:", "# heading",
])
def test_user_text_is_escaped_for_markdown(text):
    escaped = plain(text)
    # Every Markdown-significant character is preceded by a backslash.
    assert not re.search(r"(?<!\\)[\[\]()*_<>:$#!]", escaped)
    assert escaped.replace("\\", "").replace(WORD_JOINER, "") == text


@pytest.mark.parametrize("path", UI_SOURCES, ids=lambda p: p.name)
def test_no_page_turns_on_unsafe_html_or_javascript(path: Path):
    source = path.read_text(encoding="utf-8")
    assert "unsafe_allow_html=True" not in source
    assert "allow_unsafe_jscode=True" not in source


def test_a_runaway_query_is_cut_off(hand_store):
    endless = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
               "SELECT COUNT(*) FROM n")
    with pytest.raises(StoreError, match="took longer"), \
            read_connection(hand_store, time_limit_s=0.2) as conn:
        conn.execute(endless).fetchone()


def test_excel_downloads_keep_formulas_as_text():
    from openpyxl import load_workbook

    from ui.downloads import xlsx_bytes

    data = xlsx_bytes(pd.DataFrame({"name": ["=1+1", "plain"], "gmv": [-3.5, 2.0]}))
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "'=1+1" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -3.5
