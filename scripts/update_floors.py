"""Show the corpus scores next to the pinned floors; with ``--write``, raise the floors.

    .venv/bin/python scripts/update_floors.py           # compare only
    .venv/bin/python scripts/update_floors.py --write   # raise floors to today's scores

Floors are raised to the current score rounded down to 0.01 and never lowered: a drop is a
regression to fix (or, if deliberate, to lower by hand in grade_floors.json with a reason
in the commit message).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from policy_extract.grade import format_table
from policy_extract.grade.corpus import grade_corpus
from policy_extract.grade.floors import floored, load_floors, raise_floors

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="raise floors in the floors file")
    ap.add_argument("--floors", default=str(ROOT / "grade_floors.json"))
    args = ap.parse_args(argv)
    data = load_floors(args.floors)
    floors: dict[str, float] = data["floors"]
    with tempfile.TemporaryDirectory() as out:
        report = grade_corpus(ROOT, out)
    print(format_table(report))
    print()
    current = floored(report.scores)
    print(f"{'score':<28} {'current':>8} {'floor':>6}")
    for key in sorted(set(current) | set(floors)):
        now, floor = current.get(key), floors.get(key)
        mark = "  BELOW FLOOR" if now is not None and floor is not None and now + 1e-9 < floor else ""
        print(f"{key:<28} {'–' if now is None else f'{now:.4f}':>8} "
              f"{'–' if floor is None else f'{floor:.2f}':>6}{mark}")
    new, changes = raise_floors(report.scores, floors)
    if not args.write:
        print(f"\n{len(changes)} floor(s) could be raised; run with --write to raise them")
        return 0
    if changes:
        data["floors"] = new
        Path(args.floors).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n",
                                     encoding="utf-8")
    print("\n" + ("\n".join(f"raised {c}" for c in changes) or "no floor raised"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
