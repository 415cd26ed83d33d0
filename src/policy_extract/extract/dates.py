"""Extract dates (GUIDELINES "dates"): atoms found by the patterns of ``data/dates.yaml``,
joined into ranges, given a qualifier from the words around them, and resolved to
TIMEX-style values with the year taken from the document's own context (never the clock).

Steps: 1. every atom pattern is run over the text; overlapping candidates are resolved
leftmost-longest; 2. two atoms separated only by a range connector become one range (a bare
day such as ``29日`` survives only as a range end); 3. years are resolved (``yearctx``);
4. qualifier words before/after single atoms set ``until|by|from`` and join the span.

A date governed by 每年 (``每年3月底前``, ``每年1月、7月``) recurs: its year is ``XXXX``, never
the context year, which would name one calendar year the text does not.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

from ..document import Doc
from ..errors import Warn
from ..patterns.engine import Pack, default_pack
from . import timex
from .numbers import parse_chinese
from .yearctx import YearContext

FIELD = "dates"
_WINDOW = 8  # characters searched for qualifier words before an atom
_WINDOW_LATIN = 24  # …before an English date (come into force on, effective from)
_QUAL_ORDER = ("until", "from", "by")


@dataclass
class Atom:
    """One date expression found by a pattern, before year resolution."""

    start: int
    end: int
    kind: str
    groups: dict[str, str | None]
    priority: int = 0
    year: int | None = None
    year_from: str = "none"
    recurring: bool = False  # governed by 每年: no calendar year
    resolved: bool = False  # a relative year (次年) already resolved on the context

    def g(self, name: str) -> str | None:
        return self.groups.get(name)

    @property
    def bare(self) -> bool:
        return self.g("bare") is not None


def _num(s: str | None) -> int | None:
    """An Arabic or Chinese numeral as int (``08`` → 8, ``二十九`` → 29, ``二〇二三`` → 2023)."""
    return None if s is None else _num_of(s)


@lru_cache(maxsize=1024)  # the same few numerals (months, days, years) recur in every notice
def _num_of(s: str) -> int | None:
    s = s.strip()
    if s.isdigit():
        return int(s)
    try:
        return int(parse_chinese(s))
    except (ValueError, KeyError):
        return None


# -- 1. candidates -------------------------------------------------------------------------
def _candidates(text: str, pack: Pack) -> list[Atom]:
    out = []
    months = pack.table(FIELD, "english_months")
    for pat in pack.patterns(FIELD):
        if pat.attrs.get("kind") or pat.compiled is None:
            continue
        prio = int(pat.attrs.get("priority", 0))
        for m in pack.scan(pat, text):
            if m.end() > m.start():
                groups = m.groupdict()
                if groups.get("m_en"):  # May 20, 2026: the month's number from its name
                    groups["m"] = str(months[groups["m_en"]])
                out.append(Atom(m.start(), m.end(), pat.name, groups, prio))
    return out


def _select(cands: list[Atom]) -> list[Atom]:
    """Leftmost-longest, then pattern priority; overlapping later candidates are dropped."""
    cands.sort(key=lambda a: (a.start, -(a.end - a.start), -a.priority))
    out: list[Atom] = []
    last_end = -1
    for a in cands:
        if a.start >= last_end:
            out.append(a)
            last_end = a.end
    return out


def _valid(a: Atom) -> bool:
    """Reject impossible calendar numbers (13月, 32日, 25:00) that the regex let through."""
    m, m2, d, q, q2 = (_num(a.g(k)) for k in ("m", "m2", "d", "q", "q2"))
    if a.g("m") is not None and (m is None or not 1 <= m <= 12):
        return False
    if a.g("m2") is not None and (m2 is None or not 1 <= m2 <= 12 or (m is not None and m2 <= m)):
        return False
    if a.g("d") is not None and (d is None or not timex.is_valid(None, m or 1, d)):
        return False
    if a.g("q") is not None and (q is None or not 1 <= q <= 4):
        return False
    if a.g("q2") is not None and (q2 is None or q is None or not q < q2 <= 4):
        return False
    return a.g("y2") is None or (_num(a.g("y2")) or 0) > (_num(a.g("y")) or 0)


# -- 2. ranges -----------------------------------------------------------------------------
@dataclass
class Item:
    """A date as output: one atom, or two joined into a range."""

    first: Atom
    last: Atom | None = None

    @property
    def start(self) -> int:
        return self.first.start

    @property
    def end(self) -> int:
        return (self.last or self.first).end


def _join(text: str, atoms: list[Atom], conn: regex.Pattern[str]) -> list[Item]:
    items: list[Item] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        b = atoms[i + 1] if i + 1 < len(atoms) else None
        if (b is not None and not a.bare and _is_point(a)
                and (not b.bare or a.g("d") is not None) and _is_point(b)
                and conn.fullmatch(text, a.end, b.start)):
            items.append(Item(a, b))
            i += 2
            continue
        if not a.bare:
            items.append(Item(a))
        i += 1
    return items


def _is_point(a: Atom) -> bool:
    """Only single points join into ranges (not 8、9月份 or 上旬, already ranges)."""
    return not any(a.g(k) for k in ("m2", "q2", "y2", "qfirst", "xun"))


# -- 3. values -----------------------------------------------------------------------------
def _explicit_year(a: Atom) -> int | None:
    y = _num(a.g("y"))
    return y if y is not None and 1900 <= y <= 2099 else None


@dataclass
class Tables:
    """The lookup tables of ``dates.yaml`` (relative years, halves, ten-day periods)."""

    rel_year: dict[str, Any]
    half: dict[str, Any]
    xun_days: dict[str, Any]
    follow: frozenset[str] = frozenset()  # relative years read from the context (次年, 当年)
    # from-prefixes that make a start only with a from-suffix after the date (从…起)
    with_suffix: frozenset[str] = frozenset()

    @classmethod
    def of(cls, pack: Pack) -> Tables:
        return _tables(pack)


@lru_cache(maxsize=8)
def _tables(pack: Pack) -> Tables:
    """One Tables per pack (packs are cached and immutable)."""
    rel, half, xun = (pack.table(FIELD, n) for n in ("rel_year", "half", "xun_days"))
    return Tables(rel, half, xun, frozenset(k for k, v in rel.items() if v[0] == "ctx"),
                  frozenset(pack.field(FIELD).vocab.get("from_prefix_with_suffix", ())))


def _bounds(a: Atom, year: int | None, tables: Tables,
            month: int | None = None) -> tuple[str, str]:
    """First and last value of an atom (equal for a point). ``month`` feeds a bare day."""
    m, d = _num(a.g("m")), _num(a.g("d"))
    if a.bare:
        if month is None or not timex.is_valid(year, month, d):
            raise ValueError(f"no such day: {year}-{month}-{d}")
        v = timex.point(year, month, d)
        return v, v
    if a.g("yend"):
        v = timex.year_end(year)
        return v, v
    if a.g("qfirst"):
        return timex.quarter(year, 1), timex.quarter(year, _num(a.g("qfirst")) or 1)
    if a.g("q"):
        q = _num(a.g("q")) or 1
        if a.g("qend"):  # 第二季度末 → the quarter's last day
            v = timex.month_end(year, 3 * q)
            return v, v
        return timex.quarter(year, q), timex.quarter(year, _num(a.g("q2")) or q)
    if a.g("h"):
        v = timex.half(year, int(tables.half.get(a.g("h") or "", 1)))
        return v, v
    if a.g("y2"):
        return timex.year_str(year), timex.year_str(_num(a.g("y2")))
    if m is None:
        v = timex.point(year)
        return v, v
    if a.g("m2"):
        m2 = _num(a.g("m2")) or m
        last = timex.month_end(year, m2) if a.g("mend") else timex.point(year, m2)
        return timex.point(year, m), last
    if d is not None:
        if not timex.is_valid(year, m, d):
            raise ValueError(f"no such day: {year}-{m}-{d}")
        hh = _num(a.g("hh"))
        mi = _num(a.g("mi")) if hh is not None else None
        if a.g("half"):
            mi = 30  # 五点半
        if hh is not None and a.g("pm") and hh < 12:
            hh += 12  # 下午5点 → 17:00
        v = timex.point(year, m, d, hh, mi)
        return v, v
    if a.g("xun"):
        first, last = tables.xun_days.get(a.g("xun") or "", (1, 0))
        span = timex.xun(year, m, first, last)
        return timex.start_of(span), timex.end_of(span)
    if a.g("mend"):
        v = timex.month_end(year, m)
        return v, v
    v = timex.point(year, m)
    return v, v


def _resolve(a: Atom, ctx: YearContext, tables: Tables,
             anchor: tuple[int | None, str] | None = None) -> None:
    """Set ``a.year``/``a.year_from``: written, relative (今年), inherited, or from context."""
    y = _explicit_year(a)
    if y is not None:
        a.year, a.year_from = y, "text"
        return
    if a.recurring:
        a.year, a.year_from = None, "recurring"
        return
    rel = a.g("rel")
    if rel and a.resolved and anchor is None:
        return
    if rel:
        how, offset = tables.rel_year.get(rel, ["doc", 0])
        if how == "ctx" and anchor is not None:
            base, src = anchor
        elif how == "ctx":
            base, src = ctx.resolve(a.start, a.end)
        else:
            base, src = ctx.document_year(a.start, a.end)
        a.year, a.year_from = (base + int(offset) if base else None), src
        return
    if anchor is not None:
        a.year, a.year_from = anchor
        return
    a.year, a.year_from = ctx.resolve(a.start, a.end)


_SENTENCE_BREAK = regex.compile(r"[。；;！!？?\n]")
_SENTENCE_START = regex.compile(r"[。！!？?\n]", regex.REVERSE)


def _mark_recurring(text: str, items: list[Item], recurring: regex.Pattern[str],
                    list_gap: regex.Pattern[str], follow: frozenset[str],
                    each_year: regex.Pattern[str]) -> None:
    """Flag the atoms governed by 每年, the dates listed right after one (1月、7月), and the
    later dates of its sentence that name no year (每年4月30日前申请，…于6月底前完成复核) or
    count from it (…于次年一季度内兑现: ``follow``, the years read from the context).

    A 每年 earlier in the sentence that governs no date of its own makes the sentence's
    yearless dates recur too (每年组织一次评审，于当年6月底前拨付; 每年的奖补资金于次年3月底前
    兑现), unless a date with a written year stands between them.
    """
    prev: Item | None = None
    for item in items:
        line = text.rfind("\n", 0, item.start)
        if line >= 0 and line == item.start - 1:  # the date opens its line: the cue may end
            line = text.rfind("\n", 0, line)      # the line before (图解: 每年 / 4月1日至…)
        lo = max(prev.end if prev else 0, item.start - _WINDOW, line + 1)
        flag = recurring.search(text, lo, item.start) is not None or (
            prev is not None and prev.first.recurring
            and list_gap.fullmatch(text, prev.end, item.start) is not None)
        rel = item.first.g("rel")
        if flag and rel in follow:
            rel = None  # 每年的奖补资金于次年3月底前: the next year of every year
        if (not flag and prev is not None and prev.first.recurring and (not rel or rel in follow)
                and _SENTENCE_BREAK.search(text, prev.end, item.start) is None):
            flag, rel = True, None
        if not flag and (not rel or rel in follow) and _explicit_year(item.first) is None:
            b = _SENTENCE_START.search(text, max(0, item.start - 200), item.start)
            s0 = b.end() if b else max(0, item.start - 200)
            if prev is not None and prev.end > s0:
                s0 = prev.end if not prev.first.recurring else s0  # a written year between
            if each_year.search(text, s0, item.start) is not None:
                flag, rel = True, None
        if flag and _explicit_year(item.first) is None and not rel:
            item.first.recurring = True
            if item.last is not None and _explicit_year(item.last) is None:
                item.last.recurring = True
        prev = item


def _order(a: Atom) -> tuple[int, int]:
    return (_num(a.g("m")) or 0, _num(a.g("d")) or 0)


def _value(item: Item, ctx: YearContext, tables: Tables) -> str:
    a, b = item.first, item.last
    _resolve(a, ctx, tables)
    first, last = _bounds(a, a.year, tables)
    if b is None:
        return timex.interval(first, last)
    anchor_year = a.year
    if b.recurring:
        anchor_year = None  # 每年4月1日至4月30日: the end recurs with the start
    elif (_explicit_year(b) is None and not b.g("rel") and not b.bare and a.year is not None
            and b.g("m") and a.g("m") and _order(b) < _order(a)):
        anchor_year = a.year + 1  # 2023年11月至2月: the end is in the next year
    _resolve(b, ctx, tables, anchor=(anchor_year, a.year_from))
    _, b_last = _bounds(b, b.year, tables, month=_num(a.g("m")))
    return timex.interval(first, b_last)


# -- 4. qualifiers -------------------------------------------------------------------------
def _qualify(text: str, item: Item, prev_end: int, prefix: regex.Pattern[str],
             suffix: regex.Pattern[str], with_suffix: frozenset[str]) -> tuple[int, int, str]:
    """Span and qualifier of a single atom with the qualifier words around it."""
    start, end = item.start, item.end
    if item.last is not None:
        return start, end, "on"
    found: dict[str, bool] = {}
    # (an English date's words are longer: come into force on June 1, 2026)
    window = _WINDOW_LATIN if start > 1 and text[start - 2].isascii() and text[start - 2].isalpha() else _WINDOW
    lo = max(prev_end, start - window, text.rfind("\n", 0, start) + 1)
    pm = prefix.search(text, lo, start)
    sm = suffix.match(text, end, min(len(text), end + 10))  # （星期五）前: 6 characters
    if pm and not (sm is None and pm.group().strip() in with_suffix):  # 从6月16日召开的…: no start
        q = next(k for k in _QUAL_ORDER if pm.group(k))
        found[q] = True
        start = pm.start()
    if sm:
        q = next(k for k in _QUAL_ORDER if sm.groupdict().get(k))
        found[q] = True
        end = sm.end()
    qual = next((k for k in _QUAL_ORDER if found.get(k)), "on")
    return start, end, qual


class _ExclusionIndex:
    """``Doc.is_excluded`` in O(log n): a long notice cites hundreds of 《》 titles."""

    def __init__(self, zones: list[tuple[int, int]]):
        zones = sorted(zones)
        self._starts = [s for s, _ in zones]
        self._max_end: list[int] = []
        top = -1
        for _, e in zones:
            top = max(top, e)
            self._max_end.append(top)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self._starts, end)  # zones starting before ``end``
        return i > 0 and self._max_end[i - 1] > start


@lru_cache(maxsize=32)
def _kind_pattern(pack: Pack, kind: str) -> regex.Pattern[str]:
    pat = next(p for p in pack.patterns(FIELD) if p.attrs.get("kind") == kind)
    assert pat.compiled is not None
    return pat.compiled


def extract_dates(doc: Doc) -> list[dict[str, Any]]:
    """All dates of ``doc`` as output items (text, start, end, value, qualifier, year_from)."""
    pack = doc.pack or default_pack()
    text = doc.text
    conn, prefix, suffix = (_kind_pattern(pack, k) for k in ("connector", "prefix", "suffix"))
    in_force = _kind_pattern(pack, "in_force")
    tables = Tables.of(pack)

    atoms = [a for a in _select(_candidates(text, pack)) if _valid(a)]
    excluded = _ExclusionIndex(doc.excluded)
    atoms = [a for a in atoms if not excluded.overlaps(a.start, a.end)]
    items = _join(text, atoms, conn)
    _mark_recurring(text, items, _kind_pattern(pack, "recurring"), _kind_pattern(pack, "list_gap"),
                    tables.follow,
                    pack.compile(FIELD, r"(?:{recurring_year})(?!\s?(?:{rate_year_next}))"))

    ctx = YearContext.for_doc(doc)
    for a in atoms:  # written years are the context of the dates around them
        y = _explicit_year(a)
        if y is not None and not a.bare:
            ctx.add(a.start, y)
    rel = [a for a in atoms if a.g("rel") and _explicit_year(a) is None]
    for a in rel:  # so are resolved relative years (今年6月、7月 → 7月 of 今年)
        if tables.rel_year.get(a.g("rel") or "", ["doc"])[0] != "ctx":
            _resolve(a, ctx, tables)
            if a.year is not None:
                ctx.add(a.start, a.year, written=False)
    follow = [a for a in rel if tables.rel_year.get(a.g("rel") or "", ["doc"])[0] == "ctx"]
    for a in follow:  # 次年 counts from the written years: a second 次年 is the same year
        _resolve(a, ctx, tables)
    for a in follow:
        if a.year is not None:
            ctx.add(a.start, a.year, written=False)
    for a in rel:
        a.resolved = True

    out: list[dict[str, Any]] = []
    prev_end = 0
    for item in items:
        try:
            value = _value(item, ctx, tables)
        except ValueError:  # an impossible date (2022年2月30日): damaged, left unannotated
            continue
        start, end, qual = _qualify(text, item, prev_end, prefix, suffix, tables.with_suffix)
        if (qual == "by" and out and out[-1]["qualifier"] == "from" and text[start] == "至"
                and text[end - 1] == "止" and in_force.fullmatch(text, prev_end, start)):
            qual = "until"  # 自…起施行，至…止: the end of the text's force
        prev_end = end
        span = text[start:end]
        if item.first.year is None:
            doc.warnings.append(Warn.make("W304", start, end, text=span))
        out.append({"text": span, "start": start, "end": end, "value": value,
                    "qualifier": qual, "year_from": item.first.year_from})
    out.sort(key=lambda d: d["start"])
    return out
