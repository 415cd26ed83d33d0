"""Every example in every built-in pattern file is a test (dateparser/price-parser style)."""
from __future__ import annotations

import pytest

from policy_extract.patterns.engine import default_pack
from policy_extract.patterns.examples import run_examples

RESULTS = run_examples(default_pack())


@pytest.mark.parametrize("res", RESULTS, ids=lambda r: f"{r.field}:{r.pattern}:{r.text[:20]}")
def test_pattern_example(res):
    assert res.error is None, res.error
    assert res.ok, f"{res.origin} {res.pattern}: {res.text!r} expected {res.expect!r}, got {res.actual!r}"


def test_there_are_examples():
    assert len(RESULTS) >= 6
