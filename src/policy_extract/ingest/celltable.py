"""Tables scraped one cell per line, read as table rows (as HTML and pipe tables are).

A page scrape of an HTML table (惠企政策清单, 政策事项清单) often returns every cell on a line of
its own: ``序号`` / ``政策名称`` / ``政策内容`` / ``责任单位`` / ``1`` / ``工业企业稳产满产奖励`` /
``对…给予奖励。`` / ``市工信局、市财政局`` / ``2`` / …. Read as text, the joiner glues a cell
that holds a comma to the cells after it, and no row number stands at a line start. Here such a
table is found by its header (a run of short word lines opening with ``序号``, right before a
line ``1``) and its rows by their numbers counting up; each row becomes one line of its cells,
one space apart, with the unit and category columns marked as the other table readers mark
them. Every kept character keeps its raw index; a separator or label stands for the line break
before its cell. The last row of a page cut off mid-table keeps what it has.
"""
from __future__ import annotations

import re
from array import array
from collections.abc import Iterable
from functools import lru_cache

from .html import header_word
from .pipetable import render_row

_HEADER_CELL = re.compile(r"[^\W\d_]{1,12}")  # a header cell: a short word (no digit, no mark)
_MAX_HEADER = 12  # a table with more columns than this is not one a scrape writes this way


def cell_tables(body: str, body_map: array, number_headers: Iterable[str],
                unit_headers: Iterable[str] = (), category_headers: Iterable[str] = ()
                ) -> tuple[str, array, list[int]]:
    """(body, body_map, raw offsets of the line breaks that end table rows: hard breaks)."""
    numbers = frozenset(number_headers)
    if not numbers or _number_line(numbers).search(body) is None:
        return body, body_map, []  # no line holds only 序号: no such table (most texts)
    units, categories = frozenset(unit_headers), frozenset(category_headers)
    lines = body.split("\n")
    starts = [0]
    for ln in lines[:-1]:
        starts.append(starts[-1] + len(ln) + 1)
    spans = [_strip(body, starts[k], starts[k] + len(lines[k])) for k in range(len(lines))]
    parts: list[str] = []
    offs = array("l")
    breaks: list[int] = []
    pos = 0  # body index copied up to
    i = 0
    while i < len(lines):
        header = _header(body, spans, i, numbers)
        if header is None:
            i += 1
            continue
        rows = _rows(body, spans, i + header, header - 1)
        parts.append(body[pos:starts[i]])
        offs.extend(body_map[pos:starts[i]])
        head = [(*spans[k], max(0, starts[k] - 1)) for k in range(i, i + header)]
        labels = {c: w for c, (a, b, _) in enumerate(head) if (w := header_word(body[a:b], units))}
        tags = {c for c, (a, b, _) in enumerate(head) if header_word(body[a:b], categories)}
        end = i + header
        for n, row in enumerate([list(range(i, i + header)), *rows]):
            cells = [(*spans[k], max(0, starts[k] - 1)) for k in row if spans[k][0] < spans[k][1]]
            # columns are known when the row has one cell per header, or, in a row followed by
            # another (not one a page cut off), when the unit column closes the header: the
            # row's last cell is the unit cell
            if n == 0:
                cols: dict[int, str] = {}
            elif len(cells) == header:
                cols = labels
            elif n < len(rows) and header - 1 in labels:
                cols = {len(cells) - 1: labels[header - 1]}
            else:
                cols = {}
            render_row(body, body_map, cells, cols, parts, offs,
                       tags if n and len(cells) == header else set())
            end = row[-1] + 1
            brk = starts[row[-1]] + len(lines[row[-1]])
            if brk < len(body):
                parts.append("\n")
                offs.append(body_map[brk])
                breaks.append(body_map[brk])
        pos = starts[end] if end < len(lines) else len(body)
        i = end
    if not breaks:
        return body, body_map, []
    parts.append(body[pos:])
    offs.extend(body_map[pos:])
    return "".join(parts), offs, breaks


@lru_cache(maxsize=8)
def _number_line(numbers: frozenset[str]) -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in sorted(numbers, key=len, reverse=True))
    return re.compile(rf"^[^\S\n]*(?:{words})[^\S\n]*$", re.M)


def _strip(body: str, start: int, end: int) -> tuple[int, int]:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


def _header(body: str, spans: list[tuple[int, int]], i: int, numbers: frozenset[str]) -> int | None:
    """The number of header lines when line ``i`` opens a cell table's header (``序号``, then
    two or more short word lines, then a line ``1``), else None."""
    a, b = spans[i]
    if body[a:b] not in numbers:
        return None
    k = i + 1
    while k < len(spans) and k - i <= _MAX_HEADER:
        a, b = spans[k]
        if body[a:b] == "1":
            return k - i if k - i >= 3 else None
        if not _HEADER_CELL.fullmatch(body, a, b):
            return None
        k += 1
    return None


def _rows(body: str, spans: list[tuple[int, int]], k: int, width: int) -> list[list[int]]:
    """The line indexes of each row from line ``k`` (a line ``1``): a row runs from its number
    to the line before the next number; the last one takes at most ``width`` cells."""
    rows: list[list[int]] = []
    n = 1
    while k < len(spans) and body[spans[k][0]:spans[k][1]] == str(n):
        nxt = str(n + 1)
        m = k + 1
        # a cell may be broken over lines: a row may hold up to twice as many lines as cells
        while m < len(spans) and m - k <= 2 * width + 1 and body[spans[m][0]:spans[m][1]] != nxt:
            m += 1
        if m < len(spans) and body[spans[m][0]:spans[m][1]] == nxt:
            rows.append(list(range(k, m)))
            k, n = m, n + 1
            continue
        last = [k]  # the last row: its number and up to ``width`` non-blank lines
        m = k + 1
        while m < len(spans) and len(last) <= width:
            if spans[m][0] < spans[m][1]:
                last.append(m)
            m += 1
        rows.append(list(range(k, last[-1] + 1)))
        break
    return rows
