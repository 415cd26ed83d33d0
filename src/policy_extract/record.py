"""Assemble the ``policy-extract/1`` record: attach every field to its innermost measure."""
from __future__ import annotations

from bisect import bisect_right
from typing import Any

from .document import Measure, Normalized

SCHEMA = "policy-extract/1"
FIELDS = ("amounts", "caps", "percentages", "dates", "units")


def innermost_measure(measures: list[Measure], start: int, end: int) -> str | None:
    """The id of the deepest numbered measure whose span holds [start, end), else None."""
    best: Measure | None = None
    for m in measures:
        if m.label is None:
            continue
        if m.start <= start and end <= m.end and (best is None or m.level > best.level):
            best = m
    return best.id if best else None


class MeasureIndex:
    """Innermost-measure lookup in O(depth): measures are nested spans that never cross, so
    the deepest one holding a field is the last measure starting at or before the field, or
    one of that measure's ancestors."""

    def __init__(self, measures: list[Measure]):
        self.numbered = sorted((m for m in measures if m.label is not None),
                               key=lambda m: (m.start, -m.end))
        self.starts = [m.start for m in self.numbered]
        # parent[i]: index of the nearest enclosing measure (a stack over the sorted spans)
        self.parent: list[int] = []
        stack: list[int] = []
        for i, m in enumerate(self.numbered):
            while stack and not (self.numbered[stack[-1]].start <= m.start
                                 and m.end <= self.numbered[stack[-1]].end):
                stack.pop()
            self.parent.append(stack[-1] if stack else -1)
            stack.append(i)

    def find(self, start: int, end: int) -> str | None:
        j = bisect_right(self.starts, start) - 1
        numbered, parent = self.numbered, self.parent
        while j >= 0:
            m = numbered[j]
            if m.start <= start and end <= m.end:
                return m.id
            j = parent[j]
        return None


def build_record(doc_id: str, norm: Normalized, meta: dict[str, Any], measures: list[Measure],
                 fields: dict[str, list[dict[str, Any]]], warnings: list[dict[str, Any]],
                 extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The record as FORMAT.md defines it, plus ``warnings`` and per-field ``src`` spans."""
    index = MeasureIndex(measures)
    out: dict[str, Any] = {"schema": SCHEMA, "doc_id": doc_id, "meta": meta, "text": norm.text}
    out["measures"] = []
    for m in measures:
        d = m.to_dict()
        d["src"] = list(norm.to_source(m.start, m.end))
        out["measures"].append(d)
    # the built-in fields, then any field a pattern pack adds (targets …), treated alike
    for name in (*FIELDS, *(k for k in fields if k not in FIELDS)):
        found = fields.get(name, [])
        if any(found[i]["start"] > found[i + 1]["start"] or (
                found[i]["start"] == found[i + 1]["start"] and found[i]["end"] > found[i + 1]["end"])
               for i in range(len(found) - 1)):
            found = sorted(found, key=lambda f: (f["start"], f["end"]))  # extractors sort already
        out[name] = [_placed(f, index, norm) for f in found]
    out["warnings"] = warnings
    if extra:
        out.update(extra)
    return out


_FIRST = ("text", "start", "end", "measure")
_PLACED = frozenset((*_FIRST, "src"))


def _placed(f: dict[str, Any], index: MeasureIndex, norm: Normalized) -> dict[str, Any]:
    """A field item with its ``measure`` and ``src``, keys in FORMAT.md order (one copy)."""
    start, end = f["start"], f["end"]
    if "measure" in f or "src" in f:  # rare: keep the general path's key order
        g = dict(f)
        g["measure"] = index.find(start, end)
        g["src"] = list(norm.to_source(start, end))
        return _ordered(g)
    item = {k: f[k] for k in _FIRST[:3] if k in f}
    item["measure"] = index.find(start, end)
    for k, v in f.items():
        if k not in _PLACED:
            item[k] = v
    offs = norm.offsets  # Normalized.to_source, inlined: one call fewer per field item
    item["src"] = [offs[start], offs[end - 1] + 1] if offs and start < end else [0, 0]
    if item["src"][1] <= item["src"][0] and start < end:  # over both columns of a page
        item["src"] = list(norm.to_source(start, end))
    return item


def _ordered(f: dict[str, Any]) -> dict[str, Any]:
    """Key order as in FORMAT.md (text, start, end, measure, …) for readable output."""
    return {**{k: f[k] for k in _FIRST if k in f}, **{k: v for k, v in f.items() if k not in _FIRST}}
