"""Responsible units: the organizations a notice names as responsible for a measure.

Two shapes carry them (GUIDELINES, "units"):

- a **header list** — ``责任单位：A、B，C`` on its own line, inside ``（责任单位：…）`` /
  ``〔…〕`` at the end of an item, or after ``【政策落实单位】``. It runs from the header to
  the end of its line or bracket (or the next header);
- a **role parenthetical** — ``（A牵头，B、C配合）``, ``（A负责）``: organizations each
  followed by a role verb, every one of them looking like an organization.

- a **sentence** — ``由A会同B负责…`` (A lead, B member), ``A，B按职责分工负责…`` (members);
- a **table column** — a header row naming ``责任单位`` (or 牵头单位 …) as one cell: each
  row's cell in that column (one row per line with space-separated cells, or one cell per
  line) holds the row's units.

A list is cut into pieces on ``、，,；;`` (never inside brackets, so ``各县（市、区）人民政府``
stays whole) and on ``和``/``及`` between two organization names. A short piece without an
organization suffix (``各区``, ``省``) is a level word and joins the next piece across ``、``
(``各区、县(市)政府`` is one unit). Descriptions (``按职责分工负责``, ``以下均需…``) end the
list. Vocabularies and regexes are in ``data/units.yaml``.

The span of a unit is the name inside the item's text, so ``record.py`` attaches it to the
measure whose item holds the list.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

from ..document import Doc
from ..patterns.engine import Pack, default_pack
from ..segment.labels import glued_number

FIELD = "units"
_OPEN = "（(〔【[［"
_CLOSE = "）)〕】]］"
_SEPARATORS = "、，,；;"
_STRIP = " \t\u3000\"'“”‘’「」"
_TAIL_BRACKET = regex.compile(r"[（(][^（）()]*[）)]$")
_CONJUNCTION = regex.compile(r"[和及]")
_HAN = regex.compile(r"\p{Han}")
_NOT_IN_NAME = regex.compile(r"[。：:！？!?《》\n]")
_CELL = regex.compile(r"\S+")  # a table row on one line: cells apart by spaces
_HEADER_CELL = regex.compile(r"[^\S\n]*\p{Han}{2,8}[^\S\n]*")  # 序号, 政策内容 (no digits)
_NUMBER_HEADER = regex.compile(r"序号|编号")  # the row-number column (a run-in table's rows)
# a note under a table, or a contact line after it (咨询电话：…; a cell never repeats its label)
_TABLE_NOTE = regex.compile(r"(?:注|备注|说明|(?:咨询|联系)(?:电话|方式))[:：]")


@dataclass
class _Piece:
    """One candidate name between separators: its span and the separator that follows it."""

    start: int
    end: int
    sep: str  # the separator after it ("" at the end of the list, " " for a space)
    role: str | None = None  # a role written with the name (牵头 / 配合)


@dataclass
class _List:
    """A header list: where its header starts, where its names end, its role."""

    header_start: int
    start: int
    end: int  # where the list's region stops (line end, bracket end, next header)
    role: str


class _Grammar:
    """The compiled patterns and settings of the units field of one pack."""

    def __init__(self, pack: Pack):
        self.headers = [(p.compiled, p.attrs.get("role")) for p in pack.patterns(FIELD)
                        if p.name.startswith("header") and p.compiled is not None]
        self.paren = pack.pattern(FIELD, "role_parenthetical")
        self.bare = pack.pattern(FIELD, "bare_bracket")
        self.bare_org = pack.compile(FIELD, r"(?:{bare_suffix})$")
        self.not_org_head = pack.compile(FIELD, r"(?:{not_org_head})")
        self.pack = pack
        # every pattern of kind sentence (sentence_role, duty_division, a user's), read by Pack.scan
        self.sentences = [p for p in pack.patterns(FIELD)
                          if p.attrs.get("kind") == "sentence" and p.compiled is not None]
        self.column = pack.pattern(FIELD, "column_header")
        self.first_is_lead = pack.pattern(FIELD, "first_is_lead")
        self.forward = pack.pattern(FIELD, "forward_scope")
        self.description = pack.pattern(FIELD, "description")
        self.etc = pack.pattern(FIELD, "etc_tail")
        self.note = pack.pattern(FIELD, "note_bracket")
        self.lead_mark = pack.pattern(FIELD, "lead_mark")
        self.member_mark = pack.pattern(FIELD, "member_mark")
        self.suffix = pack.compile(FIELD, r"(?:{org_suffix})$")
        self.collective = pack.compile(FIELD, r"{collective}")
        self.verb_tail = pack.compile(FIELD, r"(?:{not_org_tail})$")
        self.jointly = pack.compile(FIELD, r"{joint}")
        self.group_row = pack.compile(FIELD, "{table_group_row}")  # 一、稳工业 (common.yaml)
        verbs = pack.compile(FIELD, r"""
            (?P<names>(?:{paren_char})+?)                      # the organizations
            (?:(?P<lead>{lead_verbs})(?:[^，,；;、）)]{1,8}?(?=[，,；;]))?  # their role verb (and
               |(?P<member>{member_verbs}))         # a lead's task: 负责牵头组织实施，)
            (?:[，,；;]\s*|$)                                   # clause separator or end
            """)
        self.clause = verbs
        self.max_list = int(pack.setting(FIELD, "max_list_chars", 300))
        self.max_unit = int(pack.setting(FIELD, "max_unit_chars", 30))
        self.merge_max = int(pack.setting(FIELD, "merge_max_chars", 4))
        self.scope_window = int(pack.setting(FIELD, "scope_window", 8))
        # a header word is the name of a role, not of an organ (注：牵头单位负责统筹推进，
        # 责任单位按职责分工抓好落实)
        self.role_words = frozenset(pack.vocab(FIELD, "lead_headers")
                                    + pack.vocab(FIELD, "member_headers"))

    def is_org(self, name: str) -> bool:
        """Does the name end like an organization (局, 委, 政府, 管委会 …) and not like a
        verb (施行, 督办)?"""
        name = _unbracket_tail(name)
        return bool(self.suffix.search(name)) and not self.verb_tail.search(name)

    def is_collective(self, name: str) -> bool:
        """``各镇（街道）``, ``各县（市、区）``: the places below a government, an organ when
        written with their bracket (a bare ``各区`` is a level word, merged with its neighbour)."""
        return name[-1:] in _CLOSE and bool(self.collective.fullmatch(_unbracket_tail(name)))


@lru_cache(maxsize=8)
def _grammar(pack: Pack) -> _Grammar:
    return _Grammar(pack)


def _unbracket_tail(name: str) -> str:
    """``各县（市、区）`` is judged by ``各县``; ``各县（市）区政府`` keeps its tail."""
    return _TAIL_BRACKET.sub("", name) if name and name[-1] in _CLOSE else name


def extract_units(doc: Doc) -> list[dict[str, Any]]:
    """Every responsible unit of the document: ``{text, start, end, role}``."""
    text = doc.text
    if not text:
        return []
    g = _grammar(doc.pack or default_pack())
    lists = _header_lists(text, g)
    notices = _lead_notices(text, g, lists)
    out: list[dict[str, Any]] = []
    for lst in lists:
        pieces = _split(text, lst.start, lst.end, g, allow_space=True)
        units = _units(text, pieces, g)
        first_lead = lst.role == "member" and _first_is_lead(text, lst, notices)
        explicit = any(p.role == "lead" for p in units)
        for i, p in enumerate(units):
            role = p.role or lst.role
            if first_lead and not explicit:
                role = "lead" if i == 0 else "member"
            out.append(_item(text, p, role))
    k = 0  # lists and parentheticals both come in text order: one sweep finds overlaps
    for m in g.paren.finditer(text):
        while k < len(lists) and lists[k].end <= m.start():
            k += 1
        if k < len(lists) and lists[k].header_start < m.end():
            continue  # a bracket that holds a header list was read as that list
        out.extend(_item(text, p, p.role or "member") for p in _parenthetical(text, m, g))
    taken = sorted((u["start"], u["end"]) for u in out)
    for m in g.bare.finditer(text):
        if not _overlaps(taken, m.start(), m.end()):
            out.extend(_item(text, p, "member") for p in _bare_bracket(text, m, g))
    taken = sorted((u["start"], u["end"]) for u in out)
    found = [m for pat in g.sentences for m in g.pack.scan(pat, text)]
    if len(g.sentences) > 1:
        found.sort(key=lambda m: m.start())
    end = -1
    for m in found:
        if m.start() >= end and not _overlaps(taken, m.start(), m.end()):
            out.extend(_item(text, p, p.role or "member") for p in _sentence(text, m, g))
            end = m.end()
    seen = {(u["start"], u["end"]) for u in out}
    for p in _columns(text, g):
        if (p.start, p.end) not in seen:
            seen.add((p.start, p.end))
            out.append(_item(text, p, p.role or "member"))
    out.sort(key=lambda u: (u["start"], u["end"]))
    return out


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Does [start, end) overlap one of the sorted ``spans`` (units already read)?"""
    i = bisect.bisect_left(spans, (end, end))
    return any(s < end and e > start for s, e in spans[max(0, i - 8):i])


