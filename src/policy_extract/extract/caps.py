"""Extract caps. PLACEHOLDER until the extraction issue lands."""
from __future__ import annotations

from typing import Any

from ..document import Doc


def extract_caps(doc: Doc, amounts: list[dict[str, Any]], percentages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return []
