"""``policy-extract review``: PLACEHOLDER until its issue lands."""
from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("review", help="(not yet available)")
    p.set_defaults(func=lambda args: print("policy-extract review: not yet available") or 2)
