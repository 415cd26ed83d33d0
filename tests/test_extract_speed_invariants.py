"""The extract-side speed-ups find exactly what the plain code finds.

- ``Pack.scan``: a pattern with an ``anchor`` is tried only around the anchor's hits; it must
  return what ``finditer`` returns, on real notices and on texts built to sit on the edges
  of its windows (long numbers, matches that touch the window, text start and end);
- clause/sentence bounds (a reverse regex search) equal the character walk they replace;
- ``widen``'s left context (tried only where a qualifier, gap word or 每X can begin) equals
  the left regex's own search;
- cached number parsing hands out fresh objects (callers rescale them);
- ``warm_up`` converts its sample, so forked workers inherit a filled cache.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from _scan_helpers import anchored_patterns
from policy_extract.extract import clauses
from policy_extract.extract.qualifiers import qualifiers_for
from policy_extract.extract.quantity import parse
from policy_extract.ingest import load
from policy_extract.normalize import normalize
from policy_extract.patterns.engine import default_pack
from policy_extract.pipeline import extract, warm_up

ROOT = Path(__file__).resolve().parent.parent
NOTICES = sorted(p for p in (ROOT / "corpus").iterdir() if p.is_file()) + sorted(
    p for p in (ROOT / "tests" / "data" / "unseen").iterdir() if p.suffix in (".txt", ".md", ".html"))


@pytest.fixture(scope="module")
def pack():
    return default_pack()


@pytest.fixture(scope="module")
def texts(pack) -> list[str]:
    return [normalize(load(p), pack=pack).text for p in NOTICES]



def _spans(matches) -> list[tuple[tuple[int, int], dict]]:
    return [(m.span(), m.groupdict()) for m in matches]


def test_some_patterns_areanchored_patterns(pack):
    names = {p.name for p in anchored_patterns(pack)}
    assert {"money", "percent", "bare_day", "signature_inline", "ar_half"} <= names


def test_scan_finds_what_finditer_finds_on_notices(pack, texts):
    for pat in anchored_patterns(pack):
        for text in texts:
            assert _spans(pack.scan(pat, text)) == _spans(pat.compiled.finditer(text)), pat.name


def _edge_texts(seed: int) -> list[str]:
    """Money, dates and labels next to window edges: very long numbers, text start/end."""
    rng = random.Random(seed)
    pieces = ["元", "万元", "亿元", "美元", "%", "个百分点", "日", "年底", "月", "2024年3月5日",
              "1)", "3.", "、", "，", "。", "\n", " ", "最高", "不超过", "至", "-", "奖励", "补贴",
              "有效期至", "来源：", "发布时间：", "印发", "市", "人民政府", "５"]
    out = ["1" * 80 + "元", "3万元-" + "9" * 70 + "万元", "元" * 5, "12%" * 30, "",
           "奖励" + "1,000," * 20 + "000元", "年底" + "元" * 3 + "1" * 66 + "%"]
    for _ in range(300):
        parts = []
        for _ in range(rng.randint(1, 25)):
            r = rng.random()
            if r < 0.35:
                parts.append(str(rng.randint(0, 10 ** rng.randint(1, 12))))
            else:
                parts.append(rng.choice(pieces))
        out.append("".join(parts))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_scan_finds_what_finditer_finds_on_edge_texts(pack, seed):
    for pat in anchored_patterns(pack):
        for text in _edge_texts(seed):
            assert _spans(pack.scan(pat, text)) == _spans(pat.compiled.finditer(text)), (
                pat.name, text)


def test_scan_from_a_position(pack, texts):
    pat = pack.field("meta").patterns["news_issuer"]
    for text in texts:
        for pos in (0, len(text) // 3, len(text) // 2):
            assert _spans(pack.scan(pat, text, pos)) == _spans(pat.compiled.finditer(text, pos))


def _walk_start(text: str, pos: int, breaks: frozenset[str], limit: int) -> int:
    i, floor = pos - 1, max(0, pos - limit)
    while i >= floor:
        if text[i] in breaks:
            return i + 1
        i -= 1
    return floor


def _walk_end(text: str, pos: int, breaks: frozenset[str], limit: int) -> int:
    n, i = min(len(text), pos + limit), pos
    while i < n:
        if text[i] in breaks:
            return i
        i += 1
    return n


def test_clause_and_sentence_bounds_equal_the_character_walk(texts):
    rng = random.Random(5)
    for text in [*texts, "", "。", "a,b\n", "，，，"]:
        for _ in range(300):
            pos, limit = rng.randint(0, len(text)), rng.choice([0, 1, 8, 120, 300])
            for breaks, start, end in (
                    (clauses.CLAUSE_BREAKS, clauses.clause_start, clauses.clause_end),
                    (clauses.SENTENCE_BREAKS, clauses.sentence_start, clauses.sentence_end)):
                assert start(text, pos, limit) == _walk_start(text, pos, breaks, limit)
                assert end(text, pos, limit) == _walk_end(text, pos, breaks, limit)


def test_widen_left_context_equals_the_left_regex_search(pack, texts):
    q = qualifiers_for(pack)
    checked = 0
    for text in texts:
        for m in pack.scan(pack.field("amounts").patterns["money"], text):
            lo = max(0, m.start() - q.window)
            want = q.left_re.search(text, lo, m.start())
            if want is not None and want.start() == m.start():
                want = None  # the empty match at the number: no left context
            got = q._left(text, lo, m.start())
            assert (got is None) == (want is None)
            if got is not None:
                assert got.span() == want.span() and got.groupdict() == want.groupdict()
                checked += 1
    assert checked > 20


def test_cached_parse_returns_fresh_numbers():
    a = parse("40万")
    assert a is not None and (a.value, a.scale, a.more) == (400000, 10000, False)
    a.value *= 3  # a caller rescales its copy (1-2万亩)
    b = parse("40万")
    assert b is not None and b.value == 400000 and b is not a
    assert parse("50余万").more is True
    assert parse("??") is None


def test_warm_up_runs_and_leaves_results_unchanged():
    text = "一、对新认定企业给予奖励50万元，补助比例不超过30%。"
    before = extract(text)
    warm_up(default_pack())
    assert extract(text) == before
    assert [a["value"] for a in before["amounts"]] == [500000]
