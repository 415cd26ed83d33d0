"""Decide which candidates are labels, nest them and find where each measure ends.

One pass over candidates and marks in document order with a stack of open levels, as a
reader of legal drafting does: a style's level is where it first appears below the open
items (``一、 → （一） → 1. → （1）``, ``第一条 → （一） → 1.``); a candidate is accepted only
when the numbering continues — previous + 1 of a style on the stack (a small gap is
warned), the first number of a new child list, the next number of a list running on across
parents (``一、1. 2. 二、3.``), or the first number again right after an unnumbered heading
(``政策内容：1.``, a restart). Everything else (``(二)`` cited in a sentence) is text.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..errors import Warn
from .labels import BREAK, CLOSING, END, SIGNATURE, Candidate, Lines, Mark, Rules


@dataclass
class Node:
    """An accepted label and the measure it opens."""

    cand: Candidate
    path: list[str]
    runin: bool  # the label does not begin its line: the item ends with its paragraph
    para_end: int
    end: int | None = None
    first_child: int | None = None
    children: list[Node] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.cand.start


class _Builder:
    def __init__(self, text: str, rules: Rules, lines: Lines):
        self.text = text
        self.rules = rules
        self.lines = lines
        self.stack: list[Node] = []
        self.nodes: list[Node] = []
        self.last_n: dict[str, int] = {}
        self.warnings: list[Warn] = []
        self.skip_until = -1  # end of a 附件 list: its Arabic numbers are not labels
        self.max_gap = int(rules.setting("max_gap", 5))
        self.restart_max = int(rules.setting("restart_heading_max_chars", 20))
        self.stops = (str(rules.setting("sentence_end", "。！？!?"))
                      + str(rules.setting("clause_end", "；;")) + "，,")

    # -- closing -------------------------------------------------------------------------
    def _close_from(self, depth: int, cut: int) -> None:
        """End every open measure at ``depth`` or deeper at ``cut`` and pop them."""
        for node in self.stack[depth:]:
            if node.end is None:
                node.end = cut
        del self.stack[depth:]

    def _close_all_spans(self, cut: int) -> None:
        """End every open measure's span at ``cut`` but keep the numbering (chapter headings)."""
        for node in self.stack:
            if node.end is None:
                node.end = cut

    def _pop_finished_runins(self, pos: int) -> None:
        """A run-in item ends with its paragraph; once past it, its level is closed."""
        for i, node in enumerate(self.stack):
            if node.runin and node.para_end < pos:
                self._close_from(i, node.para_end)
                return

    # -- marks ---------------------------------------------------------------------------
    def mark(self, mark: Mark) -> None:
        if not self.nodes or mark.role == CLOSING:
            return
        if mark.role == BREAK:
            self._close_all_spans(mark.start)
            return
        cut = mark.start
        if mark.role == SIGNATURE:
            cut = self._issuer_line_before(mark.start)
        self._close_from(0, cut)
        if mark.role == END and mark.kind == "list":
            self.skip_until = self._list_end(mark.start)

    def _issuer_line_before(self, pos: int) -> int:
        """Start of the issuer line above a signature date (short, unpunctuated), else pos."""
        ls = self.lines.start_of(pos)
        if ls == 0:
            return pos
        prev_ls = self.lines.start_of(ls - 1)
        prev = self.text[prev_ls:ls - 1].strip()
        if (0 < len(prev) <= 40 and not any(c in self.stops + "：:。" for c in prev)
                and self.nodes[-1].start < prev_ls):
            return prev_ls
        return pos

    def _list_end(self, pos: int) -> int:
        """End of the short lines that follow a 附件 mark."""
        limit = int(self.rules.setting("attachment_line_max_chars", 60))
        end = self.lines.end_of(pos)
        while end < len(self.text):
            nxt = self.lines.end_of(end + 1)
            line = self.text[end + 1:nxt].strip()
            if len(line) > limit or "。" in line:
                break
            end = nxt
        return end

    # -- labels --------------------------------------------------------------------------
    def label(self, c: Candidate) -> None:
        if c.start < self.skip_until and c.style.kind == "arabic":
            return
        self._pop_finished_runins(c.start)
        placed = self._place(c)
        if placed is None:
            return
        depth, cut = placed
        self._close_from(depth, cut)
        parent = self.stack[-1] if self.stack else None
        path = (parent.path if parent else []) + [c.style.label(c.written)]
        node = Node(c, path, not c.line_start, self.lines.end_of(c.start))
        if parent is not None:
            parent.children.append(node)
            if parent.first_child is None:
                parent.first_child = c.start
        self.stack.append(node)
        self.nodes.append(node)
        self.last_n[c.style.name] = c.n

    def _place(self, c: Candidate) -> tuple[int, int] | None:
        """(depth, where the measures it closes end), or None when ``c`` is not a label."""
        cut = self.lines.start_of(c.start) if c.line_start else c.start
        name = c.style.name
        depth = next((i for i, node in enumerate(self.stack) if node.cand.style.name == name),
                     None)
        if depth is not None:
            prev = self.stack[depth].cand
            if c.n == prev.n + 1:
                return depth, cut
            if prev.n + 1 < c.n <= prev.n + self.max_gap and c.line_start:
                self.warnings.append(Warn.make("W305", c.start, c.end,
                                               prev=prev.style.label(prev.written),
                                               next=c.style.label(c.written)))
                return depth, cut
            if c.n == 1:
                heading = self._restart_heading(c)
                if heading is not None:
                    return depth, heading
            return None
        seen = name in self.last_n
        if c.n == 1 or (seen and c.n == self.last_n[name] + 1):
            return len(self.stack), cut
        if not seen and (not self.stack or c.line_start):
            # an excerpt that starts mid-list: a higher-ranked style closes lower ones
            k = len(self.stack)
            while k > 0 and self.stack[k - 1].cand.style.rank >= c.style.rank:
                k -= 1
            return k, cut
        return None

    def _restart_heading(self, c: Candidate) -> int | None:
        """Start of the unnumbered heading (``政策内容：``) right before a restarted list."""
        last = self.nodes[-1].start if self.nodes else -1
        if c.line_start:
            ls = self.lines.start_of(c.start)
            if ls == 0:
                return None
            prev_ls = self.lines.start_of(ls - 1)
            prev = self.text[prev_ls:ls - 1].strip()
            if (prev and len(prev) <= self.restart_max and prev[-1] not in self.stops
                    and last < prev_ls):
                return prev_ls
            return None
        # run in: 政策内容：1.… — a short phrase ending with a colon right before the label
        lo = max(self.lines.start_of(c.start), c.start - self.restart_max - 1)
        before = self.text[lo:c.start]
        if not before.endswith(("：", ":")):
            return None
        i = len(before) - 1
        while i > 0 and before[i - 1] not in self.stops + "：: \u3000)）":
            i -= 1
        start = lo + i
        return start if c.start - start > 1 and last < start else None

    def finish(self, closing: int | None) -> list[Node]:
        """Close what is still open; trim trailing space; cap run-in items at their paragraph."""
        self._close_from(0, len(self.text))
        for node in self.nodes:
            end = node.end if node.end is not None else len(self.text)
            if node.runin:
                end = min(end, node.para_end)
            if closing is not None and node.start < closing < end:
                end = closing
            while end > node.cand.end and self.text[end - 1].isspace():
                end -= 1
            node.end = max(end, node.cand.end)
        return self.nodes


def build(text: str, rules: Rules, cands: list[Candidate], marks: list[Mark],
          lines: Lines) -> tuple[list[Node], list[Warn]]:
    """Accept labels, nest them and set every measure's end (see the module docstring)."""
    b = _Builder(text, rules, lines)
    for item in _merged(cands, marks):
        if isinstance(item, Mark):
            b.mark(item)
        else:
            b.label(item)
    # closing lines (咨询部门, furniture) end the body only after the last label
    last = b.nodes[-1].start if b.nodes else len(text)
    closing = next((m.start for m in marks if m.role == CLOSING and m.start > last), None)
    return b.finish(closing), b.warnings


def _merged(cands: list[Candidate], marks: list[Mark]) -> Iterator[Candidate | Mark]:
    """Candidates and marks in document order (a mark before a label at the same place)."""
    i = j = 0
    while i < len(cands) or j < len(marks):
        if j < len(marks) and (i >= len(cands) or marks[j].start <= cands[i].start):
            yield marks[j]
            j += 1
        else:
            yield cands[i]
            i += 1
