"""Pinned score floors: the regression gate's memory of how good the pipeline already is.

`grade_floors.json` (repo root) maps flat score keys (`amounts_f`, `dates_qualifier_acc`,
`meta_title_acc`, …) to floors. The gate fails when a score drops below its floor; floors are
raised deliberately with `scripts/update_floors.py --write` and never lowered by a tool.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

# The scores that get floors: F1 per field type, every accuracy (attributes, attachment, meta).
FLOORED_SUFFIXES = ("_f", "_acc")


def floored(scores: dict[str, Any]) -> dict[str, float]:
    """The gate-relevant scores; an undefined accuracy (nothing matched) counts as 0."""
    return {k: float(v or 0.0) for k, v in scores.items() if k.endswith(FLOORED_SUFFIXES)}


def round_down(x: float) -> float:
    """Down to 0.01, with a guard so 0.29 (stored as 0.28999…) stays 0.29."""
    return math.floor(x * 100 + 1e-9) / 100


def load_floors(path: str | Path) -> dict[str, Any]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data.get("floors"), dict):
        raise ValueError(f"{path}: expected an object with a 'floors' mapping")
    return data


def check_floors(scores: dict[str, Any], floors: dict[str, float]) -> list[str]:
    """One message per score below its floor (or no longer produced), naming the score."""
    current = floored(scores)
    failures = []
    for key, floor in sorted(floors.items()):
        if key not in current:
            failures.append(f"{key}: no longer reported (floor {floor:.2f})")
        elif current[key] + 1e-9 < floor:
            failures.append(f"{key}: {current[key]:.4f} < floor {floor:.2f}")
    return failures


def raise_floors(scores: dict[str, Any], floors: dict[str, float]
                 ) -> tuple[dict[str, float], list[str]]:
    """New floors: each raised to the current score rounded down to 0.01, never lowered."""
    new = dict(floors)
    changes = []
    for key, value in sorted(floored(scores).items()):
        target = round_down(value)
        old = floors.get(key)
        if old is None or target > old:
            new[key] = target
            changes.append(f"{key}: {'(new)' if old is None else f'{old:.2f}'} -> {target:.2f}")
    return dict(sorted(new.items())), changes
