"""Year context: which year a date written without one (``一季度``, ``6月30日``) belongs to.

GUIDELINES order: a year written in the same sentence; the nearest year written before it in
the same paragraph; the notice's own title; its published date; the nearest year written
before it anywhere in the document. Otherwise unknown (``XXXX``). Relative years (``今年``)
are anchored on the document's own date first: published, title, then the earliest context.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

import regex

from ..document import Doc

_YEAR_IN = regex.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
# a year in a title needs 年 or a date form after it (not 2024全国…活动)
_TITLE_YEAR = regex.compile(r"(?<!\d)((?:19|20)\d{2})(?=\s?年|[-./]\d)")
_SENTENCE_END = regex.compile(r"[。！？!?\n]")
# a paragraph ends at a line break, or where a page that lost its line breaks kept a space
# after a sentence (`…起施行。 第八条 …`: the scrape's trace of the break), maybe after
# undecodable bytes that follow the sentence (`…谨防诈骗。�� 记者了解到…`)
_LINE_END = regex.compile(r"\n|(?<=[。！？!?]\ufffd*)[ \u3000]+(?=\S)")


def year_of(value: Any) -> int | None:
    """The year of a date value or page date string (``2024-01-22``, ``2022-01-21 10:33 +0800``)."""
    if value is None:
        return None
    m = _YEAR_IN.search(str(value))
    return int(m.group(1)) if m else None


def title_year(title: Any) -> int | None:
    """The first year written (with 年 or as a date) in a title."""
    if not title:
        return None
    m = _TITLE_YEAR.search(str(title))
    return int(m.group(1)) if m else None


@dataclass
class YearContext:
    """Years written in one document, with the boundaries needed to look them up by position."""

    text: str
    title: int | None = None
    published: int | None = None
    _pos: list[int] = field(default_factory=list)     # start offsets of written years, sorted
    _year: list[int] = field(default_factory=list)
    _written: list[bool] = field(default_factory=list)  # False: resolved from 今年/次年
    _sentence_ends: list[int] = field(default_factory=list)
    _line_ends: list[int] = field(default_factory=list)

    @classmethod
    def for_doc(cls, doc: Doc) -> YearContext:
        meta = doc.meta or {}
        hints = doc.hints or {}
        ctx = cls(text=doc.text,
                  title=title_year(meta.get("title")) or title_year(hints.get("title")),
                  published=year_of(meta.get("published")) or year_of(hints.get("date")))
        ctx._sentence_ends = [m.start() for m in _SENTENCE_END.finditer(doc.text)]
        ctx._line_ends = [m.start() for m in _LINE_END.finditer(doc.text)]
        return ctx

    def add(self, pos: int, year: int, *, written: bool = True) -> None:
        """Record a year written (or, ``written=False``, resolved from 今年/次年) at ``pos``."""
        i = bisect.bisect_left(self._pos, pos)
        self._pos.insert(i, pos)
        self._year.insert(i, year)
        self._written.insert(i, written)

    # -- boundaries ----------------------------------------------------------------------
    @staticmethod
    def _bounds(ends: list[int], start: int, end: int, size: int) -> tuple[int, int]:
        i = bisect.bisect_left(ends, start)
        lo = ends[i - 1] + 1 if i > 0 else 0
        j = bisect.bisect_left(ends, end)
        hi = ends[j] if j < len(ends) else size
        return lo, hi

    def _before(self, lo: int, start: int) -> int | None:
        """Nearest year written in [lo, start)."""
        i = bisect.bisect_left(self._pos, start) - 1
        if i >= 0 and self._pos[i] >= lo:
            return self._year[i]
        return None

    def _after(self, end: int, hi: int) -> int | None:
        """Nearest year written in [end, hi). A resolved relative year does not count: in
        ``11月中旬验收，次年1月兑现`` the 次年 counts from 11月's year, not the other way."""
        i = bisect.bisect_left(self._pos, end)
        while i < len(self._pos) and self._pos[i] < hi:
            if self._written[i]:
                return self._year[i]
            i += 1
        return None

    # -- resolution ----------------------------------------------------------------------
    def resolve(self, start: int, end: int) -> tuple[int | None, str]:
        """Year for a date at [start, end) that does not write one, and where it came from."""
        lo, hi = self._bounds(self._sentence_ends, start, end, len(self.text))
        y = self._before(lo, start) or self._after(end, hi)
        if y:
            return y, "sentence"
        lo, _ = self._bounds(self._line_ends, start, end, len(self.text))
        y = self._before(lo, start)
        if y:
            return y, "paragraph"
        if self.title:
            return self.title, "title"
        if self.published:
            return self.published, "published"
        y = self._before(0, start)
        if y:
            return y, "document"
        return None, "none"

    def document_year(self, start: int, end: int) -> tuple[int | None, str]:
        """The document's own year, for 今年/明年: published, title, else the context."""
        if self.published:
            return self.published, "published"
        if self.title:
            return self.title, "title"
        y = self._before(0, start)
        if y:
            return y, "document"
        return self.resolve(start, end)
