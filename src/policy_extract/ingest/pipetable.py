"""Markdown pipe tables read as table rows, the way HTML tables are.

PDF-to-markdown converters and 惠企政策清单 pages write tables as ``| 序号 | 事项 | 标准 | 责任单位 |``
lines under a ``| --- | --- |`` delimiter row. Each row becomes one line of its non-empty
cells, one space apart (the segmenter reads a numbered first cell as a table-row label); the
delimiter row goes; a cell under a responsible-unit header (``责任单位``) gets that word and a
colon in front, like a field line, and a cell under a category header (``政策类别``) is
written as a tag, ``【产业基地】``. Every kept character keeps its index in the raw file; a
separator or label stands for the pipe that opens its cell.
"""
from __future__ import annotations

import re
from array import array
from collections.abc import Iterable

from ..normalize.opencc_facts import converter
from .html import header_word

# a table line: starts with "|" (after a little indentation, 　　 of a retyped page too) and holds another "|"
_ROW = re.compile(r"[ \t\u3000]{0,4}\|[^\n]*\|[ \t\r]*")  # (a Word export ends lines with \r\n)
# the delimiter row under the header: | --- | :---: | ---: |
_DELIM = re.compile(r"[ \t\u3000]{0,4}\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+(?:[ \t]*:?-{3,}:?[ \t]*)?\r?")
PIPE = re.compile(r"(?<!\\)\|")  # a cell boundary (not an escaped \|)
_BR = re.compile(r"\s*<br\s*/?>\s*|[ \t]*\r?\n[ \t]*", re.I)  # a line break inside a cell
# a row a converter wrapped inside a cell: | 3 | 市级工程技术研究中心 | ⏎ 20万元 | (the second line
# opens with no pipe and closes with one)
_ROW_START = re.compile(r"[ \t\u3000]{0,4}\|[^\n]*")
_ROW_END = re.compile(r"[ \t]*[^|\s][^\n]*\|[ \t\r]*")
_LATIN = re.compile(r"[A-Za-z]")
# a name cell: short, no sentence or clause mark (水果基地建设, not 按…的30%给予奖励，最高…)
_NAME_MAX = 20
_SENTENCE = re.compile(r"[，,。；;：:！？!?]")


def split_lines(body: str) -> tuple[list[str], list[int]]:
    """The lines of ``body`` and the index where each one starts."""
    lines = body.split("\n")
    starts = [0]
    for ln in lines[:-1]:
        starts.append(starts[-1] + len(ln) + 1)
    return lines, starts


def has_pipe_table(text: str) -> bool:
    """Does ``text`` hold a header row followed by a delimiter row?"""
    if "|" not in text or "---" not in text:
        return False
    lines = text.split("\n")
    return any(_DELIM.fullmatch(lines[i]) and _ROW.fullmatch(lines[_prev_filled(lines, i)])
               for i in range(1, len(lines)))


def _prev_filled(lines: list[str], i: int) -> int:
    """The last line before ``i`` that is not blank (a page retyped with a blank line after
    every line keeps its table: | 序号 | … | ⏎⏎ | --- | … |), or ``i - 1``."""
    k = i - 1
    while k > 0 and not lines[k].strip():
        k -= 1
    return k


def _next_filled(lines: list[str], i: int) -> int:
    """The first line at or after ``i`` that is not blank (len(lines) when none is)."""
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i


