"""``policy-extract convert``: convert files and folders, in batch, into one or more outputs.

One conversion feeds every output given: ``--out DIR`` (a folder of ``<doc_id>.json``) and
any number of ``-o PATH`` (format from the suffix: ``.jsonl``, ``.parquet`` (a folder of
tables), ``.duckdb``; or a ``FORMAT:`` prefix; or ``--format``). See docs/batch.md.
"""
from __future__ import annotations

import argparse
import os
import sys

from ..batch import BatchOptions, run_batch
from ..batch.worker import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT
from ..batch.writers import FORMATS, resolve_format, split_spec
from ..errors import PolicyExtractError
from ..patterns.engine import PatternError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "convert", help="convert notices to policy-extract/1 records (JSON, JSONL, Parquet, DuckDB)",
        description="Convert files and folders (recursively; hidden files skipped). Every input "
                    "yields one record or one error record. Re-running skips unchanged inputs.",
        epilog="example: policy-extract convert corpus --out out/json -o out/notices.jsonl "
               "-o out/tables.duckdb -o out/parquet/")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    p.add_argument("--out", metavar="DIR", help="output folder: one <doc_id>.json per input")
    p.add_argument("-o", "--output", action="append", default=[], metavar="FILE",
                   help="output file, repeatable: .jsonl, .parquet (folder of tables), .duckdb; "
                        "a FORMAT: prefix (parquet:out/t) or --format names the format")
    p.add_argument("--format", choices=FORMATS,
                   help="format of the -o outputs, overriding their suffix")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help=f"worker processes (default: all cores = {os.cpu_count()}); 1 runs in-process")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local process pool (default) or a Dask cluster")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask scheduler address (default: start a LocalCluster)")
    p.add_argument("--patterns", action="append", default=[], metavar="DIR",
                   help="extra pattern pack folder, layered on the built-in one (repeatable)")
    p.add_argument("--force", action="store_true", help="convert every input again")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress display (the one-line summary is still printed)")
    p.add_argument("--progress", action="store_true", help="show progress even when not a terminal")
    p.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, metavar="N",
                   help=f"skip larger files with error E105 (default {DEFAULT_MAX_BYTES})")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"per-file time limit, error E202 (default {DEFAULT_TIMEOUT:g}; 0 = none)")
    p.set_defaults(func=run)


def outputs_from(args: argparse.Namespace) -> list[tuple[str, str]]:
    """``(format, path)`` for every output the flags name; ValueError on an unknown format."""
    outs: list[tuple[str, str]] = []
    if args.out:
        outs.append(("json", args.out))
    for spec in args.output:
        prefix, path = split_spec(spec)
        outs.append((resolve_format(path, prefix or args.format), path))
    paths = [os.path.abspath(p) for _, p in outs]
    if len(set(paths)) != len(paths):
        raise ValueError("the same output path is given twice")
    return outs


def run(args: argparse.Namespace) -> int:
    try:
        outputs = outputs_from(args)
    except ValueError as e:
        print(f"policy-extract convert: {e}", file=sys.stderr)
        return 2
    if args.workers is not None and args.workers < 1:
        print("policy-extract convert: --workers must be at least 1", file=sys.stderr)
        return 2
    opts = BatchOptions(
        outputs=outputs, workers=args.workers, engine=args.engine, scheduler=args.scheduler,
        patterns=tuple(args.patterns), max_bytes=args.max_bytes,
        timeout=args.timeout or None, force=args.force,
        progress=False if args.quiet else (True if args.progress else None))
    try:
        summary = run_batch(args.paths, opts)
    except (PatternError, PolicyExtractError) as e:
        print(f"policy-extract convert: {e}", file=sys.stderr)
        return 2
    print(summary.line(), file=sys.stderr)
    return 130 if summary.interrupted else 0
