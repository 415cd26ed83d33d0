"""Outputs: a folder of JSON files, a JSON Lines file, Parquet tables and a DuckDB database.

Two kinds:

* **primary** outputs (JSON folder, JSONL) receive every record as it is converted and keep a
  resume manifest next to them. A JSON file is written to a temp name and ``os.replace``d; a
  JSONL line is appended with one ``write`` call (flushed to the OS at once, fsync'ed every
  second and at the end), and on open a cut last line is dropped and repeated ``doc_id``s
  are reduced to the last one. A ``kill -9`` therefore never leaves a half record.
* **derived** outputs (Parquet, DuckDB) are rebuilt at the end of a run from the record
  store (the JSONL output, else the JSON folder, else a ``<output>.records.jsonl`` kept for
  them), in batches, into temp files that replace the old ones.
"""
from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import regex

from .state import Manifest, read_jsonl
from .worker import Result

FORMATS = ("json", "jsonl", "parquet", "duckdb")
SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".duckdb": "duckdb",
            ".ddb": "duckdb"}
SYNC_EVERY = 1.0  # seconds between fsyncs of the append-only files


def resolve_format(path: str, fmt: str | None = None) -> str:
    """The output format: ``--format`` or a ``FORMAT:`` prefix, else the path's suffix.

    A folder path (ending in ``/``) named ``json``/``parquet`` means that format, so
    ``-o out/parquet/`` works without ``--format``.
    """
    if fmt:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        return fmt
    p = Path(path)
    if p.suffix.lower() in SUFFIXES:
        return SUFFIXES[p.suffix.lower()]
    if path.endswith(("/", os.sep)) and p.name in ("json", "parquet"):
        return p.name
    raise ValueError(
        f"cannot tell the format of {path!r} from its name; use a .jsonl/.parquet/.duckdb "
        f"suffix, a FORMAT: prefix (parquet:{path}) or --format")


def split_spec(spec: str) -> tuple[str | None, str]:
    """``parquet:out/tables`` → (``parquet``, ``out/tables``); a plain path has no prefix."""
    head, sep, tail = spec.partition(":")
    if sep and head in FORMATS and tail:
        return head, tail
    return None, spec


# -- primary outputs -----------------------------------------------------------------------

