"""``policy-extract normalize``: PLACEHOLDER until its issue lands."""
from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("normalize", help="(not yet available)")
    p.set_defaults(func=lambda args: print("policy-extract normalize: not yet available") or 2)