def _item(text: str, p: _Piece, role: str) -> dict[str, Any]:
    return {"text": text[p.start:p.end], "start": p.start, "end": p.end, "role": role}


# -- header lists ----------------------------------------------------------------------------
def _header_lists(text: str, g: _Grammar) -> list[_List]:
    """Every header and the region of names after it (to line/bracket end or next header)."""
    matches: list[tuple[int, int, int, str]] = []
    for rank, (rx, fixed_role) in enumerate(g.headers):
        for m in rx.finditer(text):
            role = fixed_role or ("lead" if m.groupdict().get("lead") else "member")
            matches.append((m.start(), rank, m.end(), role))
    found: list[tuple[int, int, str]] = []
    for start, _, end, role in sorted(matches):  # at one place the earlier pattern wins
        if found and start < found[-1][1]:
            continue  # overlaps a header already taken
        found.append((start, end, role))
    lists = []
    for i, (hs, he, role) in enumerate(found):
        limit = found[i + 1][0] if i + 1 < len(found) else len(text)
        lists.append(_List(hs, he, _region_end(text, he, min(limit, he + g.max_list)), role))
    return lists


def _region_end(text: str, start: int, limit: int) -> int:
    """Where a list stops: line end, 。, an unbalanced closing bracket, or the limit."""
    depth = 0
    for i in range(start, limit):
        c = text[i]
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            if depth == 0:
                return i
            depth -= 1
        elif c in "\n。":
            return i
    return limit


