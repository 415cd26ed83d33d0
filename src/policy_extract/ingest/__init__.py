"""Ingest: bytes or a path → Source (decoded original + extracted plain text + offset map).

PLACEHOLDER until the ingest issue lands: decodes UTF-8 only.
"""
from __future__ import annotations

from array import array
from pathlib import Path

from ..document import Source


def doc_id_for(path: str | Path) -> str:
    """``corpus/004_fuzhou.md`` → ``004_fuzhou`` (the name without its last extension)."""
    name = Path(path).name
    return name.rsplit(".", 1)[0] if "." in name[1:] else name


def load(path: str | Path, *, doc_id: str | None = None) -> Source:
    raw = Path(path).read_bytes().decode("utf-8", errors="replace")
    return Source(doc_id=doc_id or doc_id_for(path), raw=raw, body=raw,
                  body_map=array("l", range(len(raw))), path=str(path))
