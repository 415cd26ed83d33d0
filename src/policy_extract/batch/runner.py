"""The batch loop and the local engine.

    inputs (lazy walk) → skip unchanged (manifest) → engine.map(convert_file) → primary
    outputs + manifests (as results arrive) → derived tables (rebuilt at the end)

Memory stays flat: inputs are walked lazily, at most ``4 × workers`` files are in flight,
each result is written as soon as it arrives, and the tables are built in batches.
"""
from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..patterns.engine import default_pack
from ..pipeline import warm_up
from .inputs import count, file_keys, iter_inputs
from .progress import Progress, Summary
from .state import pack_identity, pipeline_version
from .worker import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    Result,
    Settings,
    Task,
    chunks,
    convert_chunk,
    convert_file,
    error_result,
    sha256_file,
)
from .writers import (
    JsonDirWriter,
    JsonlWriter,
    Primaries,
    build_tables,
    manifest_info,
    open_derived,
)


@dataclass
class BatchOptions:
    """Everything ``convert`` was asked to do. ``outputs`` are ``(format, path)`` pairs."""

    outputs: list[tuple[str, str]] = field(default_factory=list)
    workers: int | None = None  # None: os.cpu_count()
    engine: str = "local"  # local | dask
    scheduler: str | None = None
    patterns: tuple[str, ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float | None = DEFAULT_TIMEOUT
    force: bool = False
    progress: bool | None = None  # None: when stderr is a terminal
    cluster_kwargs: dict[str, Any] = field(default_factory=dict)  # for a LocalCluster


# -- local engine ----------------------------------------------------------------------------

# A conversion allocates many short-lived containers (match lists, field dicts) and no
# cycles worth collecting early: with the default threshold (700) the cyclic collector runs
# thousands of times per batch and rescans the long-lived pack each time it reaches the
# older generations. A larger first threshold and a frozen pack cut that to a few runs.
_GC_THRESHOLD0 = 50_000


def _init_worker(patterns: tuple[str, ...]) -> None:
    default_pack(patterns)  # load and compile the pack once per worker process
    gc.set_threshold(_GC_THRESHOLD0, *gc.get_threshold()[1:])


@contextlib.contextmanager
def _batch_gc() -> Iterator[None]:
    """Fewer cyclic-GC runs for the batch; the pack, loaded before, is frozen out of them.

    Frozen objects are also never written to by the collector, so forked workers keep
    sharing the parent's pages of the pack instead of copying them. The previous threshold
    is restored afterwards (``run_batch`` is also a library call).
    """
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(_GC_THRESHOLD0, *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()


def _warm_parent(patterns: tuple[str, ...]) -> None:
    """Fill the pack's lazy caches before forking, so no worker builds them again."""
    # a speed-up only: a user pack that trips on the sample still runs (files report errors)
    with contextlib.suppress(Exception):
        warm_up(default_pack(patterns))


def local_map(tasks: Iterator[Task], settings: Settings, workers: int) -> Iterator[Result]:
    """Run ``convert_file`` over ``tasks``: in this process for 1 worker, else a process pool.

    Files go to the pool in chunks (``worker.chunks``), at most ``2 × workers`` chunks in
    flight. A worker process that dies (OOM killer, segfault) breaks the pool; the files of
    the chunks in flight are retried one by one on a fresh pool, and a file that breaks it
    again gets an E201 record.
    """
    if workers <= 1:
        default_pack(settings.patterns)
        with _batch_gc():
            for task in tasks:
                yield convert_file(task, settings)
        return
    methods = multiprocessing.get_all_start_methods()
    fork = "fork" in methods
    ctx = multiprocessing.get_context("fork" if fork else None)
    if fork:
        _warm_parent(settings.patterns)
        gc.freeze()  # the workers inherit the warmed pack outside the collector's reach
    try:
        yield from _pool_map(tasks, settings, workers, ctx)
    finally:
        if fork:
            gc.unfreeze()


def _pool_map(tasks: Iterator[Task], settings: Settings, workers: int,
              ctx: Any) -> Iterator[Result]:
    """The process-pool half of ``local_map``."""
    limit = workers * 2
    source = chunks(tasks)
    retry: deque[list[Task]] = deque()
    failed_once: set[str] = set()
    exhausted = False
    while True:
        pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                                   initargs=(settings.patterns,))
        inflight: dict[Future[list[Result]], list[Task]] = {}
        broken = False
        try:
            while True:
                while not broken and len(inflight) < limit and (retry or not exhausted):
                    if retry:
                        chunk = retry.popleft()
                    else:
                        nxt = next(source, None)
                        if nxt is None:
                            exhausted = True
                            break
                        chunk = nxt
                    try:
                        inflight[pool.submit(convert_chunk, chunk, settings)] = chunk
                    except BrokenProcessPool:
                        retry.appendleft(chunk)
                        broken = True
                if not inflight:
                    break
                done, _ = wait(inflight, return_when=FIRST_COMPLETED)
                for fut in done:
                    chunk = inflight.pop(fut)
                    try:
                        yield from fut.result()
                    except BrokenProcessPool:
                        broken = True
                        for task in chunk:
                            if task.doc_id in failed_once:
                                yield error_result(task, "E201", reason="the worker process "
                                                   "died (killed, out of memory or crashed)")
                            else:
                                failed_once.add(task.doc_id)
                                retry.append([task])
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        if not broken:
            return


# -- the batch --------------------------------------------------------------------------------

def _plan(paths: Iterable[str], primaries: Primaries, force: bool, max_bytes: int,
          summary: Summary, progress: Progress, exclude: frozenset[tuple[int, int]]
          ) -> Iterator[Task]:
    """Tasks for the inputs that need converting; unchanged ones are counted and skipped."""
    for inp in iter_inputs(paths, exclude):
        summary.inputs += 1
        sha = None
        # only an input the manifests know may be skipped: hash it here to compare; any
        # other is hashed by its worker from the bytes it reads (one read, not two)
        if not force and primaries.seen(inp.doc_id) and 0 <= inp.size <= max_bytes:
            try:
                sha = sha256_file(inp.path)
            except OSError:
                sha = None  # the worker reports why it cannot be read
        if not force and primaries.done(inp.doc_id, sha):
            summary.skipped += 1
            progress.update(inp.size, skipped=True)
            continue
        yield Task(inp.path, inp.doc_id, inp.size, sha)


def _store_path(path: Path) -> Path:
    return path.with_name(path.name + ".records.jsonl")


def run_batch(paths: list[str], opts: BatchOptions, *, stdout: Any = None) -> Summary:
    """Convert every input under ``paths`` into every output of ``opts``; return the summary.

    Ctrl-C stops the batch cleanly: the summary comes back with ``interrupted`` set.
    """
    t0 = time.perf_counter()
    workers = opts.workers or os.cpu_count() or 1
    settings = Settings(tuple(str(Path(p).resolve()) for p in opts.patterns),
                        opts.max_bytes, opts.timeout)
    default_pack(settings.patterns)  # fail fast on a broken pattern pack, before any work
    pipeline, pack = pipeline_version(), pack_identity(settings.patterns)

    primary: list[JsonDirWriter | JsonlWriter] = []
    derived: list[tuple[str, Path]] = []
    for fmt, p in opts.outputs:
        path = Path(p)
        if fmt == "json":
            primary.append(JsonDirWriter(path, force=opts.force))
        elif fmt == "jsonl":
            primary.append(JsonlWriter(path, force=opts.force))
        else:
            derived.append((fmt, path))
    if derived and not any(w.kind == "jsonl" for w in primary):
        # derived tables need every record again at the end: keep them in a JSONL store
        primary.append(JsonlWriter(_store_path(derived[0][1]), force=opts.force))
    primaries = Primaries(primary, pipeline, pack)

    summary = Summary(outputs=[str(p) for _, p in opts.outputs])
    total = total_bytes = 0
    show = sys.stderr.isatty() if opts.progress is None else opts.progress
    if show:
        total, total_bytes = count(paths)
    progress = Progress(total, total_bytes, enabled=show)
    own = [p for _, p in opts.outputs] + [w.path for w in primary] + [
        w.manifest.path for w in primary]
    exclude = file_keys(own)
    tasks = _plan(paths, primaries, opts.force, opts.max_bytes, summary, progress, exclude)
    if opts.engine == "dask":
        from .dask_engine import dask_map
        results = dask_map(tasks, settings, scheduler=opts.scheduler, workers=workers,
                           cluster_kwargs=opts.cluster_kwargs)
    else:
        results = local_map(tasks, settings, workers)

    out = stdout if stdout is not None else sys.stdout
    try:
        for res in results:
            if primary:
                primaries.write(res)
            else:
                out.write(res.line + "\n")
            summary.bytes += max(res.size, 0)
            if res.error:
                summary.errors += 1
                summary.codes[res.error] += 1
            else:
                summary.converted += 1
            progress.update(res.size, error=bool(res.error))
    except KeyboardInterrupt:
        summary.interrupted = True  # what is written stays valid; tables wait for a full run
    finally:
        results.close()
        progress.close()
        primaries.close()
        summary.seconds = time.perf_counter() - t0
    if derived and not summary.interrupted:
        store = next(w for w in primary if w.kind == "jsonl")
        info = manifest_info(store.manifest.path)
        sinks = [open_derived(fmt, path) for fmt, path in derived]
        build_tables(store.records(), info, sinks)
    summary.seconds = time.perf_counter() - t0
    return summary
