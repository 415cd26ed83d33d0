"""Two-column pages: read the left column, then the right one.

A PDF page set in two columns often comes out of text extraction merged line by line: each
line holds a piece of the left column, a run of spaces, and a piece of the right column
(``对以大连港为母港的国际邮轮，每航次      对新建游艇泊位，按每个泊位3—5万元给予``). Read
as it stands, every sentence is cut in two and numbers of the two columns are glued
together when lines are rejoined. This step finds such blocks and writes the left pieces
first, then the right ones; a column's lines run on into one another (a column is narrow:
its lines are wrapped prose) unless a line ends a sentence or the next opens with a label.

A block is at least ``column_min_lines`` consecutive lines, each with one run of at least
``column_min_gap`` spaces whose end (the right column's start) stands at the same display
column (within ``column_slack``); at least two of its lines are full on both sides (at least
``column_min_side`` display columns of text left and right of the gap, the left sides of
nearly equal width: a column of wrapped prose, not a table of short cells).

The offsets of a block's characters then run left column first: they are no longer
monotonic inside it (``Normalized.to_source`` maps a span over both columns to the range
it covers).
"""
from __future__ import annotations

import re

from .join import runs_on, width
from .offsets import Buf, Piece, StepLog
from .rules import Rules

_GAP = re.compile(r"(?<=\S)[ \u3000]{3,}(?=\S)")


def _split(line: str, min_gap: int) -> tuple[int, int] | None:
    """(start, end) of the line's one inner space run of at least ``min_gap``, else None."""
    gaps = [m.span() for m in _GAP.finditer(line) if m.end() - m.start() >= min_gap]
    return gaps[0] if len(gaps) == 1 else None


def split_columns(buf: Buf, rules: Rules, log: StepLog) -> Buf:
    """Rewrite each two-column block as its left column, then its right column."""
    text = buf.text
    if "   " not in text and "\u3000\u3000\u3000" not in text:
        return buf  # no gap of three spaces: no column (nearly every text)
    min_gap = int(rules.setting("column_min_gap", 3))
    min_lines = int(rules.setting("column_min_lines", 3))
    slack = int(rules.setting("column_slack", 4))
    min_side = int(rules.setting("column_min_side", 12))
    lines = text.split("\n")
    starts, pos = [], 0
    for ln in lines:
        starts.append(pos)
        pos += len(ln) + 1
    cuts = [_split(ln, min_gap) for ln in lines]
    blocks: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        cut = cuts[i]
        if cut is None:
            i += 1
            continue
        col = width(lines[i][:cut[1]])
        j = i + 1
        while j < len(lines) and cuts[j] is not None and abs(
                width(lines[j][:cuts[j][1]]) - col) <= slack:
            j += 1
        if j - i >= min_lines and _prose(lines, cuts, i, j, min_side, slack):
            blocks.append((i, j))
        i = j
    if not blocks:
        return buf
    pieces: list[Piece] = []
    done = 0  # index in text up to which pieces are written
    offs = buf.offs
    for i, j in blocks:
        first = starts[i]
        if first > done:
            pieces.append((done, first))
        for side in (0, 1):
            prev = ""
            for k in range(i, j):
                a, b = cuts[k]  # type: ignore[misc]
                s = starts[k]
                lo, hi = (s, s + a) if side == 0 else (s + b, s + len(lines[k]))
                piece = text[lo:hi]
                if k > i and not runs_on(prev, piece, rules):
                    pieces.append(("\n", offs[s + a]))  # the gap stands for the line break
                pieces.append((lo, hi))
                prev = piece
            if side == 0:
                pieces.append(("\n", offs[starts[i] + cuts[i][1] - 1]))  # type: ignore[index]
        done = starts[j - 1] + len(lines[j - 1])
        log.add(f"{lines[i][:12]}… ({j - i} lines)", text="\n".join(lines[i:j]))
    pieces.append((done, len(text)))
    return buf.build(pieces)


def _prose(lines: list[str], cuts: list[tuple[int, int] | None], i: int, j: int,
           min_side: int, slack: int) -> bool:
    """Do at least two lines of the block hold wrapped prose on both sides of the gap?"""
    full = []
    for k in range(i, j):
        a, b = cuts[k]  # type: ignore[misc]
        left, right = width(lines[k][:a]), width(lines[k][b:])
        if left >= min_side and right >= min_side:
            full.append(left)
    if len(full) < min(3, j - i):
        return False  # (a short block with a line not full is a table of names and sums)
    top = max(full)
    return sum(1 for w in full if top - w <= slack) >= 2
