"""Clause and sentence boundaries, the context a qualifier, per-unit or cap scope is read in.

A *clause* ends at a comma, semicolon, colon, full stop or line break; a *sentence* at a full
stop, exclamation/question mark or line break. Enumeration commas (``、``) join list members
and end nothing.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from itertools import accumulate

CLAUSE_BREAKS = frozenset(",，;；。：:!！?？\n")
SENTENCE_BREAKS = frozenset("。!！?？\n")
_NEAR = 8  # mojibake this close before a number taints it (可??刹煌F髽I100万元)


def _start(text: str, pos: int, breaks: frozenset[str], limit: int) -> int:
    i = pos - 1
    floor = max(0, pos - limit)
    while i >= floor:
        if text[i] in breaks:
            return i + 1
        i -= 1
    return floor


def _end(text: str, pos: int, breaks: frozenset[str], limit: int) -> int:
    n = min(len(text), pos + limit)
    i = pos
    while i < n:
        if text[i] in breaks:
            return i
        i += 1
    return n


def clause_start(text: str, pos: int, limit: int = 120) -> int:
    """Index where the clause holding ``pos`` begins (bounded look-back: no quadratic scans)."""
    return _start(text, pos, CLAUSE_BREAKS, limit)


def clause_end(text: str, pos: int, limit: int = 120) -> int:
    return _end(text, pos, CLAUSE_BREAKS, limit)


def sentence_start(text: str, pos: int, limit: int = 300) -> int:
    return _start(text, pos, SENTENCE_BREAKS, limit)


def sentence_end(text: str, pos: int, limit: int = 300) -> int:
    return _end(text, pos, SENTENCE_BREAKS, limit)


def damaged(text: str, start: int, end: int) -> bool:
    """Mojibake near a span (U+FFFD, ``??``, a ``?`` glued to Han text): do not extract there."""
    lo, hi = max(0, start - _NEAR), min(len(text), end + 2)
    window = text[lo:hi]
    if "\ufffd" in window or "??" in window:
        return True
    return "?" in text[start:end]


def excluded_checker(zones: list[tuple[int, int]]) -> Callable[[int, int], bool]:
    """A fast ``Doc.is_excluded``: bisect over the zones instead of scanning them all."""
    spans = sorted(zones)
    starts = [a for a, _ in spans]
    max_end = list(accumulate((b for _, b in spans), max))

    def overlaps(start: int, end: int) -> bool:
        i = bisect_left(starts, end)  # zones starting before `end`
        return i > 0 and max_end[i - 1] > start

    return overlaps