def _split(text: str, start: int, end: int, g: _Grammar, *, allow_space: bool) -> list[_Piece]:
    """Cut ``text[start:end]`` on separators at bracket depth 0 into trimmed pieces.

    A run of spaces separates two names only when the piece after it looks like an
    organization (``人民融 经开区管委会``); otherwise the list ends at the space.
    """
    pieces: list[_Piece] = []
    depth = 0
    s = start
    i = start
    while i < end:
        c = text[i]
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and c in _SEPARATORS:
            pieces.append(_Piece(s, i, c))
            s = i + 1
        elif depth == 0 and c in " \t\u3000" and allow_space and i > s:
            j = i
            while j < end and text[j] in " \t\u3000":
                j += 1
            if j < end and text[j] in _SEPARATORS:
                i = j  # a stray space before a separator (市财政局 、市商务局)
                continue
            nxt = _token_end(text, j, end)
            if j < end and _is_level_word(text[j:nxt], g):  # (县 发改局 县 财政局)
                k = nxt
                while k < end and text[k] in " \t\u3000":
                    k += 1
                if k > nxt and k < end:
                    nxt = _token_end(text, k, end)
            if j < end and g.is_org(_strip_marks(text[j:nxt], g)):
                if _is_level_word(text[s:i].strip(_STRIP), g):
                    i = j  # a Word export's spaced name (市 财政局): one name
                    continue
                pieces.append(_Piece(s, i, " "))
                s = j
                i = j
                continue
            end = i  # the names stop here
            break
        i += 1
    pieces.append(_Piece(s, end, ""))
    return [t for p in pieces if (t := _trim(text, p)) is not None]


