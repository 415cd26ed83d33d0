"""Tables scraped one cell per line, read as table rows (as HTML and pipe tables are).

A page scrape of an HTML table (惠企政策清单, 政策事项清单) often returns every cell on a line of
its own: ``序号`` / ``政策名称`` / ``政策内容`` / ``责任单位`` / ``1`` / ``工业企业稳产满产奖励`` /
``对…给予奖励。`` / ``市工信局、市财政局`` / ``2`` / …. Read as text, the joiner glues a cell
that holds a comma to the cells after it, and no row number stands at a line start. Here such a
table is found by its header (three or more short word lines, one of them a column word such
as ``政策名称`` or ``责任单位``, right before a line ``1``) and its rows by their numbers counting
up; each row becomes one line of its cells, one space apart, with the unit and category columns
marked as the other table readers mark them. The header may lack the number column (the
numbers are then an extra first cell), and may open with a category column (``政策类别``),
whose cell stands only before the first row of its group (``减轻经营负担`` / ``1`` / …): it is
written as a tag after that row's number (``1 【减轻经营负担】 减免房屋租金 …``), so the row
still opens with its number; those characters map back to the cell before the number, as a
rowspan cell's repetition does. A table may also group its rows under a row of one cell
spanning the columns (``一、稳工业`` / ``1`` / … / ``二、促消费`` / ``4`` / …): such a row is a
numbered heading without sentence marks (``normalize.yaml`` ``table_group_row``), standing
before the first row or between two rows; it stays a line of its own, so the rows after it
are measures under it. Every kept character keeps its raw index; a
separator or label stands for the line break before its cell. The last row of a page cut off
mid-table keeps what it has.
"""
from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import regex

from .html import header_word
from .pipetable import groups_rows, render_row

_HEADER_CELL = re.compile(r"[^\W\d_]{1,12}")  # a header cell: a short word (no digit, no mark)
_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")  # ingest runs before half-width
_MAX_HEADER = 12  # a table with more columns than this is not one a scrape writes this way
# a note under a table (ingest runs before t2s: a mirror's 說明 too)
_NOTE = re.compile(r"(?:注|註|备注|備註|说明|說明)\s*[0-9０-９一二三四五六七八九十]?\s*[:：]")


AnyPattern = re.Pattern[str] | regex.Pattern[Any]


@dataclass
class _Row:
    lines: list[int]  # the number's line, then the lines of its cells
    group: int | None = None  # the line of its category cell (the first row of a group)
    heading: int | None = None  # the line of a group row before it (一、稳工业)


@dataclass
class _Table:
    head: list[int]  # the header's lines
    after: list[str]  # the header words of the columns after the number column
    rows: list[_Row]
    closed: bool = False  # a note under the table ends its last row (no page cut it off)
    cats: tuple[int, ...] = ()  # columns (indexes into ``after``) under a category header


@dataclass(frozen=True)
class TableWords:
    """The header words a cell table is recognised by, compiled once per pattern pack."""

    words: frozenset[str]  # every header word: one of them opens a header
    units: frozenset[str]  # a responsible-unit column (责任单位)
    categories: frozenset[str]  # a category column (政策类别)
    numbers: frozenset[str]  # the row-number column (序号)
    any_line: re.Pattern[str] | None  # a line holding one header word alone
    organ: re.Pattern[str] | None  # a cell that is one organ's name (市地方金融管理局)
    # a pinyin annotation (責(zé)任單位): tables are read before the normalizer removes them,
    # so a header cell is compared without its annotations
    annotation: AnyPattern | None = None
    group_row: AnyPattern | None = None  # a row of one cell grouping the rows after it

    @classmethod
    def of(cls, column_words: Iterable[str], unit_headers: Iterable[str] = (),
           category_headers: Iterable[str] = (), number_headers: Iterable[str] = (),
           organ_suffixes: Iterable[str] = (), annotation: AnyPattern | None = None,
           group_row: AnyPattern | None = None) -> TableWords:
        units, categories = frozenset(unit_headers), frozenset(category_headers)
        numbers = frozenset(number_headers)
        words = frozenset(column_words) | units | categories | numbers
        return cls(words, units, categories, numbers, _one_line(words) if words else None,
                   _organ(frozenset(organ_suffixes)), annotation, group_row)

    def is_group_row(self, text: str) -> bool:
        """Whether a table line is a group row (一、稳工业), not a cell of a row."""
        return self.group_row is not None and self.group_row.fullmatch(text) is not None

    def plain(self, text: str) -> str:
        """``text`` without pinyin annotations (most texts have none: returned as is)."""
        if self.annotation is None or "(" not in text:
            return text
        return self.annotation.sub("", text)


