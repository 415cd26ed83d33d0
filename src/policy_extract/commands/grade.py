"""``policy-extract grade GOLD_DIR PRED``: score converted output against gold annotations.

Grading is a measurement, not a test: it exits 0 whenever it ran, 2 on bad arguments.
"""
from __future__ import annotations

import argparse
import json
import sys

from ..grade import GradeInputError, format_errors, format_table, grade_dirs


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "grade", help="score converted output against gold annotations",
        description="Per field type precision/recall/F1 over value-level keys, attribute "
                    "accuracy of matched fields, and meta accuracy.")
    p.add_argument("gold_dir", metavar="GOLD_DIR", help="folder of gold <doc_id>.json files")
    p.add_argument("pred", metavar="PRED",
                   help="converted output: a folder of <doc_id>.json files or a .jsonl file")
    p.add_argument("--errors", action="store_true",
                   help="list every miss, spurious field and wrong attribute")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--fields", metavar="LIST",
                   help="comma-separated field types to grade (default: all), e.g. amounts,dates")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    fields = args.fields.split(",") if args.fields else None
    try:
        report = grade_dirs(args.gold_dir, args.pred, fields=fields)
    except (GradeInputError, ValueError) as e:
        print(f"policy-extract grade: {e}", file=sys.stderr)
        return 2
    if args.json:
        data = report.to_dict()
        if not args.errors:
            data.pop("findings")
        json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    print(format_table(report))
    if args.errors:
        print()
        print(format_errors(report) or "no disagreements")
    return 0
