"""Resume state: which inputs an output already holds, keyed by content, not by file time.

Each primary output (a JSON folder, a JSONL file) has a manifest next to it: an append-only
JSON Lines file, one entry per converted input::

    {"doc_id": "...", "path": "...", "sha256": "...", "pipeline": "0.1.0+3f2a…",
     "pack": "9c1e…", "status": "ok" | "error", "code": null | "E104"}

An input is skipped on a re-run when every output's manifest has an ``ok`` entry for its
``doc_id`` with the same sha256, pipeline version and pack identity. Failed inputs are redone.
The entry is appended after the record is written, so a crash in between only causes a redo.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import __version__
from .jsonline import dumps_line


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """``__version__`` plus a hash of the package's code: any code change redoes the batch."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for f in sorted(root.rglob("*.py")):
        h.update(str(f.relative_to(root)).encode())
        h.update(f.read_bytes())
    return f"{__version__}+{h.hexdigest()[:12]}"


def pack_identity(user_dirs: Iterable[str | Path] = ()) -> str:
    """A hash of every pattern file the pack is built from (built-in and user folders)."""
    h = hashlib.sha256()
    data = Path(__file__).resolve().parents[1] / "data"
    for f in sorted(data.rglob("*.yaml")):
        h.update(str(f.relative_to(data)).encode())
        h.update(f.read_bytes())
    for d in user_dirs:
        for f in sorted(Path(d).glob("*.yaml")):
            h.update(str(f.name).encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def read_jsonl(path: Path) -> Iterable[tuple[int, dict[str, Any]]]:
    """Yield ``(byte offset, object)`` for every complete, parseable line; skip the rest."""
    if not path.exists():
        return
    with open(path, "rb") as f:
        offset = 0
        for raw in f:
            start, offset = offset, offset + len(raw)
            if not raw.endswith(b"\n"):
                break  # a line cut by a crash
            try:
                obj = json.loads(raw)
            except ValueError:
                continue
            if isinstance(obj, dict):
                yield start, obj


class Manifest:
    """The manifest of one output: load on open, append one line per converted input."""

    def __init__(self, path: Path, *, reset: bool = False):
        self.path = path
        self.entries: dict[str, tuple[str, str, str, str]] = {}
        if reset and path.exists():
            path.unlink()
        for _, e in read_jsonl(path):
            if "doc_id" in e:
                self.entries[e["doc_id"]] = (e.get("sha256"), e.get("pipeline"), e.get("pack"),
                                             e.get("status"))
        path.parent.mkdir(parents=True, exist_ok=True)
        _drop_partial_tail(path)
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def done(self, doc_id: str, sha256: str | None, pipeline: str, pack: str) -> bool:
        """True when this input was converted without error from the same bytes and code."""
        return sha256 is not None and self.entries.get(doc_id) == (sha256, pipeline, pack, "ok")

    def add(self, entry: dict[str, Any]) -> None:
        os.write(self._fd, (dumps_line(entry) + "\n").encode("utf-8"))

    def sync(self) -> None:
        os.fsync(self._fd)

    def close(self) -> None:
        os.fsync(self._fd)
        os.close(self._fd)


def _drop_partial_tail(path: Path) -> None:
    """Cut a trailing line without its newline (left by a kill), so appends start clean."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with open(path, "rb+") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        pos = size
        while pos > 0:
            step = min(65536, pos)
            f.seek(pos - step)
            block = f.read(step)
            i = block.rfind(b"\n")
            if i >= 0:
                cut = pos - step + i + 1
                if cut != size:
                    f.truncate(cut)
                return
            pos -= step
        f.truncate(0)