def _token_end(text: str, i: int, end: int) -> int:
    """Where the run of name characters from ``i`` stops (a separator, space or bracket)."""
    while i < end and text[i] not in _SEPARATORS + " \t\u3000" + _OPEN:
        i += 1
    return i


def _trim(text: str, p: _Piece) -> _Piece | None:
    s, e = p.start, p.end
    while s < e and text[s] in _STRIP:
        s += 1
    while e > s and text[e - 1] in _STRIP:
        e -= 1
    return _Piece(s, e, p.sep) if s < e else None


def _strip_marks(name: str, g: _Grammar) -> str:
    for rx in (g.lead_mark, g.member_mark, g.etc, g.note):
        name = rx.sub("", name)
    return name


def _units(text: str, pieces: list[_Piece], g: _Grammar) -> list[_Piece]:
    """Pieces → units: role marks, descriptions, 等, level-word merges, 和/及 splits."""
    kept: list[_Piece] = []
    for p in pieces:
        name = text[p.start:p.end]
        role = None
        for rx, r in ((g.lead_mark, "lead"), (g.member_mark, "member")):
            m = rx.search(name)
            if m and m.start() > 0:
                name, role = name[:m.start()], r
                break
        d = g.description.search(name)
        stop = d is not None
        if d is not None:  # 市财政局(按职责分工): the bracket opening the description goes too
            name = name[:d.start()].rstrip(_STRIP + _OPEN)
        m = g.etc.search(name)
        if m:
            name = name[:m.start()]
        m = g.note.search(name)
        if m:  # 市财政局（含经开区财政分局）: the note goes
            name = name[:m.start()]
        name = name.rstrip(_STRIP)
        if name:
            kept.append(_Piece(p.start, p.start + len(name), "" if stop else p.sep, role))
        if stop:
            break
    merged: list[_Piece] = []
    for p in kept:
        prev = merged[-1] if merged else None
        if prev is not None and prev.sep == "、" and _is_level_word(text[prev.start:prev.end], g):
            merged[-1] = _Piece(prev.start, p.end, p.sep, p.role or prev.role)
        else:
            merged.append(p)
    out: list[_Piece] = []
    for p in merged:
        out.extend(_split_conjunction(text, p, g))
    return [p for p in out if _plausible(text[p.start:p.end], g)]


def _is_level_word(name: str, g: _Grammar) -> bool:
    """``各区``, ``省``, ``中央``: too short to be a name, no suffix, no closing bracket."""
    return (0 < len(name) <= g.merge_max and not g.is_org(name)
            and name[-1] not in _CLOSE)


def _split_conjunction(text: str, p: _Piece, g: _Grammar) -> list[_Piece]:
    """``市委宣传部和市文明办`` → two units; ``市工业和信息化局`` stays one."""
    name = text[p.start:p.end]
    for m in _CONJUNCTION.finditer(name):
        left, right = name[:m.start()], name[m.end():]
        if len(left) >= 2 and len(right) >= 2 and g.is_org(left) and g.is_org(right):
            mid = p.start + m.start()
            return [_Piece(p.start, mid, "和", p.role),
                    *_split_conjunction(text, _Piece(mid + 1, p.end, p.sep, p.role), g)]
    return [p]


