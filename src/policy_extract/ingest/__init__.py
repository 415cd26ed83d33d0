"""Ingest: bytes or a path → Source (decoded original + extracted plain text + offset map).

Steps: size and existence checks (E101/E105/E106) → binary sniffing (E103) → decoding
(UTF-8, GB18030/GBK, Big5; E104, W302, W306) → empty check (E102) → front matter split
off into ``hints`` → HTML markup or markdown markers removed (pipe tables read as rows). ``Source.raw`` is the whole
decoded file; ``Source.body_map[i]`` is the index in ``raw`` of ``Source.body[i]``.
"""
from __future__ import annotations

from array import array
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import regex

from ..document import Source
from ..errors import PolicyExtractError
from .celltable import TableWords, cell_tables
from .decode import decode
from .entities import unescape_refs
from .frontmatter import split_front_matter
from .gridtable import grid_tables
from .html import html_to_text, looks_like_html
from .markdown import looks_like_markdown, markdown_breaks, strip_markdown
from .offsets import span_map
from .pipetable import has_pipe_table, pipe_tables

if TYPE_CHECKING:
    from ..patterns.engine import Pack

__all__ = ["MAX_BYTES", "doc_id_for", "load", "load_bytes", "read_source"]

MAX_BYTES = 64 * 1024 * 1024
_MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown")
_NEWLINE = regex.compile(r"\n")


def _unit_headers() -> list[str]:
    """Table header words naming a responsible-unit column (``normalize.yaml``)."""
    return _vocab("table_unit_headers")


def _category_headers() -> list[str]:
    """Table header words naming a column of categories (政策类别) (``normalize.yaml``)."""
    return _vocab("table_category_headers")


def _table_words() -> TableWords:
    """The cell-table header words of the default pack (``normalize.yaml``)."""
    from ..patterns.engine import default_pack

    return _pack_table_words(default_pack())


@lru_cache(maxsize=8)
def _pack_table_words(pack: Pack) -> TableWords:
    from ..patterns.engine import PatternError

    try:
        annotation = pack.compile("normalize", r"(?:\({pinyin_syllable}\))+")
    except PatternError:  # a pack without the normalizer's pinyin fragment
        annotation = None
    try:
        group_row = pack.compile("normalize", "{table_group_row}")
    except PatternError:  # a pack without it: no group rows
        group_row = None
    return TableWords.of(*(_pack_vocab(pack, name) for name in (
        "table_column_words", "table_unit_headers", "table_category_headers",
        "table_number_headers", "table_organ_suffixes")), annotation=annotation,
        group_row=group_row)


def _vocab(name: str) -> list[str]:
    from ..patterns.engine import default_pack  # the pack imports extractors: load it late

    return _pack_vocab(default_pack(), name)


@lru_cache(maxsize=32)
def _pack_vocab(pack: Pack, name: str) -> list[str]:
    """A normalize vocab of ``pack`` in both scripts, read once per pack (asked for every
    input). Tables are read before the text is converted to simplified, so a traditional
    page's header (序號, 責任單位) must match as written."""
    from ..normalize.opencc_facts import converter

    try:
        words = pack.vocab("normalize", name)
    except KeyError:
        return []
    to_trad = converter("s2t").convert
    return list(dict.fromkeys([*words, *(to_trad(w) for w in words)]))


def doc_id_for(path: str | Path) -> str:
    """``corpus/004_fuzhou.md`` → ``004_fuzhou`` (the name without its last extension)."""
    name = Path(path).name
    return name.rsplit(".", 1)[0] if "." in name[1:] else name


def load(path: str | Path, *, doc_id: str | None = None, max_bytes: int = MAX_BYTES) -> Source:
    """Read and ingest one file; errors carry a catalogue code and the file name."""
    data = read_source(path, max_bytes=max_bytes)
    return load_bytes(data, doc_id=doc_id or doc_id_for(path), path=str(path), max_bytes=max_bytes)


def read_source(path: str | Path, *, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of one input file (E101 missing, E105 too large, E106 unreadable)."""
    p = Path(path)
    spath = str(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise PolicyExtractError("E101", path=spath) from None
    except OSError as e:
        raise PolicyExtractError("E106", path=spath, reason=e.strerror or str(e)) from None
    if not p.is_file():
        raise PolicyExtractError("E106", path=spath, reason="not a regular file")
    if size > max_bytes:
        raise PolicyExtractError("E105", path=spath, size=size, limit=max_bytes)
    try:
        return p.read_bytes()
    except OSError as e:
        raise PolicyExtractError("E106", path=spath, reason=e.strerror or str(e)) from None


def load_bytes(data: bytes, *, doc_id: str, path: str | None = None,
               max_bytes: int = MAX_BYTES) -> Source:
    """Ingest bytes already read (from a batch reader, an upload, a test)."""
    where = path or doc_id
    if len(data) > max_bytes:
        raise PolicyExtractError("E105", path=where, size=len(data), limit=max_bytes)
    if not data.strip():
        raise PolicyExtractError("E102", path=where)
    raw, encoding, warnings = decode(data, where)
    if not raw.strip(" \t\r\n\f\v\u3000\u00a0\ufeff"):
        raise PolicyExtractError("E102", path=where)
    hints, start = split_front_matter(raw)
    fmt = "frontmatter" if start else "text"
    head = raw[start:start + 65536]
    is_md = (path or "").lower().endswith(_MARKDOWN_SUFFIXES) or has_pipe_table(head)
    if looks_like_html(head, markdown=is_md):
        body, body_map, page_hints, html_warns = html_to_text(
            raw, start, unit_headers=_unit_headers(), category_headers=_category_headers())
        # every line break of an HTML page comes from its structure (p, div, br, tr, li, h1…)
        hard = [body_map[m.start()] for m in _NEWLINE.finditer(body)]
        for k, v in page_hints.items():
            hints.setdefault(k, v)
        warnings += html_warns
        fmt = "html"
    else:
        body = raw[start:] if start else raw
        body_map = span_map(start, len(raw))
        body, body_map = unescape_refs(body, body_map)  # &nbsp; &ldquo; saved as text
        hard = None
        body, body_map, cell_rows = cell_tables(body, body_map, _table_words())
        if cell_rows:
            hard = cell_rows
        if (path or "").lower().endswith(_MARKDOWN_SUFFIXES) or looks_like_markdown(body):
            body, body_map = grid_tables(body, body_map)  # pandoc's grid tables as pipe tables
            body, body_map, rows = pipe_tables(body, body_map, _unit_headers(),
                                               _category_headers())
            breaks = markdown_breaks(body, body_map) + rows
            body, body_map, n = strip_markdown(body, body_map)
            if n or rows or (path or "").lower().endswith(_MARKDOWN_SUFFIXES):
                fmt = "markdown"
                hard = breaks + cell_rows
    if start:
        hints["front_matter"] = True
    return Source(doc_id=doc_id, raw=raw, body=body, body_map=body_map, path=path,
                  encoding=encoding, format=fmt, hints=hints, warnings=warnings,
                  hard_breaks=array("l", sorted(hard)) if hard else None)
