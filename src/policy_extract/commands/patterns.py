"""``policy-extract patterns list|test [DIR...]``: see what is loaded, and run every example."""
from __future__ import annotations

import argparse
import json
import sys

from ..patterns.engine import PatternError, load_pack
from ..patterns.examples import run_examples


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("patterns", help="list pattern packs or run their examples",
                       description="Inspect and test pattern packs (the built-in pack plus user packs).")
    psub = p.add_subparsers(dest="action", metavar="ACTION")
    lp = psub.add_parser("list", help="show fields, patterns and where each came from")
    lp.add_argument("dirs", nargs="*", help="user pack folders layered on the built-in pack")
    lp.add_argument("--json", action="store_true", help="machine-readable output")
    lp.set_defaults(func=run_list)
    tp = psub.add_parser("test", help="run every pattern example; exit 1 on any failure")
    tp.add_argument("dirs", nargs="*", help="user pack folders layered on the built-in pack")
    tp.add_argument("--field", action="append", help="only these fields (repeatable)")
    tp.add_argument("-v", "--verbose", action="store_true", help="also list passing examples")
    tp.set_defaults(func=run_test)
    p.set_defaults(func=lambda args: p.print_help() or 2)


def _load(dirs: list[str]):
    try:
        return load_pack(dirs)
    except PatternError as e:
        print(f"error: {e}", file=sys.stderr)
        return None


def run_list(args: argparse.Namespace) -> int:
    pack = _load(args.dirs)
    if pack is None:
        return 2
    rows = []
    for name, spec in sorted(pack.fields.items()):
        for pat in spec.patterns.values():
            rows.append({"field": name, "pattern": pat.name, "examples": len(pat.examples),
                         "origin": pat.origin})
    if args.json:
        print(json.dumps({"sources": pack.sources, "patterns": rows}, ensure_ascii=False, indent=1))
        return 0
    print("packs: " + ", ".join(pack.sources))
    for name, spec in sorted(pack.fields.items()):
        vocab = sum(len(v) for v in spec.vocab.values())
        print(f"\n{name}  ({len(spec.patterns)} patterns, {vocab} vocab words"
              + (f", handler {spec.handler}" if spec.handler else "") + ")")
        for pat in spec.patterns.values():
            print(f"  {pat.name:32} {len(pat.examples):3} examples  {pat.origin}")
    return 0


def run_test(args: argparse.Namespace) -> int:
    pack = _load(args.dirs)
    if pack is None:
        return 2
    results = run_examples(pack, args.field)
    failed = [r for r in results if not r.ok]
    for r in results:
        if r.ok and not args.verbose:
            continue
        status = "ok  " if r.ok else "FAIL"
        print(f"{status} {r.field}/{r.pattern} ({r.origin})")
        print(f"     text:     {r.text}")
        if not r.ok:
            print(f"     expected: {json.dumps(r.expect, ensure_ascii=False)}")
            actual = r.error or json.dumps(
                [{k: v for k, v in a.items() if k not in ("start", "end")} for a in r.actual],
                ensure_ascii=False)
            print(f"     actual:   {actual}")
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0
