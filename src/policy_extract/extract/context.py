"""Zones of the text that no amount, percentage or date may come from (GUIDELINES, general rules).

《》 titles of other documents (with 〈〉 nested inside) and document numbers. The notice's own
title is not excluded: its dates count.
"""
from __future__ import annotations

from ..document import Doc

_PAIRS = {"《": "》", "〈": "〉", "<": ">"}


def title_spans(text: str) -> list[tuple[int, int]]:
    """Spans of 《…》 (outermost), tolerating nested 〈〉/《》 and an unclosed bracket at a line end."""
    spans: list[tuple[int, int]] = []
    depth = 0
    start = 0
    for i, c in enumerate(text):
        if c == "《":
            if depth == 0:
                start = i
            depth += 1
        elif c == "》" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
        elif c == "\n" and depth and text[start:i].count("\n") >= 2:
            depth = 0  # an unclosed 《 does not swallow the rest of the document
    return spans


def exclusion_zones(doc: Doc) -> list[tuple[int, int]]:
    """All excluded spans of ``doc.text``: 《》 titles and pattern-file exclusions (doc numbers)."""
    zones = title_spans(doc.text)
    if doc.pack is not None:
        for pat in doc.pack.patterns("common"):
            if pat.attrs.get("kind") == "exclusion" and pat.compiled is not None:
                zones.extend(m.span() for m in pat.compiled.finditer(doc.text))
    return sorted(zones)
