"""Rejoin hard-wrapped lines: one paragraph per line.

Inputs converted from PDF or saved from fixed-width pages break lines in mid-sentence
(``按其上年度技术合同成交额`` / ``给予最高10%…``, ``高新区管委`` / ``会``). A break is removed when
the sentence visibly continues, and kept when the next line starts with a numbering or field
label, the line ends a sentence, or the line is a title. The signals, in order:

1. next line starts with a label (``一、`` ``（一）`` ``1.`` ``第一条`` ``责任单位:`` ``【…】``) → keep;
2. next line starts with closing/clause punctuation → join;
3. line ends a sentence (。！？；：) or a bracketed remark, or is a page's <title> line
   (``…的通知_某市人民政府门户网站``) → keep;
4. a bracket or quote (《（“〈【) is still open at the line's end → join;
5. line ends with ，、 → join; a number that follows a word broken over the break
   (``每户补贴2`` / ``000元``) → join; a date cut after its month (``延至2026年9月`` / ``30日。``)
   → join;
6. next line is a 1–2 character fragment (``会``) → join; a zero-padded number alone (``01``)
   before a short heading line → join with a space (``01 汽车消费补贴``, also across blocks);
7. line ends like a title (…通知, …措施) → keep; not a line that starts with a label and holds
   ``，`` (``第五条　…准确性负责，按规定`` / ``使用专项资金…``): …按规定, …的办法, …等措施 end prose lines;
8. line holds clause punctuation (，。、；) but ends without any → join (not for field lines);
9. line is long: at least ``join_long_share`` of the document's wrap width → join.

A break the ingest step marked structural (``Source.hard_breaks``: an HTML block, a markdown
heading or blank line) is removed only on signals 2 and 4 with a bracket (not a quote, which
may stay open over paragraphs): no block ends inside a bracket or opens with closing
punctuation, so such a break is a wrap a page kept as blocks (a PDF's lines, one per ``<p>``).
When most prose lines look wrapped (``join_blocks_share``), the blocks are such lines and their
breaks count as no more than line breaks: the text is then joined as the same page saved as
plain text would be.

The wrap width is the median display width of lines that look wrapped (clause
punctuation inside, no end punctuation, followed by an unlabelled line); with fewer than
``join_min_samples`` such lines the document is taken as not hard-wrapped.
"""
from __future__ import annotations

import re
from array import array
from bisect import bisect_left

import regex

from .offsets import Buf, Piece, StepLog
from .rules import Rules

_TERMINAL_END = regex.compile(r"[。！？；：!?;:…)）\]］】〕」』}]$|\.(?:s?html?|pdf|docx?|xlsx?|wps|zip|rar|jpe?g|png)$",
                            regex.I)
# a row of space-separated cells (table rows, pages that lost their breaks): not prose
_SPACED = regex.compile(r"[^\s] [^\s].*[^\s] [^\s]")
# a match of _TERMINAL_END is at most 6 chars (".shtml") and ends at the end or before a final
# "\n": searching the line's last 7 chars finds the same, without a scan of the whole line
_TERMINAL_TAIL = 7
_COMMA_END = regex.compile(r"[，,、]$")
# the plain character sets above as sets: a line's first/last char looked up without a regex
# call (no flags, no case: the same answers; lines here never hold a "\n")
_TERMINAL_CHARS = frozenset("。！？；：!?;:…)）]］】〕」』}")
# the last letter of every file-name ending of _TERMINAL_END (.html .pdf .docx …), in every
# case its IGNORECASE accepts: a line ending in no such char cannot end with a file name
_EXT_LAST = regex.compile(r"[lmfxcsprg]", regex.I)
_COMMA_CHARS = frozenset("，,、")
_CLOSING_QUOTES = frozenset("”’\"")
# a phone number ending a line (0376-3912568, 13912345678, 0376-3912568转8012)
_PHONE_END = regex.compile(r"(?<!\d)(?:0\d{2,3}[-－—]?\d{7,8}|1[3-9]\d{9})(?:转\d{1,5})?$")
_SENTENCE_MARKS = frozenset("。！？!?…")
_CLOSE_PARENS = frozenset(")）")
# what no line opens with unless it goes on the one before (furniture.py reads it too)
CLOSING_CHARS = frozenset("，。、；：！？）》」』”〕】,.;:!?)")
_HAN_END = regex.compile(r"\p{Han}$")
# particles no sentence or heading opens with: after a line ending in a bracket they go on it
# (第三条 对…示范企业（平台） / 的，分别给予…; batch 103)
_BOUND_HEADS = frozenset("的")
# a plain character set, searched over whole lines: ``re`` scans for it several times faster
_CLAUSE = re.compile(r"[，,。；;、！？]")
_STARTS_CLOSING = regex.compile(r"[，。、；：！？）》」』”〕】,.;:!?)]")
_FRAGMENT = regex.compile(r"\p{Han}+")
# a line ending in a number that follows a word (补贴2, 奖励1): not a date, phone or code line
_SPLIT_NUMBER = regex.compile(r"\p{Han}\d+$")
# a date cut after its month or year (…2026年9月 / 30日): the next line opens with what follows
_DATE_END = regex.compile(r"\d\s?[年月]$")
_SPLIT_DATE = regex.compile(r"\d{1,2}\s?[月日号]")
_LATIN_END = regex.compile(r"[A-Za-z]$")
_LATIN_START = regex.compile(r"[A-Za-z]")
_SENTENCE_STOP = regex.compile(r"[。！？!?]")
_PAIRS = {"《": "》", "〈": "〉", "（": "）", "(": ")", "“": "”", "「": "」", "『": "』",
          "【": "】", "〔": "〕", "[": "]", "［": "］", "‘": "’"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}
