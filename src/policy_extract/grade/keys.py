"""Value-level keys: what makes a predicted field "the same" as a gold field.

Two fields match when their keys are equal; offsets and span text never enter a key, because
gold has no offsets and span boundaries are a matter of taste (GUIDELINES.md), while values
are what a researcher analyses. Every key is hashable, so matching is multiset counting.
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

# Full-width ASCII (U+FF01–FF5E) → half-width: （）→(), ％→%, ０→0. 〔〕 stay: the contract
# fixes them for document numbers, so a `[2024]` there is a real difference.
_WIDTH = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)})

# Numbers are compared after rounding to this many significant digits: absorbs float noise
# (`400000.0` vs `400000`, `0.1 + 0.2`) while 0.02 and 0.03 stay apart.
SIGNIFICANT_DIGITS = 9


def norm_text(value: Any) -> str | None:
    """Light normalisation for names and labels: bracket/ASCII widths unified, spaces removed."""
    if value is None:
        return None
    return "".join(str(value).translate(_WIDTH).split())


def norm_number(value: Any) -> Hashable:
    """A number rounded to SIGNIFICANT_DIGITS; anything else kept as a tagged raw value."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ("raw", repr(value))
    if value != value or value in (float("inf"), float("-inf")):  # NaN / inf: compare as written
        return ("raw", repr(value))
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")


def number_key(item: dict[str, Any]) -> Hashable:
    """`value` for a single number, `(low, high)` for a range: a range never equals a single."""
    value, low, high = item.get("value"), item.get("low"), item.get("high")
    if value is None and (low is not None or high is not None):
        return ("range", norm_number(low), norm_number(high))
    return ("value", norm_number(value))


# ---------------------------------------------------------------------------------- dates

_DATE_ATOM = re.compile(r"""
    ^(?P<y>\d{4}|XXXX)
    (?:-(?:
        Q(?P<q>[1-4])                                   # quarter
      | H(?P<h>[12])                                    # half
      | (?P<m>\d{2})                                    # month
        (?:-(?P<d>\d{2})                                # day
          (?:T(?P<t>\d{2}:\d{2})(?::\d{2})?)?           # time; seconds ignored
        )?
    ))?$""", re.VERBOSE)


def _atom_days(atom: str) -> tuple[str, str] | None:
    """First and last ISO day an atom covers, or None (XXXX year, malformed, impossible date)."""
    m = _DATE_ATOM.match(atom.strip())
    if not m or m["y"] == "XXXX":
        return None
    y = int(m["y"])
    if m["q"]:
        first, last = 3 * int(m["q"]) - 2, 3 * int(m["q"])
    elif m["h"]:
        first, last = 6 * int(m["h"]) - 5, 6 * int(m["h"])
    elif m["m"]:
        first = last = int(m["m"])
    else:
        first, last = 1, 12
    if not (1 <= first <= 12 and 1 <= last <= 12):
        return None
    if m["d"]:
        day = int(m["d"])
        if not 1 <= day <= calendar.monthrange(y, first)[1]:
            return None
        return f"{y:04d}-{first:02d}-{day:02d}", f"{y:04d}-{first:02d}-{day:02d}"
    end = calendar.monthrange(y, last)[1]
    return f"{y:04d}-{first:02d}-01", f"{y:04d}-{last:02d}-{end:02d}"


def date_key(value: Any) -> Hashable:
    """A date value as the interval of days it covers.

    `2024-02` = `2024-02-01/2024-02-29`; `2024-Q1` = `2024-01-01/2024-03-31`; a range is
    (first day of its start, last day of its end). The time of day is ignored here (it is a
    tie-break when pairing, see `date_time`). Values with an `XXXX` year, or that do not
    parse, are kept as written, so they only equal an identical value.
    """
    if not isinstance(value, str):
        return ("raw", repr(value))
    parts = value.strip().split("/")
    if len(parts) in (1, 2):
        spans = [_atom_days(p) for p in parts]
        if all(spans):
            return ("days", spans[0][0], spans[-1][1])  # type: ignore[index]
    return ("raw", "".join(value.split()))


def date_time(value: Any) -> str | None:
    """The `HH:MM` of a timestamp value, else None (used only to break ties when pairing)."""
    if isinstance(value, str):
        m = _DATE_ATOM.match(value.strip().split("/")[0])
        if m:
            return m["t"]
    return None


def show_date_key(key: Hashable) -> str:
    if isinstance(key, tuple) and key and key[0] == "days":
        return key[1] if key[1] == key[2] else f"{key[1]}..{key[2]}"
    return str(key[1]) if isinstance(key, tuple) and len(key) > 1 else str(key)


def show_number_key(key: Hashable) -> str:
    def num(x: Hashable) -> str:
        if isinstance(x, float):
            return f"{x:.12g}"
        return str(x[1]) if isinstance(x, tuple) else str(x)
    if isinstance(key, tuple) and key[0] == "range":
        return f"{num(key[1])}–{num(key[2])}"
    return num(key[1]) if isinstance(key, tuple) else str(key)


# ---------------------------------------------------------------------------------- fields

@dataclass(frozen=True)
class FieldSpec:
    """How one field type is graded: its key, its attributes, how to show a key to a person."""

    name: str
    key: Callable[[dict[str, Any]], Hashable]
    attrs: tuple[str, ...]
    show: Callable[[Hashable], str]
    # secondary agreement used only to choose among same-key, same-attribute candidates
    tie: Callable[[dict[str, Any]], Hashable] = lambda item: norm_text(item.get("text"))


def _date_tie(item: dict[str, Any]) -> Hashable:
    return (date_time(item.get("value")), norm_text(item.get("text")))


def _show_plain(key: Hashable) -> str:
    return str(key)


def _show_cap(key: Hashable) -> str:
    value, unit = key  # type: ignore[misc]
    return f"{show_number_key(('value', value))} {unit}"


FIELD_SPECS: dict[str, FieldSpec] = {
    spec.name: spec for spec in (
        FieldSpec("measures", lambda m: norm_text(m.get("id")), ("title",), _show_plain,
                  tie=lambda m: tuple(m.get("path") or ())),
        FieldSpec("amounts", number_key, ("qualifier", "per", "measure", "currency"),
                  show_number_key),
        FieldSpec("caps", lambda c: (norm_number(c.get("value")), norm_text(c.get("unit"))),
                  ("scope", "measure"), _show_cap),
        FieldSpec("percentages", number_key, ("qualifier", "measure"), show_number_key),
        FieldSpec("dates", lambda d: date_key(d.get("value")), ("qualifier", "measure"),
                  show_date_key, tie=_date_tie),
        FieldSpec("units", lambda u: norm_text(u.get("text")), ("role", "measure"), _show_plain),
    )
}

META_KEYS = ("title", "doc_number", "issuer", "published", "valid_until", "source_name", "script")
_META_DATES = ("published", "valid_until")


def attr_value(item: dict[str, Any], attr: str) -> Any:
    """An attribute as compared: strings lightly normalised, None kept (None == None)."""
    value = item.get(attr)
    return norm_text(value) if isinstance(value, str) else value


def meta_value(meta: dict[str, Any], key: str) -> Hashable:
    """A meta value as compared: dates as day intervals, other strings lightly normalised."""
    value = meta.get(key)
    if value is None:
        return None
    if key in _META_DATES:
        return date_key(value)
    return norm_text(value)


def graded_measures(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Only numbered measures are graded; unnumbered paragraphs (label null) are a tool's choice."""
    return [m for m in items if isinstance(m, dict) and m.get("label") is not None]
