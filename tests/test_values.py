"""Cell parsers of the importers: IDs, money, counts and zone-less local times."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from campaign_core.importers.values import (
    CellError,
    parse_cents,
    parse_count,
    parse_id,
    parse_local_time,
)

LA = "America/Los_Angeles"
JAKARTA = "Asia/Jakarta"


def utc(*parts: int) -> int:
    """Unix seconds of a UTC wall time, worked out by hand in each case below."""
    return int(datetime(*parts, tzinfo=UTC).timestamp())


# --- parse_id -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("583870900000000001\t", "583870900000000001"),
        ("583870900000000001", "583870900000000001"),
        (" 583870900000000001 \t", "583870900000000001"),
        ("5838709000000000019", "5838709000000000019"),  # 19 digits, far above 2^53
        ("9999999999999999999\t", "9999999999999999999"),  # would round as a float
        (12345, "12345"),  # a small integer cell from a spreadsheet is exact
    ],
    ids=["trailing_tab", "plain_18_digits", "padded", "19_digits", "19_nines", "small_int"],
)
def test_parse_id_keeps_ids_exact_as_text(raw, expected):
    assert parse_id(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason_part"),
    [
        ("5.8387E+17", "scientific notation"),
        ("5.8387e+17\t", "scientific notation"),
        ("5.77E17", "scientific notation"),
        (5.8387e17, "number"),  # a float cell: digits already lost
        (583870900000000001.0, "number"),
        (583870900000000001, "number"),  # an integer cell above 2^53
        ("5838 7090", "not a valid id"),
    ],
    ids=["sci_text", "sci_text_tab", "sci_no_sign", "float_cell", "float_cell_whole",
         "big_int_cell", "inner_space"],
)
def test_parse_id_rejects_ids_whose_digits_may_be_lost(raw, reason_part):
    with pytest.raises(CellError) as caught:
        parse_id(raw)
    assert reason_part in str(caught.value).lower()


@pytest.mark.parametrize("raw", ["", "\t", None, "--", " "])
def test_parse_id_missing_required_id_is_an_error(raw):
    with pytest.raises(CellError, match="missing"):
        parse_id(raw)


@pytest.mark.parametrize("raw", ["", "\t", None, "--"])
def test_parse_id_missing_optional_id_is_none(raw):
    assert parse_id(raw, required=False) is None


# --- parse_cents ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("17.50", 1750),
        ("17.5", 1750),
        ("17", 1700),
        ("0.00", 0),
        ("17.50\t", 1750),
        ("$1,022.25", 102225),
        ("MXN 3,121.71", 312171),
        ("1,022", 102200),
        ("(5.00)", -500),
        ("-3.20", -320),
        ("$-3.20", -320),
        ("-$3.20", -320),
        (17.5, 1750),  # a number cell from a spreadsheet
        (0.1, 10),
        (3, 300),
    ],
)
def test_parse_cents_reads_amounts_in_hundredths(raw, expected):
    assert parse_cents(raw) == expected


@pytest.mark.parametrize("raw", ["--", "-", "", " ", "\t", None, "—"])
def test_parse_cents_no_value_markers_are_none(raw):
    assert parse_cents(raw) is None


@pytest.mark.parametrize("raw", ["abc", "$", "1.2.3", "USD", "(--)"])
def test_parse_cents_garbage_is_a_cell_error(raw):
    with pytest.raises(CellError):
        parse_cents(raw)


@pytest.mark.parametrize("raw", ["12abc34", "1.5E+03"])
def test_parse_cents_letters_between_digits_are_a_cell_error(raw):
    with pytest.raises(CellError):
        parse_cents(raw)


def test_parse_cents_required_missing_amount_is_an_error():
    with pytest.raises(CellError, match="missing"):
        parse_cents("--", required=True)


# --- parse_count ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("3", 3), ("3.0", 3), ("1,200", 1200), ("2\t", 2), (" 0 ", 0), (7, 7), (3.0, 3),
     ("", None), ("--", None), (None, None)],
)
def test_parse_count_reads_whole_counts(raw, expected):
    assert parse_count(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason_part"),
    [("-1", "negative"), (-2, "negative"), ("1.5", "whole"), (2.5, "whole"), ("x", "number"),
     ("3 pcs", "number")],
)
def test_parse_count_rejects_what_is_not_a_whole_count(raw, reason_part):
    with pytest.raises(CellError, match=reason_part):
        parse_count(raw)


def test_parse_count_required_missing_is_an_error():
    with pytest.raises(CellError, match="missing"):
        parse_count("", required=True)


# --- parse_local_time -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "timezone", "expected_utc"),
    [
        # US exports, Pacific time: PDT (UTC-7) from March 8, 2026; PST (UTC-8) before.
        ("03/31/2026 11:52:23 PM", LA, utc(2026, 4, 1, 6, 52, 23)),
        ("03/31/2026 11:52:23 PM\t", LA, utc(2026, 4, 1, 6, 52, 23)),
        ("01/15/2026 12:00:00 AM", LA, utc(2026, 1, 15, 8, 0, 0)),  # midnight
        ("01/15/2026 12:30:00 AM", LA, utc(2026, 1, 15, 8, 30, 0)),
        ("01/15/2026 12:00:00 PM", LA, utc(2026, 1, 15, 20, 0, 0)),  # noon
        ("01/15/2026 01:05:09 PM", LA, utc(2026, 1, 15, 21, 5, 9)),
        ("07/04/2026 09:15:00 AM", LA, utc(2026, 7, 4, 16, 15, 0)),  # month first
        # SEA exports, day first, 24 h; Jakarta is UTC+7 all year.
        ("31/03/2026 23:52:23", JAKARTA, utc(2026, 3, 31, 16, 52, 23)),
        ("05/04/2026 10:00:00", JAKARTA, utc(2026, 4, 5, 3, 0, 0)),  # 5 April, not 4 May
        ("01/01/2026 03:00:00\t", JAKARTA, utc(2025, 12, 31, 20, 0, 0)),
        # ISO text and spreadsheet datetime cells.
        ("2026-01-15 10:00:00", LA, utc(2026, 1, 15, 18, 0, 0)),
        ("2026-07-15 10:00:00", JAKARTA, utc(2026, 7, 15, 3, 0, 0)),
        (datetime(2026, 1, 15, 10, 0, 0), LA, utc(2026, 1, 15, 18, 0, 0)),
        (datetime(2026, 4, 5, 10, 0, 0), JAKARTA, utc(2026, 4, 5, 3, 0, 0)),
        # Right next to the DST changes: ordinary times, no note.
        ("03/08/2026 01:59:59 AM", LA, utc(2026, 3, 8, 9, 59, 59)),
        ("03/08/2026 03:00:00 AM", LA, utc(2026, 3, 8, 10, 0, 0)),
        ("11/01/2026 12:59:59 AM", LA, utc(2026, 11, 1, 7, 59, 59)),
        ("11/01/2026 02:30:00 AM", LA, utc(2026, 11, 1, 10, 30, 0)),
    ],
)
def test_parse_local_time_reads_shop_time_as_utc(raw, timezone, expected_utc):
    parsed = parse_local_time(raw, timezone)
    assert parsed.utc == expected_utc
    assert parsed.dst_note is None


def test_parse_local_time_ambiguous_hour_is_first_occurrence_with_note():
    # Clocks go back at 2:00 PDT on Nov 1, 2026: 1:30 happens twice (08:30 and 09:30 UTC).
    parsed = parse_local_time("11/01/2026 01:30:00 AM", LA)
    assert parsed.utc == utc(2026, 11, 1, 8, 30, 0)
    assert parsed.dst_note and "ambiguous" in parsed.dst_note


def test_parse_local_time_time_in_dst_gap_uses_offset_before_change_with_note():
    # Clocks go forward at 2:00 PST on Mar 8, 2026: 2:30 does not exist; read as PST.
    parsed = parse_local_time("03/08/2026 02:30:00 AM", LA)
    assert parsed.utc == utc(2026, 3, 8, 10, 30, 0)
    assert parsed.dst_note and "exist" in parsed.dst_note


def test_parse_local_time_dst_rule_applies_to_datetime_cells_too():
    parsed = parse_local_time(datetime(2026, 11, 1, 1, 30), LA)
    assert parsed.utc == utc(2026, 11, 1, 8, 30, 0)
    assert parsed.dst_note


@pytest.mark.parametrize("raw", ["", "--", None, "\t"])
def test_parse_local_time_empty_is_none(raw):
    assert parse_local_time(raw, LA) is None


def test_parse_local_time_required_missing_is_an_error():
    with pytest.raises(CellError, match="missing"):
        parse_local_time("", LA, required=True)


@pytest.mark.parametrize(
    "raw",
    ["yesterday", "2026.01.15 10:00", "15 Jan 2026 10:00", "03/31/26 11:52 PM",
     "13/01/2026 10:00:00 PM", "02/30/2026 10:00:00 AM", "32/01/2026 10:00:00",
     "00/01/2026 10:00:00 AM", "01/15/2026 13:00:00 PM"],
)
def test_parse_local_time_unrecognised_or_invalid_is_a_cell_error(raw):
    with pytest.raises(CellError):
        parse_local_time(raw, LA)
