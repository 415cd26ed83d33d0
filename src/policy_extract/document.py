"""The types that flow through the pipeline: Source (ingest) → Normalized → Doc (segment, extract).

Kept in one small module so every step agrees on them without importing each other.
"""
from __future__ import annotations

from array import array
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

from .errors import Warn


@dataclass
class Source:
    """One input as read: the decoded original and the plain text extracted from it.

    ``raw`` is the whole decoded input (HTML markup included): the "original" every offset
    maps back to. ``body`` is the text ingest extracted from it (tags stripped, front matter
    removed) and ``body_map[i]`` is the index in ``raw`` of ``body[i]``.
    """

    doc_id: str
    raw: str
    body: str
    body_map: array
    path: str | None = None
    encoding: str = "utf-8"
    format: str = "text"  # text | markdown | html | frontmatter
    hints: dict[str, Any] = field(default_factory=dict)  # title/date/source from page markup
    warnings: list[Warn] = field(default_factory=list)
    # sorted indexes in ``raw`` of structural line breaks (HTML blocks, markdown headings and
    # blank lines): the normalizer's line joiner never joins across one (None: plain text)
    hard_breaks: array | None = None

    @classmethod
    def from_text(cls, text: str, doc_id: str = "text") -> Source:
        return cls(doc_id=doc_id, raw=text, body=text, body_map=array("l", range(len(text))))


@dataclass
class Normalized:
    """The normalized simplified text and, per character, its index in ``Source.raw``."""

    text: str
    offsets: array  # len(offsets) == len(text); offsets[i] = index in the original of text[i]
    script: str = "simplified"  # script of the original: simplified | traditional | mixed
    warnings: list[Warn] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)  # what each step changed (--explain)
    source: Source | None = None
    records: list[dict[str, Any]] | None = None  # every single change, when asked for (tests)

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of ``text`` to the half-open span of the original it came from."""
        if not self.offsets or start >= end:
            return (0, 0)
        a, b = self.offsets[start], self.offsets[end - 1] + 1
        if b <= a:  # a span over both columns of a two-column block (normalize/columns.py)
            seg = self.offsets[start:end]
            a, b = min(seg), max(seg) + 1
        return (a, b)


@dataclass
class Measure:
    """One numbered item of the body (``label`` None for an unnumbered paragraph)."""

    id: str | None
    label: str | None
    path: list[str]
    level: int
    title: str | None
    start: int
    end: int
    style: str | None = None  # numbering style name from data/numbering.yaml

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "path": list(self.path), "level": self.level,
                "title": self.title, "start": self.start, "end": self.end}


@dataclass
class Doc:
    """What extractors read: the normalized text, its measures and shared context."""

    doc_id: str
    text: str
    measures: list[Measure] = field(default_factory=list)
    hints: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    # spans no amount, percentage or date may come from: 《》 titles, document numbers
    excluded: list[tuple[int, int]] = field(default_factory=list)
    warnings: list[Warn] = field(default_factory=list)
    pack: Any = None  # patterns.engine.Pack

    def is_excluded(self, start: int, end: int) -> bool:
        """True when the span overlaps an excluded zone (O(log n): extractors ask per candidate)."""
        index = self._exclusion_index()
        i = bisect_left(index[0], end)  # zones starting before `end`
        return i > 0 and index[1][i - 1] > start

    def _exclusion_index(self) -> tuple[list[int], list[int]]:
        """Zone starts (sorted) and the running maximum of their ends; rebuilt when zones change."""
        key = (id(self.excluded), len(self.excluded))
        cached = self.__dict__.get("_exindex")
        if cached is None or cached[0] != key:
            zones = sorted(self.excluded)
            starts, max_ends, top = [], [], -1
            for s, e in zones:
                top = max(top, e)
                starts.append(s)
                max_ends.append(top)
            cached = (key, (starts, max_ends))
            self.__dict__["_exindex"] = cached
        return cached[1]
