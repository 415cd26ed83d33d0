"""The ``policy-extract`` command line: one sub-command per module in ``policy_extract.commands``."""
from __future__ import annotations

import argparse
import importlib
import sys

from . import __version__

# Each module defines ``register(subparsers)`` and sets ``func`` on its parser.
COMMANDS = ("convert", "normalize", "grade", "review", "patterns", "report")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policy-extract",
        description="Turn Chinese policy notices into structured, source-grounded JSON (policy-extract/1).")
    parser.add_argument("--version", action="version", version=f"policy-extract {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"policy_extract.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
