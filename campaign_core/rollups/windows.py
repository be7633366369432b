"""Where a window's whole UTC hours start and end: the part an hourly rollup answers."""

from __future__ import annotations

HOUR = 3600


def whole_hours(start_utc: int, end_utc: int) -> tuple[int, int]:
    """``(first, last)``: the whole UTC hours inside ``[start_utc, end_utc)`` are
    ``[first, last)``; the order lines answer ``[start_utc, first)`` and ``[last, end_utc)``.

    A window without a whole hour gets ``first == last == end_utc``: the lines answer all of
    it. Windows start at local midnight, a whole UTC hour in every zone with a whole-hour
    offset; the Today view ends at "now", inside an hour.
    """
    first = -(-start_utc // HOUR) * HOUR
    last = end_utc // HOUR * HOUR
    if first >= last:
        return end_utc, end_utc
    return first, last


def hour_of(instant: int) -> int:
    """The start of the UTC hour holding ``instant``."""
    return instant // HOUR * HOUR


def rollup_span(conn, shop_id: int, start_utc: int, end_utc: int) -> tuple[int, int]:
    """``whole_hours`` of the window, or none (``(end_utc, end_utc)``) when an hour inside it
    is dirty: written since the last import refreshed the rollups, so only the lines are
    current there."""
    first, last = whole_hours(start_utc, end_utc)
    if first < last and conn.execute(
            "SELECT 1 FROM rollup_dirty WHERE shop_id = :shop_id AND hour_utc >= :first "
            "AND hour_utc < :last LIMIT 1",
            {"shop_id": shop_id, "first": first, "last": last}).fetchone():
        return end_utc, end_utc
    return first, last


def edge_parts(select: str, column: str = "l.paid_utc", start: str = ":start",
               end: str = ":end", joiner: str = "UNION ALL") -> str:
    """SQL text: ``select`` once per edge of a window that ``rollup_span`` split, its
    ``{edge}`` replaced by the edge's range on ``column`` (``[start, :first)`` and
    ``[:last, end)``, as SQL parameters), the two joined by ``joiner``.

    One range per part: with an OR of the two ranges in one query, SQLite reads every line
    of the shop instead of the two ranges."""
    return f"\n{joiner}\n".join(
        select.replace("{edge}", f"{column} >= {low} AND {column} < {high}")
        for low, high in ((start, ":first"), (":last", end)))


def hour_parts(select: str, column: str = "hour_utc") -> str:
    """SQL text: ``select`` once per run of whole hours that ``day_skus.day_span`` left to
    the hourly rollups, its ``{hours}`` replaced by ``[:first, :day_first)`` and
    ``[:day_last, :last)`` on ``column``, joined by UNION ALL (one range per part, as in
    ``edge_parts``)."""
    return "\nUNION ALL\n".join(
        select.replace("{hours}", f"{column} >= {low} AND {column} < {high}")
        for low, high in ((":first", ":day_first"), (":day_last", ":last")))
