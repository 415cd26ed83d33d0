"""Speed-ups must find exactly what the plain scans find (anchored searches, prefilters)."""
from __future__ import annotations

import random

import pytest

from policy_extract.extract.context import exclusion_matches, title_spans
from policy_extract.extract.qualifiers import qualifiers_for
from policy_extract.patterns.engine import default_pack


def _title_spans_by_char(text: str) -> list[tuple[int, int]]:
    """The plain definition: walk every character, forget an open 《 at its third line break."""
    spans, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c == "《":
            if depth == 0:
                start = i
            depth += 1
        elif c == "》" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
        elif c == "\n" and depth and text[start:i].count("\n") >= 2:
            depth = 0
    return spans


def _random_texts(alphabet: str, n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 50))) for _ in range(n)]


def test_title_spans_nested_and_unclosed():
    text = "关于《A〈B〉《C》》的通知\n《未闭合\n一\n二\n《D》"
    assert title_spans(text) == [(2, 11), (24, 27)]


def test_title_spans_same_as_character_walk():
    for text in _random_texts("《》〈〉\n文", 3000, seed=3):
        assert title_spans(text) == _title_spans_by_char(text), repr(text)


@pytest.fixture(scope="module")
def pack():
    return default_pack()


def test_doc_number_anchor_finds_what_finditer_finds(pack):
    pat = pack.field("common").patterns["doc_number"]
    assert pat.attrs.get("anchor")  # the speed-up is in use
    texts = _random_texts("榕政办规发号號〔〕[]()（）【】 \n0123456789202419", 5000, seed=5)
    texts += ["川办发〔2024〕5号闽工信规〔2024〕1 号", "据" * 20 + "〔2023〕12号", "〔2023〕12号"]
    for text in texts:
        assert exclusion_matches(pack, pat, text) == [m.span() for m in pat.compiled.finditer(text)], repr(text)


def test_widen_hint_skips_only_windows_without_qualifier_or_each(pack):
    quals = qualifiers_for(pack)
    texts = ["单个项目最高不超过500万元", "每人每月补贴1000元", "按投资额给予奖励200万元",
             "最高可达200万元以上", "约12%"]
    texts += _random_texts("每单个家人最高不超过约给予补贴奖励 、0123456789万元", 2000, seed=7)
    for text in texts:
        for end in range(1, len(text) + 1):
            start = max(0, end - 3)
            lo = max(0, start - quals.window)
            full = quals.left_re.search(text, lo, start)
            if quals.left_hint.search(text, lo, start) is None and full is not None:
                assert full.group("q") is None and full.start("each") < 0, repr(text)
