"""Walk the files and folders given on the command line, lazily, in a stable order.

Stable order matters: duplicate ``doc_id`` suffixes (``~2``) are handed out in walk order,
so the same command always gives the same file the same ``doc_id`` (resume relies on it).
"""
from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..ingest import doc_id_for


@dataclass(frozen=True)
class InputFile:
    """One input: its path, its unique doc_id and its size (-1 when it cannot be stat'ed)."""

    path: str
    doc_id: str
    size: int


# Found while walking a folder, these are data files (converted output, gold, tables), not
# notices: a gold/ or out/ folder inside the input folder must not become garbage records.
# A file named explicitly is converted whatever its suffix.
# (Other binaries such as PDFs stay inputs: they get an E103 record, so nothing is lost silently.)
DATA_SUFFIXES = frozenset({".json", ".jsonl", ".parquet", ".duckdb"})


def _hidden(name: str) -> bool:
    return name.startswith(".") or Path(name).suffix.lower() in DATA_SUFFIXES


def walk(paths: Iterable[str | Path], exclude: frozenset[tuple[int, int]] = frozenset()
         ) -> Iterator[tuple[str, int, tuple[int, int] | None]]:
    """Yield ``(path, size, (device, inode))`` for every file under ``paths``, skipping hidden files and folders.

    A path named explicitly is always an input (even when hidden or missing: a missing one
    becomes an E101 error record). Folders are walked recursively, sorted per folder, one
    folder listing at a time, so memory does not grow with the size of the tree. Files and
    folders whose ``(device, inode)`` is in ``exclude`` (the batch's own outputs) are skipped.
    """
    for p in paths:
        p = str(p)
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not _hidden(d)
                                 and _key(os.path.join(root, d)) not in exclude)
                for name in sorted(files):
                    if _hidden(name):
                        continue
                    full = os.path.join(root, name)
                    try:
                        st = os.stat(full)
                    except OSError:
                        yield full, -1, None
                        continue
                    if stat.S_ISREG(st.st_mode) and (st.st_dev, st.st_ino) not in exclude:
                        yield full, st.st_size, (st.st_dev, st.st_ino)
        else:
            try:
                st = os.stat(p)
            except OSError:
                yield p, -1, None
                continue
            yield p, st.st_size, (st.st_dev, st.st_ino)


def _key(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def file_keys(paths: Iterable[str | Path]) -> frozenset[tuple[int, int]]:
    """``(device, inode)`` of the paths that exist (to exclude outputs from the inputs)."""
    return frozenset(k for p in paths if (k := _key(str(p))) is not None)


def iter_inputs(paths: Iterable[str | Path], exclude: frozenset[tuple[int, int]] = frozenset()
                ) -> Iterator[InputFile]:
    """Every input once, with a unique ``doc_id``.

    The same file reached twice (named and inside a named folder) is one input. Two different
    files with the same name in different folders would share a ``doc_id``; the later one (in
    walk order) gets ``<doc_id>~2`` (``~3`` …) so that neither record overwrites the other.
    The batch's own outputs are never inputs (``convert . --out out/json`` works twice).
    """
    seen_files: set[tuple[int, int]] = set()
    seen_ids: set[str] = set()
    for path, size, key in walk(paths, exclude):
        if key is not None:
            if key in seen_files:
                continue
            seen_files.add(key)
        base = doc_id_for(path)
        doc_id, n = base, 1
        while doc_id in seen_ids:
            n += 1
            doc_id = f"{base}~{n}"
        seen_ids.add(doc_id)
        yield InputFile(path, doc_id, size)


def count(paths: Iterable[str | Path]) -> tuple[int, int]:
    """Number of input files and their total bytes (a cheap first pass for the progress bar)."""
    n = total = 0
    for _, size, _key in walk(paths):
        n += 1
        total += max(size, 0)
    return n, total
