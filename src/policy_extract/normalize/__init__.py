"""Normalize: Source → Normalized (simplified text + offset map). PLACEHOLDER (identity)."""
from __future__ import annotations

from array import array

from ..document import Normalized, Source


def normalize(source: Source | str) -> Normalized:
    if isinstance(source, str):
        source = Source.from_text(source)
    return Normalized(text=source.body, offsets=array("l", source.body_map), source=source)
