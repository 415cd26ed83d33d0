"""The second speed pass changes how work is done, never what comes out: these pin that down."""
from __future__ import annotations

import gc
import random

from policy_extract.batch import BatchOptions, run_batch
from policy_extract.document import Measure
from policy_extract.record import MeasureIndex, innermost_measure


def _windowed(index: MeasureIndex, start: int, end: int) -> str | None:
    """The lookup as first written (a reversed slice of the last 64 candidates)."""
    from bisect import bisect_right

    i = bisect_right(index.starts, start)
    best = None
    for m in reversed(index.numbered[max(0, i - 64):i]):
        if m.start <= start and end <= m.end and (best is None or m.level > best.level):
            best = m
    return best.id if best else None


def _measures(rng: random.Random) -> list[Measure]:
    """Properly nested numbered measures (and a few unnumbered ones) over 0..1000."""
    out: list[Measure] = []

    def add(start: int, end: int, level: int, prefix: str) -> None:
        pos, k = start, 0
        while pos < end and k < 4:
            size = rng.randint(1, max(1, (end - start) // 2))
            a, b = pos, min(end, pos + size)
            k += 1
            mid = f"{prefix}{k}"
            label = None if rng.random() < 0.15 else f"{k}."
            out.append(Measure(mid, label, [mid], level, None, a, b))
            if level < rng.choice((2, 3, 4)) and b - a > 4:
                add(a + 1, b - 1, level + 1, mid + ".")
            pos = b + rng.randint(0, 3)

    add(0, 1000, 1, "m")
    return out


def test_measure_index_agrees_with_the_plain_scan() -> None:
    rng = random.Random(5)
    for _ in range(40):
        measures = _measures(rng)
        index = MeasureIndex(measures)
        for _ in range(200):
            a = rng.randint(0, 1000)
            b = rng.randint(a, min(1000, a + 60))
            assert index.find(a, b) == _windowed(index, a, b)
            if len(measures) <= 64:  # within the window: the plain scan's answer
                assert index.find(a, b) == innermost_measure(measures, a, b)


def test_measure_index_without_numbered_measures() -> None:
    assert MeasureIndex([]).find(0, 5) is None
    plain = [Measure(None, None, [], 1, None, 0, 10)]
    assert MeasureIndex(plain).find(2, 3) is None


def test_batch_restores_the_gc_settings(tmp_path) -> None:
    """The batch tunes the cyclic collector for its run only: a library caller keeps its own."""
    (tmp_path / "a.txt").write_text("一、对新认定企业给予奖励50万元。\n", encoding="utf-8")
    before = gc.get_threshold()
    frozen = gc.get_freeze_count()
    summary = run_batch([str(tmp_path / "a.txt")],
                        BatchOptions(outputs=[("jsonl", str(tmp_path / "o.jsonl"))], workers=1,
                                     progress=False))
    assert summary.converted == 1
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen


def test_measure_lookup_with_many_children_before_the_field():
    """A field in a parent's text after more than 64 numbered children still finds the parent."""
    from policy_extract.document import Measure

    kids = [Measure(id=f"一/{i}", label=str(i), path=["一", str(i)], level=2, title=None,
                    start=10 + 10 * i, end=18 + 10 * i) for i in range(1, 101)]
    parent = Measure(id="一", label="一", path=["一"], level=1, title=None, start=0, end=2000)
    index = MeasureIndex([parent, *kids])
    assert index.find(1500, 1510) == "一"          # after all the children
    assert index.find(21, 23) == "一/1"
    assert index.find(18, 20) == "一"              # between two children
    assert index.find(2500, 2510) is None
    assert index.find(1500, 1510) == innermost_measure([parent, *kids], 1500, 1510)
