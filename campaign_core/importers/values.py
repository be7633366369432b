"""Cell parsers for export values: IDs, money, counts and zone-less local times.

Each parser takes the raw cell text and returns a typed value, ``None`` for "no value"
(empty, ``--``, ``-``), or raises ``CellError`` with a reason a seller can act on. They never
guess a number out of garbage: a cell that cannot be read goes to quarantine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from zoneinfo import ZoneInfo

from campaign_core.markets import NumberStyle, currencies_of_sign

_EPOCH_ORDINAL = datetime(1970, 1, 1).toordinal()
PADDING = " \t\r\n\u00a0\ufeff"  # what exports pad cells with: tabs, spaces, NBSP, BOM
EMPTY_MARKERS = {"", "--", "-", "—", "N/A", "n/a", "null", "NULL"}

_ISO_DAY = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")
_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
_ID = re.compile(r"^[0-9A-Za-z_\-]+$")
MAX_ID_LENGTH = 32  # TikTok's IDs have 17-19 digits
# A count or amount beyond this is a broken cell, not a sale (and huge exponents such as
# 1E+9999999 would take minutes to expand).
MAX_NUMBER_DIGITS = 15
# Anything else: a currency word or sign only before or after the number, never inside it,
# so "12abc34" or "1.5E+03" are not read as money.
_LOOSE_MONEY = re.compile(
    r"^\(?\s*(?P<minus>-)?\s*[^\d\s\-(),.]*\s*(?P<inner_minus>-)?\s*"
    r"(?P<number>\d[\d.,]*)\s*[^\d\s(),.]*\s*\)?$")
# "17.50", "-3.20", "$1,022.25", "MXN 3,121.71": sign, optional symbol, dot decimals.
_COMMON_MONEY = re.compile(
    r"^(-?)(?:[^\d\-(.,\s]{1,4}\s?)?(-?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$")
_US_TIME = re.compile(
    r"^(\d{1,2})/(\d{1,2})/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp])\.?[Mm]\.?$")
# 14/11/2026, 14-11-2026 (read in the file's date order, as slash dates are) and 14.11.2026
# (Excel in a European locale re-saving an export: dotted dates are day-first everywhere).
_SLASH_TIME = re.compile(
    r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_ISO_TIME = re.compile(
    r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$")


class CellError(ValueError):
    """A cell that cannot be read; ``str()`` is the reason shown to the user."""


@dataclass(frozen=True)
class FileLocale:
    """How one file writes figures and dates, as far as its shop's market says.

    ``style``: the currency and number marks money cells are read in (None: the plain
    reading of ``parse_cents``); ``date_order``: ``"dmy"`` or ``"mdy"`` for slash dates that
    the file itself does not settle (None: not known, so such a file is not guessed).
    """

    style: NumberStyle | None = None
    date_order: str | None = None

    @property
    def money(self):
        """``parse_cents`` in this file's currency and marks."""
        return money_parser(self.style)

    @property
    def count(self):
        """``parse_count`` with this file's thousands mark."""
        if self.style is None:
            return parse_count
        style = self.style

        def parse(raw: object, *, required: bool = False) -> int | None:
            return parse_count(raw, required=required, style=style)

        return parse


def clean(raw: object) -> str:
    """Cell text without the TABs, spaces and non-breaking spaces exports pad it with."""
    if raw is None:
        return ""
    return str(raw).strip(PADDING)


def is_empty(text: str) -> bool:
    return text in EMPTY_MARKERS


def parse_id(raw: object, *, required: bool = True) -> str | None:
    """A TikTok ID kept as text (they exceed 2^53, so never a float)."""
    if isinstance(raw, float) or (isinstance(raw, int) and abs(raw) > 2**53):
        raise CellError("ID stored as a number in the spreadsheet, so its last digits may "
                        "be lost; export the file again and import it without saving it in Excel")
    text = clean(raw)
    if is_empty(text):
        if required:
            raise CellError("ID is missing")
        return None
    if _SCIENTIFIC.match(text):
        raise CellError("ID in scientific notation (a spreadsheet rounded it), its digits are "
                        "lost; import the original export, not a copy saved by Excel")
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    if len(text) > MAX_ID_LENGTH or not _ID.match(text) or not any(c.isdigit() for c in text):
        raise CellError(f"not a valid ID (up to {MAX_ID_LENGTH} letters, digits, - and _, "
                        "with at least one digit)")
    return text