# brackets (not quotes: a quote may stay open over paragraphs, “…。 / “…。”)
_PARENS = frozenset("《〈（(【〔［[")
# what joins two lines even across a structural break (an HTML block holding one line of a
# hard-wrapped text, …（市人力资源社会 / 保障局牵头，…）): a bracket still open, the next line
# opening with closing punctuation; no block ends so, nor opens so
_ACROSS_BLOCKS = frozenset({"open bracket", "closing punctuation", "number alone"})
# a zero-padded item number alone on its line (a WeChat page sets 01 and its heading in two
# boxes, or draws the number as an image whose alt text is 01), before a short heading
_NUMBER_ALONE = regex.compile(r"0[1-9]")
# the longest line that holds only the rest of an organ's name (Han only, as a fragment)
_NAME_REST_MAX = 12
# a top-level label and a short heading after a sentence's end, closing a line
_GLUED_HEADING = regex.compile(r"[。！？!?；;](?:[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十百]{1,4}[章条])"
                               r"\p{Han}[^\s。；;，,！!？?：:、]{1,11}$")
_GLUED_HEADING_TAIL = 20
_HEADING_AFTER = regex.compile(r"\p{Han}[^\s。；;，,！!？?：:]{1,19}[？?]?")  # (a question too: 育儿补贴怎么领？)
_BRACKETS = regex.compile("[" + regex.escape("".join(_PAIRS) + "".join(_CLOSERS)) + "]")


_SITE_SEP = re.compile(r"[_|｜\-－—–]")  # what a <title> puts before the site's name
_RUN_ENDS = "。；;：:！!？?"  # a line ending with one of these ends its sentence


def runs_on(prev: str, nxt: str, rules: Rules) -> bool:
    """Does the line ``prev`` run on into ``nxt``, when something known cut them apart (a
    column of a two-column page, a page break)? Not when ``prev`` ends a sentence, nor when
    ``nxt`` opens with a numbering label."""
    end = prev.rstrip(" *")
    head = nxt.lstrip(" *#")
    return bool(end) and bool(head) and end[-1] not in _RUN_ENDS and rules.find_label(head) is None


def width(line: str) -> int:
    """Display width: wide (CJK) characters count 2, ASCII 1."""
    ascii_n = len(line.encode("ascii", "ignore"))
    return ascii_n + 2 * (len(line) - ascii_n)


def open_bracket_char(line: str) -> str | None:
    """The bracket or quote opened in ``line`` and still open at its end (no sentence ended
    since), else None."""
    stack: list[tuple[str, int]] = []
    for m in _BRACKETS.finditer(line):
        c = m.group(0)
        if c in _PAIRS:
            stack.append((c, m.start()))
        elif stack and stack[-1][0] == _CLOSERS[c]:
            stack.pop()
    if not stack or _SENTENCE_STOP.search(line, stack[-1][1]):
        return None
    return stack[-1][0]


def _content(line: str, rules: Rules, lab: tuple[str, str] | None) -> str:
    """The line without its leading labels (``2.【优惠内容】``): a label's 、 is no clause mark.

    ``lab``: the label starting ``line`` (the caller has looked it up already)."""
    for i in range(3):
        if lab is None:
            break
        line = line[len(lab[1]):].lstrip()
        if i < 2:
            lab = rules.label_at(line)
    return line