def _plausible(name: str, g: _Grammar) -> bool:
    """A name has Han characters, no sentence punctuation, and a name's length."""
    return (1 < len(name) <= g.max_unit and _HAN.search(name) is not None
            and not _NOT_IN_NAME.search(name))


# -- role parentheticals ---------------------------------------------------------------------
def _parenthetical(text: str, m: regex.Match[str], g: _Grammar) -> list[_Piece]:
    """``（A牵头，B、C配合）`` → A lead, B and C member; nothing unless every piece is an org."""
    body_start = m.start("body")
    body = m.group("body")
    out: list[_Piece] = []
    pos = 0
    while pos < len(body):
        c = g.clause.match(body, pos)
        if c is None:
            return []
        role = "lead" if c.group("lead") else "member"
        s, e = c.span("names")
        # （由X会同Y负责）: X leads, Y is a member (as in the sentence form 由X会同Y负责…)
        j = g.jointly.search(body, s, e)
        parts = [(s, e, role)] if j is None else [(s, j.start(), "lead"), (j.end(), e, "member")]
        for ps, pe, prole in parts:
            pieces = _split(text, body_start + ps, body_start + pe, g, allow_space=False)
            for p in pieces:
                name = text[p.start:p.end]
                name = _strip_marks(name, g)
                if not name or not (g.is_org(name) or g.is_collective(name)
                                    or _is_level_word(name, g)):
                    return []
            for p in _units(text, pieces, g):
                p.role = p.role or prole
                out.append(p)
        pos = c.end()
    return out


def _bare_bracket(text: str, m: regex.Match[str], g: _Grammar) -> list[_Piece]:
    """``。（A、B）``: every piece a government organ (two or more inside a sentence), else none."""
    group = "body" if m.group("body") is not None else "inline"
    pieces = _split(text, m.start(group), m.end(group), g, allow_space=False)
    if group == "inline" and len(pieces) < 2:
        return []
    for p in pieces:
        name = _strip_marks(text[p.start:p.end], g)
        if (not name or not g.is_org(name) or not g.bare_org.search(_unbracket_tail(name))
                or g.not_org_head.match(name)):
            return []
    return _units(text, pieces, g)


# -- 排在首位的为牵头单位 ------------------------------------------------------------------------
_NOTE_REACH = 16  # a notice this close after a list, in its bracket, is that list's
_NOTE_STOP = regex.compile(r"[）)\n]")  # …unless the bracket or the line closes between
def _lead_notices(text: str, g: _Grammar, lists: list[_List]) -> list[tuple[int, bool]]:
    """Each first-is-lead notice: its position and whether it reaches later lists."""
    out = []
    for m in g.first_is_lead.finditer(text):
        after = text[m.end():m.end() + g.scope_window]
        inside = any(lst.header_start <= m.start() <= lst.end for lst in lists)
        out.append((m.start(), bool(g.forward.search(after)) or not inside))
    return out


def _first_is_lead(text: str, lst: _List, notices: list[tuple[int, bool]]) -> bool:
    """Does a notice apply to ``lst``: inside it, before it and reaching forward, or right
    after it in its own bracket (（责任单位：A、B，C。列第一位者为牵头单位，下同）)?"""
    for pos, forward in notices:
        if lst.header_start <= pos <= lst.end or (forward and pos < lst.header_start):
            return True
        if lst.end < pos <= lst.end + _NOTE_REACH and not _NOTE_STOP.search(text, lst.end, pos):
            return True
    return False


