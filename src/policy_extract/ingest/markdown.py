"""Markdown markers out of the body: ``#`` heading marks, ``**bold**``, inline ``[text](url)``.

Only the markers go; the heading text stays on its own line and every kept character keeps
its index in the raw file. Lines made only of links are left whole for the normalizer's
furniture patterns to drop.
"""
from __future__ import annotations

from array import array

import regex

_HEADING = regex.compile(r"^[ \t]{0,3}#{1,6}[ \t]+|[ \t]+#+[ \t]*$|^[ \t]{0,3}#{1,6}$", regex.M)
_BOLD = regex.compile(r"\*\*(?=\S)|(?<=\S)\*\*|__(?=\S)|(?<=\S)__")
_QUOTE = regex.compile(r"^[ \t]{0,3}>[ \t]?", regex.M)
_LINK = regex.compile(r"(!?)\[([^\]\n]{0,200})\]\([^)\n]{0,500}\)")
_LINK_LINE = regex.compile(r"[ \t]*(?:!?\[[^\]\n]{0,200}\]\([^)\n]{0,500}\)[\s｜|/·,，、]*)+")
_SNIFF = regex.compile(r"^[ \t]{0,3}#{1,6}[ \t]+\S|\*\*\S[^\n]{0,200}?\*\*", regex.M)


def looks_like_markdown(text: str) -> bool:
    return bool(_SNIFF.search(text[:65536]))


def strip_markdown(body: str, body_map: array) -> tuple[str, array, int]:
    """(body, body_map, number of markers removed)."""
    spans: list[tuple[int, int]] = []
    spans += [m.span() for m in _HEADING.finditer(body)]
    spans += [m.span() for m in _BOLD.finditer(body)]
    spans += [m.span() for m in _QUOTE.finditer(body)]
    for m in _LINK.finditer(body):
        ls = body.rfind("\n", 0, m.start()) + 1
        le = body.find("\n", m.end())
        le = len(body) if le < 0 else le
        if _LINK_LINE.fullmatch(body, ls, le):
            continue
        if m.group(1):  # image: drop it whole
            spans.append(m.span())
        else:  # keep the link text
            spans.append((m.start(), m.start(2)))
            spans.append((m.end(2), m.end()))
    if not spans:
        return body, body_map, 0
    spans.sort()
    parts: list[str] = []
    offs = array("l")
    pos = 0
    for a, b in spans:
        if a > pos:
            parts.append(body[pos:a])
            offs.extend(body_map[pos:a])
        pos = max(pos, b)
    parts.append(body[pos:])
    offs.extend(body_map[pos:])
    return "".join(parts), offs, len(spans)