def parse_cents(raw: object, *, required: bool = False,
                style: NumberStyle | None = None) -> int | None:
    """Money in hundredths of the currency unit, whatever the currency.

    Without ``style``: ``17.50``, ``$1,022.25``, ``MXN 3,121.71``, ``(5.00)``, ``-3.20``.
    With the ``style`` of the shop or file (``markets.number_style``), figures are read in
    its currency and marks: ``Rp 150.000`` (IDR) is 15000000, ``1.022,25 €`` is 102225.
    Raises ``CellError`` for a figure whose marks are ambiguous for the currency (``1.234``
    in USD: 1.234 or 1234?) or whose sign names another currency (``Rp`` in a USD file).
    """
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return _to_cents(Decimal(str(raw)))
    if style is None:
        return _text_cents(clean(raw), required)
    return _styled_cents(clean(raw), required, style)


def money_parser(style: NumberStyle | None):
    """``parse_cents`` bound to ``style``: what importers pass to ``RowCells.read``."""
    if style is None:
        return parse_cents

    def parse(raw: object, *, required: bool = False) -> int | None:
        return parse_cents(raw, required=required, style=style)

    return parse


# A figure with its sign: "Rp 150.000", "1.022,25 €", "(R$ 12,90)", "-¥980". Spaces may
# group thousands (French "1 022,25"), never stand between other characters of the number.
_STYLED_MONEY = re.compile(
    r"^\(?\s*(?P<minus>-)?\s*(?P<before>[^\d\s\-(),]*?)\s*(?P<inner_minus>-)?\s*"
    r"(?P<number>\d(?:[\d.,]|[ \u00a0\u202f](?=\d{3}))*)\s*(?P<after>[^\d\s(),.]*)\s*\)?$")
_SPACES = " \u00a0\u202f"
_NO_SPACES = {ord(c): None for c in _SPACES}
# No amount is longer (15 digits, their marks, a sign); a longer cell is not read, so a
# hostile one cannot make the pattern above backtrack for long.
_MAX_MONEY_TEXT = 48


@lru_cache(maxsize=65536)
def _styled_cents(text: str, required: bool, style: NumberStyle) -> int | None:
    if is_empty(text):
        if required:
            raise CellError("amount is missing")
        return None
    shape = _STYLED_MONEY.match(text) if len(text) <= _MAX_MONEY_TEXT else None
    if not shape:
        raise CellError("not an amount")
    sign = f"{shape.group('before')}{shape.group('after')}"
    if sign and style.signs_checked:
        _check_sign(sign, style)
    elif sign and currencies_of_sign(sign) is None:
        raise CellError("not an amount")
    number = shape.group("number")
    digits = number.translate(_NO_SPACES)
    amount = _styled_decimal(digits, style, grouped_by_spaces=digits != number)
    negative = bool(shape.group("minus") or shape.group("inner_minus")
                    or (text.startswith("(") and text.endswith(")")))
    return -_to_cents(amount) if negative else _to_cents(amount)


def sign_currencies(raw: object) -> frozenset[str] | None:
    """The currencies a money cell's sign may stand for (``Rp 150.000`` -> IDR, ``$5`` ->
    USD, MXN or SGD); None for a cell that is not a signed amount."""
    text = clean(raw) if isinstance(raw, str) else ""
    if not text or len(text) > _MAX_MONEY_TEXT:
        return None
    shape = _STYLED_MONEY.match(text)
    if shape is None:
        return None
    return currencies_of_sign(f"{shape.group('before')}{shape.group('after')}")


def _check_sign(sign: str, style: NumberStyle) -> None:
    named = currencies_of_sign(sign)
    if named is None:
        raise CellError("not an amount")
    code = style.currency.code
    if code not in named:
        raise CellError(f"amount in another currency ({'/'.join(sorted(named))}) than the "
                        f"file is read in ({code}): import it into a shop in that currency")


def _styled_decimal(digits: str, style: NumberStyle, grouped_by_spaces: bool) -> Decimal:
    marks = [mark for mark in ".," if mark in digits]
    if len(marks) == 2:  # the mark that comes last is the decimal one: 1.022,25 or 1,022.25
        decimal = "," if digits.rfind(",") > digits.rfind(".") else "."
        return _grouped(digits, "." if decimal == "," else ",", decimal)
    if not marks:
        return _checked_decimal(digits)
    mark = marks[0]
    whole, _, fraction = digits.partition(mark)
    if mark in fraction:  # 12.500.000: a mark written twice groups thousands
        return _grouped(digits, mark, None)
    could_group = len(fraction) == 3 and not whole.startswith("0") and (
        len(whole) <= 3 or grouped_by_spaces)
    if not could_group:  # 12,50 or 1234.5 or 0.500: a decimal mark
        return _checked_decimal(f"{whole}.{fraction}")
    if style.currency.minor_units == 0 or (style.marks_known
                                            and mark == style.thousands_mark):
        return _checked_decimal(whole + fraction)
    raise CellError(
        f"ambiguous amount: {digits} in {style.currency.code} could be {whole}{fraction} "
        f"(with {mark!r} grouping thousands) or {whole}.{fraction}; the file's number marks "
        "are not known, so it is not guessed")