# -- sentences -------------------------------------------------------------------------------
def _sentence(text: str, m: regex.Match[str], g: _Grammar) -> list[_Piece]:
    """``由A会同B负责`` → A lead, B members; ``…，A，B按职责分工负责`` → the organizations
    written last before the verb (a leading clause without one is not a unit)."""
    s, e = m.span("names")
    pieces = _split(text, s, e, g, allow_space=False)
    kept: list[_Piece] = []
    for p in reversed(pieces):
        name = _strip_marks(text[p.start:p.end], g)
        if not (_named_org(name, g) or (kept and p.sep == "、" and _is_level_word(name, g))):
            break
        kept.append(p)
    kept.reverse()
    members = _units(text, kept, g)
    if m.groupdict().get("lead") is None:  # a pattern without a lead group (duty_division)
        if "all_lead" in m.re.groupindex:  # 由X、Y牵头的联席会议制度: every one of them leads
            for p in members:
                p.role = "lead"
        return members
    if not members or len(kept) != len(pieces):
        return []  # 由A会同B…: every name must be an organization
    lead = _trim(text, _Piece(*m.span("lead"), ""))
    if lead is None or not _named_org(text[lead.start:lead.end], g):
        return []
    lead.role = "lead"
    for p in members:
        p.role = "member"
    return [lead, *members]


def _named_org(name: str, g: _Grammar) -> bool:
    """An organization with a name before its suffix (市直有关部门, not a bare 企业/单位, not a
    role's name: 责任单位, 各牵头单位)."""
    if g.is_collective(name):
        return True  # 各镇（街道）, 各县（市、区）
    m = g.suffix.search(_unbracket_tail(name))
    return m is not None and m.start() > 0 and name.removeprefix("各") not in g.role_words