def cell_tables(body: str, body_map: array, tw: TableWords) -> tuple[str, array, list[int]]:
    """(body, body_map, raw offsets of the line breaks that end table rows: hard breaks)."""
    if tw.any_line is None or tw.any_line.search(tw.plain(body)) is None:
        return body, body_map, []  # no line holds a column word alone: no such table (most texts)
    lines = body.split("\n")
    starts = [0]
    for ln in lines[:-1]:
        starts.append(starts[-1] + len(ln) + 1)
    spans = [_strip(body, starts[k], starts[k] + len(lines[k])) for k in range(len(lines))]

    def cell(k: int) -> tuple[int, int, int]:
        return (*spans[k], max(0, starts[k] - 1))  # its separator stands for the line break

    parts: list[str] = []
    offs = array("l")
    breaks: list[int] = []

    def end_line(k: int) -> None:
        brk = starts[k] + len(lines[k])
        if brk < len(body):
            parts.append("\n")
            offs.append(body_map[brk])
            breaks.append(body_map[brk])

    pos = 0  # body index copied up to
    i = 0
    while i < len(lines):
        table = _table(body, spans, i, tw)
        if table is None:
            i += 1
            continue
        parts.append(body[pos:starts[i]])
        offs.extend(body_map[pos:starts[i]])
        render_row(body, body_map, [cell(k) for k in table.head], {}, parts, offs, set())
        end_line(table.head[-1])
        last_k = table.head[-1]
        cat_tags = _category_tags(body, table, spans, cell)
        for n, row in enumerate(table.rows):
            if row.heading is not None:  # 一、稳工业: a line of its own, as written
                h = row.heading
                render_row(body, body_map, [cell(h)], {}, parts, offs, set())
                end_line(h)
            ks = [k for k in row.lines if spans[k][0] < spans[k][1]]
            cells = [cell(k) for k in ks]
            labels: dict[int, str] = {}
            # columns are known when the row has one cell per column after the number, or, in
            # a row followed by another (not one a page cut off), when the unit column closes
            # the header: the row's last cells are the unit cell
            if len(cells) - 1 == len(table.after):
                labels = {j + 1: w for j, w in enumerate(table.after) if w}
            elif n < len(table.rows) - 1 or table.closed:
                labels = _unit_run(body, cells, table.after, tw)
            tags = set(cat_tags) if len(cells) - 1 >= len(table.after) else set()
            if row.group is not None:  # 1 【减轻经营负担】 减免房屋租金 … (its offsets go back
                cells.insert(1, cell(row.group))  # to the cell before the number, as a rowspan's)
                labels = {c + 1: w for c, w in labels.items()}  # (0 is the number)
                tags = {1} | {t + 1 for t in tags}
            render_row(body, body_map, cells, labels, parts, offs, tags)
            last_k = max(row.lines[-1], row.group if row.group is not None else -1)
            end_line(last_k)
        end = last_k + 1
        pos = starts[end] if end < len(lines) else len(body)
        i = end
    if not breaks:
        return body, body_map, []
    parts.append(body[pos:])
    offs.extend(body_map[pos:])
    return "".join(parts), offs, breaks


def _category_tags(body: str, table: _Table, spans: list[tuple[int, int]],
                   cell: Callable[[int], tuple[int, int, int]]) -> set[int]:
    """The row cells (0: the number) written as tags: a column after the number under a
    category header (序号 / 政策类别 / 政策名称 / …) that groups the rows or is followed by a
    name column, read on the rows with a cell for each column (a unit cell broken over lines
    adds cells after it), as in a pipe table."""
    if not table.cats:
        return set()
    lined = [[cell(k) for k in row.lines if spans[k][0] < spans[k][1]] for row in table.rows]
    lined = [cells for cells in lined if len(cells) - 1 >= len(table.after)]
    return {j + 1 for j in table.cats if lined and groups_rows(body, lined, j + 1)}