def _grouped(digits: str, thousands: str, decimal: str | None) -> Decimal:
    whole, _, fraction = digits.rpartition(decimal) if decimal else (digits, "", "")
    groups = whole.split(thousands)
    if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
            and (decimal is None or fraction)):
        raise CellError("not an amount (thousands marks in the wrong places)")
    return _checked_decimal("".join(groups) + (f".{fraction}" if decimal else ""))


def _checked_decimal(digits: str) -> Decimal:
    if not re.fullmatch(r"\d+(\.\d+)?", digits):
        raise CellError("not an amount")
    return Decimal(digits)


@lru_cache(maxsize=65536)
def _text_cents(text: str, required: bool) -> int | None:
    # Prices and discounts repeat across thousands of lines: parse each text once.
    if common := _COMMON_MONEY.match(text):  # the usual shapes, without Decimal
        sign, inner_sign, units, hundredths = common.groups()
        if len(units) > MAX_NUMBER_DIGITS + MAX_NUMBER_DIGITS // 3:  # digits and commas
            _check_magnitude(Decimal(units.replace(",", "")))
        cents = int(units.replace(",", "")) * 100 + int((hundredths or "0").ljust(2, "0"))
        return -cents if sign or inner_sign else cents
    if is_empty(text):
        if required:
            raise CellError("amount is missing")
        return None
    shape = _LOOSE_MONEY.match(text)
    if not shape or not any(ch.isdigit() for ch in shape.group("number")):
        raise CellError("not an amount")
    negative = bool(shape.group("minus") or shape.group("inner_minus")
                    or (text.startswith("(") and text.endswith(")")))
    amount = _to_decimal(shape.group("number"))
    return -_to_cents(amount) if negative else _to_cents(amount)


def _to_decimal(digits: str) -> Decimal:
    if "," in digits and "." in digits:
        # The separator that comes last is the decimal one: 1,022.25 or 1.022,25.
        if digits.rfind(",") > digits.rfind("."):
            digits = digits.replace(".", "").replace(",", ".")
        else:
            digits = digits.replace(",", "")
    elif "," in digits:
        if re.fullmatch(r"\d{1,3}(,\d{3})+", digits):
            digits = digits.replace(",", "")
        else:
            digits = digits.replace(",", ".")
    try:
        return Decimal(digits)
    except InvalidOperation as error:
        raise CellError("not an amount") from error


def _check_magnitude(number: Decimal) -> None:
    if not number.is_finite():
        raise CellError("not a finite number")
    if number.adjusted() >= MAX_NUMBER_DIGITS:
        raise CellError(f"implausibly large number (over {MAX_NUMBER_DIGITS} digits)")


def _to_cents(amount: Decimal) -> int:
    _check_magnitude(amount)
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_count(raw: object, *, required: bool = False,
                style: NumberStyle | None = None) -> int | None:
    """A whole, non-negative count such as a quantity (``3``, ``3.0``, ``1,200``); with the
    ``style`` of a market that groups thousands with dots, ``12.040`` is 12040."""
    if style is not None and style.thousands_mark != "," and isinstance(raw, str):
        text = clean(raw)
        mark = re.escape(style.thousands_mark)
        if re.fullmatch(rf"\d{{1,3}}(?:{mark}\d{{3}})+", text):
            raw = text.replace(style.thousands_mark, "")
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
        _check_magnitude(Decimal(value))
    elif isinstance(raw, float):
        _check_magnitude(Decimal(str(raw)))
        if not raw.is_integer():
            raise CellError("not a whole number")
        value = int(raw)
    else:
        text = clean(raw).replace(",", "")
        if is_empty(text):
            if required:
                raise CellError("number is missing")
            return None
        try:
            number = Decimal(text)
        except InvalidOperation as error:
            raise CellError("not a number") from error
        _check_magnitude(number)
        if number != number.to_integral_value():
            raise CellError("not a whole number")
        value = int(number)
    if value < 0:
        raise CellError("cannot be negative")
    return value


@dataclass(frozen=True)
class LocalTime:
    """A parsed time: the instant, and whether a DST rule had to resolve it."""

    utc: int
    dst_note: str | None = None


def parse_local_time(raw: object, timezone: str, *, required: bool = False,
                     order: str | None = None) -> LocalTime | None:
    """A zone-less export time read in the shop's ``timezone``.

    Formats: US ``MM/DD/YYYY hh:mm:ss AM/PM``; SEA/UK ``DD/MM/YYYY HH:MM:SS`` (24 h, or with
    dashes; dotted ``DD.MM.YYYY`` is always day-first; a date
    whose first part is over 12 is read month-first only if the second cannot be a month);
    ISO ``YYYY-MM-DD HH:MM:SS``; spreadsheet date cells. ``order`` (``"dmy"`` or ``"mdy"``,
    decided for the whole file by ``dates.slash_order``) fixes how 24-hour slash dates read;
    AM/PM times are always month-first. DST rule: an ambiguous time (the
    repeated hour when clocks go back) is the first occurrence; a time inside the gap when
    clocks go forward is read with the offset before the change; both are reported.
    """
    if isinstance(raw, datetime):
        naive = raw.replace(tzinfo=None)
    else:
        text = clean(raw)
        if is_empty(text):
            if required:
                raise CellError("time is missing")
            return None
        return _text_time(text, timezone, order)
    return _localise(naive, timezone)


