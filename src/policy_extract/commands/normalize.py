"""``policy-extract normalize FILE [--explain]``: print the normalized text (and what changed)."""
from __future__ import annotations

import argparse
import sys

from ..errors import PolicyExtractError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("normalize", help="print the normalized text of a notice",
                       description="Ingest and normalize FILE and print the text the extractors read.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--explain", action="store_true",
                   help="after the text, list per step how many changes it made, with examples")
    p.add_argument("--max-bytes", type=int, default=None, help="refuse larger files (default 64 MiB)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..ingest import MAX_BYTES, load
    from ..normalize import normalize

    try:
        source = load(args.file, max_bytes=args.max_bytes or MAX_BYTES)
        norm = normalize(source)
    except PolicyExtractError as e:
        print(f"policy-extract normalize: {e}", file=sys.stderr)
        return 1
    out = sys.stdout
    out.write(norm.text + "\n")
    if args.explain:
        out.write(f"\n# {source.doc_id}: format={source.format} encoding={source.encoding} "
                  f"script={norm.script} chars={len(source.raw)}->{len(norm.text)}\n")
        if source.hints:
            out.write(f"# hints: {source.hints}\n")
        for step in norm.steps:
            out.write(f"# {step['step']:<10} {step['changes']:>6} change(s)\n")
            for ex in step["examples"]:
                out.write(f"#     {ex}\n")
        for w in list(source.warnings) + list(norm.warnings):
            out.write(f"# warning {w.code}: {w.message}\n")
    return 0
