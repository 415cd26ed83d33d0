"""HTML → plain text with, per character, its index in the raw markup.

A tokenizer over the raw string (comments, tags, entities) rather than a DOM parser: a DOM
does not say where its text came from, and the offset map is the point. Block elements become
line breaks, a table row becomes one line (its non-empty cells separated by one space, cells
under a unit-column header such as ``责任单位`` prefixed ``责任单位：``), ``script/style/nav/
header/footer/noscript`` are dropped with their content,
entities are decoded (each decoded char maps to the entity's "&"), whitespace runs collapse
to one space. ``<title>`` and ``<meta>`` fill ``hints``. Damaged markup never raises: the
damaged bit is skipped and W303 says the page was not parsed cleanly.
"""
from __future__ import annotations

import html as _html
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import regex

from ..errors import Warn
from .entities import REF_BODY
from .offsets import span_map

_TOKEN = regex.compile(r"""
      (?P<comment><!--.*?(?:-->|\Z))                      # comment (unterminated: to the end)
    | (?P<decl><![^>]{0,4000}>|<\?[^>]{0,4000}>)          # doctype, CDATA-ish, processing instr.
    | (?P<tag></?(?P<name>[A-Za-z][A-Za-z0-9:-]{0,40})   # tag name
          (?P<attrs>(?:[^>"']|"[^"]{0,4000}"|'[^']{0,4000}'){0,4000})  # attributes
          >)
    | (?P<entity>&(?:""" + REF_BODY + r""");?)
    | (?P<stray><[A-Za-z/!])                              # a "<" that opens no complete tag
""", regex.S | regex.X)
_WS = regex.compile(r"[ \t\r\n\f]+")
_ATTR = regex.compile(r"""([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_SNIFF = regex.compile(r"<(?:!DOCTYPE|html|body|head|p|div|br|span|table|tr|td|li|ul|h[1-6]|meta|"
                       r"title|strong|font|section|article)\b[^>]{0,500}>", regex.I)

_NONSPACE = regex.compile(r"\S+")
_TAG_NAME = regex.compile(r"<(!?\w+)")
_INLINE = frozenset(["br", "span", "strong", "font"])  # tags a markdown file holds inline
_COLSPAN = regex.compile(r"""colspan\s*=\s*["']?\s*(\d{1,2})""", regex.I)
_ROWSPAN = regex.compile(r"""rowspan\s*=\s*["']?\s*(\d{1,3})""", regex.I)
_MAX_ROWSPAN = 200  # a broken page's rowspan="999" covers no more than this many rows
_CELL_MAX_LINES = 4  # a cell with more lines than this holds a page layout, not a table cell
_WIDGET_CHARS = 6  # a button with at most this many visible characters is a widget (返回顶部)
_TAGS = regex.compile(r"<[^>]{0,4000}>")
_ALT = regex.compile(r"""\balt\s*=\s*["']([^"'<>]{0,20})["']""", regex.I)
_ALT_NUMBER = regex.compile(r"\d{1,2}")  # the alt text of a number drawn as an image (batch 52)

BLOCK = frozenset(["p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "table", "tbody", "thead", "tfoot", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote", "pre", "hr", "dl", "dt", "dd", "form", "fieldset", "figure", "figcaption", "caption", "address", "main", "center", "option"])
SKIP = frozenset(["script", "style", "noscript", "nav", "header", "footer", "template", "iframe", "object", "select", "svg", "title", "textarea"])
_META_HINTS = {"articletitle": "title", "og:title": "title", "title": "title",
               "pubdate": "date", "publishdate": "date", "article:published_time": "date",
               "firstpublishedtime": "date", "date": "date", "dc.date": "date",
               "contentsource": "source_name", "source": "source_name", "og:site_name": "site_name",
               "sitename": "site_name", "keywords": "keywords", "description": "description",
               "columnname": "column"}


def looks_like_html(text: str, markdown: bool = False) -> bool:
    """Is ``text`` a web page? ``markdown``: the file is markdown by its name or holds a pipe
    table, where line-level tags (``<br>`` in a table cell, ``<span>``) are no page: it is one
    only with a document or block tag (``<html>``, ``<p>``, ``<div>``, ``<table>``…)."""
    head = text[:65536]
    if "<" not in head:
        return False  # every _SNIFF match starts with "<": no regex scan of a plain text
    found = _SNIFF.findall(head)
    if markdown:
        found = [f for f in found if _TAG_NAME.match(f).group(1).lower() not in _INLINE]
    return len(found) >= 2 or any(f[:5].lower() in ("<!doc", "<html", "<body") for f in found)


@lru_cache(maxsize=64)
def _open_close(name: str) -> regex.Pattern[str]:
    return regex.compile(rf"<(/?){regex.escape(name)}\b[^>]{{0,4000}}>", regex.I)


def _skip_to_close(raw: str, name: str, pos: int, end: int) -> int | None:
    """Index after the ``</name>`` closing the element opened before ``pos`` (nesting counted)."""
    pat = _open_close(name)
    depth = 1
    for m in pat.finditer(raw, pos, end):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.end()
    return None


@dataclass
class _Row:
    """A table row being read: where its text starts in the output, and its cells so far."""

    start: int   # len(parts) when the row began
    ostart: int  # len(offs) then
    # per cell: [raw index of its tag, column, parts start, offs start, parts end, offs end]
    cells: list[list[int]] = field(default_factory=list)
    col: int = 0
    nested: bool = False  # a cell holds a table: a page layout, kept as it is
    # columns taken by cells of earlier rows (rowspan): column → its width
    taken: dict[int, int] = field(default_factory=dict)
    spans: list[tuple[int, int]] = field(default_factory=list)  # per cell: rowspan, colspan


@dataclass
class _Table:
    header: dict[int, str] | None = None  # column → unit header word (责任单位) of that column
    rows: int = 0
    row: _Row | None = None
    # a cell spanning the rows below it (rowspan): column → [rows left, width, the cell as
    # rendered (at, col, text, offsets, tokens), or None when it held no text]
    carry: dict[int, list[Any]] = field(default_factory=dict)
    category: set[int] = field(default_factory=set)  # columns grouping the rows (政策类别)

    def new_row(self, start: int, ostart: int) -> _Row:
        self.row = _Row(start, ostart, taken={c: v[1] for c, v in self.carry.items()})
        return self.row


_HEAD_ROWS = 3  # the header row is looked for among a table's first rows


def header_word(cell: str, headers: frozenset[str]) -> str | None:
    """``责任单位`` for a header cell ``责 任 单 位`` / ``责任单位（部门）：``, else None."""
    word = regex.sub(r"\s+", "", cell).rstrip(":：")
    word = regex.sub(r"[（(][^）)]{0,12}[）)]$", "", word)
    return word if word in headers else None


def html_to_text(raw: str, start: int = 0, end: int | None = None,
                 unit_headers: Iterable[str] = (), category_headers: Iterable[str] = ()
                 ) -> tuple[str, array, dict[str, object], list[Warn]]:
    """(body, body_map, hints, warnings) for the markup ``raw[start:end]``.

    ``unit_headers``: header words of a table column naming the responsible units; each cell
    under such a header is prefixed with the word and a colon, like a field line.
    ``category_headers``: header words of a column grouping the rows (政策类别); each cell
    under one is written as a tag, ``【产业基地】``, which a title skips.
    """
    end = len(raw) if end is None else end
    parts: list[str] = []
    offs = array("l")
    hints: dict[str, object] = {}
    broken = False
    headers = frozenset(unit_headers)
    categories = frozenset(category_headers)
    tables: list[_Table] = []

    def close_cell(row: _Row) -> None:
        if row.cells and row.cells[-1][4] < 0:
            row.cells[-1][4:6] = [len(parts), len(offs)]

    def finish_row(table: _Table) -> None:
        """Render the row read so far as one line: its non-empty cells, one space apart."""
        row, table.row = table.row, None
        if row is None:
            return
        close_cell(row)
        table.rows += 1
        cells = []
        spanning: list[tuple[int, int, int, Any]] = []  # (col, rowspan, width, cell)
        for k, (at, col, ps, os, pe, oe) in enumerate(row.cells):
            text = "".join(parts[ps:pe])
            toks = list(_NONSPACE.finditer(text))
            cell = (at, col, text, offs[os:oe], toks) if toks else None
            if cell is not None:
                cells.append(cell)
            if k < len(row.spans) and row.spans[k][0] > 1:
                spanning.append((col, row.spans[k][0], row.spans[k][1], cell))
        # a merged cell of a unit column (责任单位) counts for every row it spans: it is
        # repeated on them, mapped to the cell it repeats
        header_now = table.header
        for col, entry in list(table.carry.items()):
            if entry[2] is not None and header_now and col in header_now:
                cells.append(entry[2])
            entry[0] -= 1
            if entry[0] <= 0:
                del table.carry[col]
        for col, rows, width, cell in spanning:
            table.carry[col] = [rows - 1, width, cell]
        cells.sort(key=lambda c: c[1])
        if row.nested or len(cells) < 2 or any(
                c[2].count("\n") > _CELL_MAX_LINES for c in cells):
            return  # one cell, or a page laid out in a table: its own line breaks stay
        header = table.header
        if header is None and (headers or categories) and table.rows <= _HEAD_ROWS:
            found = {col: w for _at, col, text, _o, _t in cells
                     if (w := header_word(text, headers))}
            grouped = {col for _at, col, text, _o, _t in cells if header_word(text, categories)}
            if found or grouped:
                table.header, header = found, None  # the header row itself gets no prefix
                table.category = grouped
        del parts[row.start:]
        del offs[row.ostart:]
        for i, (at, col, text, co, toks) in enumerate(cells):
            if i:
                parts.append(" ")
                offs.append(at)  # the cell separator stands for the cell's tag
            label = header.get(col) if header else None
            if label and not text.lstrip().startswith(label):
                parts.append(label + "：")
                offs.extend([at] * (len(label) + 1))
            tag = header is not None and col in table.category and len(toks) == 1 and i > 0
            if tag:  # 【产业基地】: a group of rows, not the row's title
                parts.append("【")
                offs.append(at)
            for j, m in enumerate(toks):
                if j:
                    parts.append(" ")
                    offs.append(co[toks[j - 1].end()])
                parts.append(m.group(0))
                offs.extend(co[m.start():m.end()])
            if tag:
                parts.append("】")
                offs.append(co[toks[-1].end() - 1])

    def table_tag(name: str, closing: bool, at: int, attrs: str) -> None:
        if name == "table":
            if closing:
                if tables:
                    finish_row(tables.pop())
            else:
                if tables and tables[-1].row is not None:
                    tables[-1].row.nested = True
                tables.append(_Table())
            newline(at)
            return
        table = tables[-1]
        if name == "tr":
            finish_row(table)
            newline(at)
            if not closing:
                table.new_row(len(parts), len(offs))
            return
        if table.row is None:  # a cell without its <tr>
            if closing:
                return
            newline(at)
            table.new_row(len(parts), len(offs))
        row = table.row
        assert row is not None
        close_cell(row)
        if not closing:
            while row.col in row.taken:  # under a cell of an earlier row (rowspan)
                row.col += row.taken[row.col]
            span = _COLSPAN.search(attrs)
            rows = _ROWSPAN.search(attrs)
            width = max(1, int(span.group(1))) if span else 1
            row.cells.append([at, row.col, len(parts), len(offs), -1, -1])
            row.spans.append((min(int(rows.group(1)), _MAX_ROWSPAN) if rows else 1, width))
            row.col += width

    pre = 0  # open <pre> elements: their line breaks are the text's (a print version's layout)

    def emit_text(a: int, b: int) -> None:
        pos = a
        for m in _WS.finditer(raw, a, b):
            if m.start() > pos:
                parts.append(raw[pos:m.start()])
                offs.extend(span_map(pos, m.start()))
            breaks = [i for i in range(m.start(), m.end()) if raw[i] == "\n"] if pre else []
            if breaks:
                parts.append("\n" * len(breaks))
                offs.extend(breaks)
            else:
                parts.append(" ")
                offs.append(m.start())
            pos = m.end()
        if pos < b:
            parts.append(raw[pos:b])
            offs.extend(span_map(pos, b))

    def newline(at: int) -> None:
        parts.append("\n")
        offs.append(at)

    pos = start
    for m in _TOKEN.finditer(raw, start, end):
        a, b = m.span()
        if a < pos:
            continue  # inside an element already skipped
        if a > pos:
            emit_text(pos, a)
        pos = b
        kind = m.lastgroup  # the alternative that matched (its group closes last)
        if kind == "comment":
            if not m.group(0).endswith("-->"):
                broken = True
        elif kind == "tag":
            name = m.group("name").lower()
            closing = m.group(0).startswith("</")
            if name == "meta":
                _meta(m.group("attrs"), hints)
            elif name == "img":
                alt = _ALT.search(m.group("attrs") or "")
                if alt and _ALT_NUMBER.fullmatch(alt.group(1).strip()):
                    num = alt.group(1).strip()  # an item number drawn as an image: <img alt="01">
                    parts.append(num)
                    offs.extend([a] * len(num))
            elif name == "button" and not closing and (close := _widget_button(raw, b, end)):
                pos = close
            elif name in SKIP and not closing and not m.group(0).endswith("/>"):
                close = _skip_to_close(raw, name, b, end)
                if close is None:
                    broken = True
                elif name == "title":
                    title = _html.unescape(_WS.sub(" ", raw[b:close].rsplit("<", 1)[0])).strip()
                    if title:
                        hints.setdefault("page_title", title)
                    pos = close
                else:
                    pos = close
            elif name in ("table", "tr", "td", "th") and (tables or name == "table"):
                table_tag(name, closing, a, m.group("attrs") or "")
            elif name in BLOCK:
                if name == "pre":
                    pre = max(0, pre + (-1 if closing else 1))
                newline(a)
        elif kind == "entity":
            ent = m.group(0)
            dec = _html.unescape(ent if ent.endswith(";") else ent + ";")
            if dec == ent or dec == ent + ";":
                emit_text(a, b)
            else:
                parts.append(dec)
                offs.extend([a] * len(dec))
        elif kind == "stray":
            # "<div class='x" never closed: drop to the end of its line
            broken = True
            nl = raw.find("\n", a, end)
            pos = end if nl < 0 else nl
    if pos < end:
        emit_text(pos, end)
    while tables:  # tables never closed
        finish_row(tables.pop())
    if "title" not in hints and "page_title" in hints:
        hints["title"] = hints["page_title"]
    warns = [Warn.make("W303")] if broken else []
    return "".join(parts), offs, hints, warns


def _widget_button(raw: str, pos: int, end: int) -> int | None:
    """Where a ``<button>`` opened before ``pos`` closes, when it is a page widget (搜索, 提交,
    返回顶部) to skip; None for an accordion's button, which holds a measure's heading
    (一、开展消费活动; batch 52) whose text is kept."""
    close = _skip_to_close(raw, "button", pos, end)
    if close is None:
        return None
    inner = _NONSPACE.findall(_TAGS.sub("", raw[pos:close].rsplit("<", 1)[0]))
    return close if sum(len(w) for w in inner) <= _WIDGET_CHARS else None


def _meta(attrs: str, hints: dict[str, object]) -> None:
    found = {}
    for m in _ATTR.finditer(attrs):
        found[m.group(1).lower()] = m.group(2) if m.group(2) is not None else (
            m.group(3) if m.group(3) is not None else m.group(4))
    key = (found.get("name") or found.get("property") or found.get("itemprop") or "").lower()
    content = found.get("content")
    if key in _META_HINTS and content and content.strip():
        hints.setdefault(_META_HINTS[key], _html.unescape(content).strip())
