"""Date value arithmetic for the TIMEX-style values of FORMAT.md (``2024``, ``2024-01``,
``2024-01-22``, ``2024-01-22T09:13``, ``2024-Q1``, ``2024-H1``, ranges ``START/END``,
unknown year ``XXXX``).

Pure functions over ints, so they can be tested without any text.
"""
from __future__ import annotations

import calendar

UNKNOWN_YEAR = "XXXX"


def year_str(year: int | None) -> str:
    """``2024`` → ``"2024"``; no year → ``"XXXX"``."""
    return UNKNOWN_YEAR if year is None else f"{year:04d}"


def month_last_day(year: int | None, month: int) -> int:
    """Last day of a month, leap years included; February of an unknown year ends on the 28th."""
    return calendar.monthrange(year if year is not None else 2001, month)[1]


def is_valid(year: int | None, month: int | None = None, day: int | None = None) -> bool:
    """Is this a real calendar date (day within its month)?"""
    if month is None:
        return day is None
    if not 1 <= month <= 12:
        return False
    if day is None:
        return True
    # an unknown year may still be a leap year: allow 29 February
    last = month_last_day(year if year is not None else 2000, month)
    return 1 <= day <= last


def point(year: int | None, month: int | None = None, day: int | None = None,
          hour: int | None = None, minute: int | None = None) -> str:
    """The value of one calendar point at the precision given."""
    out = year_str(year)
    if month is None:
        return out
    out += f"-{month:02d}"
    if day is None:
        return out
    out += f"-{day:02d}"
    if hour is not None:
        out += f"T{hour:02d}:{minute or 0:02d}"
    return out


def month_end(year: int | None, month: int) -> str:
    """``M月底`` → the last day of that month."""
    return point(year, month, month_last_day(year, month))


def year_end(year: int | None) -> str:
    """``年底``/``年末`` → 31 December."""
    return point(year, 12, 31)


def quarter(year: int | None, q: int) -> str:
    return f"{year_str(year)}-Q{q}"


def half(year: int | None, h: int) -> str:
    return f"{year_str(year)}-H{h}"


def xun(year: int | None, month: int, first: int, last: int) -> str:
    """A ten-day period of a month (上旬 1–10, 中旬 11–20, 下旬 21–end; ``last`` 0 = month end)."""
    end = last or month_last_day(year, month)
    return interval(point(year, month, first), point(year, month, end))


def interval(start: str, end: str) -> str:
    """``START/END``; a range whose ends are equal is just the point."""
    return start if start == end else f"{start}/{end}"


def start_of(value: str) -> str:
    """The first atom of a value (the value itself when it is not a range)."""
    return value.split("/", 1)[0]


def end_of(value: str) -> str:
    """The last atom of a value."""
    return value.rsplit("/", 1)[-1]
