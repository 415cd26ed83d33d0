"""Batch conversion: many files in, one record per file out, resumable, on one machine or Dask.

The modules, in the order a batch uses them:

``inputs``   walk files and folders lazily and give every input a unique ``doc_id``;
``state``    the resume manifest (content hash + pipeline version + pattern pack identity);
``worker``   convert one file into a record line or an error record line (the only
             function the engines run);
``runner``   the local engine (in-process or a process pool) and the batch loop;
``dask_engine`` the same worker function on a Dask cluster;
``writers``  JSON folder, JSONL, Parquet and DuckDB outputs (atomic, append-only, rebuilt);
``tables``   record → rows of the analysis tables;
``progress`` the progress line on stderr and the final summary.
"""
from .progress import Summary
from .runner import BatchOptions, run_batch

__all__ = ["BatchOptions", "Summary", "run_batch"]
