"""The same conversion on a Dask cluster: ``convert_chunk`` (``convert_file`` over a few files) submitted through ``dask.distributed``.

Workers read the input files themselves, so on a multi-machine cluster the inputs (and any
``--patterns`` folders) must be on a filesystem every worker sees. Submission is bounded
(``2 ×`` the cluster's threads in chunks in flight) so the scheduler never holds the whole corpus.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .worker import Result, Settings, Task, chunks, convert_chunk, error_result


def dask_map(tasks: Iterator[Task], settings: Settings, *, scheduler: str | None = None,
             workers: int = 1, cluster_kwargs: dict[str, Any] | None = None) -> Iterator[Result]:
    """Yield one Result per task, in completion order, from a Dask cluster.

    With no ``scheduler`` address a ``LocalCluster`` of ``workers`` single-threaded worker
    processes is started (``cluster_kwargs`` override its arguments) and closed at the end.
    """
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        kwargs: dict[str, Any] = {"n_workers": workers, "threads_per_worker": 1,
                                  "processes": True, "dashboard_address": None}
        kwargs.update(cluster_kwargs or {})
        cluster = LocalCluster(**kwargs)
        client = Client(cluster)
    try:
        threads = sum(client.nthreads().values()) or 1
        limit = 2 * threads
        pending: dict[str, list[Task]] = {}
        queue = as_completed()
        source = chunks(tasks)

        def submit() -> bool:
            chunk = next(source, None)
            if chunk is None:
                return False
            fut = client.submit(convert_chunk, chunk, settings, pure=False)
            pending[fut.key] = chunk
            queue.add(fut)
            return True

        while len(pending) < limit and submit():
            pass
        for fut in queue:
            chunk = pending.pop(fut.key)
            try:
                results = fut.result()
            except Exception as e:  # a lost worker, a pickling problem: records, go on
                results = [error_result(t, "E201", reason=f"dask: {type(e).__name__}: {e}")
                           for t in chunk]
            fut.release()
            yield from results
            submit()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
