"""A measure's title, per GUIDELINES: the heading text after the label, else a short first sentence.

The title is read from the label's line, up to the first child label on it:

- a first sentence (to ``。``; to ``；`` when the item ends there) of at most
  ``title_max_chars`` characters;
- a text with a space inside it is a line that lost its break or a table row: the text
  before the space is the heading / the cell (``利用外资奖 2023年起,…`` → ``利用外资奖``);
- a line without sentence punctuation is a heading (``表彰奖励范围和要求``), unless it is
  cut off by the end of an excerpt; a lead sentence ending with a colon before the item's
  sub-items (``对…，按等级给予一次性奖励：（一）…``) is a title when a sentence would be;
- a leading tag (``【优惠内容】``) and a closing responsible-unit parenthetical
  (``(区科技局牵头)``) are not part of it.
"""
from __future__ import annotations

import regex

from .labels import Rules

_HAN = regex.compile(r"\p{Han}")
_PAIRS = ("“”", "《》", "()", "（）", "‘’", "〈〉", "【】")
_NO_CELL = "，,。；;：:！？!?"
_NUMBER = regex.compile(r"[一二三四五六七八九十\d]{1,3}")
_NOTE = regex.compile(r"（[^（）]*）|\([^()]*\)")  # a bracketed note: its commas end no cell


class TitleMaker:
    """Titles for one document (rules read once)."""

    def __init__(self, text: str, rules: Rules):
        self.text = text
        self.rules = rules
        self.max_title = int(rules.setting("title_max_chars", 40))
        self.max_heading = int(rules.setting("heading_max_chars", 60))
        self.sentence_end = str(rules.setting("sentence_end", "。！？!?"))
        self.clause_end = str(rules.setting("clause_end", "；;"))
        self.tail = len(text.rstrip())

    def title(self, body_start: int, line_end: int, end: int) -> str | None:
        """Title of the measure whose text after the label starts at ``body_start``.

        ``line_end``: end of the label's line or the first child label on it; ``end``: end
        of the measure.
        """
        stop = min(line_end, end)
        line = self.text[body_start:stop]
        off = body_start + len(line) - len(line.lstrip().lstrip("*"))  # where `line` starts
        line = self.text[off:stop]
        for rx in self.rules.title_tag:
            m = rx.match(line)
            if m:
                line, off = line[m.end():], off + m.end()
                break
        whole = line.rstrip().rstrip("*#").rstrip()
        bare = self._strip_unit(whole)
        if len(bare) < len(whole):
            line = bare  # (牵头单位：A；配合单位：B) closes the line: its ； ends no clause
        se = _first(line, self.sentence_end)
        if se >= 0:
            q = line.rstrip()
            if q.endswith(("？", "?")) and se < len(q) - 1 and not _first(q, "。！!") >= 0:
                # a heading of questions only (哪些企业可以申请？返还多少？): all of them
                return self._sentence(q[:-1])
            return self._sentence(line[:se])
        ce = _first(line, self.clause_end)
        if ce >= 0:
            if not self.text[off + ce + 1:end].strip():
                return self._sentence(line[:ce])  # the item ends with this clause
            return self._cell(line[:ce])
        cell = self._cell(line)
        if cell:
            return cell
        if stop >= end and end >= self.tail and len(bare) == len(whole):
            return None  # the excerpt ends inside the item: not a heading (a unit list
                         # after the text, 牵头单位：…, shows that it ended)
        heading = line.strip().rstrip("*#").strip()
        # a lead sentence before the item's sub-items (对…，按等级给予奖励：（一）…) is a
        # sentence: the sentence limit applies, not the heading one
        limit = self.max_title if heading.endswith(("：", ":")) else self.max_heading
        heading = self._strip_unit(heading.rstrip("：:"))
        return heading if 0 < len(heading) <= limit else None

    def _sentence(self, s: str) -> str | None:
        cell = self._cell(s)
        if cell:
            return cell
        s = self._strip_unit(s.strip().rstrip("*#").strip())
        return s if 0 < len(s) <= self.max_title else None

    def _cell(self, s: str) -> str | None:
        """The text before a space when it reads as a heading or table cell, else None."""
        s = s.strip()
        cut = min((i for i in (s.find(" "), s.find("\u3000")) if i >= 0), default=-1)
        if cut < 0 or s[cut + 1:cut + 2].isascii() and s[cut + 1:cut + 2].isalpha():
            return None  # 并通过 CMA 认证: a Word export spaces a Latin word, no cell ends
        chunk = self._strip_unit(s[:cut])
        bare = _NOTE.sub("", chunk)  # 标准机柜（42U，6kW）: a comma inside the note
        if not (2 <= len(chunk) <= self.max_title) or any(c in _NO_CELL for c in bare):
            return None
        if not _balanced(chunk):
            return None
        if not _HAN.match(chunk[-1]) and not _noted(chunk):
            return None
        return chunk

    def _strip_unit(self, s: str) -> str:
        for rx in self.rules.title_unit:
            m = rx.search(s)
            if m and m.start() > 0:
                return s[:m.start()].rstrip()
        return s


def _first(s: str, chars: str) -> int:
    idx = [i for i in (s.find(c) for c in chars) if i >= 0]
    return min(idx) if idx else -1


def _noted(s: str) -> bool:
    """A name with a bracketed note closing it (``轮式拖拉机（100马力及以上）``): a cell too."""
    if s[-1] not in "）)":
        return False
    at = max(s.rfind("（"), s.rfind("("))
    # (not a label run on after a heading: 重点任务（一）)
    return at > 0 and bool(_HAN.match(s[at - 1])) and not _NUMBER.fullmatch(s, at + 1, len(s) - 1)


def _balanced(s: str) -> bool:
    return all(s.count(a) == s.count(b) for a, b in _PAIRS)
