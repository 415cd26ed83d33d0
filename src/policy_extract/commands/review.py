"""``policy-extract review``: check and correct extracted fields in the browser; save gold.

    policy-extract review out/json --gold gold/            # serve the app on 127.0.0.1:8765
    policy-extract review corpus/ --gold gold/             # raw notices, converted on demand
    policy-extract review --export-labelstudio ls.json out/json
    policy-extract review --import-labelstudio export.json --gold gold/

See docs/review.md.
"""
from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "review", help="review and correct extracted fields in the browser; save them as gold",
        description="Serve a local web app over converted output (a folder of <doc_id>.json or "
                    "a .jsonl) or raw notices (converted on demand). Corrections are saved to "
                    "GOLD/<doc_id>.json. Also exports to / imports from Label Studio.",
        epilog="see docs/review.md")
    p.add_argument("path", nargs="?", metavar="PATH",
                   help="converted output (folder of <doc_id>.json, or .jsonl) or a folder of notices")
    p.add_argument("--gold", default="gold", metavar="DIR",
                   help="gold folder to read and write (default: gold)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 = any free port)")
    p.add_argument("--sources", metavar="DIR",
                   help="folder holding the original inputs, when the records' source.path "
                        "does not resolve from here (for the 'original source' view)")
    p.add_argument("--export-labelstudio", metavar="OUT.json",
                   help="write PATH's predictions as a Label Studio import file and exit")
    p.add_argument("--import-labelstudio", metavar="EXPORT.json",
                   help="write the annotations of a Label Studio JSON export to --gold and exit")
    p.add_argument("--overwrite", action="store_true",
                   help="with --import-labelstudio: replace gold files that already exist")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from .. import review

    if args.import_labelstudio:
        try:
            result = review.import_labelstudio(args.import_labelstudio, args.gold,
                                               overwrite=args.overwrite)
        except (OSError, ValueError) as e:
            print(f"policy-extract review: {e}", file=sys.stderr)
            return 2
        for note in result.notes:
            print(f"  {note}", file=sys.stderr)
        print(f"imported {len(result.written)} document(s) into {args.gold}"
              + (f", skipped {len(result.skipped)}" if result.skipped else ""))
        return 0 if not result.skipped or result.written else 1
    if not args.path:
        print("policy-extract review: give PATH (converted output or a folder of notices)",
              file=sys.stderr)
        return 2
    try:
        store = review.Store(args.path, args.gold, sources=args.sources)
    except (OSError, ValueError) as e:
        print(f"policy-extract review: {e}", file=sys.stderr)
        return 2
    if args.export_labelstudio:
        n = review.export_labelstudio(store, args.export_labelstudio)
        print(f"wrote {n} task(s) to {args.export_labelstudio}; labeling config: "
              f"{review.labelstudio.config_path(args.export_labelstudio)}")
        return 0
    if not len(store):
        print(f"policy-extract review: no documents in {args.path}", file=sys.stderr)
        return 2
    try:
        server = review.serve(store, args.host, args.port)
    except OSError as e:
        print(f"policy-extract review: cannot listen on {args.host}:{args.port}: {e.strerror or e}"
              " (try --port 0)", file=sys.stderr)
        return 2
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: listening on {args.host}: anyone who can reach this address can "
              "read these documents", file=sys.stderr)
    print(f"reviewing {len(store)} document(s) from {args.path} ({store.kind}); gold: {args.gold}")
    print(f"open {server.url} in your browser (Ctrl+C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped")
    finally:
        server.server_close()
    return 0
