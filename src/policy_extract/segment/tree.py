"""Decide which candidates are labels, nest them and find where each measure ends.

One pass over candidates and marks in document order with a stack of open levels, as a
reader of legal drafting does: a style's level is where it first appears below the open
items (``一、 → （一） → 1. → （1）``, ``第一条 → （一） → 1.``); a candidate is accepted only
when the numbering continues — previous + 1 of a style on the stack (a small gap is
warned), the first number of a new child list, the next number of a list running on across
parents (``一、1. 2. 二、3.``), or the first number again right after an unnumbered heading
(``政策内容：1.``, a restart). Everything else (``(二)`` cited in a sentence) is text.

Where a measure ends besides the next label: a chapter, the end of the body (a closing
note, unless it is all a heading item holds: ``四、其他`` / ``本细则自…施行``), a signature,
an unnumbered section heading of a higher level (``政策时效``, ``_ends_item``), and for the
last row of a table the shape of the rows above it (a note under the table stays out).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import regex

from ..errors import Warn
from .labels import (
    BREAK,
    CIRCLED,
    CLOSING,
    END,
    HEADING,
    QUESTION,
    SIGNATURE,
    Candidate,
    Lines,
    Mark,
    Rules,
)

# a 附件 list run in on a line: numbered short names one space apart (附件：1.申报表 2.承诺书)
_RUNIN_LIST = regex.compile(
    r"附件[\d一二三四五六七八九十]?[:：]?[\x20\u3000]*"
    r"(?:\d{1,2}[.．、]?[^\s。，,；;：:]{1,40}(?:[\x20\u3000]+|$))+")

# what opens a footnote line under a 注： head (① …, * …, ※ …)
_NOTE_MARKS = frozenset(CIRCLED) | frozenset("*＊※")
# …and under a 注： alone on its line, a note numbered 1. / 1、 / 1．(not a decimal, 1.5倍)
_NOTE_NUMBER = regex.compile(r"\d{1,2}[.．、](?!\d)")


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
    def __init__(self, text: str, rules: Rules, lines: Lines, label_lines: set[int]):
        self.text = text
        self.label_lines = label_lines  # starts of the lines that begin with a label candidate
        self.note_line = -1  # start of the line after a closing note kept in its item
        self.rules = rules
        self.lines = lines
        self.stack: list[Node] = []
        self.nodes: list[Node] = []
        self.last_n: dict[str, int] = {}
        self.warnings: list[Warn] = []
        self.skip_until = -1  # end of a 附件 list: its Arabic numbers are not labels
        self.notes_until = -1  # end of the notes under a 注： head: their ① are not labels
        self.notes_line_end = -1  # end of that 注： head's own line (notes run in on it: 注：1.…；2.…)
        # a 附件 followed by a table header (序号 …): its rows are items, not a list of files
        self.table_heads = tuple(rules.setting("attachment_table_heads", ()) or ())
        self.last_question = -1  # start of the last Q&A question line
        self.question_depth = 0  # how many measures were open at it (its answer opens more)
        self.max_gap = int(rules.setting("max_gap", 5))
        self.restart_max = int(rules.setting("restart_heading_max_chars", 20))
        self.heading_max = int(rules.setting("section_heading_max_chars", 15))
        self.closing_sections = frozenset(rules.setting("closing_section_words", ()) or ())
        self.cell_lines = set(rules.setting("cell_line_styles", []) or [])
        self.ends = (str(rules.setting("sentence_end", "。！？!?"))
                     + str(rules.setting("clause_end", "；;")))
        self.stops = self.ends + "，,"
        self.continued: set[int] = set()  # run-in labels that stand where a break was lost

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
        if not self.nodes and mark.role == QUESTION:
            # a first question before any item: the items of its answer end at the next one
            self.last_question, self.question_depth = mark.start, 0
            return
        if mark.role == END and mark.kind == "list":
            # (before the first item too: a forwarding notice's 附件：1.申报表 2.申请表 / 落款 /
            # 实施方案 一、…; batch 96)
            self.skip_until = self._list_end(mark.start)
        if not self.nodes or mark.role == CLOSING:
            return
        if mark.role == BREAK:
            self._close_all_spans(mark.start)
            return
        if mark.role == HEADING:
            if self._ends_item(mark.start):
                if self._closing_section(mark.start):
                    self._close_from(0, mark.start)  # 温馨提示 / 1.…: a list below is no child
                else:
                    self._close_all_spans(mark.start)
            return
        if mark.role == QUESTION:
            # the items numbered in one answer end at the next question; the section that
            # holds the questions goes on (二、… 问3 答（1）（2） 问4 答… → 问4 is in 二)
            if self.last_question >= 0:
                depth = next((i for i, n in enumerate(self.stack)
                              if i >= self.question_depth and n.start > self.last_question),
                             len(self.stack))
                self._close_from(depth, mark.start)
            self.last_question, self.question_depth = mark.start, len(self.stack)
            return
        if mark.role == END and mark.kind is None and self._note_of_item(mark.start):
            return
        cut = mark.start
        if mark.role == SIGNATURE:
            cut = self._issuer_line_before(mark.start)
        self._close_from(0, cut)
        if mark.role == END and mark.kind == "notes":
            head_end = self.lines.end_of(mark.start)
            head = self.text[mark.start:head_end].strip(" \t\u3000*#")
            bare = len(head) <= 4 and head.endswith((":", "：")) # 注： alone on its line
            self.notes_until = self._notes_end(mark.start, bare)
            # notes numbered 1. 2. are the head's when run in on its line (注：1.…；2.…) or on
            # the lines under a bare head (注：/1.…/2.…; batch 96)
            self.notes_line_end = self.notes_until if bare else head_end

    def _note_of_item(self, pos: int) -> bool:
        """A closing note that is all an item holds (``四、其他`` / ``本细则自…施行``) is its body.

        True when the note's line comes right after the open item's heading line, or right
        after a note kept that way (``本细则自…施行。`` / ``本细则由…负责解释。``).
        """
        ls = self.lines.start_of(pos)
        if not self.stack or ls == 0:
            return False
        if ls != self.note_line:
            node = self.stack[-1]
            prev = self.lines.start_of(ls - 1)
            latin = self.rules.latin_line
            while prev > node.start and latin is not None and latin.fullmatch(self.text, prev, ls - 1):
                ls = prev  # a bilingual page's English heading line (四、附则 / Part IV …)
                prev = self.lines.start_of(ls - 1)
            if node.end is not None or prev != self.lines.start_of(node.start):
                return False
            if not self._short_plain(self.text[node.cand.end:ls - 1].strip()):
                return False  # the label's line is more than a heading: the item has a body
        self.note_line = self.lines.end_of(pos) + 1
        return True

    def _ends_item(self, pos: int) -> bool:
        """Does the unnumbered heading line at ``pos`` (``政策时效``) end the open items?

        It does when it is a heading of a higher level than the open item, read from the
        layout: the line begins no label; the open item already has a body (a line below
        its label line, or a label line that is a sentence); the line above is not a short
        unpunctuated line (then both are items of a list) nor a sentence running on
        (``，`` / ``：``); and the line below is body text (not a label, not another short
        unpunctuated line).
        """
        ls = self.lines.start_of(pos)
        if not self.stack or ls == 0 or ls in self.label_lines or self.stack[-1].end is not None:
            return False
        node = self.stack[-1]
        label_ls = self.lines.start_of(node.start)
        if label_ls == ls or node.cand.style.name in self.cell_lines:
            return False
        prev_ls = self.lines.start_of(ls - 1)
        prev = self.text[prev_ls:ls - 1].strip()
        if prev_ls == label_ls and not any(c in self.ends for c in prev):
            return False  # the item is only its heading so far
        if not prev or prev[-1] in "，,、：:" or self._short_plain(prev):
            return False
        nxt_ls = self.lines.end_of(pos) + 1
        if self._closing_section(pos):
            return True  # 温馨提示 / 1.…: the page's closing section, whatever follows
        if nxt_ls >= len(self.text) or nxt_ls in self.label_lines:
            return False
        nxt = self.text[nxt_ls:self.lines.end_of(nxt_ls)].strip()
        return bool(nxt) and not self._short_plain(nxt)

    def _closing_section(self, pos: int) -> bool:
        """Is the line at ``pos`` a page's closing section heading alone (温馨提示)?"""
        ls = self.lines.start_of(pos)
        return self.text[ls:self.lines.end_of(pos)].strip(" \u3000*#") in self.closing_sections

    def _short_plain(self, line: str) -> bool:
        """A short line without any sentence punctuation (a heading or a list entry)."""
        return len(line) <= self.heading_max and not any(c in self.stops + "：:" for c in line)

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

    def _notes_end(self, pos: int, bare: bool = False) -> int:
        """End of the notes under a 注： head: its own line, then the lines that open with a
        circled number or a * (① 退役军人，指… / * 贴息期限…), or under a head alone on its
        line with 1. 2. … (a list of notes that the head introduces)."""
        end = self.lines.end_of(pos)
        while end < len(self.text):
            nxt = self.lines.end_of(end + 1)
            line = self.text[end + 1:nxt].lstrip()
            if not line or (line[0] not in _NOTE_MARKS
                            and not (bare and _NOTE_NUMBER.match(line))):
                break
            end = nxt
        return end

    def _list_end(self, pos: int) -> int:
        """End of the short lines that follow a 附件 mark (of its run-in list of short names
        when the page lost its line breaks: 附件：1.申报表 2.承诺书 …)."""
        if not self.lines.begins_line(pos):
            m = _RUNIN_LIST.match(self.text, pos)
            return m.end() if m else pos
        limit = int(self.rules.setting("attachment_line_max_chars", 60))
        end = self.lines.end_of(pos)
        while end < len(self.text):
            nxt = self.lines.end_of(end + 1)
            line = self.text[end + 1:nxt].strip()
            if len(line) > limit or "。" in line or line.startswith(self.table_heads):
                break  # (附件:政策兑现一览表 / 序号 支持事项 …: a table's rows are items)
            end = nxt
        return end

    # -- labels --------------------------------------------------------------------------
    def label(self, c: Candidate) -> None:
        if c.start < self.skip_until and c.style.kind == "arabic":
            return
        if c.start < self.notes_until and (
                c.style.kind == "circled"
                or c.style.kind == "arabic" and c.start < self.notes_line_end):
            return  # a footnote under 注： (① 退役军人，指…), or run in on its line (注：1.…；2.…)
        self._pop_finished_runins(c.start)
        placed = self._place(c)
        if placed is None:
            return
        depth, cut = placed
        self._close_from(depth, cut)
        parent = self.stack[-1] if self.stack else None
        path = (parent.path if parent else []) + [c.style.label(c.written)]
        para_end = self.lines.end_of(c.start)
        node = Node(c, path, not c.line_start and not self._glued_heading(c, para_end), para_end)
        if parent is not None:
            parent.children.append(node)
            if parent.first_child is None:
                parent.first_child = c.start
        self.stack.append(node)
        self.nodes.append(node)
        self.last_n[c.style.name] = c.n

    def _glued_heading(self, c: Candidate, para_end: int) -> bool:
        """A label glued after a sentence's end with only a short heading after it, closing its
        line (…印发实施。二、主要内容 / 《若干政策》共四个方面。…): a lost break before a heading,
        whose item goes on past the line as a line-start label's does (batch 64)."""
        if c.start == 0 or self.text[c.start - 1] not in self.ends or para_end >= len(self.text):
            return False
        tail = self.text[c.end:para_end]
        return 0 < len(tail) <= self.heading_max and not any(ch in self.stops for ch in tail)

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
            if prev.n + 1 < c.n <= prev.n + self.max_gap and (c.line_start or c.runin_row):
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
        if not seen and (not self.stack or c.line_start or c.start in self.continued):
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
        before = self.text[lo:c.start].rstrip(" \u3000")  # (政策内容: 1.… on a one-line page)
        if not before.endswith(("：", ":")):
            return None
        i = len(before) - 1
        while i > 0 and before[i - 1] not in self.stops + "：: \u3000)）":
            i -= 1
        start = lo + i
        return start if c.start - start > 1 and last < start else None

    def finish(self, closing: int | None) -> list[Node]:
        """Close what is still open; trim trailing space; cap run-in items at their paragraph
        and the last row of a table at the shape of the row above it."""
        self._close_from(0, len(self.text))
        last_rows = self._last_rows()
        for node in self.nodes:
            end = node.end if node.end is not None else len(self.text)
            if node.runin:
                end = min(end, node.para_end)
            above = last_rows.get(id(node))
            if above is not None:
                end = min(end, self._same_shape_end(above, node))
            if closing is not None and node.start < closing < end:
                end = closing
            while end > node.cand.end and self.text[end - 1].isspace():
                end -= 1
            node.end = max(end, node.cand.end)
        return self.nodes


    def _last_rows(self) -> dict[int, list[Node]]:
        """The last row of each run of table rows (confirm styles) → the rows above it.

        Rows are siblings of one style numbered n, n+1, …; the run ends where the next
        sibling of the style does not continue it, or where there is none.
        """
        runs: dict[tuple[str, tuple[str, ...]], list[Node]] = {}
        out: dict[int, list[Node]] = {}
        for node in self.nodes:
            if not node.cand.style.confirm:
                continue
            key = (node.cand.style.name, tuple(node.path[:-1]))
            run = runs.get(key)
            if run and node.cand.n == run[-1].cand.n + 1:
                out.pop(id(run[-1]), None)
                out[id(node)] = list(run)
                run.append(node)
            else:
                runs[key] = [node]
        return out

    def _same_shape_end(self, above: list[Node], row: Node) -> int:
        """End of the last ``row`` of a table whose rows above all span the same number of
        lines (two at least): it spans as many (cells on lines of their own, or one line
        per row), so a note under the table is not part of it. Otherwise its own end."""
        counts = {self.text[r.start:r.end if r.end is not None else len(self.text)]
                  .rstrip().count("\n") for r in above}
        if len(above) < 2 or len(counts) != 1:
            return len(self.text)
        pos = row.start
        for _ in range(counts.pop() + 1):
            pos = self.lines.end_of(pos) + 1
        return min(pos - 1, len(self.text))


