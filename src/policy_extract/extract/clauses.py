"""Clause and sentence boundaries, the context a qualifier, per-unit or cap scope is read in.

A *clause* ends at a comma, semicolon, colon, full stop or line break; a *sentence* at a full
stop, exclamation/question mark or line break. Enumeration commas (``、``) join list members
and end nothing.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from functools import lru_cache
from itertools import accumulate

import regex

CLAUSE_BREAKS = frozenset(",，;；。：:!！?？\n")
SENTENCE_BREAKS = frozenset("。!！?？\n")
_FULL_STOPS = frozenset("。！？\n")  # sentence ends no damaged text is made of
_NEAR = 8  # mojibake this close before a number taints it (可??刹煌F髽I100万元)
# what may stand between a number and a U+FFFD run that may have eaten one of its digits
_GLUE = regex.compile(r"[\d\s.,，．零〇○一二两三四五六七八九十百千万亿]*")


@lru_cache(maxsize=8)
def _finders(breaks: frozenset[str]) -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    """(last break before a position, first break at or after it): C-speed scans."""
    cls = "[" + "".join(regex.escape(c) for c in sorted(breaks)) + "]"
    return regex.compile("(?r)" + cls), regex.compile(cls)


def _start(text: str, pos: int, breaks: frozenset[str], limit: int) -> int:
    floor = max(0, pos - limit)
    if pos <= floor:
        return floor
    m = _finders(breaks)[0].search(text, floor, pos)
    return m.start() + 1 if m else floor


def _end(text: str, pos: int, breaks: frozenset[str], limit: int) -> int:
    n = min(len(text), pos + limit)
    if pos < 0:  # (never asked) the plain scan, for negative indexes
        i = pos
        while i < n:
            if text[i] in breaks:
                return i
            i += 1
        return n
    if pos >= n:
        return n
    m = _finders(breaks)[1].search(text, pos, n)
    return m.start() if m else n


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
    # damage across a sentence end belongs to the other sentence (…不少于500万元。��企业…)
    back, ahead = _finders(_FULL_STOPS)  # (not "?": mojibake is full of it)
    if (m := ahead.search(text, end, hi)) is not None:
        hi = m.start()
    if (m := back.search(text, lo, start)) is not None:
        lo = m.end()
    window = text[lo:hi]
    if "??" in window:
        return True
    if "\ufffd" in window:
        # U+FFFD stands for bytes that did not decode and leaves its neighbours whole: only a
        # run glued to the number (奖励���50万元, 5��万元) may have eaten one of its digits,
        # not one before the words that lead to it (。��对单户授信1000万元)
        if "\ufffd" in text[start:end]:
            return True
        k = text.rfind("\ufffd", lo, start)
        if k >= 0 and _GLUE.fullmatch(text, k + 1, start):
            return True
        k = text.find("\ufffd", end, hi)
        if k >= 0 and _GLUE.fullmatch(text, end, k):
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


def cell_start(text: str, lo: int, hi: int) -> int:
    """Where the table cell (or the sentence of a page that lost its breaks) holding
    ``hi`` begins, at or after ``lo``: past the last space between two words, which only a
    table reader or a lost line break leaves in a normalized text (| 按实缴保费的50%给予补贴 |
    单家企业最高20万元 |: the fee of the cell before is not what the ceiling bounds)."""
    gap = text.rfind(" ", lo, hi)
    while gap > lo:
        if _is_word_end(text[gap - 1]) and _is_han(text[gap + 1]):
            return gap + 1
        gap = text.rfind(" ", lo, gap)
    return lo


def _is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def _is_word_end(c: str) -> bool:
    return _is_han(c) or c in "%）)】》”"
