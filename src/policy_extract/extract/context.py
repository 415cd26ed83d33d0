"""Zones of the text that no amount, percentage or date may come from (GUIDELINES, general rules).

《》 titles of other documents (with 〈〉 nested inside) and document numbers. The notice's own
title is not excluded: its dates count.
"""
from __future__ import annotations

import regex

from ..document import Doc
from ..patterns.engine import Pack, Pattern

_PAIRS = {"《": "》", "〈": "〉", "<": ">"}
_TITLE_MARK = regex.compile(r"[《》]")
_MAX_TITLE_LINES = 2  # an unclosed 《 is dropped at the third line break after it


def title_spans(text: str) -> list[tuple[int, int]]:
    """Spans of 《…》 (outermost), tolerating nested 〈〉/《》 and an unclosed bracket at a line end.

    Visits only the brackets (not every character): an open 《 is forgotten at the third
    line break after it, so an unclosed one does not swallow the rest of the document.
    """
    spans: list[tuple[int, int]] = []
    if "《" not in text:
        return spans
    depth = 0
    start = 0
    reset_at = -1  # index of the line break that closes an unclosed 《 (-1: none ahead)
    for m in _TITLE_MARK.finditer(text):
        i = m.start()
        if depth and 0 <= reset_at < i:
            depth = 0
        if text[i] == "《":
            if depth == 0:
                start = i
                reset_at = _nth_newline(text, start, _MAX_TITLE_LINES + 1)
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    return spans


def _nth_newline(text: str, start: int, n: int) -> int:
    """Index of the ``n``-th line break at or after ``start``, or -1."""
    i = start - 1
    for _ in range(n):
        i = text.find("\n", i + 1)
        if i < 0:
            return -1
    return i


def exclusion_zones(doc: Doc) -> list[tuple[int, int]]:
    """All excluded spans of ``doc.text``: 《》 titles and pattern-file exclusions (doc numbers)."""
    zones = title_spans(doc.text)
    if doc.pack is not None:
        for pat in doc.pack.patterns("common"):
            if pat.attrs.get("kind") == "exclusion" and pat.compiled is not None:
                zones.extend(exclusion_matches(doc.pack, pat, doc.text))
    return sorted(zones)


def exclusion_matches(pack: Pack, pat: Pattern, text: str) -> list[tuple[int, int]]:
    """Spans of ``pat`` in ``text``, as ``finditer`` finds them.

    With an ``anchor`` the full regex runs only in a window around each anchor hit (a
    document number's ``〔2024〕``) instead of being tried at every Han character.
    """
    assert pat.compiled is not None
    anchor_src = pat.attrs.get("anchor")
    if not anchor_src:
        return [m.span() for m in pat.compiled.finditer(text)]
    anchor = pack.compile(pat.field, str(anchor_src))
    before = int(pat.attrs.get("anchor_before", 0))
    after = int(pat.attrs.get("anchor_after", 0))
    spans: list[tuple[int, int]] = []
    pos = 0
    for a in anchor.finditer(text):
        if a.start() < pos:
            continue
        m = pat.compiled.search(text, max(pos, a.start() - before), a.end() + after)
        if m is not None and m.start() <= a.start() and m.end() >= a.end():
            spans.append(m.span())
            pos = m.end()
    return spans
