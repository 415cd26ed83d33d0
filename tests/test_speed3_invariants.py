"""The third speed pass finds exactly what the plain searches find.

- ``Pack.scan`` reads each pattern's anchor once (a per-pack plan); an anchor with neither
  ``anchor_before`` nor ``anchor_after`` is a prefilter (no hit: no match; a hit: the plain
  scan); very dense hits take one plain scan. Every path returns what ``finditer`` returns;
- ``Pack.search`` (the first match, without reading the windows after it) is
  ``compiled.search``;
- units' ``sentence_role`` is read through its ``负责`` prefilter and still finds its units.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from _scan_helpers import anchored_patterns
from policy_extract.extract.units import extract_units
from policy_extract.ingest import load
from policy_extract.normalize import normalize
from policy_extract.patterns import engine
from policy_extract.patterns.engine import default_pack
from policy_extract.pipeline import extract

ROOT = Path(__file__).resolve().parent.parent
NOTICES = [p for d in ("corpus", "tests/data/unseen", "tests/data/unseen2")
           for p in sorted((ROOT / d).iterdir())
           if p.is_file() and p.suffix in (".txt", ".md", ".html", ".htm")]


@pytest.fixture(scope="module")
def pack():
    return default_pack()


@pytest.fixture(scope="module")
def texts(pack) -> list[str]:
    rng = random.Random(3)
    pieces = ["元", "万元", "%", "日", "年底", "负责", "由市财政局会同市商务局负责", "。", "\n",
              " ", "最高", "来源：", "印发", "2024年3月5日", "1、", "（一）", "责任单位：市工信局"]
    edge = ["", "负责", "1" * 70 + "元", "元" * 40]
    for _ in range(150):
        edge.append("".join(rng.choice(pieces) if rng.random() < 0.7
                            else str(rng.randint(0, 10 ** rng.randint(1, 9)))
                            for _ in range(rng.randint(1, 30))))
    return [normalize(load(p), pack=pack).text for p in NOTICES] + edge



def _spans(matches) -> list[tuple[tuple[int, int], dict]]:
    return [(m.span(), m.groupdict()) for m in matches]


def test_notices_were_found():
    assert len(NOTICES) >= 25


def test_sentence_role_is_tried_around_its_anchor(pack):
    pat = pack.field("units").patterns["sentence_role"]
    assert pat.attrs.get("anchor") and "anchor_before" in pat.attrs
    assert pack.scan(pat, "企业按职责分工开展自查。" * 20) == []  # no 负责: not searched at all
    text = "为做好申报工作，各区人民政府按职责分工负责初审。"
    assert _spans(pack.scan(pat, text)) == _spans(pat.compiled.finditer(text))
    assert pack.scan(pat, text)  # and found when it is there
    # far from the start of a long text, with a lead longer than most
    long = "企业做好自查。" * 60 + "奖补资金由" + "省文化和旅游厅" * 4 + "会同省财政厅负责管理。" + "其他。" * 30
    assert _spans(pack.scan(pat, long)) == _spans(pat.compiled.finditer(long))
    assert pack.scan(pat, long)


def test_scan_and_search_equal_the_plain_regex(pack, texts):
    for pat in anchored_patterns(pack):
        assert pat.compiled is not None
        for text in texts:
            assert _spans(pack.scan(pat, text)) == _spans(pat.compiled.finditer(text)), pat.name
            got, want = pack.search(pat, text), pat.compiled.search(text)
            assert (got and got.span()) == (want and want.span()), pat.name


def test_scan_from_a_position(pack, texts):
    for pat in anchored_patterns(pack)[:8]:
        for text in texts[:10]:
            pos = len(text) // 3
            assert _spans(pack.scan(pat, text, pos)) == _spans(pat.compiled.finditer(text, pos))


@pytest.mark.parametrize("dense", [0.0, 1e12])
def test_dense_and_sparse_paths_agree(pack, texts, monkeypatch, dense):
    """Forced plain scan (0) and forced windows (huge) both equal finditer."""
    monkeypatch.setattr(engine, "_DENSE", dense)
    for pat in anchored_patterns(pack):
        for text in texts[:20]:
            assert _spans(pack.scan(pat, text)) == _spans(pat.compiled.finditer(text)), pat.name


def test_unanchored_patterns_scan_whole_text(pack):
    pat = pack.field("dates").patterns["year"]
    assert not pat.attrs.get("anchor")
    assert pack._windows(pat, "2024年") is None
    assert [m.group(0) for m in pack.scan(pat, "2023年和2024年")] == ["2023年", "2024年"]


def test_a_sentence_role_unit_survives_the_prefilter():
    doc_text = "第二条 奖补资金由省旅文厅会同省财政厅负责管理。"
    names = {(u["text"], u["role"]) for u in _units_of(extract(doc_text))}
    assert ("省旅文厅", "lead") in names and ("省财政厅", "member") in names


def _units_of(rec: dict) -> list[dict]:
    """Units wherever the record keeps them (top level or per measure)."""
    out: list[dict] = []

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "units" and isinstance(v, list):
                    out.extend(u for u in v if isinstance(u, dict) and "role" in u)
                else:
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(rec)
    return out


def test_units_direct(pack):
    from policy_extract.document import Doc

    text = "各县（市、区）人民政府，市直有关部门按职责分工负责政策宣传和初审工作。"
    doc = Doc(doc_id="t", text=text, measures=[], hints={}, pack=pack, warnings=[])
    got = [(u["text"], u["role"]) for u in extract_units(doc)]
    assert got == [("各县（市、区）人民政府", "member"), ("市直有关部门", "member")]
