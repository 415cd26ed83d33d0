"""A second gate on notices the rules were not written against (tests/data/unseen).

Eight notices written and annotated by hand before the tool was run on them
(docs/unseen-check.md). Their scores are pinned like the corpus gate's, in
tests/data/unseen/floors.json: raising a floor is a deliberate commit, lowering one is never
silent.
"""
from __future__ import annotations

from pathlib import Path

from policy_extract.grade import format_table
from policy_extract.grade.corpus import convert_corpus
from policy_extract.grade.floors import check_floors, load_floors
from policy_extract.grade.report import grade_dirs

UNSEEN = Path(__file__).resolve().parent / "data" / "unseen"


def test_unseen_notices_hold_their_floors(tmp_path):
    out = tmp_path / "json"
    convert_corpus(UNSEEN, out)
    report = grade_dirs(UNSEEN / "gold", out)
    table = format_table(report)
    print("\n" + table)
    assert len(list((UNSEEN / "gold").glob("*.json"))) == 8
    failures = check_floors(report.scores, load_floors(UNSEEN / "floors.json")["floors"])
    assert not failures, "unseen-notice scores dropped:\n  " + "\n  ".join(failures) + "\n" + table
