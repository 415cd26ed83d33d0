"""Segmentation against the gold annotations of the bundled corpus.

Every gold file is compared on the ``id`` list of its measures (paths exact, in order,
including documents whose gold has no measures: nothing numbered may come out there) and
on titles (at least 95% equal over the corpus). Expected values come from ``gold/*.json``.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from policy_extract.ingest import load
from policy_extract.normalize import normalize
from policy_extract.segment import segment

ROOT = Path(__file__).resolve().parents[1]
GOLD = sorted((ROOT / "gold").glob("*.json"))
TITLE_FLOOR = 0.95


def _corpus_file(doc_id: str) -> Path:
    hits = [p for p in (ROOT / "corpus").iterdir() if p.name.rsplit(".", 1)[0] == doc_id]
    assert hits, f"no corpus file for gold {doc_id}"
    return hits[0]


def _segmented(gold_path: Path) -> tuple[dict, list]:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    norm = normalize(load(_corpus_file(gold["doc_id"])))
    measures = [m for m in segment(norm.text) if m.label is not None]
    return gold, measures


@pytest.mark.parametrize("gold_path", GOLD, ids=lambda p: p.stem)
def test_measure_paths_match_gold(gold_path: Path) -> None:
    gold, measures = _segmented(gold_path)
    assert [m.id for m in measures] == [g["id"] for g in gold["measures"]]
    assert [m.path for m in measures] == [g["path"] for g in gold["measures"]]
    assert [m.level for m in measures] == [g["level"] for g in gold["measures"]]
    assert [m.label for m in measures] == [g["label"] for g in gold["measures"]]


def test_titles_match_gold() -> None:
    total = same = 0
    misses = []
    for gold_path in GOLD:
        gold, measures = _segmented(gold_path)
        got = {m.id: m.title for m in measures}
        for g in gold["measures"]:
            total += 1
            if got.get(g["id"], "<missing>") == g["title"]:
                same += 1
            else:
                misses.append((gold["doc_id"], g["id"], got.get(g["id"]), g["title"]))
    assert total > 0
    assert same / total >= TITLE_FLOOR, f"{same}/{total} titles; misses: {misses}"


def test_measure_spans_are_sane() -> None:
    for gold_path in GOLD:
        gold, _ = _segmented(gold_path)
        norm = normalize(load(_corpus_file(gold["doc_id"])))
        measures = [m for m in segment(norm.text) if m.label is not None]
        for m in measures:
            assert 0 <= m.start < m.end <= len(norm.text)
            assert not norm.text[m.end - 1].isspace()  # no trailing newline
        for a, b in zip(measures, measures[1:], strict=False):
            assert a.start < b.start  # document order
            if b.level > a.level:  # a child starts inside its parent
                assert b.start < a.end
