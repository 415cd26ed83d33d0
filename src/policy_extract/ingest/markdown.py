"""Markdown markers out of the body: ``#`` heading marks, ``**bold**``, inline ``[text](url)``.

Only the markers go; the heading text stays on its own line and every kept character keeps
its index in the raw file. Lines made only of links are left whole for the normalizer's
furniture patterns to drop.
"""
from __future__ import annotations

import re
from array import array

import regex

from .pipetable import has_pipe_table

_HEADING = regex.compile(r"^[ \t]{0,3}#{1,6}[ \t]+|[ \t]+#+[ \t]*$|^[ \t]{0,3}#{1,6}$", regex.M)
_BOLD = regex.compile(r"\*\*(?=\S)|(?<=\S)\*\*|__(?=\S)|(?<=\S)__")
_QUOTE = regex.compile(r"^[ \t]{0,3}>[ \t]?", regex.M)
_LINK = regex.compile(r"(!?)\[([^\]\n]{0,200})\]\([^)\n]{0,500}\)")
_LINK_LINE = regex.compile(r"[ \t]*(?:!?\[[^\]\n]{0,200}\]\([^)\n]{0,500}\)[\s｜|/·,，、]*)+")
_SNIFF = regex.compile(r"^[ \t]{0,3}#{1,6}[ \t]+\S|\*\*\S[^\n]{0,200}?\*\*", regex.M)


def looks_like_markdown(text: str) -> bool:
    head = text[:65536]
    if has_pipe_table(head):
        return True
    if "#" not in head and "**" not in head:
        return False  # every _SNIFF match holds one of them: no regex scan of a plain text
    return bool(_SNIFF.search(head))


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


# structural breaks: a heading line, a blank line, a list bullet (rejoined as a wrap only on
# the joiner's strong signals: normalize/join.py)
_HEADING_LINE = regex.compile(r"^[ \t]{0,3}#{1,6}(?:[ \t][^\n]*)?$", regex.M)
_BLANK = regex.compile(r"\n[ \t\u3000\u00a0]*(?=\n)")
_SINGLE_BREAK = regex.compile(r"\S[ \t]*\n[ \t]*\S")
# (the "\n" is matched, not looked behind for: ``re`` then skips from "\n" to "\n" at C speed;
# a match holds no other "\n", so the matches are the same lines)
_BULLET_LINE = re.compile(r"\n[ \t\u3000]{0,3}(?:[-*+][ \t]|[▶▷►●■◆◇▪•])")


def markdown_breaks(body: str, body_map: array) -> list[int]:
    """Indexes in the raw file of the line breaks that markdown structure makes hard.

    The "\\n" before and after a heading line, the "\\n"s of blank lines (paragraph breaks)
    and the "\\n" before a bullet line: the line joiner rejoins soft wraps inside a
    paragraph, never these. Blank lines count only when some lines are also broken without
    one: a file with a blank line after every line (a PDF saved double-spaced, ``高新区管委`` /
    blank / ``会``) separates wrapped lines with them, not paragraphs.
    """
    at: list[int] = []
    for m in _HEADING_LINE.finditer(body):
        if m.start() > 0:
            at.append(m.start() - 1)
        if m.end() < len(body):
            at.append(m.end())
    if _SINGLE_BREAK.search(body):
        at += [m.start() for m in _BLANK.finditer(body)]
    at += [m.start() for m in _BULLET_LINE.finditer(body)]  # the "\n" before the bullet
    return [body_map[i] for i in at]