@lru_cache(maxsize=65536)
def _text_time(text: str, timezone: str, order: str | None = None) -> LocalTime:
    # Every line of an order repeats its times: parse each distinct text once.
    return _localise(_parse_naive(text, order), timezone)


def _parse_naive(text: str, order: str | None = None) -> datetime:
    try:
        if match := _US_TIME.match(text):
            month, day, year, hour, minute, second, half = match.groups()
            hour = int(hour)
            if not 1 <= hour <= 12:
                raise CellError("hour out of range for an AM/PM time")
            hour = hour % 12 + (12 if half.lower() == "p" else 0)
            return datetime(int(year), int(month), int(day), hour, int(minute),
                            int(second or 0))
        if match := _SLASH_TIME.match(text):
            first, mark, second_part, year, hour, minute, second = match.groups()
            day, month = int(first), int(second_part)
            if mark == ".":
                order = "dmy"
            if order == "mdy" or (order is None and month > 12 >= day):
                day, month = month, day
            if month > 12:
                read_as = ("MM/DD/YYYY" if order == "mdy" else "DD/MM/YYYY").replace("/", mark)
                raise CellError(f"not a valid date: the file's dates read {read_as}, and "
                                f"{text.split()[0]} does not")
            return datetime(int(year), month, day, int(hour or 0), int(minute or 0),
                            int(second or 0))
        if match := _ISO_TIME.match(text):
            year, month, day, hour, minute, second = match.groups()
            return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                            int(second or 0))
    except ValueError as error:
        raise CellError(f"not a valid date or time ({error})") from error
    raise CellError("unrecognised time format (expected MM/DD/YYYY hh:mm:ss AM/PM, "
                    "DD/MM/YYYY HH:MM:SS, DD.MM.YYYY HH:MM or YYYY-MM-DD HH:MM:SS)")


def _localise(naive: datetime, timezone: str) -> LocalTime:
    rule = _hour_rule(naive.year, naive.month, naive.day, naive.hour, timezone)
    if rule is None:  # a DST change inside this very hour: resolve the time itself
        return _localise_exact(naive, timezone)
    offset, note = rule
    return LocalTime(_naive_seconds(naive) - offset, note)


def _naive_seconds(naive: datetime) -> int:
    return ((naive.toordinal() - _EPOCH_ORDINAL) * 86400 + naive.hour * 3600
            + naive.minute * 60 + naive.second)


@lru_cache(maxsize=32768)
def _hour_rule(year: int, month: int, day: int, hour: int,
               timezone: str) -> tuple[int, str | None] | None:
    # The zone's offset rarely changes within an hour: look it up once per local hour.
    first = datetime(year, month, day, hour, 0, 0)
    last = datetime(year, month, day, hour, 59, 59)
    start, end = _localise_exact(first, timezone), _localise_exact(last, timezone)
    start_offset = _naive_seconds(first) - start.utc
    if start_offset != _naive_seconds(last) - end.utc or start.dst_note != end.dst_note:
        return None
    return start_offset, start.dst_note


def _localise_exact(naive: datetime, timezone: str) -> LocalTime:
    zone = ZoneInfo(timezone)
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    utc = int(first.astimezone(UTC).timestamp())
    if first.utcoffset() == second.utcoffset():
        return LocalTime(utc)
    back = datetime.fromtimestamp(utc, zone).replace(tzinfo=None)
    if back == naive:
        return LocalTime(utc, "ambiguous (clocks went back): read as the first occurrence")
    return LocalTime(utc, "does not exist (clocks went forward): read as standard time")


def format_utc(instant: int | None) -> str | None:
    return None if instant is None else datetime.fromtimestamp(instant, UTC).isoformat()


def parse_iso_day(raw: object) -> str | None:
    """A template's day cell as ``YYYY-MM-DD`` (Excel dates too), or None when empty.

    Raises ``CellError`` for anything else: a slash date like 03/04/2026 is ambiguous."""
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    text = clean(raw)
    if is_empty(text):
        return None
    match = _ISO_DAY.match(text)
    if match is None:
        raise CellError("not a day: write it as YYYY-MM-DD (slash dates are ambiguous)")
    try:
        return date(*map(int, match.groups())).isoformat()
    except ValueError as error:
        raise CellError(f"not a valid day ({error})") from error