class JsonDirWriter:
    """A folder of ``<doc_id>.json`` files, each written atomically; manifest ``.manifest.jsonl``."""

    kind = "json"

    def __init__(self, path: Path, *, force: bool = False):
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        for stale in path.glob(".*.tmp"):  # temp files of a killed run
            stale.unlink(missing_ok=True)
        self.manifest = Manifest(path / ".manifest.jsonl", reset=force)

    def write(self, result: Result) -> None:
        target = self.path / f"{result.doc_id}.json"
        tmp = self.path / f".{result.doc_id}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(result.line)
            f.write("\n")
        os.replace(tmp, target)

    def sync(self) -> None:
        self.manifest.sync()

    def close(self) -> None:
        self.manifest.close()

    def records(self) -> Iterator[dict[str, Any]]:
        for f in sorted(self.path.glob("*.json")):
            try:
                yield json.loads(f.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue


_DOC_ID = regex.compile(rb'^\{"schema": "[^"\\]*", "doc_id": ("(?:[^"\\]|\\.)*")')


def _line_doc_id(raw: bytes) -> str | None:
    """The ``doc_id`` of one JSONL line: a fast look at the prefix we write, else a full parse."""
    m = _DOC_ID.match(raw)
    if m:
        return json.loads(m.group(1))
    try:
        obj = json.loads(raw)
    except ValueError:
        return None
    return obj.get("doc_id") if isinstance(obj, dict) else None


def compact_jsonl(path: Path) -> tuple[set[str], bool]:
    """Drop a cut last line, unparseable lines and earlier copies of a ``doc_id``.

    Returns the ``doc_id``s the file holds and whether it had to be rewritten. Two passes
    over the file; only the ids and offsets are held in memory, never the records.
    """
    if not path.exists():
        return set(), False
    last: dict[str, int] = {}
    n_lines = 0
    dirty = False
    with open(path, "rb") as f:
        offset = 0
        for raw in f:
            start, offset = offset, offset + len(raw)
            n_lines += 1
            doc_id = _line_doc_id(raw) if raw.endswith(b"\n") else None
            if doc_id is None:
                dirty = True
                continue
            if doc_id in last:
                dirty = True
            last[doc_id] = start
    if dirty:
        keep = set(last.values())
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(path, "rb") as src, open(tmp, "wb") as dst:
            offset = 0
            for raw in src:
                if offset in keep:
                    dst.write(raw)
                offset += len(raw)
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(tmp, path)
    return set(last), dirty


class JsonlWriter:
    """One JSON Lines file, append-only; manifest ``<name>.manifest.jsonl`` beside it."""

    kind = "jsonl"

    def __init__(self, path: Path, *, force: bool = False):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if force and path.exists():
            path.unlink()
        self.present, _ = compact_jsonl(path)
        self.rewritten = False  # a doc_id already in the file was written again
        self.manifest = Manifest(path.with_name(path.name + ".manifest.jsonl"), reset=force)
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def write(self, result: Result) -> None:
        os.write(self._fd, (result.line + "\n").encode("utf-8"))
        if result.doc_id in self.present:
            self.rewritten = True

    def sync(self) -> None:
        os.fsync(self._fd)
        self.manifest.sync()

    def close(self) -> None:
        os.fsync(self._fd)
        os.close(self._fd)
        self.manifest.close()
        if self.rewritten:
            compact_jsonl(self.path)

    def records(self) -> Iterator[dict[str, Any]]:
        for _, obj in read_jsonl(self.path):
            yield obj


class Primaries:
    """Every primary output of a run: one ``write`` feeds them all, then the manifests."""

    def __init__(self, writers: list[JsonDirWriter | JsonlWriter], pipeline: str, pack: str):
        self.writers = writers
        self.pipeline, self.pack = pipeline, pack
        self._synced = time.monotonic()

    def seen(self, doc_id: str) -> bool:
        """Does any manifest hold this input (so it may be unchanged and skipped)?"""
        return any(doc_id in w.manifest.entries for w in self.writers)

    def done(self, doc_id: str, sha256: str | None) -> bool:
        return bool(self.writers) and all(
            w.manifest.done(doc_id, sha256, self.pipeline, self.pack) for w in self.writers)

    def write(self, result: Result) -> None:
        for w in self.writers:
            w.write(result)
        entry = {"doc_id": result.doc_id, "path": result.path, "sha256": result.sha256,
                 "bytes": result.size, "pipeline": self.pipeline, "pack": self.pack,
                 "status": "error" if result.error else "ok", "code": result.error}
        for w in self.writers:  # after the record: a crash in between only causes a redo
            w.manifest.add(entry)
        now = time.monotonic()
        if now - self._synced > SYNC_EVERY:
            self._synced = now
            for w in self.writers:
                w.sync()

    def close(self) -> None:
        for w in self.writers:
            w.close()


def manifest_info(path: Path) -> dict[str, dict[str, Any]]:
    """doc_id → {path, sha256, bytes} from a manifest (last entry wins), for the tables."""
    info: dict[str, dict[str, Any]] = {}
    for _, e in read_jsonl(path):
        if "doc_id" in e:
            info[e["doc_id"]] = {"path": e.get("path"), "sha256": e.get("sha256"),
                                 "bytes": e.get("bytes")}
    return info


# -- derived outputs -------------------------------------------------------------------------

class ParquetTables:
    """A folder with one ``<table>.parquet`` file per analysis table."""

    kind = "parquet"

    def __init__(self, path: Path):
        import pyarrow.parquet as pq

        from .tables import SCHEMAS, TABLES

        self.tables = TABLES
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self._tmp = {t: path / f".{t}.parquet.{os.getpid()}.tmp" for t in TABLES}
        self._writers = {t: pq.ParquetWriter(self._tmp[t], SCHEMAS[t], compression="zstd")
                         for t in TABLES}

    def add(self, table: str, batch: list[dict[str, Any]]) -> None:
        from .tables import to_arrow

        self._writers[table].write_table(to_arrow(table, batch))

    def finish(self) -> None:
        for t in self.tables:
            self._writers[t].close()
            os.replace(self._tmp[t], self.path / f"{t}.parquet")

    def abort(self) -> None:
        for t in self.tables:
            self._writers[t].close()
            self._tmp[t].unlink(missing_ok=True)


class DuckdbTables:
    """One DuckDB database file holding the analysis tables."""

    kind = "duckdb"

    def __init__(self, path: Path):
        import duckdb

        from .tables import TABLES, to_arrow

        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        for p in (self._tmp, Path(f"{self._tmp}.wal")):
            p.unlink(missing_ok=True)
        self.con = duckdb.connect(str(self._tmp))
        for t in TABLES:
            self.con.register("_batch", to_arrow(t, []))
            self.con.execute(f'CREATE TABLE "{t}" AS SELECT * FROM _batch')
            self.con.unregister("_batch")

    def add(self, table: str, batch: list[dict[str, Any]]) -> None:
        from .tables import to_arrow

        self.con.register("_batch", to_arrow(table, batch))
        self.con.execute(f'INSERT INTO "{table}" SELECT * FROM _batch')
        self.con.unregister("_batch")

    def finish(self) -> None:
        self.con.execute("CHECKPOINT")
        self.con.close()
        os.replace(self._tmp, self.path)
        Path(f"{self.path}.wal").unlink(missing_ok=True)

    def abort(self) -> None:
        self.con.close()
        self._tmp.unlink(missing_ok=True)


def build_tables(records: Iterator[dict[str, Any]], info: dict[str, dict[str, Any]],
                 sinks: list[ParquetTables | DuckdbTables], batch_docs: int = 500) -> int:
    """Stream records into every derived output, ``batch_docs`` records at a time."""
    from .tables import TABLES, rows

    pending: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    n = 0

    def flush() -> None:
        for t, batch in pending.items():
            if batch:
                for s in sinks:
                    s.add(t, batch)
                pending[t] = []

    try:
        for rec in records:
            man = info.get(rec.get("doc_id"), {})
            for t, rs in rows(rec, man).items():
                pending[t].extend(rs)
            n += 1
            if n % batch_docs == 0:
                flush()
        flush()
    except BaseException:
        for s in sinks:
            s.abort()
        raise
    for s in sinks:
        s.finish()
    return n


def open_derived(fmt: str, path: Path) -> ParquetTables | DuckdbTables:
    return ParquetTables(path) if fmt == "parquet" else DuckdbTables(path)
