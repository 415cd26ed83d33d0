"""Small text steps: pinyin annotations out, stray spaces out (offsets follow every deletion)."""
from __future__ import annotations

import re
from collections.abc import Callable

from .offsets import Buf, StepLog
from .rules import Rules

# ``re``: a plain run of spaces, found several times faster than by ``regex`` with a lookbehind
# ("  +", not " {2,}": the same runs, and ``re`` then skips to each "  " at C speed)
_SPACE_RUNS = re.compile("  +")
_SPACES = re.compile(" +")


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


def fix_spaces(buf: Buf, rules: Rules, log: StepLog,
               cell_gap: Callable[[int], bool] | None = None) -> Buf:
    """Collapse space runs to one; drop a space between a number and its unit (2024 年), the
    spaces inside a spaced-out line-start label (第 一 条, ``kind: space`` patterns) and
    those inside a word split before a number (不超 过300万元, ``kind: word_space``).

    Spaces between two Han runs or two numbers stay: in tables and in pages that lost
    their line breaks they separate cells and sentences. So does a space that ``cell_gap``
    says a table reader wrote between two cells (it stands for a ``|``, a ``<td>`` or the
    line break between two cells scraped one per line): a cell may be a bare sum.
    """
    text = buf.text
    if " " not in text:
        return buf  # both kinds of change delete spaces
    # a run of n > 1 spaces keeps its first one
    spans = [(m.start() + 1, m.end()) for m in _SPACE_RUNS.finditer(text)]
    log.changes += len(spans)  # collapsed runs: counted, not listed
    offs = buf.offs
    for m in rules.units.finditer(text):
        if cell_gap is not None and cell_gap(offs[m.start()]):
            continue  # a table reader's cell separator (| 国家级企业技术中心 | 100万元 |)
        spans.append(m.span())
        a = max(0, m.start() - 4)
        log.add(text[a:m.end() + 2].replace("\n", "⏎"), text=m.group(0))
    spans += _label_spaces(text, rules, log)
    for name, pat in rules.word_spacing:
        for m in pat.finditer(text):
            spans += [(k.start(), k.end()) for k in _SPACES.finditer(text, m.start(), m.end())]
            log.add(m.group(), pattern=name, text=m.group())
    if not spans:
        return buf
    return buf.delete(_merge(spans))


def _label_spaces(text: str, rules: Rules, log: StepLog) -> list[tuple[int, int]]:
    """The spaces inside spaced-out line-start labels (第 一 条 → 第一条; ``kind: space``).

    Each pattern is tried only at the start of a line with a hit of its anchor near that
    start: a few lines per document, not every position of the text.
    """
    spans: list[tuple[int, int]] = []
    for name, pat, anchor, before in rules.spacing:
        tried = -1
        for h in anchor.finditer(text):
            start = text.rfind("\n", 0, h.start()) + 1
            if start == tried or h.start() - start > before:
                continue
            tried = start
            m = pat.match(text, start)
            if m is None:
                continue
            a, b = m.span("inner") if "inner" in pat.groupindex else m.span()
            inner = [(k.start(), k.end()) for k in _SPACES.finditer(text, a, b)]
            if inner:
                spans += inner
                log.add(text[a:b], pattern=name, text=text[a:b])
    return spans


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans.sort()
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out
