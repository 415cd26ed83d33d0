"""Extract percentages. PLACEHOLDER until the extraction issue lands."""
from __future__ import annotations

from typing import Any

from ..document import Doc


def extract_percentages(doc: Doc) -> list[dict[str, Any]]:
    return []