def _ends_terminal(line: str) -> bool:
    """``_TERMINAL_END`` searched in ``line``: the last char decides, most lines without a
    regex call. Undecodable characters after the end (…有效期3年。�� from a page saved in a
    mixed encoding) do not hide it."""
    last = line[-1:]
    if last == "\ufffd":
        line = line.rstrip("\ufffd")
        last = line[-1:]
    if last in _TERMINAL_CHARS:
        return True
    if last in _CLOSING_QUOTES:  # a quotation that ends a sentence: …创历史同期新高。”
        return line[-2:-1] in _SENTENCE_MARKS
    if last != "\n" and (not last or _EXT_LAST.match(last) is None):
        return False
    return bool(_TERMINAL_END.search(line[-_TERMINAL_TAIL:]))


# what the join rules ask about one line: [starts with a label, is a field line, holds clause
# punctuation outside its labels, ends like a sentence end, the bracket open at its end ("" for
# none; None until asked: most lines never get that far)]
_Features = list[bool | str | None]


def _features(line: str, rules: Rules) -> _Features:
    """The line's join features, memoised per pack (a line is asked about on every pass)."""
    memo = rules.line_memo
    got = memo.get(line)
    if got is None:
        lab = rules.find_label(line)  # (this memo keeps the answer: not the label memo too)
        got = [lab is not None, lab is not None and lab[0] == "label_field",
               bool(_CLAUSE.search(_content(line, rules, lab))), _ends_terminal(line), None]
        memo.put(line, got)
    return got


def _wrapped(feats: list[_Features]) -> tuple[list[int], int]:
    """The lines that look wrapped (clause punctuation inside, no end mark, not a field line,
    an unlabelled line after), and how many prose lines (clause punctuation, no field line)
    there are in all."""
    wrapped: list[int] = []
    prose = 0
    for i in range(len(feats) - 1):
        f = feats[i]
        if f[2] and not f[1]:  # clause punctuation, not a field line (责任单位：…、…)
            prose += 1
            if not f[3] and not feats[i + 1][0]:
                wrapped.append(i)
    return wrapped, prose