def build(text: str, rules: Rules, cands: list[Candidate], marks: list[Mark],
          lines: Lines) -> tuple[list[Node], list[Warn]]:
    """Accept labels, nest them and set every measure's end (see the module docstring)."""
    b = _Builder(text, rules, lines, {lines.start_of(c.start) for c in cands if c.line_start})
    b.continued = _continued(text, cands)
    for item in _merged(cands, marks):
        if isinstance(item, Mark):
            b.mark(item)
        else:
            b.label(item)
    # closing lines (咨询部门, furniture) end the body only after the last label
    last = b.nodes[-1].start if b.nodes else len(text)
    closing = next((m.start for m in marks if m.role == CLOSING and m.start > last), None)
    return b.finish(closing), b.warnings


def _continued(text: str, cands: list[Candidate]) -> set[int]:
    """Starts of the run-in labels after a space that a later label of their style continues
    (``… 10.减免房租。… 11.延长合同…``): on a page that lost its line breaks, the space is
    where the break was, and such a label may open an excerpt's first item as a line-start
    label does."""
    later: dict[str, set[int]] = {}
    out: set[int] = set()
    for c in reversed(cands):
        if (not c.line_start and c.start > 0 and text[c.start - 1] in " \u3000"
                and c.n + 1 in later.get(c.style.name, ())):
            out.add(c.start)
        later.setdefault(c.style.name, set()).add(c.n)
    return out


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
