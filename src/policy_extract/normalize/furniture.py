"""Line pass: strip every line, drop blank lines and whole lines of page furniture.

Furniture is removed a line at a time (breadcrumbs, share widgets, comment boxes, editor
lines, link lines; patterns in ``data/normalize.yaml``), never inside a body sentence. A
trailing list of short bullets after the article's last sentence (app ads, "read more"
links) goes too.
"""
from __future__ import annotations

import regex

from .offsets import Buf, Piece, StepLog
from .rules import Rules

_MAX_FURNITURE_LINE = 300  # longer lines are body text, not furniture
_BULLET = regex.compile(r"[-•·*]\s*\S")
_SENTENCE_END = regex.compile(r"[。！？!?」』”]$")
_BULLET_END = regex.compile(r"[。；;]$")


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, without its "\\n"."""
    spans, pos = [], 0
    while True:
        nl = text.find("\n", pos)
        if nl < 0:
            spans.append((pos, len(text)))
            return spans
        spans.append((pos, nl))
        pos = nl + 1


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] == " ":
        a += 1
    while b > a and text[b - 1] == " ":
        b -= 1
    return a, b


def furniture_name(line: str, rules: Rules) -> str | None:
    """The name of the furniture pattern the whole (stripped) line matches, if any."""
    if len(line) > _MAX_FURNITURE_LINE:
        return None
    for name, pat in rules.furniture:
        if pat.fullmatch(line):
            return name
    return None


def clean_lines(buf: Buf, rules: Rules, log: StepLog) -> Buf:
    """Strip lines, drop blank and furniture lines, join the rest with single "\\n"."""
    text = buf.text
    kept: list[tuple[int, int, int]] = []  # (start, end, index of the "\n" after it or -1)
    for a, b in line_spans(text):
        s, e = _strip(text, a, b)
        if s == e:
            continue
        line = text[s:e]
        name = furniture_name(line, rules)
        if name:
            log.add(line, pattern=name, text=line)
            continue
        kept.append((s, e, b if b < len(text) else -1))
    kept = _drop_tail_bullets(text, kept, rules, log)
    pieces: list[Piece] = []
    for i, (s, e, _nl) in enumerate(kept):
        if i:
            prev_nl = kept[i - 1][2]
            pieces.append((prev_nl, prev_nl + 1) if prev_nl >= 0 else ("\n", s))
        pieces.append((s, e))
    out = buf.build(pieces)
    return buf if out.text == buf.text else out


def _drop_tail_bullets(text: str, kept: list[tuple[int, int, int]], rules: Rules,
                       log: StepLog) -> list[tuple[int, int, int]]:
    """Drop short bullets that follow the article's last sentence (ads, link lists)."""
    limit = int(rules.setting("tail_bullet_max_len", 40))
    i = len(kept)
    while i > 0:
        s, e, _ = kept[i - 1]
        line = text[s:e]
        if not (_BULLET.match(line) and len(line) <= limit and not _BULLET_END.search(line)):
            break
        i -= 1
    if i == len(kept) or i == 0:
        return kept
    s, e, _ = kept[i - 1]
    if not _SENTENCE_END.search(text[s:e]):
        return kept
    for s, e, _ in kept[i:]:
        log.add(text[s:e], pattern="tail_bullets", text=text[s:e])
    return kept[:i]
