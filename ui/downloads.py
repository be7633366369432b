"""Table downloads (CSV and Excel) that spreadsheets open safely.

Pages pass ``csv_file``/``xlsx_file`` to ``st.download_button``: the file is made when the
button is clicked (a deferred download), not on every run of the page. An Excel workbook
of a few hundred rows takes tens of milliseconds to write, and a page with six download
buttons, re-run every few seconds by many viewers, would spend most of its time making
files nobody asked for (and keeping each run's bytes in the media store).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable

import pandas as pd

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _neutralise(value: object) -> object:
    # A text cell starting like a formula runs as one in Excel; a leading quote stops that.
    # Plain numbers (including negative ones) stay numbers.
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        try:
            float(value)
            return value
        except ValueError:
            return "'" + value
    return value


def _safe_copy(frame: pd.DataFrame) -> pd.DataFrame:
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(_neutralise)
    return safe


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "Data") -> bytes:
    """``frame`` as an Excel workbook, formula-safe like ``csv_bytes``: text cells are
    written as text, so nothing in them is evaluated."""
    buffer = io.BytesIO()
    _safe_copy(frame).to_excel(buffer, index=False, sheet_name=sheet[:31], engine="openpyxl")
    return buffer.getvalue()


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as UTF-8 CSV with a BOM (Excel reads the encoding), formula-safe."""
    safe = _safe_copy(frame)
    # CRLF rows, as Excel writes them; pandas then also quotes cells holding a lone CR.
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def csv_file(frame: pd.DataFrame) -> Callable[[], bytes]:
    """``csv_bytes(frame)``, made when the download is asked for (``st.download_button``'s
    ``data``). A shallow copy: with pandas' copy-on-write, a later change to ``frame`` in
    the page does not reach the file."""
    return functools.partial(csv_bytes, frame.copy(deep=False))


def xlsx_file(frame: pd.DataFrame, sheet: str = "Data") -> Callable[[], bytes]:
    """``xlsx_bytes(frame, sheet)``, made when the download is asked for."""
    return functools.partial(xlsx_bytes, frame.copy(deep=False), sheet)
