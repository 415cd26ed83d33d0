"""Show a short summary of converted output (used by ``make run``)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

FIELDS = ("measures", "amounts", "caps", "percentages", "dates", "units")


def main(out: str) -> int:
    files = sorted(Path(out).glob("*.json"))
    print(f"{'doc_id':40} " + " ".join(f"{f[:6]:>6}" for f in FIELDS) + "  title")
    for f in files:
        rec = json.loads(f.read_text(encoding="utf-8"))
        if "error" in rec:
            print(f"{rec['doc_id']:40} ERROR {rec['error']['code']}: {rec['error']['message']}")
            continue
        counts = " ".join(f"{len(rec.get(k) or []):>6}" for k in FIELDS)
        print(f"{rec['doc_id']:40} {counts}  {(rec['meta'].get('title') or '')[:40]}")
    print(f"{len(files)} documents in {out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "out/json"))
