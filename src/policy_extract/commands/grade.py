"""``policy-extract grade``: PLACEHOLDER until its issue lands."""
from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("grade", help="(not yet available)")
    p.set_defaults(func=lambda args: print("policy-extract grade: not yet available") or 2)
