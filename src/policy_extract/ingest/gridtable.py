"""Pandoc grid tables rewritten as pipe tables, so ``pipetable.py`` reads their rows.

A DOCX converted by pandoc writes a table as a grid: ``+-----+-----+`` rule lines around each
row, a ``+=====+`` line under the header, and a long cell wrapped over several ``|``-lines of
one row (``| 第三档 | 1000万美元至5000万美 |`` / ``|        | 元                     |``). Read
line by line, a wrapped cell cuts a sum in two. Here each row between two rule lines becomes
one pipe-table line whose cells are the pieces of each column joined (``1000万美元至5000万美元``),
and the header's rule becomes the ``| --- |`` delimiter row. Every kept character keeps its
index in the raw file; a written pipe stands for the pipe that opens its cell, the delimiter
row for the header rule.
"""
from __future__ import annotations

import re
from array import array

from .pipetable import PIPE, split_lines

_RULE = re.compile(r"[ \t]{0,3}\+(?:[-=:]+\+)+[ \t\r]*")  # +----+----+ or +====+====+
_GRID_ROW = re.compile(r"[ \t]{0,3}\|[^\n]*\|[ \t\r]*")
_LATIN_END = re.compile(r"[A-Za-z0-9]$")
_LATIN_START = re.compile(r"^[A-Za-z0-9]")


def has_grid_table(text: str) -> bool:
    """Does ``text`` hold a rule line followed by a grid row?"""
    if "+-" not in text and "+=" not in text:
        return False
    lines = text.split("\n")
    return any(_RULE.fullmatch(lines[i]) and _GRID_ROW.fullmatch(lines[i + 1])
               for i in range(len(lines) - 1))


def grid_tables(body: str, body_map: array) -> tuple[str, array]:
    """(body, body_map) with every grid table rewritten as a pipe table."""
    if not has_grid_table(body):
        return body, body_map
    lines, starts = split_lines(body)
    parts: list[str] = []
    offs = array("l")

    def copy(a: int, b: int) -> None:
        parts.append(body[a:b])
        offs.extend(body_map[a:b])

    pos = 0
    i = 0
    while i < len(lines):
        if not (_RULE.fullmatch(lines[i]) and i + 1 < len(lines) and _GRID_ROW.fullmatch(lines[i + 1])):
            i += 1
            continue
        ncols = lines[i].count("+") - 1
        rows: list[tuple[int, int]] = []  # (first, end) physical lines of each row
        j = i + 1
        while j < len(lines):  # rows of physical lines, each closed by a rule line
            k = j
            while k < len(lines) and _GRID_ROW.fullmatch(lines[k]):
                k += 1
            if k == j or k >= len(lines) or not _RULE.fullmatch(lines[k]):
                break  # not a row closed by a rule: the grid ends before it
            rows.append((j, k))
            j = k + 1
        if not rows:
            i += 1
            continue
        copy(pos, starts[i])
        for first, end in rows:
            _row(body, body_map, starts, lines, first, end, ncols, parts, offs)
            if "=" in lines[end]:  # the header's rule: a pipe table's delimiter row
                parts.append("| " + " | ".join("---" for _ in range(ncols)) + " |\n")
                offs.extend([body_map[starts[end]]] * len(parts[-1]))
        last = rows[-1][1]  # the rule closing the last row: what follows it is copied
        pos = min(starts[last] + len(lines[last]) + 1, len(body))
        i = last + 1
    copy(pos, len(body))
    return "".join(parts), offs


def _row(body: str, body_map: array, starts: list[int], lines: list[str], j: int, k: int,
         ncols: int, parts: list[str], offs: array) -> None:
    """Write the row of physical lines ``lines[j:k]`` as one pipe-table line: the pieces of a
    column, cut at each line's own pipes (a wide character fills two display columns, so the
    rule's ``+`` positions are no character indexes), joined."""
    cells: list[list[tuple[int, int]]] = [[] for _ in range(ncols)]  # body spans per column
    for n in range(j, k):
        pipes = [starts[n] + m.start() for m in PIPE.finditer(lines[n])]
        for c in range(min(ncols, len(pipes) - 1)):
            a, b = pipes[c] + 1, pipes[c + 1]
            while a < b and body[a].isspace():
                a += 1
            while b > a and body[b - 1].isspace():
                b -= 1
            if b > a:
                cells[c].append((a, b))
    first = [starts[j] + m.start() for m in PIPE.finditer(lines[j])]
    for c in range(ncols):
        parts.append("| " if c == 0 else " | ")
        offs.extend([body_map[first[min(c, len(first) - 1)]]] * len(parts[-1]))
        prev = ""
        for a, b in cells[c]:
            if prev and _LATIN_END.search(prev) and _LATIN_START.match(body[a]):
                parts.append(" ")
                offs.append(body_map[a])
            parts.append(body[a:b])
            offs.extend(body_map[a:b])
            prev = body[a:b]
    parts.append(" |\n")
    offs.extend([body_map[first[-1]]] * 3)
