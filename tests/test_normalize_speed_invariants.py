"""The normalizer's speed-ups change nothing: each shortcut against the plain way it replaces.

Shortcuts covered: the furniture union prefilter, the pinyin ``anchor`` prefilters, the
per-pack memos (labels, joiner line features), the skipped repeat passes, the XOR diff count,
the str.replace half-width table and ingest's cached identity offset maps.
"""
from __future__ import annotations

import dataclasses
from array import array

import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _normalize_pack import CORPUS, PACK, normalize_pack
from policy_extract.document import Source
from policy_extract.ingest import load
from policy_extract.ingest import offsets as ingest_offsets
from policy_extract.normalize import _MAX_ROUNDS, _cell_gap, chars, normalize
from policy_extract.normalize import rules as rules_mod
from policy_extract.normalize.chars import to_halfwidth
from policy_extract.normalize.columns import split_columns
from policy_extract.normalize.furniture import clean_lines, furniture_name
from policy_extract.normalize.join import join_lines
from policy_extract.normalize.mojibake import find_mojibake
from policy_extract.normalize.offsets import Buf, StepLog
from policy_extract.normalize.script import count_diff, script_of, to_simplified
from policy_extract.normalize.steps import fix_spaces, remove_pinyin

PIECES = ["國", "發", "网", "(wǎng)", "(yī)", "(zhèng)(cè)", "?zé)", "任zé)", "髽I(yè)", "(CMMM)", "(",
          ")", "一、", "（一）", "1.", "第一条", "责任单位:", "【政策依据】", "2024", "２０", "年", "万元",
          "%", "％", "。", "，", "、", "《", "“", " ", "  ", "\u3000", "\n", "\n\n", "\r\n", "?", "??",
          "\ufffd", "会", "返回顶部", "小字号", "当前位置:首页>", "- 点我下载APP", "上一篇", "(责编:张三)",
          "2024 年08月08日 星期四", "企业", "通知", "措施", "a", "b", "．", "5", "-", "---", "\t",
          "\u200b", "按其上年度技术合同成交额", "给予最高10%", "高新区管委"]
texts = st.lists(st.sampled_from(PIECES), max_size=80).map("".join) | st.text(max_size=80)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _plain_rules():
    """The same rules with every prefilter off and fresh memos."""
    r = rules_mod.rules_for(PACK)
    return dataclasses.replace(r, furniture_any=None, pinyin_anchors=[],
                               _label_memo=rules_mod.LineMemo(), line_memo=rules_mod.LineMemo(),
                               furniture_memo=rules_mod.LineMemo())


def _dots(buf: Buf, log: StepLog) -> Buf:
    """A deletion may bring a full-width full stop next to a digit (5(wǎng)． → 5．): the
    half-width pass again, as the normalizer's ``dots`` step (found by hypothesis)."""
    return to_halfwidth(buf, log)


def _reference(text: str):
    """The normalizer as specified: every step of every round run, no pass skipped."""
    rules = _plain_rules()
    logs: dict[str, StepLog] = {}

    def log(name: str) -> StepLog:
        return logs.setdefault(name, StepLog(name))

    src = Source.from_text(text)
    gap = _cell_gap(src)  # the cell boundaries a table reader (or two ideographic spaces) left
    buf = to_halfwidth(Buf(src.body, src.body_map), log("halfwidth"))
    original = buf.text
    buf, n = to_simplified(buf, log("t2s"))
    script = script_of(original, n, rules)
    buf = split_columns(buf, rules, log("columns"))
    buf = remove_pinyin(buf, rules, log("pinyin"))
    buf = _dots(buf, log("halfwidth"))
    buf = clean_lines(buf, rules, log("lines"))
    buf = fix_spaces(buf, rules, log("spaces"), gap)
    for _ in range(_MAX_ROUNDS):
        before = buf.text
        buf = join_lines(buf, rules, log("join"))
        buf = remove_pinyin(buf, rules, log("pinyin"))
        buf = _dots(buf, log("halfwidth"))
        buf = clean_lines(buf, rules, log("lines"))
        buf = fix_spaces(buf, rules, log("spaces"), gap)
        if buf.text == before:
            break
    warns = find_mojibake(buf.text, rules)
    order = ["halfwidth", "t2s", "columns", "pinyin", "lines", "spaces", "join"]
    return buf.text, list(buf.offs), script, [w.to_dict() for w in warns], [
        logs[k].to_dict() for k in order if k in logs]


def _ours(text: str):
    n = normalize(text, pack=PACK)
    return n.text, list(n.offsets), n.script, [w.to_dict() for w in n.warnings], n.steps[:-1]


@SETTINGS
@given(texts)
def test_normalize_equals_the_reference_without_shortcuts(text):
    assert _ours(text) == _reference(text)


def test_normalize_equals_the_reference_on_the_corpus():
    for path in sorted(CORPUS.iterdir()):
        body = load(path).body
        assert _ours(body) == _reference(body), path.name


