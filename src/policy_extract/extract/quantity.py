"""Number + unit + qualifier machinery shared by the quantity fields.

A field's pattern file finds *cores* (a number and its unit, maybe with the lower bound of a
range); this module parses their numbers and widens them over qualifier words
(extract/qualifiers.py). Pack-defined quantity fields (``targets``) use it through
``extract/packfields.py``.
"""
from __future__ import annotations

import math
from functools import lru_cache

import regex

from .numbers import ARABIC, SCALES, parse_number

_SPLIT = regex.compile(rf"^\s*(?P<n>{ARABIC})\s*(?P<infix>[余多])?\s*(?P<scale>[十百千万亿]*)\s*$")
_MAX_LEN = 40  # a "number" longer than this is a code or garbage, not a quantity
_CN_SCALE_ONLY = regex.compile(r"^[十百千万亿]+$")


class Num:
    """A parsed number: value, its scale word (万 in 40万) and a 余/多 "more than" mark."""

    __slots__ = ("value", "scale", "more")

    def __init__(self, value: float, scale: float, more: bool):
        self.value, self.scale, self.more = value, scale, more


def parse(s: str) -> Num | None:
    """``40万`` → 400000 (scale 1e4); ``50余万`` → 500000, more; ``三十万`` → 300000; bad → None."""
    n = _parse(s)
    return n if n is not None and math.isfinite(n.value) and len(s) <= _MAX_LEN else None


def _parse(s: str) -> Num | None:
    got = _parsed(s)
    return None if got is None else Num(*got)  # a fresh Num: callers may rescale it


@lru_cache(maxsize=4096)
def _parsed(s: str) -> tuple[float, float, bool] | None:
    """(value, scale, more) of a number as written; the same few strings recur in a batch."""
    n = _parse_uncached(s)
    return None if n is None else (n.value, n.scale, n.more)


def _parse_uncached(s: str) -> Num | None:
    s = "".join(s.split())
    m = _SPLIT.match(s)
    try:
        if m:
            sc = m.group("scale")
            scale = SCALES.get(sc, 1.0) if sc else 1.0
            if sc and sc not in SCALES:
                return None
            return Num(parse_number(m.group("n")) * scale, scale, bool(m.group("infix")))
        more = s[-1:] in ("余", "多")
        core = s[:-1] if more else s
        return Num(parse_number(core), 1.0, more)
    except (ValueError, KeyError):
        return None


def scale_only(s: str) -> bool:
    """A Chinese numeral of scale words only (亿, 千万): the number 1 is implied."""
    return bool(_CN_SCALE_ONLY.match(s))

