"""``policy-extract report OUT -o report.html``: a static, self-contained HTML view to share."""
from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report", help="write a static, self-contained HTML view of converted output",
        description="One HTML file (inline CSS/JS, no server, no network) showing every document "
                    "with its fields highlighted; with --gold, the F1 of each against its gold.")
    p.add_argument("path", metavar="OUT",
                   help="converted output (folder of <doc_id>.json, or .jsonl) or a folder of notices")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="the HTML file to write")
    p.add_argument("--gold", default="gold", metavar="DIR",
                   help="gold folder for the F1 column (default: gold; missing is fine)")
    p.add_argument("--title", help="page title")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..review import Store, write_report

    try:
        store = Store(args.path, args.gold)
    except (OSError, ValueError) as e:
        print(f"policy-extract report: {e}", file=sys.stderr)
        return 2
    n = write_report(store, args.output, args.title)
    print(f"wrote {args.output} ({n} documents)")
    return 0
