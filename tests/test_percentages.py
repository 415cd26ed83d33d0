"""Percentages: values, qualifiers, points, ranges, lists (expected values written by hand)."""
from __future__ import annotations

import pytest

from policy_extract.document import Doc
from policy_extract.extract.context import exclusion_zones
from policy_extract.extract.percentages import extract_percentages
from policy_extract.patterns.engine import default_pack


def pcts(text: str) -> list[dict]:
    doc = Doc(doc_id="t", text=text, pack=default_pack())
    doc.excluded = exclusion_zones(doc)
    return extract_percentages(doc)


@pytest.mark.parametrize("text, span, value, qualifier", [
    ("市财政再给予50%的配套奖励", "50%", 50, "exact"),
    ("同比分别增长13﹒9%", "13﹒9%", 13.9, "exact"),
    ("技改投资年度增长21%以上", "21%以上", 21, "min"),
    ("问题解决率不低于96%", "不低于96%", 96, "min"),
    ("补助比例最高不超过20%", "最高不超过20%", 20, "max"),
    ("担保费率降至1%以下", "1%以下", 1, "max"),
    ("非工业用地税额标准的50%左右", "50%左右", 50, "approx"),
    ("增幅超过15%的建筑业企业", "超过15%", 15, "min"),
    ("同比增长5%以上的企业", "5%以上", 5, "min"),
    ("降低百分之五", "百分之五", 5, "exact"),
    ("占比百分之十二点五", "百分之十二点五", 12.5, "exact"),
    ("增长１８％", "１８％", 18, "exact"),
    # a comparative word before a short reference: 不低于<2021年12月份>70%
    ("2022年2月份用电量不低于2021年12月份70%", "70%", 70, "min"),
    # the lowest contribution tier is the base named, not a floor (unseen56 j567)
    ("由县财政按最低缴费档次代缴100%", "100%", 100, "exact"),
])
def test_single(text, span, value, qualifier):
    got = pcts(text)
    assert len(got) == 1, got
    p = got[0]
    assert (p["text"], p["value"], p["qualifier"]) == (span, pytest.approx(value), qualifier)
    assert p["low"] is None and p["high"] is None


def test_points():
    p = pcts("增速提高5个百分点")[0]
    assert (p["text"], p["value"], p["kind"]) == ("5个百分点", 5, "points")


@pytest.mark.parametrize("text", ["补贴10%-20%", "补贴10%至20%", "补贴10-20%", "补贴10%~20%"])
def test_ranges(text):
    p = pcts(text)[0]
    assert (p["value"], p["low"], p["high"], p["qualifier"]) == (None, 10, 20, "range")


def test_suffix_qualifier_applies_backward_over_a_list():
    got = pcts("对亩产税收在行业平均亩产税收200%、150%、100%以上的,"
               "分别给予缴纳城镇土地使用税100%、75%、50%的财政支持。")
    assert [(p["value"], p["qualifier"]) for p in got] == [
        (200, "min"), (150, "min"), (100, "min"), (100, "exact"), (75, "exact"), (50, "exact")]


def test_two_caps_in_one_phrase_are_two_percent_items_only_once():
    got = pcts("给予最高10%不超过100万元的后补助")
    assert [(p["value"], p["qualifier"]) for p in got] == [(10, "max")]


@pytest.mark.parametrize("text", [
    "给予其当年度内进出口额×1‰的奖励",   # per-mille is not a percentage
    "补助资金由市县按5:5比例承担",
    "《关于降低10%税费的通知》",
    "可??刹煌F髽I50%",
])
def test_not_percentages(text):
    assert pcts(text) == []


def test_offsets_and_robustness():
    for text in ("", "%%%", "1" * 400 + "%", "-—至%", "百分之", "同比增长13.9%、18.6%和16.1%"):
        for p in pcts(text):
            assert text[p["start"]:p["end"]] == p["text"]
