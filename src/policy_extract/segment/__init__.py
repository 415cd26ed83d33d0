"""Segment: normalized text → its tree of numbered measures (step 3 of the pipeline).

1. ``labels``: every label candidate of every style in ``data/numbering.yaml`` (compiled
   regexes over the whole text), plus boundary marks (chapter headings, body end,
   signature, closing furniture);
2. ``tree``: one pass in document order accepts the candidates whose numbering continues,
   nests them by the order styles appear, and ends each measure at the next label of the
   same or a higher level, its paragraph (run-in items) or the end of the body;
3. ``titles``: the heading or short first sentence after each label.

A text without numbered items comes out as unnumbered paragraphs (``label`` None), one per
non-empty line. Linear in the text length.
"""
from __future__ import annotations

from typing import Any

from ..document import Measure
from ..errors import Warn
from ..patterns.engine import Pack, default_pack
from ..patterns.examples import example_doc, runner
from .labels import Lines, find_candidates, find_marks, rules_for
from .titles import TitleMaker
from .tree import build

__all__ = ["segment", "segment_with_warnings"]


def segment(text: str, pack: Pack | None = None) -> list[Measure]:
    """The measures of a normalized text, in document order."""
    return segment_with_warnings(text, pack)[0]


def segment_with_warnings(text: str, pack: Pack | None = None) -> tuple[list[Measure], list[Warn]]:
    """The measures and the numbering warnings (gaps, W305)."""
    if not text:
        return [], []
    rules = rules_for(pack or default_pack())
    lines = Lines(text, rules.line_prefix)
    nodes, warnings = build(text, rules, find_candidates(text, rules, lines),
                            find_marks(text, rules), lines)
    if not nodes:
        return _paragraphs(text, lines), warnings
    titles = TitleMaker(text, rules)
    seen: dict[str, int] = {}
    out = []
    for node in nodes:
        c = node.cand
        end = node.end if node.end is not None else len(text)
        key = "/".join(node.path)
        seen[key] = seen.get(key, 0) + 1
        body, line_end = c.end, lines.end_of(c.start)
        if not text[body:line_end].strip() and line_end + 1 < end:
            # a label alone on its line (a table's number cell): the title is on the next
            body = line_end + 1
            line_end = lines.end_of(body)
        if node.first_child is not None:
            line_end = min(line_end, node.first_child)
        out.append(Measure(
            id=key if seen[key] == 1 else f"{key}~{seen[key]}",
            label=node.path[-1], path=list(node.path), level=len(node.path),
            title=titles.title(body, line_end, end), start=c.start, end=end,
            style=c.style.name))
    return out, warnings


def _paragraphs(text: str, lines: Lines) -> list[Measure]:
    """One unnumbered measure per non-empty line (news reports)."""
    out = []
    for i, ls in enumerate(lines.starts):
        le = lines.starts[i + 1] - 1 if i + 1 < len(lines.starts) else len(text)
        line = text[ls:le]
        body = line.strip()
        if body:
            s = ls + line.index(body[0])
            out.append(Measure(id=None, label=None, path=[], level=0, title=None,
                               start=s, end=s + len(body)))
    return out


@runner("numbering")
def run_numbering(text: str, pack: Pack) -> list[dict[str, Any]]:
    """Example runner: the numbered measures of an example text, with their text."""
    doc = example_doc(text, pack)
    return [{**m.to_dict(), "text": doc.text[m.start:m.end]}
            for m in doc.measures if m.label is not None]
