"""Find label candidates and boundary marks in the text, as the numbering pack describes them.

Everything here is a *candidate*: whether ``(二)`` is a label or a cross-reference inside a
sentence is decided by numbering continuity in ``tree.py``.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from typing import Any

import regex

from ..extract.numbers import parse_chinese
from ..patterns.engine import Pack

FIELD = "numbering"
LABEL, BREAK, END, SIGNATURE, CLOSING = "label", "break", "end", "signature", "closing"
HEADING = "heading"  # an unnumbered section heading line (``政策时效``): see tree.py
QUESTION = "question"  # a Q&A page's question line (``问4：…？``): see tree.py
CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}  # ① … ⑳
# what may stand before a label that begins its line: ``line_prefix`` of numbering.yaml
# (indentation, markdown #/** markers, a text bullet); this default serves a Lines built
# without a pack
_LINE_PREFIX = regex.compile(r"[^\S\n]*(?:#{1,6}[^\S\n]*)?(?:\*\*)?")


@dataclass(frozen=True)
class Style:
    """One numbering style from the pack (``cn_paren``: ``（一）`` → ``(一)``)."""

    name: str
    kind: str  # chinese | arabic | circled
    canonical: str  # template with {n}
    rank: int
    confirm: bool  # counts only next to a neighbouring number of the same style
    rx: regex.Pattern[str]
    # every match in a text (``rx.finditer`` tried only around the pattern's anchor)
    find: Callable[[str], list[regex.Match[str]]] = field(compare=False, repr=False,
                                                          default=lambda text: [])

    def label(self, written: str) -> str:
        """The canonical label: ``（ 一 ）`` → ``(一)``, ``01`` → ``1`` (FORMAT: Arabic ``1``)."""
        return self.canonical.replace("{n}", canonical_number(self.kind, written))


@dataclass(frozen=True)
class Candidate:
    """A possible label: where it stands and what number it carries."""

    start: int  # first character of the label proper (after markdown markers)
    end: int  # end of the label (separator included, following spaces not)
    style: Style
    n: int
    written: str  # the number as written (一, 12, ①)
    line_start: bool  # the label begins its line
    runin_row: bool = False  # a row of a table run in on one line (``_runin_rows``)


@dataclass(frozen=True)
class Mark:
    """A boundary that is not a label: a chapter heading, the end of the body, furniture."""

    start: int
    role: str  # break | end | signature | closing
    name: str
    kind: str | None = None  # "list": the short lines after an end mark are a list (附件)


@dataclass
class Rules:
    """The compiled numbering pack: styles, marks, title helpers and settings."""

    styles: list[Style]
    marks: list[tuple[str, str, str | None, Callable[[str], list[regex.Match[str]]]]]  # (role, name, kind, finder)
    title_tag: list[regex.Pattern[str]]
    title_unit: list[regex.Pattern[str]]
    settings: dict[str, Any]
    # style name → the table header its rows need before them (``tables.header``: 序号)
    headers: dict[str, regex.Pattern[str]] = field(default_factory=dict)
    # style name → a header cell after which its rows may run in (``tables.runin_header``)
    runin_headers: dict[str, regex.Pattern[str]] = field(default_factory=dict)
    line_prefix: regex.Pattern[str] = _LINE_PREFIX
    latin_line: regex.Pattern[str] | None = None  # common.yaml latin_line

    def setting(self, name: str, default: Any) -> Any:
        return self.settings.get(name, default)


@lru_cache(maxsize=8)
def rules_for(pack: Pack) -> Rules:
    """Read the ``numbering`` field of a pack once (packs are cached and immutable)."""
    spec = pack.field(FIELD)
    rank = spec.tables.get("rank", {})
    confirm = set(spec.settings.get("confirm_styles", []) or [])
    styles, marks, tags, units = [], [], [], []
    for pat in pack.patterns(FIELD):
        role = pat.attrs.get("role", LABEL)
        assert pat.compiled is not None
        if role == LABEL:
            styles.append(Style(pat.name, str(pat.attrs.get("kind", "arabic")),
                                str(pat.attrs.get("value", "{n}")), int(rank.get(pat.name, 9)),
                                pat.name in confirm, pat.compiled, partial(pack.scan, pat)))
        elif role in (BREAK, END, SIGNATURE, CLOSING, HEADING, QUESTION):
            kind = pat.attrs.get("kind")
            marks.append((role, pat.name, str(kind) if kind else None, partial(pack.scan, pat)))
        elif role == "title_tag":
            tags.append(pat.compiled)
        elif role == "title_unit":
            units.append(pat.compiled)
    headers = {str(k): regex.compile(str(v)) for k, v in spec.tables.get("header", {}).items()}
    runin = {str(k): regex.compile(str(v)) for k, v in spec.tables.get("runin_header", {}).items()}
    return Rules(styles, marks, tags, units, dict(spec.settings), headers, runin,
                 pack.compile(FIELD, "{line_prefix}"), pack.compile(FIELD, "{latin_line}"))


def canonical_number(kind: str, written: str) -> str:
    """The number as a label writes it: Word-export spaces dropped (``十 二`` → ``十二``), Arabic
    numbers without zero padding or full-width digits (``01``, ``０１`` → ``1``)."""
    w = "".join(written.split())
    if kind == "arabic" and w.isdecimal():
        return str(int(w))
    return w


def number_value(kind: str, written: str) -> int | None:
    """The item number of a label: ``十二`` → 12, ``07`` → 7, ``③`` → 3; None if unreadable."""
    written = "".join(written.split())
    try:
        if kind == "circled":
            return CIRCLED.get(written)
        if kind == "chinese":
            v = parse_chinese(written)
            return int(v) if v == int(v) and 0 < v < 1000 else None
        return int(written)
    except (ValueError, KeyError):
        return None


class Lines:
    """Line starts of a text, for O(log n) 'which line / does this begin a line' questions."""

    def __init__(self, text: str, prefix: regex.Pattern[str] = _LINE_PREFIX):
        self.text = text
        self.prefix = prefix
        starts, i = [0], text.find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = text.find("\n", i + 1)
        self.starts = starts

    def start_of(self, pos: int) -> int:
        return self.starts[bisect_right(self.starts, pos) - 1]

    def end_of(self, pos: int) -> int:
        """End of the line holding ``pos`` (index of its newline, or len(text))."""
        i = bisect_right(self.starts, pos)
        return self.starts[i] - 1 if i < len(self.starts) else len(self.text)

    def begins_line(self, pos: int) -> bool:
        ls = self.start_of(pos)
        if pos - ls > 16:
            return False
        m = self.prefix.match(self.text, ls, pos)
        return m is not None and m.end() == pos


def find_candidates(text: str, rules: Rules, lines: Lines) -> list[Candidate]:
    """All label candidates of every style, in document order (one per position)."""
    found: dict[int, Candidate] = {}
    for style in rules.styles:
        after = 0
        header = rules.headers.get(style.name)
        if header is not None:
            h = header.search(text)
            if h is None:
                continue
            after = h.end()
        for m in style.find(text):
            written = canonical_number(style.kind, m.group("n"))
            n = number_value(style.kind, written)
            if n is None or m.start() in found or m.start() < after:
                continue
            end = m.end()
            while end > m.start() and text[end - 1].isspace():  # table cells: '1 '
                end -= 1
            found[m.start()] = Candidate(m.start(), end, style, n, written,
                                         lines.begins_line(m.start()))
    cands = [found[k] for k in sorted(found)]
    runin = _runin_rows(text, rules, cands)
    if not runin:
        return _confirmed(cands)
    glued = [c for c in runin.values() if c.start not in found]
    if glued:
        cands = sorted(cands + glued, key=lambda c: c.start)
    return _confirmed(cands, frozenset(runin))


def _runin_rows(text: str, rules: Rules, cands: list[Candidate]) -> dict[int, Candidate]:
    """The rows of tables whose line breaks were lost, by start.

    A page scraped with every break turned into a space runs its table on one line:
    ``序号 政策名称 支持内容 责任单位 1 外贸稳增长奖励 对… 市商务局 2 …``. After a header
    cell of ``tables.runin_header`` (序号), a run 1, 2, 3, … of at least ``runin_rows_min``
    rows of its style counts even though no row begins a line; a stray number between two
    rows (``对 3 家``) is skipped, not taken for a row. A row whose number lost its spaces
    (normalize reads ``市商务局 7 个转企奖励`` as a count, 7个) is found glued between the
    cells: the last ``局7个`` between rows 6 and 8 that a Han character follows.
    """
    out: dict[int, Candidate] = {}
    if not rules.runin_headers:
        return out
    reach = int(rules.setting("runin_header_reach", 200))
    least = int(rules.setting("runin_rows_min", 3))
    for style, header in rules.runin_headers.items():
        rows = [c for c in cands if c.style.name == style]
        if not rows:
            continue
        for h in header.finditer(text):
            first = next((k for k, c in enumerate(rows)
                          if h.end() <= c.start <= h.end() + reach), None)
            if first is None or rows[first].n != 1:
                continue
            run = [rows[first]]
            for c in rows[first + 1:]:
                want = run[-1].n + 1
                if c.n == want + 1:
                    lost = _glued_row(text, run[-1], c, want)
                    if lost is not None:
                        run.append(lost)
                if c.n == run[-1].n + 1:
                    run.append(c)
            run.extend(_glued_tail(text, run))
            if len(run) >= least:
                out.update((c.start, c) for c in run)
    return out


def _glued_tail(text: str, run: list[Candidate]) -> list[Candidate]:
    """Rows glued to a count after the last row found (``… 0979-8417788 10个体工商户社保补贴 …
    11个转企奖励 …``, the end of a cut page): each must follow a space, where normalize kept
    the cell boundary, within twice the longest row so far (prose after a table that
    mentions ``于10个工作日内`` is no row)."""
    out: list[Candidate] = []
    reach = 2 * max((b.start - a.start for a, b in zip(run, run[1:], strict=False)), default=0)
    last = run[-1]
    while True:
        n = last.n + 1
        m = glued_number(n).search(text, last.end, min(len(text), last.end + reach))
        if m is None or not text[m.start() - 1].isspace():
            return out
        last = _glued_candidate(m, last.style, n)
        out.append(last)


@lru_cache(maxsize=256)
def glued_number(n: int) -> regex.Pattern[str]:
    """Row number ``n`` of a run-in table glued between two cells (``…保障局7个体工商户…``,
    ``…(按职责分工)8“小升规”…``, ``…0979-8417788 10个体工商户…``): after a Han character, a
    closing bracket or a space, before a Han character (not the unit of a sum or a date: 10万元,
    10月) or an opening quote (also read by extract/units.py)."""
    return regex.compile(rf"(?<=\p{{Han}}|[)）]|[\x20\u3000]){n}(?![万亿千百元年月日号时倍])(?=\p{{Han}}|[“【])")


def _glued_row(text: str, prev: Candidate, nxt: Candidate, n: int) -> Candidate | None:
    """Row ``n`` glued between two cells, the last such between rows prev and nxt."""
    found = list(glued_number(n).finditer(text, prev.end, nxt.start))
    if not found:
        return None
    return _glued_candidate(found[-1], prev.style, n)


def _glued_candidate(m: regex.Match[str], style: Style, n: int) -> Candidate:
    """The row label ``n`` that ``glued_number`` found (it begins no line)."""
    return Candidate(m.start(), m.end(), style, n, str(n), False)


def _confirmed(cands: list[Candidate], runin: frozenset[int] = frozenset()) -> list[Candidate]:
    """Keep candidates of 'confirm' styles (table rows) only inside a run of rows.

    A row is kept when the previous or next candidate of its style carries the
    neighbouring number, and it or the row after it begins a line (the first row of a
    table may share its line with a category cell: ``财政资金支持(共48项) 1 建立…``), or
    when it is a row of a table run in on one line (``runin``: starts).
    """
    rows: dict[str, list[int]] = {}
    for i, c in enumerate(cands):
        if c.style.confirm:
            rows.setdefault(c.style.name, []).append(i)
    if not rows:
        return cands
    drop: set[int] = set()
    spans: list[tuple[int, int]] = []
    for idx in rows.values():
        mine = [i for i in idx if cands[i].start in runin]
        if mine:
            spans.append((min(mine), max(mine)))
    for idx in rows.values():
        for k, i in enumerate(idx):
            c = cands[i]
            if c.start in runin:
                continue
            if any(lo < i < hi for lo, hi in spans):  # a stray number inside a run-in table
                drop.add(i)
                continue
            prev = cands[idx[k - 1]] if k > 0 else None
            nxt = cands[idx[k + 1]] if k + 1 < len(idx) else None
            after = nxt is not None and nxt.n == c.n + 1
            before = prev is not None and prev.n == c.n - 1
            if not ((after or before) and (c.line_start or (after and nxt.line_start))):
                drop.add(i)
    return [replace(c, runin_row=True) if c.start in runin else c
            for i, c in enumerate(cands) if i not in drop]


def find_marks(text: str, rules: Rules) -> list[Mark]:
    """Chapter headings, body ends, signature dates and closing furniture, in document order."""
    out = [Mark(m.start("at") if "at" in m.re.groupindex else m.start(), role, name, kind)
           for role, name, kind, find in rules.marks for m in find(text)]
    return sorted(out, key=lambda k: k.start)
