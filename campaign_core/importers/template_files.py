"""The file format of every downloadable template: CSV in UTF-8 with a BOM (so Excel opens it
as UTF-8) and CRLF lines, header first."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence


def template_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """``header`` then ``rows`` as a template file's bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")
