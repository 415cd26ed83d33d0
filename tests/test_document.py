"""Shared pipeline types: the fast exclusion lookup agrees with the plain definition."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from policy_extract.document import Doc

spans = st.tuples(st.integers(0, 200), st.integers(1, 30)).map(lambda t: (t[0], t[0] + t[1]))


@given(zones=st.lists(spans, max_size=8), probe=spans)
def test_is_excluded_matches_overlap_definition(zones, probe):
    doc = Doc(doc_id="x", text="字" * 240, excluded=zones)
    start, end = probe
    assert doc.is_excluded(start, end) == any(s < end and start < e for s, e in zones)


def test_is_excluded_follows_reassigned_zones():
    doc = Doc(doc_id="x", text="字" * 50, excluded=[(0, 5)])
    assert doc.is_excluded(2, 3)
    doc.excluded = [(10, 20)]
    assert not doc.is_excluded(2, 3)
    assert doc.is_excluded(19, 25)
