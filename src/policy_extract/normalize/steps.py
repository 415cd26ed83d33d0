"""Small text steps: pinyin annotations out, stray spaces out (offsets follow every deletion)."""
from __future__ import annotations

import regex

from .offsets import Buf, StepLog
from .rules import Rules

_MULTI_SPACE = regex.compile(r"(?<= ) +")


def remove_pinyin(buf: Buf, rules: Rules, log: StepLog) -> Buf:
    """Delete ``網(wǎng)``-style annotations and their damaged remnants (``?zé)``)."""
    spans: list[tuple[int, int]] = []
    for name, pat in rules.pinyin:
        for m in pat.finditer(buf.text):
            spans.append(m.span())
            log.add(m.group(0), pattern=name, text=m.group(0))
    if not spans:
        return buf
    return buf.delete(_merge(spans))


def fix_spaces(buf: Buf, rules: Rules, log: StepLog) -> Buf:
    """Collapse space runs to one; drop a space between a number and its unit (2024 年).

    Spaces between two Han runs or two numbers stay: in tables and in pages that lost
    their line breaks they separate cells and sentences.
    """
    text = buf.text
    spans = [m.span() for m in _MULTI_SPACE.finditer(text)]
    log.changes += len(spans)  # collapsed runs: counted, not listed
    for m in rules.units.finditer(text):
        spans.append(m.span())
        a = max(0, m.start() - 4)
        log.add(text[a:m.end() + 2].replace("\n", "⏎"), text=m.group(0))
    if not spans:
        return buf
    return buf.delete(_merge(spans))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans.sort()
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out
