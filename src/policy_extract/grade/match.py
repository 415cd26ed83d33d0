"""Pair gold and predicted fields of one type in one document, as multisets of keys.

Within a key, several gold and predicted items may compete (the same 市工信局 listed under
five measures). The pairing is greedy: the pair agreeing on `measure` first, then on more
attributes, then on the tie-break (span text, time of day) is taken first. Greedy is not
optimal in every contrived case, but with measure first it is what a reviewer would pair.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from .keys import FieldSpec, attr_value


@dataclass
class Matching:
    """Result of pairing: index pairs (gold, pred) plus the unpaired indices on each side."""

    pairs: list[tuple[int, int]] = field(default_factory=list)
    missed: list[int] = field(default_factory=list)      # gold indices with no partner
    spurious: list[int] = field(default_factory=list)    # pred indices with no partner
    keys: dict[tuple[str, int], Hashable] = field(default_factory=dict)


def _agreement(spec: FieldSpec, g: dict[str, Any], p: dict[str, Any]) -> tuple[int, int, int]:
    same_measure = int("measure" in spec.attrs
                       and attr_value(g, "measure") == attr_value(p, "measure"))
    others = sum(attr_value(g, a) == attr_value(p, a) for a in spec.attrs if a != "measure")
    return same_measure, others, int(spec.tie(g) == spec.tie(p))


def match(spec: FieldSpec, gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> Matching:
    """Pair items with equal keys, preferring same-measure pairs; the rest are misses/spurious."""
    out = Matching()
    by_key: dict[Hashable, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for side, items in ((0, gold), (1, pred)):
        for i, item in enumerate(items):
            k = spec.key(item)
            out.keys[("gp"[side], i)] = k
            by_key[k][side].append(i)
    for g_idx, p_idx in by_key.values():
        if len(g_idx) == 1 and len(p_idx) == 1:
            out.pairs.append((g_idx[0], p_idx[0]))
            continue
        candidates = sorted(
            ((_agreement(spec, gold[gi], pred[pi]), gi, pi) for gi in g_idx for pi in p_idx),
            key=lambda c: (tuple(-x for x in c[0]), c[1], c[2]))
        used_g: set[int] = set()
        used_p: set[int] = set()
        for _, gi, pi in candidates:
            if gi not in used_g and pi not in used_p:
                used_g.add(gi)
                used_p.add(pi)
                out.pairs.append((gi, pi))
        out.missed.extend(gi for gi in g_idx if gi not in used_g)
        out.spurious.extend(pi for pi in p_idx if pi not in used_p)
    out.pairs.sort()
    out.missed.sort()
    out.spurious.sort()
    return out
