"""Extract document metadata. PLACEHOLDER until the extraction issue lands."""
from __future__ import annotations

from typing import Any

from ..document import Doc


def extract_meta(doc: Doc, script: str) -> dict[str, Any]:
    return {"title": doc.hints.get("title"), "doc_number": None, "issuer": None,
            "published": None, "valid_until": None, "source_name": None, "script": script}
