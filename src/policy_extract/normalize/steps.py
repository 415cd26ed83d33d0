"""Small text steps: pinyin annotations out, stray spaces out (offsets follow every deletion)."""
from __future__ import annotations

import re

from .offsets import Buf, StepLog
from .rules import Rules

# ``re``: a plain run of spaces, found several times faster than by ``regex`` with a lookbehind
_SPACE_RUNS = re.compile(" {2,}")


def remove_pinyin(buf: Buf, rules: Rules, log: StepLog) -> Buf:
    """Delete ``網(wǎng)``-style annotations and their damaged remnants (``?zé)``)."""
    spans: list[tuple[int, int]] = []
    text = buf.text
    anchors = rules.pinyin_anchors
    for i, (name, pat) in enumerate(rules.pinyin):
        anchor = anchors[i] if i < len(anchors) else None
        if anchor is not None and anchor.search(text) is None:
            continue  # every match holds a hit of the anchor: none, no match
        found = [m.span() for m in pat.finditer(text)]
        if log.records is None:  # the same as log.add per match, without a call per match
            log.changes += len(found)
            log.examples += [text[a:b] for a, b in found[:max(0, log.limit - len(log.examples))]]
        else:
            for a, b in found:
                log.add(text[a:b], pattern=name, text=text[a:b])
        spans += found
    if not spans:
        return buf
    return buf.delete(_merge(spans))


def fix_spaces(buf: Buf, rules: Rules, log: StepLog) -> Buf:
    """Collapse space runs to one; drop a space between a number and its unit (2024 年).

    Spaces between two Han runs or two numbers stay: in tables and in pages that lost
    their line breaks they separate cells and sentences.
    """
    text = buf.text
    if " " not in text:
        return buf  # both kinds of change delete spaces
    # a run of n > 1 spaces keeps its first one
    spans = [(m.start() + 1, m.end()) for m in _SPACE_RUNS.finditer(text)]
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
