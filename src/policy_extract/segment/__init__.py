"""Segment: normalized text → numbered measures. PLACEHOLDER (no measures)."""
from __future__ import annotations

from ..document import Measure


def segment(text: str, pack: object = None) -> list[Measure]:
    return []