def _wrap_width(lines: list[str], wrapped: list[int], rules: Rules) -> float | None:
    """The median display width of the wrapped-looking lines (None with too few of them)."""
    widths = sorted(width(lines[i]) for i in wrapped)
    if len(widths) < int(rules.setting("join_min_samples", 3)):
        return None
    return float(widths[len(widths) // 2])


def _blocks_are_lines(wrapped: int, prose: int, rules: Rules) -> bool:
    """Do most prose lines look wrapped? A page's paragraphs end their sentences; the lines
    of a PDF kept one per block do not, and only then are the blocks' breaks wraps like any
    other."""
    share = float(rules.setting("join_blocks_share", 0.5))
    return wrapped >= int(rules.setting("join_blocks_min", 6)) and wrapped >= share * prose


def _should_join(prev: str, nxt: str, fp: _Features, fn: _Features, rules: Rules,
                 wrap: float | None, max_frag: int, min_frag_prev: int,
                 long_share: float) -> str | None:
    if nxt[:1].isdigit() and prev[-1:] in "年月" and _SPLIT_DATE.match(nxt) and _DATE_END.search(prev[-8:]):
        return "split date"  # …延至2026年9月 / 30 日。: the wrap moved the day's number down
                             # (before the label test: 30 日 is no row 30)
    if _NUMBER_ALONE.fullmatch(prev) and not (fn[0] and not fn[1]) and _HEADING_AFTER.fullmatch(nxt):
        return "number alone"  # 01 / 汽车消费补贴 → 01 汽车消费补贴 (batch 52); also a
                               # heading worded like a field name (05 / 申报时间, batch 68)
    if fn[0] or _NUMBER_ALONE.fullmatch(nxt):  # next line starts with a label, or is a 图解
        return None                             # item's number alone (…名单 / 02; batch 100)
    if nxt[:1] in CLOSING_CHARS:  # _STARTS_CLOSING.match(nxt)
        return "closing punctuation"
    if nxt[:1].isdigit() and prev[-1:].isdigit() and _SPLIT_NUMBER.search(prev[-12:]):
        return "split number"  # …每户补贴2 / 000元: one number broken by the wrap
    if fp[3]:  # line ends a sentence
        if prev[-1:] in _CLOSE_PARENS and nxt[:1] in _BOUND_HEADS:
            return "bound head"  # …示范企业（平台） / 的，分别给予…: 的 never opens a sentence
        if prev[-1:] in _CLOSE_PARENS:  # …配合单位：各县（区） / 人民政府、管委会）: an inner
            if fp[4] is None:           # bracket closed, the outer one still open
                fp[4] = open_bracket_char(prev) or ""
            if fp[4] in _PARENS:
                return "open bracket"
        return None
    tail = prev[-40:]
    if (rules.site_suffix is not None and _SITE_SEP.search(tail)
            and rules.site_suffix.search(tail)):
        return None  # a page's <title> line ends there (…清单_某市人民政府门户网站 / 辽阳)
    if fp[4] is None:
        fp[4] = open_bracket_char(prev) or ""
    if fp[4]:
        return "open bracket" if fp[4] in _PARENS else "open quote"
    if prev[-1:] in _COMMA_CHARS:  # _COMMA_END.search(prev): a line holds no "\n"
        return "comma"
    if (fp[1] and rules.organ_end is not None and len(nxt) <= _NAME_REST_MAX
            and _FRAGMENT.fullmatch(nxt) and rules.organ_end.search(nxt)
            and _HAN_END.search(prev[-1:]) and "、" in prev and not rules.organ_end.search(prev[-4:])):
        return "unit name"  # 责任单位：…、市产业 / 集聚区管委会: the wrap cut an organ's name
                            # in a list of them (not 发文机关 / 某市人民政府办 …)
    if (len(nxt) <= max_frag and len(prev) >= min_frag_prev and _FRAGMENT.fullmatch(nxt)
            and _HAN_END.search(prev[-2:])):
        return "fragment"  # (after a line long enough to have wrapped: not 申报时间 / 每年)
    if ((rules.title_end.search(prev[-rules.title_tail:]) and not (fp[0] and "，" in prev))
            or (" " in prev and _SPACED.search(prev))):
        return None  # (a labelled line holding "，" is no title: 第五条　…负责，按规定 / 使用…)
    if _GLUED_HEADING.search(prev[-_GLUED_HEADING_TAIL:]):
        return None  # …印发实施。二、主要内容: a top-level heading glued after a sentence ends
                     # its line (the text under it starts on the next; batch 64)
    if _PHONE_END.search(prev[-24:]):
        return None  # …联系人：周先生，电话：0376-3912568 / 潢川县商务局: a contact line ends there
    if fp[2] and not fp[1]:  # clause punctuation, not a field line
        return "clause"
    if wrap and width(prev) >= long_share * wrap:
        return "long line"
    return None


def _is_hard(buf: Buf, a: int, nl: int, hard: array) -> bool:
    """Does a structural break of the original lie between the line ``buf.text[a:nl]`` and the
    line after the "\n" at ``nl``? (offsets are monotonic: the gap between the two lines'
    characters in the original holds every break that separated them)"""
    offs = buf.offs
    lo = offs[nl - 1] + 1 if nl > a else offs[nl]
    hi = offs[nl + 1] if nl + 1 < len(offs) else offs[nl] + 1
    i = bisect_left(hard, lo)
    return i < len(hard) and hard[i] < hi


def join_lines(buf: Buf, rules: Rules, log: StepLog, hard: array | None = None) -> Buf:
    """One pass of joins over all adjacent line pairs (the caller repeats until stable).

    ``hard``: sorted indexes in the original of structural breaks, joined across only on the
    signals of ``_ACROSS_BLOCKS``, or as any break when the blocks are a PDF's lines.
    """
    text = buf.text
    lines = text.split("\n")
    if len(lines) < 2:
        return buf
    feats = [_features(ln, rules) for ln in lines]
    wrapped, prose = _wrapped(feats)
    wrap = _wrap_width(lines, wrapped, rules)
    if hard and wrap is not None and _blocks_are_lines(len(wrapped), prose, rules):
        hard = None  # a PDF's lines, one block each (pdf2htmlEX, <p> per line): they wrap
    max_frag = int(rules.setting("join_fragment_max", 2))
    min_frag_prev = int(rules.setting("join_fragment_min_line", 10))
    long_share = float(rules.setting("join_long_share", 0.8))
    joins: list[tuple[int, bool]] = []  # (index of a "\n" removed, a space put in its place)
    start, nl = 0, len(lines[0])  # the previous line's start, the "\n" after it
    for i in range(1, len(lines)):
        prev, nxt = lines[i - 1], lines[i]
        why = _should_join(prev, nxt, feats[i - 1], feats[i], rules, wrap, max_frag,
                           min_frag_prev, long_share)
        if why is not None and why not in _ACROSS_BLOCKS and hard and _is_hard(buf, start, nl, hard):
            why = None
        if why is not None:
            log.add(f"{prev[-8:]}⏎{nxt[:8]} ({why})", reason=why, text=f"{prev[-8:]}\n{nxt[:8]}")
            joins.append((nl, why == "number alone"
                          or bool(_LATIN_END.search(prev) and _LATIN_START.match(nxt))))
        start = nl + 1
        nl = start + len(nxt)
    if not joins:
        return buf
    pieces: list[Piece] = []
    pos = 0
    for nl, space in joins:
        pieces.append((pos, nl))
        if space:
            pieces.append((" ", buf.offs[nl]))  # the space stands for the "\n" it replaces
        pos = nl + 1
    pieces.append((pos, len(text)))
    return buf.build(pieces)