def test_a_join_reruns_the_pinyin_pass_that_found_nothing_before():
    # "(wǎng)" follows 网 only once the lines are joined (the line holds a clause mark)
    text = "企业，支持人民网\n(wǎng)报道"
    assert normalize(text, pack=PACK).text == "企业，支持人民网报道"
    assert _ours(text) == _reference(text)


# -- prefilters ------------------------------------------------------------------------------
@SETTINGS
@given(texts)
def test_furniture_union_finds_what_the_patterns_find(text):
    plain = _plain_rules()
    rules = rules_mod.rules_for(PACK)
    assert rules.furniture_any is not None
    for line in text.split("\n"):
        line = line.strip()
        assert furniture_name(line, rules) == furniture_name(line, plain)


def test_furniture_union_on_known_furniture():
    rules = rules_mod.rules_for(PACK)
    assert furniture_name("【打印本页】 【关闭窗口】", rules) == "widgets"
    assert furniture_name("上一篇", rules) == "prev_next"
    assert furniture_name("2024年08月08日 星期四", rules) == "page_clock"
    assert furniture_name("大力支持中小企业发展。", rules) is None


def test_furniture_union_is_not_built_from_patterns_with_group_references():
    pats = [regex.compile(r"(a)\1"), regex.compile("b")]
    assert rules_mod._union(pats) is None
    union = rules_mod._union([regex.compile("a # comment", regex.X), regex.compile("b", regex.X)])
    assert union is not None and union.fullmatch("b") and union.fullmatch("a")


@SETTINGS
@given(texts)
def test_pinyin_anchors_skip_only_texts_without_matches(text):
    rules = rules_mod.rules_for(PACK)
    assert len(rules.pinyin_anchors) == len(rules.pinyin) and all(rules.pinyin_anchors)
    for (_name, pat), anchor in zip(rules.pinyin, rules.pinyin_anchors, strict=True):
        for m in pat.finditer(text):  # every match holds an anchor hit
            assert anchor.search(m.group(0)), (m.group(0), anchor.pattern)
    a = remove_pinyin(Buf(text, array("l", range(len(text)))), rules, StepLog("p"))
    b = remove_pinyin(Buf(text, array("l", range(len(text)))), _plain_rules(), StepLog("p"))
    assert (a.text, list(a.offs)) == (b.text, list(b.offs))


def test_pinyin_anchor_examples():
    rules = rules_mod.rules_for(PACK)
    text = "人民网(wǎng)报道，负担?!藏?zé)任单位，鼓励可??刹煌F髽I(yè)不停产"
    out = remove_pinyin(Buf(text, array("l", range(len(text)))), rules, StepLog("p")).text
    assert out == "人民网报道，负担?!藏任单位，鼓励可??刹煌F髽I不停产"
    plain = "按5年期LPR(贷款市场报价利率)给予贴息(CMMM)"
    assert remove_pinyin(Buf(plain, array("l", range(len(plain)))), rules,
                         StepLog("p")).text == plain


# -- memos -----------------------------------------------------------------------------------
def test_label_memo_gives_the_same_answers_and_is_bounded(monkeypatch):
    rules = rules_mod.rules_for(normalize_pack())
    monkeypatch.setattr(rules_mod, "MEMO_CHARS", 25)
    lines = ["一、培育壮大市场主体", "（1）鼓励", "1.5亿元用于补助", "责任单位：市工信局", "正文"] * 2
    want = [("label_han_numeral", "一、"), ("label_arabic", "（1）"), None,
            ("label_field", "责任单位："), None] * 2
    assert [rules.label_at(ln) for ln in lines] == want
    memo = rules._label_memo
    assert memo.chars == sum(map(len, memo)) <= 25 and "正文" in memo


def test_rules_are_kept_per_pack_object():
    a, b = normalize_pack(), normalize_pack()
    assert rules_mod.rules_for(a) is rules_mod.rules_for(a)
    assert rules_mod.rules_for(a) is not rules_mod.rules_for(b)


# -- small helpers ---------------------------------------------------------------------------
def test_count_diff_counts_differing_positions():
    assert count_diff("", "") == 0
    assert count_diff("國發展", "国发展") == 2
    assert count_diff("a\U0001F600b\ud800", "a\U0001F601b\ud800") == 1
    assert count_diff("abc", "abc") == 0


def test_halfwidth_replace_equals_translate():
    every = "".join(chr(c) for c in sorted(chars._TABLE)) + "１２.５％ 國\r\n"
    out = to_halfwidth(Buf(every, array("l", range(len(every)))), StepLog("h")).text
    assert out == every.translate(chars._TABLE).replace("\r\n", "\n").replace("\r", "\n")
    assert "１" not in out and "12.5% 國" in out


def test_span_map_is_an_identity_range(monkeypatch):
    for a, b in [(0, 0), (0, 5), (3, 10), (7, 3), (100, 70_000)]:
        assert ingest_offsets.span_map(a, b) == array("l", range(a, b))
    monkeypatch.setattr(ingest_offsets, "_CACHE_MAX", 16)
    assert ingest_offsets.span_map(5, 40) == array("l", range(5, 40))