def _unit_run(body: str, cells: list[tuple[int, int, int]], after: list[str],
              tw: TableWords) -> dict[int, str]:
    """The label of a row whose cells do not match its columns: more (a cell broken over
    lines by a ``<br>``): the organ lines before the columns that follow the unit column are
    the unit cell (… / 市工业和信息化局 / 市统计局 / 0856-5223146 under … 责任单位 / 联系电话);
    fewer (a merged or empty cell left out): the last organ line. A unit column before the
    last one (牵头单位 before 责任单位) keeps its one cell."""
    u = max((j for j, w in enumerate(after) if w), default=None)
    if u is None:
        return {}
    trailing = len(after) - 1 - u  # columns after the unit column (联系电话, 备注)
    end = len(cells) - trailing  # cells[end:] are those columns' cells; cells[0] is the number
    organ = tw.organ

    def is_organ(c: int) -> bool:  # (read without pinyin annotations: 政(zhèng)府)
        return organ is not None and organ.fullmatch(tw.plain(body[cells[c][0]:cells[c][1]])) is not None

    if len(cells) - 1 < len(after):
        # a row short of cells: a cell merged over rows (政策依据, written in its first row
        # only) or an empty cell (联系电话) the scrape left out. The unit cell is the last organ
        # line, with at most the trailing columns' cells after it (none of them an organ),
        # never right of its column, never the row's name cell
        k = next((c for c in range(len(cells) - 1, 1, -1) if is_organ(c)), None)
        if k is None or len(cells) - 1 - k > trailing or k > u + 1:
            return {}
        while k - 1 > 1 and is_organ(k - 1):
            k -= 1
        return {k: after[u]}
    if trailing and (end - 1 <= u or not is_organ(end - 1)
                     or any(is_organ(c) for c in range(end, len(cells)))):
        return {}  # the trailing cells do not line up: no labels rather than wrong ones
    k = end - 1
    while k - 1 > u and is_organ(k - 1):  # (市财政局 / 市地方金融管理局 stay together)
        k -= 1
    labels = {k: after[u]}
    # an earlier unit column (牵头单位 before 责任单位) is one line: the lines broken over are
    # the last unit column's (… / 市商务局 / 市财政局 / 各乡镇人民政府 / 2026年底前)
    for j, w in enumerate(after[:u]):
        if w and is_organ(j + 1):
            labels[j + 1] = w
    return labels


def _organ(suffixes: frozenset[str]) -> re.Pattern[str] | None:
    """A cell that is one organ's name (市地方金融管理局): a short run ending in a suffix."""
    if not suffixes:
        return None
    alts = "|".join(re.escape(w) for w in sorted(suffixes, key=len, reverse=True))
    # (a short bracket may follow: 各镇人民政府（街道办事处）)
    return re.compile(rf"[^\s，。；：,.;:]{{1,24}}(?:{alts})(?:[（(][^（）()\s]{{1,10}}[）)])?")


def _one_line(words: frozenset[str]) -> re.Pattern[str]:
    alts = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"^[^\S\n]*(?:{alts})[^\S\n]*$", re.M)


def _strip(body: str, start: int, end: int) -> tuple[int, int]:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