def pipe_tables(body: str, body_map: array, unit_headers: Iterable[str] = (),
                category_headers: Iterable[str] = ()) -> tuple[str, array, list[int]]:
    """(body, body_map, raw offsets of the line breaks that end table rows: hard breaks)."""
    if not has_pipe_table(body):
        return body, body_map, []
    headers = frozenset(unit_headers)
    categories = frozenset(category_headers)
    lines, starts = split_lines(body)
    parts: list[str] = []
    offs = array("l")
    breaks: list[int] = []
    pos = 0  # body index copied up to
    i = 0
    prev_head: tuple[str, ...] | None = None  # the header row of the table before
    while i < len(lines):
        d = _next_filled(lines, i + 1)
        if not (d < len(lines) and _ROW.fullmatch(lines[i]) and _DELIM.fullmatch(lines[d])):
            i += 1
            continue
        j = d + 1
        width = len(PIPE.findall(lines[i]))
        rows: list[tuple[int, int]] = []  # (first line, last line) of each body row
        while j < len(lines):
            if (j + 1 < len(lines) and _ROW_START.fullmatch(lines[j])
                    and _ROW_END.fullmatch(lines[j + 1])
                    and len(PIPE.findall(lines[j])) < width
                    and len(PIPE.findall(lines[j])) + len(PIPE.findall(lines[j + 1])) == width):
                rows.append((j, j + 1))  # a row wrapped inside a cell: one row of two lines
                j += 2
            elif _ROW.fullmatch(lines[j]):
                rows.append((j, j))
                j += 1
            elif (k := _next_filled(lines, j)) > j and k < len(lines) and _ROW.fullmatch(lines[k]):
                j = k  # blank lines between two rows (a retyped page): the table goes on
            else:
                break
        # copy what precedes the table, then the rows (the delimiter row dropped)
        parts.append(body[pos:starts[i]])
        offs.extend(body_map[pos:starts[i]])
        labels: dict[int, str] = {}
        tags: set[int] = set()
        table = [(k, last, _cells(body, starts[k], starts[last] + len(lines[last])))
                 for k, last in ((i, i), *rows)]  # every row's cells, read once
        for k, last, cells in table:
            if k == i:
                labels = {c: w for c, (a, b, _) in enumerate(cells)
                          if (w := header_word(body[a:b], headers))}
                tags = {c for c, (a, b, _) in enumerate(cells) if header_word(body[a:b], categories)}
                tags = {c for c in tags if groups_rows(body, [t[2] for t in table[1:]], c)}
                head = _header_key(body, cells)
                repeated, prev_head = head == prev_head, head
                if repeated:
                    continue  # the header repeated after a page break: the table goes on
            render_row(body, body_map, cells, labels if k != i else {}, parts, offs,
                    tags if k != i else set())
            end = starts[last] + len(lines[last])
            if end < len(body):  # the row's own line break
                parts.append("\n")
                offs.append(body_map[end])
                breaks.append(body_map[end])
        pos = starts[j] if j < len(lines) else len(body)
        i = j
    parts.append(body[pos:])
    offs.extend(body_map[pos:])
    return "".join(parts), offs, breaks


def _header_key(body: str, cells: list[tuple[int, int, int]]) -> tuple[str, ...]:
    """A header row's cells as compared with the next table's (in simplified script: a mirror
    converts part of a page, 序號 … 責任單位 repeats 序号 … 责任单位)."""
    t2s = converter("t2s")
    return tuple(t2s.convert(body[a:b]) for a, b, _ in cells)


def groups_rows(body: str, rows: list[list[tuple[int, int, int]]], col: int) -> bool:
    """Does column ``col`` group the rows (a cell left empty under its group's first row, or
    repeated down the group)? A column under a category header whose every row names its own
    thing (| 1 | 首台（套）研制奖励 | 按…给予奖励 |) is the rows' name, no category (batch 44 J2)."""
    values, names = [], []
    for cells in rows:
        values.append(body[cells[col][0]:cells[col][1]] if col < len(cells) else "")
        names.append(body[cells[col + 1][0]:cells[col + 1][1]] if col + 1 < len(cells) else "")
    if len(values) < 2:
        return True
    if any(not v for v in values[1:]) or any(a == b for a, b in zip(values, values[1:], strict=False)):
        return True
    # every row its own category: still tags when a name column follows (| 产业基地 | 水果基地建设 |)
    return all(0 < len(n) <= _NAME_MAX and not _SENTENCE.search(n) for n in names)


def _cells(body: str, start: int, end: int) -> list[tuple[int, int, int]]:
    """(text start, text end, opening pipe) of each cell of the row ``body[start:end]``."""
    pipes = [m.start() for m in PIPE.finditer(body, start, end)]
    out = []
    for a, b in zip(pipes, pipes[1:], strict=False):
        s, e = a + 1, b
        while s < e and body[s].isspace():
            s += 1
        while e > s and body[e - 1].isspace():
            e -= 1
        out.append((s, e, a))
    return out


def render_row(body: str, body_map: array, cells: list[tuple[int, int, int]],
            labels: dict[int, str], parts: list[str], offs: array, tags: set[int]) -> None:
    """One row as a line: non-empty cells one space apart, unit cells labelled, category
    cells (after the first cell) written as tags."""
    first = True
    for c, (s, e, pipe) in enumerate(cells):
        if s == e:
            continue
        tag = c in tags and not first and not any(ch.isspace() for ch in body[s:e])
        if not first:
            parts.append(" ")
            offs.append(body_map[pipe])
        first = False
        label = labels.get(c)
        if label and not body.startswith(label, s):
            parts.append(label + "：")
            offs.extend([body_map[pipe]] * (len(label) + 1))
        if tag:
            parts.append("【")
            offs.append(body_map[s])
        pos = s
        for m in _BR.finditer(body, s, e):  # 区财政局<br>区商务局: a line break in the cell
            parts.append(body[pos:m.start()])
            offs.extend(body_map[pos:m.start()])
            if "<" in m.group() or (_LATIN.match(body, m.start() - 1) and _LATIN.match(body, m.end())):
                parts.append(" ")
                offs.append(body_map[m.start()])  # the space stands for the <br>
            # (a converter's wrap inside a cell, 首次突破50亿⏎元, joins without a space)
            pos = m.end()
        parts.append(body[pos:e])
        offs.extend(body_map[pos:e])
        if tag:
            parts.append("】")
            offs.append(body_map[e - 1])