# -- table columns ---------------------------------------------------------------------------
def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The space-separated cells of a line (a table row rendered on one line)."""
    return [mm.span() for mm in _CELL.finditer(text, start, end)]


def _line_at(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _cell_units(text: str, start: int, end: int, g: _Grammar, role: str) -> list[_Piece]:
    """A unit cell's organizations; [] when the cell does not start with one (or is
    labelled, 责任单位：…, which the header lists read)."""
    cell = text[start:end]
    if ":" in cell or "：" in cell:
        return []
    units = _units(text, _split(text, start, end, g, allow_space=False), g)
    out: list[_Piece] = []
    for p in units:  # the organizations the cell starts with (not a glued-on next cell)
        if not g.is_org(text[p.start:p.end]):
            break
        p.role = p.role or role
        out.append(p)
    return out


def _columns(text: str, g: _Grammar) -> list[_Piece]:
    """Units read from the column a table header names (责任单位, 牵头单位 …)."""
    out: list[_Piece] = []
    for m in g.column.finditer(text):
        role = "lead" if m.group("lead") else "member"
        ls, le = _line_at(text, m.start())
        header = _cells(text, ls, le)
        runin = _runin_column(text, header, m.start(), g, role)
        if runin is not None:
            out.extend(runin)
        elif len(header) >= 2:
            out.extend(_row_column(text, header, m.start(), le, g, role))
        else:
            out.extend(_cell_column(text, ls, le, g, role))
    return out


def _row_column(text: str, header: list[tuple[int, int]], cell_start: int, pos: int,
                g: _Grammar, role: str) -> list[_Piece]:
    """One row per line: the k-th cell of every following row (the last cell when the
    unit column is the last one and a cell holds spaces), until a line is not a row."""
    k = next(i for i, (s, _) in enumerate(header) if s == cell_start)
    n = len(header)
    out: list[_Piece] = []
    while pos < len(text):
        ls, le = pos + 1, text.find("\n", pos + 1)
        le = len(text) if le < 0 else le
        pos = le
        cells = _cells(text, ls, le)
        if len(cells) < 2:
            break
        if len(cells) == n:
            cell = cells[k]
        elif k == n - 1 and len(cells) > n:
            cell = cells[-1]
        else:
            continue
        out.extend(_cell_units(text, *cell, g, role))
    return out


def _runin_column(text: str, cells: list[tuple[int, int]], cell_start: int, g: _Grammar,
                  role: str) -> list[_Piece] | None:
    """A table run in on one line (a page that lost its line breaks): ``序号 政策名称 支持内容
    责任单位 1 外贸奖励 对…奖励。 市商务局 2 …``. The header is the run of short cells around
    the unit header up to a cell ``1``; the rows start at the cells 1, 2, 3, …; a row with as
    many cells as the header gives its k-th cell (a row number glued to a cell is found
    inside it). None when the line holds no such table."""
    i = next(j for j, (s, _) in enumerate(cells) if s == cell_start)
    lo = i
    while lo > 0 and _HEADER_CELL.fullmatch(text, *cells[lo - 1]):
        lo -= 1
    hi = i + 1
    while hi < len(cells) and _HEADER_CELL.fullmatch(text, *cells[hi]):
        hi += 1
    first = hi + 1 if hi < len(cells) and g.group_row.fullmatch(text, *cells[hi]) else hi
    if first >= len(cells) or text[cells[first][0]:cells[first][1]] != "1":
        return None  # (a group row, 一、稳工业, may stand between the header and row 1)
    head = cells[lo:hi]
    num = next((j for j, c in enumerate(head) if _NUMBER_HEADER.fullmatch(text, *c)), None)
    # columns before 序号 (政策类别) span rows: their value cell stands before a row's
    # number only where it changes (减轻经营负担 1 减免房屋租金 …), first right before "1"
    pre = num or 0
    head = head[:num] + head[num + 1:len(head) - pre] if num is not None else head
    head = head[pre:]
    if not any(s == cell_start for s, _ in head):
        return None
    k = next(j for j, (s, _) in enumerate(head) if s == cell_start)
    rows: list[list[tuple[int, int]]] = []
    n = 0
    for j, c in enumerate(cells[first:], first):
        cell = text[c[0]:c[1]]
        if _TABLE_NOTE.match(cell) and rows:
            break  # 注：… under the table (its last row has ended)
        if (j + 1 < len(cells) and text[cells[j + 1][0]:cells[j + 1][1]] == str(n + 1)
                and g.group_row.fullmatch(text, *c)):
            continue  # a group row (二、促消费) between two rows: a heading, no cell
        if rows and g.group_row.fullmatch(text, *c):
            break  # 三、申报与兑付 after the last row: the next section, the table has ended
        if cell.isdigit() and n < int(cell) <= n + 2:  # one row may be glued (7个转企奖励)
            if int(cell) == n + 2 and rows:
                _split_glued(text, rows, n + 1)
            rows.append([])
            n = int(cell)
        elif (m := glued_number(n + 1).match(text, c[0], c[1])) is not None:
            rows.append([(m.end(), c[1])])  # … 0979-8417788 10个体工商户社保补贴 …: a row whose
            n += 1                          # number reads as a count (10个) opens the cell
        else:
            rows[-1].append(c)
    out: list[_Piece] = []
    # adjacent unit columns (牵头单位 责任单位) share one run of organ cells: a member cell
    # broken over lines, run in, gives more cells than columns, so the first cell is the
    # lead column's, the last column takes what is left
    units = _unit_columns(text, head, k, g)
    u = units.index(k)
    trailing = len(head) - 1 - units[-1]  # columns after the unit column (联系电话, 备注)
    for row in rows:
        if pre and len(head) < len(row) <= len(head) + pre:
            out.extend(_cell_units(text, *row[k], g, role))  # (+ the next row's category)
            continue
        # Cells are counted off the row's end, since the count of the cells before the unit
        # cell is not to be trusted: a content cell with a space in it, two cells run together
        # (奖励 50万元 → 奖励50万元 once stray spaces are gone), an empty cell. The cells of the
        # columns after the unit column close the row; the organ cells right before them are
        # the unit cell (one cell, or one broken over lines: 市财政局 / 市地方金融管理局).
        end = len(row) - trailing
        if trailing and len(row) < len(head):
            # a row short of cells (a merged cell written in its first row only, an empty
            # phone cell left out): the unit cell is its last organ cell, with at most the
            # trailing columns' cells after it, never right of its column
            last = next((j for j in range(len(row) - 1, 0, -1)
                         if _cell_units(text, *row[j], g, role)), None)
            if last is None or len(row) - 1 - last > trailing or last > units[-1]:
                continue
            end = last + 1
        elif trailing and len(row) != len(head) and any(
                _cell_units(text, *c, g, role) for c in row[max(end, 0):]):
            continue  # the trailing cells do not line up: no units rather than wrong ones
        cells: list[list[_Piece]] = []
        for j in range(end - 1, 0, -1):  # (never the row's first cell, its name)
            if _CLAUSE_MARK.search(text, *row[j]) and not _org_list(text, *row[j], g):
                break  # a content cell (对…企业，给予…): its 企业 are no units
            got = _cell_units(text, *row[j], g, role)
            if not got:
                break
            cells.insert(0, got)
        cells = cells[u:] if u == len(units) - 1 else cells[u:u + 1]
        out.extend(p for c in cells for p in c)
    return out


def _unit_columns(text: str, head: list[tuple[int, int]], k: int, g: _Grammar) -> list[int]:
    """The header's run of adjacent unit columns that holds column ``k``."""
    def is_unit(j: int) -> bool:
        return text[head[j][0]:head[j][1]].strip() in g.role_words
    lo = hi = k
    while lo > 0 and is_unit(lo - 1):
        lo -= 1
    while hi + 1 < len(head) and is_unit(hi + 1):
        hi += 1
    return list(range(lo, hi + 1))