def _table(body: str, spans: list[tuple[int, int]], i: int, tw: TableWords) -> _Table | None:
    """The cell table whose header starts at line ``i``, else None."""
    words, units, categories, numbers = tw.words, tw.units, tw.categories, tw.numbers
    def text(k: int) -> str:
        return tw.plain(body[spans[k][0]:spans[k][1]])

    head: list[int] = []
    k = i
    while k < len(spans) and len(head) <= _MAX_HEADER + 1:
        t = text(k)
        if not t:
            k += 1
            continue
        if t.translate(_DIGITS) == "1" or not _HEADER_CELL.fullmatch(t):
            break
        head.append(k)
        k += 1
    heading = None
    if k < len(spans) and tw.is_group_row(text(k)):  # 一、稳工业 / 1 / …
        heading = k
        k = _next_filled(spans, k + 1)
    if k >= len(spans) or text(k).translate(_DIGITS) != "1" or not head or text(head[0]) not in words:
        return None  # (a header starts with a column word: the line before it is no cell)
    names = [text(h) for h in head]
    num = next((c for c, w in enumerate(names) if w in numbers), None)
    first_group = None
    grouped = bool(num) and all(header_word(w, categories) for w in names[:num])
    if grouped:
        # a category column before the number: the line right before 1 is the first
        # group's category cell, not a column
        first_group = head.pop()
        names.pop()
    if len(head) < 3 or len(head) > _MAX_HEADER:
        return None
    cols = names[(num + 1 if num is not None else 0):]
    after = [header_word(w, units) or "" for w in cols]
    cats = tuple(j for j, w in enumerate(cols) if header_word(w, categories))
    rows, headings, closed = _rows(body, spans, k, len(after) + (1 if grouped else 0),
                           lambda k: tw.is_group_row(text(k)))
    if not rows:
        return None
    out = [_Row(r, heading=h) for r, h in zip(rows, headings, strict=True)]
    out[0].group = first_group
    out[0].heading = heading
    if grouped:
        # a row holding one line more than its columns ends with the next group's category
        for r, nxt in zip(out, out[1:], strict=False):
            filled = [x for x in r.lines[1:] if spans[x][0] < spans[x][1]]
            if len(filled) == len(after) + 1:
                nxt.group = filled[-1]
                r.lines = [x for x in r.lines if x < filled[-1]]
        last = out[-1]
        filled = [x for x in last.lines[1:] if spans[x][0] < spans[x][1]]
        if len(filled) > len(after):  # the last row takes its own columns only
            last.lines = [x for x in last.lines if x < filled[len(after)]]
    return _Table(head, after, out, closed, cats)


def _next_filled(spans: list[tuple[int, int]], k: int) -> int:
    """The first non-blank line from ``k`` (``len(spans)`` when none)."""
    while k < len(spans) and spans[k][0] == spans[k][1]:
        k += 1
    return k


def _rows(body: str, spans: list[tuple[int, int]], k: int, width: int,
          is_group: Callable[[int], bool]
          ) -> tuple[list[list[int]], list[int | None], bool]:
    """The line indexes of each row from line ``k`` (a line ``1``), the group row before
    each (None for most), and whether a note under the table closes the last row: a row runs
    from its number to the line before the next number, or before a group row right before
    it; the last one to a note (注：…) when one follows, else it takes at most ``width``
    cells (a page may have cut it off)."""
    rows: list[list[int]] = []
    headings: list[int | None] = [None]
    closed = False
    n = 1
    def cell(k: int) -> str:  # a row number may be written in full-width digits (１)
        return body[spans[k][0]:spans[k][1]].translate(_DIGITS)

    while k < len(spans) and cell(k) == str(n):
        nxt = str(n + 1)
        m = k + 1
        # a cell may be broken over lines: a row may hold up to twice as many lines as cells
        # (blank lines not counted: a scrape may write one between every two cells)
        filled = 1
        heading = None
        while m < len(spans) and filled <= 2 * width + 1 and cell(m) != nxt:
            if spans[m][0] < spans[m][1]:
                if is_group(m):
                    after = _next_filled(spans, m + 1)
                    if after < len(spans) and cell(after) == nxt:
                        heading = m
                        break
                filled += 1
            m += 1
        if heading is not None:
            rows.append(list(range(k, heading)))
            headings.append(heading)
            k, n = _next_filled(spans, heading + 1), n + 1
            continue
        if m < len(spans) and cell(m) == nxt:
            rows.append(list(range(k, m)))
            headings.append(None)
            k, n = m, n + 1
            continue
        m = k + 1  # the last row: up to a note under the table (注：…), its lines broken as a
        filled = 1  # row's may be; else its number and up to ``width`` non-blank lines
        while m < len(spans) and filled <= 2 * width + 1 and not _NOTE.match(cell(m)):
            filled += spans[m][0] < spans[m][1]
            m += 1
        if m < len(spans) and filled <= 2 * width + 1:
            rows.append(list(range(k, m)))
            closed = True
            break
        last = [k]
        m = k + 1
        while m < len(spans) and len(last) <= width:
            if spans[m][0] < spans[m][1]:
                last.append(m)
            m += 1
        rows.append(list(range(k, last[-1] + 1)))
        break
    return rows, headings[:len(rows)], closed
