"""A text with, per character, its index in the original: every normalizer step returns a new one.

Steps only *select* characters of the current text (deletions, line joins, whitespace
collapsing) or *replace* one character by one character (t2s, full-width digits); both keep
each output character tied to the original character it came from. The few inserted
characters (a space between two Latin words of a rejoined line) take the offset of the
character they stand in for, so offsets stay monotonic.
"""
from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# a piece of output: a slice (start, end) of the current text, or a literal with its offset
# in the ORIGINAL (map a current-text index through ``Buf.offs`` first)
Piece = tuple[int, int] | tuple[str, int]


@dataclass
class Buf:
    """The current text and ``offs[i]`` = index in the original of ``text[i]``."""

    text: str
    offs: array

    def build(self, pieces: Iterable[Piece]) -> Buf:
        """Concatenate slices of this text (and literals) into a new Buf, offsets following.

        Adjacent slices are copied as one (a join pass hands over three per line).
        """
        parts: list[str] = []
        offs = array("l")
        text, src = self.text, self.offs
        start = end = -1
        for a, b in pieces:
            if isinstance(a, str):
                if end > start:
                    parts.append(text[start:end])
                    offs.extend(src[start:end])
                start = end = -1
                parts.append(a)
                offs.extend([b] * len(a))  # type: ignore[list-item]
            elif a == end:
                end = b  # type: ignore[assignment]
            else:
                if end > start:
                    parts.append(text[start:end])
                    offs.extend(src[start:end])
                start, end = a, b  # type: ignore[assignment]
        if end > start:
            parts.append(text[start:end])
            offs.extend(src[start:end])
        return Buf("".join(parts), offs)

    def keep(self, spans: Iterable[tuple[int, int]]) -> Buf:
        """Keep only the given sorted, non-overlapping slices (contiguous ones copied as one)."""
        parts: list[str] = []
        offs = array("l")
        text, src = self.text, self.offs
        start = end = -1
        for a, b in spans:
            if a == end:
                end = b
                continue
            if end > start:
                parts.append(text[start:end])
                offs.extend(src[start:end])
            start, end = a, b
        if end > start:
            parts.append(text[start:end])
            offs.extend(src[start:end])
        return Buf("".join(parts), offs)

    def delete(self, spans: Iterable[tuple[int, int]]) -> Buf:
        """Drop the given sorted, non-overlapping spans."""
        kept: list[tuple[int, int]] = []
        pos = 0
        for a, b in spans:
            if a > pos:
                kept.append((pos, a))
            pos = max(pos, b)
        if pos == 0 and not kept:
            return self
        kept.append((pos, len(self.text)))
        return self.keep(kept)

    def same_length(self, new_text: str) -> Buf:
        """A char-for-char replacement (t2s, half-width digits): offsets are unchanged."""
        assert len(new_text) == len(self.text)
        return Buf(new_text, self.offs)


@dataclass
class StepLog:
    """What one step changed, for ``normalize --explain`` and the pattern-example runner."""

    step: str
    changes: int = 0
    examples: list[str] = field(default_factory=list)
    records: list[dict[str, Any]] | None = None  # every change, only when collecting
    limit: int = 5

    def add(self, example: str, **record: Any) -> None:
        self.changes += 1
        if len(self.examples) < self.limit:
            self.examples.append(example)
        if self.records is not None:
            self.records.append({"step": self.step, **record})

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.step, "changes": self.changes, "examples": list(self.examples)}