_CLAUSE_MARK = regex.compile(r"[，,。；;！？“”]")  # rare in a unit cell, usual in a content cell
_LIST_SEP = regex.compile(r"[、，,]")


def _org_list(text: str, start: int, end: int, g: _Grammar) -> bool:
    """A unit cell whose organs a comma separates too (市财政局、市商务局，市税务局)."""
    names = _LIST_SEP.split(text[start:end])
    return len(names) > 1 and all(n and g.is_org(n) for n in names)


def _split_glued(text: str, rows: list[list[tuple[int, int]]], n: int) -> None:
    """Start row ``n`` where its number lost its spaces inside the last row's cells
    (``市人社局8家电消费券`` → ``市人社局`` | row 8 ``家电消费券``); nothing when it is not there."""
    glued = glued_number(n)
    last = rows[-1]
    for j in range(len(last) - 1, -1, -1):
        s, e = last[j]
        found = list(glued.finditer(text, s, e))
        if found:
            m = found[-1]
            rows[-1] = last[:j] + ([(s, m.start())] if m.start() > s else [])
            rows.append([(m.end(), e)] + last[j + 1:])
            return


def _cell_column(text: str, ls: int, le: int, g: _Grammar, role: str) -> list[_Piece]:
    """One cell per line: the header cells are the short label lines around this one; every
    following group of as many lines is a row, whose k-th line is the unit cell."""
    lines: list[tuple[int, int]] = []
    s = ls
    while s > 0:  # header cells above
        ps, pe = _line_at(text, s - 1)
        if not _HEADER_CELL.fullmatch(text, ps, pe):
            break
        lines.insert(0, (ps, pe))
        s = ps
    k = len(lines)
    lines.append((ls, le))
    e = le
    while e < len(text):  # header cells below
        ns, ne = _line_at(text, e + 1)
        if not _HEADER_CELL.fullmatch(text, ns, ne):
            break
        lines.append((ns, ne))
        e = ne
    n = len(lines)
    if n < 2:
        return []
    out: list[_Piece] = []
    while e < len(text):
        row = []
        for _ in range(n):
            if e >= len(text):
                return out
            row.append(_line_at(text, e + 1))
            e = row[-1][1]
        got = _cell_units(text, *row[k], g, role)
        if not got:
            break
        out.extend(got)
    return out
