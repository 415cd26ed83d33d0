"""Convert one file into one line of output: the record, or an error record. Never raises.

This is the only function the engines run (in-process, in a process pool, on Dask), so every
engine gives the same records. The record is serialised here, in the worker, so the parent
process only writes strings.
"""
from __future__ import annotations

import hashlib
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..errors import PolicyExtractError
from ..ingest import load_bytes, read_source
from ..patterns.engine import default_pack
from ..pipeline import extract_source
from .jsonline import dumps_line

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_TIMEOUT = 300.0


@dataclass(frozen=True)
class Task:
    """What a worker needs to convert one file (small and picklable)."""

    path: str
    doc_id: str
    size: int
    sha256: str | None = None


@dataclass(frozen=True)
class Settings:
    """Per-batch settings every worker shares."""

    patterns: tuple[str, ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float | None = DEFAULT_TIMEOUT


@dataclass(frozen=True)
class Result:
    """One converted input: the JSON line to write and what the manifest and summary need."""

    doc_id: str
    path: str
    size: int
    sha256: str | None
    line: str  # the record (or error record) as one JSON line, without the newline
    error: str | None  # error code, None for a record
    seconds: float


def sha256_file(path: str, chunk: int = 1 << 20) -> str:
    """Content hash of a file, read in chunks (the resume key)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


class _Timeout(BaseException):  # not Exception: a broad `except` in a step must not eat it
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Timeout


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise E202 when the block runs longer than ``seconds``.

    Uses SIGALRM, so it only works in a process's main thread (in-process and process-pool
    engines); in threads (a threaded Dask worker) conversion runs without a limit. Like any
    signal it fires between Python bytecodes, not inside one long C call.
    """
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def convert_file(task: Task, settings: Settings) -> Result:
    """Convert ``task.path`` into a record line; every failure becomes an error record line."""
    t0 = time.perf_counter()
    error: str | None = None
    sha = task.sha256
    try:
        try:
            if task.size < 0:
                raise PolicyExtractError("E101", path=task.path)
            if task.size > settings.max_bytes:
                raise PolicyExtractError("E105", size=task.size, limit=settings.max_bytes,
                                         path=task.path)
            with time_limit(settings.timeout):
                data = read_source(task.path)
                if sha is None:  # the parent hashed only inputs its manifests know
                    sha = hashlib.sha256(data).hexdigest()
                source = load_bytes(data, doc_id=task.doc_id, path=task.path)
                record = extract_source(source, default_pack(settings.patterns))
        except PolicyExtractError:
            raise
        except _Timeout:
            raise PolicyExtractError("E202", path=task.path, seconds=settings.timeout) from None
        except FileNotFoundError:
            raise PolicyExtractError("E101", path=task.path) from None
        except OSError as e:
            raise PolicyExtractError("E106", path=task.path, reason=str(e)) from None
        except Exception as e:  # one bad file must not stop the batch
            raise PolicyExtractError("E201", path=task.path,
                                     reason=f"{type(e).__name__}: {e}") from None
        record["doc_id"] = task.doc_id
        line = dumps_line(record)
    except PolicyExtractError as e:
        error = e.code
        line = dumps_line(e.record(task.doc_id, task.path))
    except Exception as e:  # e.g. a record that is not JSON-serialisable
        error = "E201"
        err = PolicyExtractError("E201", path=task.path, reason=f"{type(e).__name__}: {e}")
        line = dumps_line(err.record(task.doc_id, task.path))
    return Result(task.doc_id, task.path, task.size, sha, line, error,
                  time.perf_counter() - t0)


def convert_chunk(tasks: list[Task], settings: Settings) -> list[Result]:
    """Convert several small files in one call: one round trip to a worker per chunk, not per
    file, so the parent's pickling and queueing stay far below the workers' work."""
    return [convert_file(t, settings) for t in tasks]


def chunks(tasks: Iterator[Task], max_files: int = 16, max_bytes: int = 1 << 20
           ) -> Iterator[list[Task]]:
    """Group tasks into chunks of at most ``max_files`` files or about ``max_bytes`` bytes."""
    chunk: list[Task] = []
    size = 0
    for t in tasks:
        chunk.append(t)
        size += max(t.size, 0)
        if len(chunk) >= max_files or size >= max_bytes:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def error_result(task: Task, code: str, **params: object) -> Result:
    """An error result built outside a worker (e.g. the worker process died)."""
    err = PolicyExtractError(code, path=task.path, **params)
    line = dumps_line(err.record(task.doc_id, task.path))
    return Result(task.doc_id, task.path, task.size, task.sha256, line, code, 0.0)
