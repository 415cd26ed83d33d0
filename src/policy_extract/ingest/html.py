"""HTML → plain text with, per character, its index in the raw markup.

A tokenizer over the raw string (comments, tags, entities) rather than a DOM parser: a DOM
does not say where its text came from, and the offset map is the point. Block elements become
line breaks, ``script/style/nav/header/footer/noscript`` are dropped with their content,
entities are decoded (each decoded char maps to the entity's "&"), whitespace runs collapse
to one space. ``<title>`` and ``<meta>`` fill ``hints``. Damaged markup never raises: the
damaged bit is skipped and W303 says the page was not parsed cleanly.
"""
from __future__ import annotations

import html as _html
from array import array
from functools import lru_cache

import regex

from ..errors import Warn
from .offsets import span_map

_TOKEN = regex.compile(r"""
      (?P<comment><!--.*?(?:-->|\Z))                      # comment (unterminated: to the end)
    | (?P<decl><![^>]{0,4000}>|<\?[^>]{0,4000}>)          # doctype, CDATA-ish, processing instr.
    | (?P<tag></?(?P<name>[A-Za-z][A-Za-z0-9:-]{0,40})   # tag name
          (?P<attrs>(?:[^>"']|"[^"]{0,4000}"|'[^']{0,4000}'){0,4000})  # attributes
          >)
    | (?P<entity>&(?:\#[0-9]{1,7}|\#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?)
    | (?P<stray><[A-Za-z/!])                              # a "<" that opens no complete tag
""", regex.S | regex.X)
_WS = regex.compile(r"[ \t\r\n\f]+")
_ATTR = regex.compile(r"""([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_SNIFF = regex.compile(r"<(?:!DOCTYPE|html|body|head|p|div|br|span|table|tr|td|li|ul|h[1-6]|meta|"
                       r"title|strong|font|section|article)\b[^>]{0,500}>", regex.I)

BLOCK = frozenset(["p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "table", "tbody", "thead", "tfoot", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote", "pre", "hr", "dl", "dt", "dd", "form", "fieldset", "figure", "figcaption", "caption", "address", "main", "center", "option"])
SKIP = frozenset(["script", "style", "noscript", "nav", "header", "footer", "template", "iframe", "object", "select", "button", "svg", "title", "textarea"])
_META_HINTS = {"articletitle": "title", "og:title": "title", "title": "title",
               "pubdate": "date", "publishdate": "date", "article:published_time": "date",
               "firstpublishedtime": "date", "date": "date", "dc.date": "date",
               "contentsource": "source_name", "source": "source_name", "og:site_name": "site_name",
               "sitename": "site_name", "keywords": "keywords", "description": "description",
               "columnname": "column"}


def looks_like_html(text: str) -> bool:
    head = text[:65536]
    found = _SNIFF.findall(head)
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


def html_to_text(raw: str, start: int = 0, end: int | None = None
                 ) -> tuple[str, array, dict[str, object], list[Warn]]:
    """(body, body_map, hints, warnings) for the markup ``raw[start:end]``."""
    end = len(raw) if end is None else end
    parts: list[str] = []
    offs = array("l")
    hints: dict[str, object] = {}
    broken = False

    def emit_text(a: int, b: int) -> None:
        pos = a
        for m in _WS.finditer(raw, a, b):
            if m.start() > pos:
                parts.append(raw[pos:m.start()])
                offs.extend(span_map(pos, m.start()))
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
            elif name in BLOCK:
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
    if "title" not in hints and "page_title" in hints:
        hints["title"] = hints["page_title"]
    warns = [Warn.make("W303")] if broken else []
    return "".join(parts), offs, hints, warns


def _meta(attrs: str, hints: dict[str, object]) -> None:
    found = {}
    for m in _ATTR.finditer(attrs):
        found[m.group(1).lower()] = m.group(2) if m.group(2) is not None else (
            m.group(3) if m.group(3) is not None else m.group(4))
    key = (found.get("name") or found.get("property") or found.get("itemprop") or "").lower()
    content = found.get("content")
    if key in _META_HINTS and content and content.strip():
        hints.setdefault(_META_HINTS[key], _html.unescape(content).strip())
