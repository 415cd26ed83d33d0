"""``policy-extract convert``: PLACEHOLDER (sequential) until the batch issue lands."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import PolicyExtractError
from ..ingest import doc_id_for
from ..pipeline import extract


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("convert", help="convert notices to policy-extract/1 JSON")
    p.add_argument("paths", nargs="+", help="files or folders")
    p.add_argument("--out", help="output folder: one <doc_id>.json per input")
    p.add_argument("-o", "--output", help="output file (.jsonl)")
    p.set_defaults(func=run)


def _inputs(paths: list[str]):
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith("."))
        else:
            yield p


def run(args: argparse.Namespace) -> int:
    out_dir = Path(args.out) if args.out else None
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    jsonl = open(args.output, "w", encoding="utf-8") if args.output else None  # noqa: SIM115
    for path in _inputs(args.paths):
        try:
            rec = extract(path)
        except PolicyExtractError as e:
            rec = e.record(doc_id_for(path), str(path))
        line = json.dumps(rec, ensure_ascii=False)
        if out_dir:
            (out_dir / f"{rec['doc_id']}.json").write_text(line, encoding="utf-8")
        if jsonl:
            jsonl.write(line + "\n")
        if not out_dir and not jsonl:
            sys.stdout.write(line + "\n")
    if jsonl:
        jsonl.close()
    return 0
