"""The regression gate: convert the bundled corpus, grade it against gold, hold the floors.

Floors live in `grade_floors.json`; raise them with `scripts/update_floors.py --write`.
Run `pytest tests/test_gold_gate.py -s` to see the score table.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from policy_extract.grade import format_table
from policy_extract.grade.corpus import corpus_files, grade_corpus
from policy_extract.grade.floors import check_floors, load_floors
from policy_extract.grade.load import load_gold
from policy_extract.ingest import doc_id_for

ROOT = Path(__file__).resolve().parents[1]
FLOORS = ROOT / "grade_floors.json"
CONTRACT = ROOT.parent / "shared" / "tools" / "check_contract.py"

@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("gate") / "json"
    report = grade_corpus(ROOT, out)
    table = format_table(report)
    print("\n" + table)
    return out, report, table


def test_scores_hold_their_floors(graded):
    _, report, table = graded
    failures = check_floors(report.scores, load_floors(FLOORS)["floors"])
    assert not failures, (
        "scores dropped below grade_floors.json:\n  " + "\n  ".join(failures)
        + "\n\n" + table
        + "\n\nSee which fields: policy-extract convert corpus --out /tmp/o && "
          "policy-extract grade gold /tmp/o --errors. If gold itself changed (new or corrected "
          "annotations), lower the named floors by hand and say why in the commit.")


def test_converted_corpus_meets_the_contract(graded):
    if not CONTRACT.is_file():
        pytest.skip(f"contract checker not found at {CONTRACT}")
    out, _, _ = graded
    proc = subprocess.run([sys.executable, str(CONTRACT), str(out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


def test_every_gold_file_has_a_corpus_document():
    corpus_ids = {doc_id_for(f) for f in corpus_files(ROOT / "corpus")}
    orphans = sorted(set(load_gold(ROOT / "gold")) - corpus_ids)
    assert not orphans, f"gold without a corpus document: {orphans}"


def test_every_corpus_document_has_gold():
    corpus_ids = {doc_id_for(f) for f in corpus_files(ROOT / "corpus")}
    lacking = sorted(corpus_ids - set(load_gold(ROOT / "gold")))
    assert not lacking, f"corpus documents without gold/<doc_id>.json: {lacking}"

