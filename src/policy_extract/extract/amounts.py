"""Extract amounts. PLACEHOLDER until the extraction issue lands."""
from __future__ import annotations

from typing import Any

from ..document import Doc


def extract_amounts(doc: Doc) -> list[dict[str, Any]]:
    return []
